"""Password reset by email: Django's views with the app's pages, audited, no enumeration."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction, AuditEvent
from tests.accounts.conftest import PASSWORD

RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_sent")
NEW_PASSWORD = "Lange-Passphrase-fuer-Teilhabe-7"


def _with_email(user: User) -> User:
    user.email = "jana.becker@traeger-a.example"
    user.save()
    return user


def test_the_login_page_links_to_the_password_reset(client: Client, db: None) -> None:
    assert f'href="{RESET}"' in client.get(reverse("accounts:login")).content.decode()


def test_a_reset_link_goes_by_email_and_sets_a_new_password(client: Client, coach_a: User) -> None:
    _with_email(coach_a)
    response = client.post(RESET, {"email": "Jana.Becker@traeger-a.example"})
    assert response["Location"] == SENT
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/konto/passwort/neu/\S+/)", mail.outbox[0].body)
    assert match is not None
    requested = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert (requested.object_id, requested.details) == (
        str(coach_a.pk),
        {"event": "password_reset_requested"},
    )

    form_url = client.get(match.group(1))["Location"]  # Django hides the token from the page
    response = client.post(form_url, {"new_password1": "kurz", "new_password2": "kurz"})
    assert 'id="id_new_password1_error"' in response.content.decode() or (
        'id="id_new_password2_error"' in response.content.decode()
    )
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    coach_a.refresh_from_db()
    assert coach_a.check_password(NEW_PASSWORD)
    done = AuditEvent.objects.filter(action=AuditAction.UPDATE, actor=coach_a).get()
    assert done.details == {"fields": ["password"], "event": "password_reset"}
    # The link works once.
    assert "gilt nicht mehr" in client.get(match.group(1), follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, db: None) -> None:
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response["Location"] == SENT
    assert mail.outbox == []
    assert not AuditEvent.objects.exists()
    html = client.get(SENT).content.decode()
    assert "Gehört die Adresse zu einem Konto" in html


def test_a_deactivated_account_gets_no_reset_mail(client: Client, coach_a: User) -> None:
    _with_email(coach_a)
    coach_a.is_active = False
    coach_a.save()
    assert client.post(RESET, {"email": coach_a.email})["Location"] == SENT
    assert mail.outbox == []


def test_a_bad_address_is_explained_next_to_the_field(client: Client, db: None) -> None:
    html = client.post(RESET, {"email": "kein-at-zeichen"}).content.decode()
    assert 'id="id_email_error"' in html


def test_the_old_password_no_longer_works_after_a_reset(client: Client, coach_a: User) -> None:
    _with_email(coach_a)
    client.post(RESET, {"email": coach_a.email})
    link = re.search(r"http://testserver(/konto/passwort/neu/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = Client().post(
        reverse("accounts:login"), {"username": "coach_a", "password": PASSWORD}
    )
    assert response.status_code == 200
