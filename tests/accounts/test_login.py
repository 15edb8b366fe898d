from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.audit.services import address_hash, audit_record

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
START = reverse("core:start")
PASSWORD = "correct horse battery staple"


def test_the_login_page_has_labelled_fields_with_autocomplete(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="kern-label" for="id_username">' in html
    assert '<label class="kern-label" for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'class="kern-form-input__input"' in html
    assert "Bei Teilhabe anmelden" in html


def test_logging_in_lands_on_the_start_page_and_is_audited(client: Client, coach_a: User) -> None:
    response = client.post(LOGIN, {"username": "coach_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain == [(START, 302)]
    assert "Sie arbeiten als Jobcoach bei Träger A." in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == coach_a
    assert event.address_hash == address_hash("127.0.0.1")


def test_logging_in_follows_next(client: Client, coach_a: User) -> None:
    response = client.post(
        f"{LOGIN}?next=/en/", {"username": "coach_a", "password": PASSWORD, "next": "/en/"}
    )
    assert response["Location"] == "/en/"


def test_logging_in_does_not_follow_next_to_another_site(client: Client, coach_a: User) -> None:
    response = client.post(
        LOGIN, {"username": "coach_a", "password": PASSWORD, "next": "https://example.org/"}
    )
    assert response["Location"] == START


def test_a_wrong_password_shows_an_error_and_is_audited_without_the_name(
    client: Client, coach_a: User
) -> None:
    response = client.post(LOGIN, {"username": "coach_a", "password": "wrong password"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert "Benutzername" in html
    assert "Passwort" in html
    assert 'value="coach_a"' in html  # the username stays for correcting the password
    assert "wrong password" not in html

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor == coach_a  # counted against the account it targeted
    assert event.details == {"reason": "invalid_credentials"}
    recorded = f"{event.details} {event.object_id} {event.object_type}"
    assert "coach_a" not in recorded
    assert coach_a.last_name not in recorded
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_empty_fields_get_messages_next_to_them(client: Client, db: None) -> None:
    response = client.post(LOGIN, {"username": "", "password": ""})
    html = response.content.decode()
    assert 'id="id_username_error"' in html
    assert 'id="id_password_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html
    assert 'href="#id_username"' in html  # the summary links to the field
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.details == {"reason": "incomplete"}


def test_an_inactive_user_cannot_log_in(client: Client, coach_a: User) -> None:
    coach_a.is_active = False
    coach_a.save()
    response = client.post(LOGIN, {"username": "coach_a", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_the_login_page_is_english_under_en(client: Client, db: None) -> None:
    html = client.get("/en/konto/anmelden/").content.decode()
    assert '<html lang="en"' in html
    assert "Log in to Teilhabe" in html
    assert "Username" in html


def test_a_logged_in_user_is_sent_on_from_the_login_page(client: Client, coach_a: User) -> None:
    client.force_login(coach_a)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == START


def test_logging_out_needs_post_and_is_audited(client: Client, coach_a: User) -> None:
    client.force_login(coach_a)
    assert client.get(LOGOUT).status_code == 405

    response = client.post(LOGOUT, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    assert "Sie sind abgemeldet." in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.actor == coach_a


def test_logging_out_when_not_logged_in_records_nothing(client: Client, db: None) -> None:
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("language_prefix", ["", "/en"])
def test_the_header_offers_the_other_language(
    client: Client, coach_a: User, language_prefix: str
) -> None:
    client.force_login(coach_a)
    html = client.get(f"{language_prefix}/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    if language_prefix:
        assert 'value="de"' in html
        assert 'lang="de">Deutsch' in html
    else:
        assert 'value="en"' in html
        assert 'lang="en">English' in html


def test_switching_language_keeps_the_page(client: Client, coach_a: User) -> None:
    client.force_login(coach_a)
    html = client.get("/en/", {"stand": "2022-03-17"}).content.decode()
    # The switcher names the page by its German address; set_language resolves only those.
    assert 'name="next" type="hidden" value="/?stand=2022-03-17"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/?stand=2022-03-17"})
    assert response["Location"] == "/en/?stand=2022-03-17"
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/?stand=2022-03-17"})
    assert response["Location"] == "/?stand=2022-03-17"


def test_ten_failures_for_one_account_stop_password_checks_for_it_for_a_while(
    client: Client, coach_a: User
) -> None:
    for _attempt in range(10):
        client.post(LOGIN, {"username": "coach_a", "password": "wrong"})
    response = client.post(LOGIN, {"username": "coach_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).first().details == {
        "reason": "throttled"
    }


def test_a_failure_for_an_unknown_name_is_recorded_without_an_actor(
    client: Client, db: None
) -> None:
    client.post(LOGIN, {"username": "nobody", "password": "wrong"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.details == {"reason": "invalid_credentials"}


def test_refusals_while_locked_do_not_prolong_the_lock(client: Client, coach_a: User) -> None:
    for _attempt in range(10):
        client.post(LOGIN, {"username": "coach_a", "password": "wrong"})
    with time_machine.travel(dt.timedelta(minutes=10)):
        assert client.post(LOGIN, {"username": "coach_a", "password": "wrong"}).status_code == 429
    with time_machine.travel(dt.timedelta(minutes=16)):
        response = client.post(LOGIN, {"username": "coach_a", "password": PASSWORD})
    assert response.status_code == 302


def test_one_address_is_throttled_only_after_a_hundred_failures(
    client: Client, coach_a: User
) -> None:
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="127.0.0.1")
    for _attempt in range(99):
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            actor=None,
            request=request,
            details={"reason": "invalid_credentials"},
        )
    assert client.post(LOGIN, {"username": "coach_a", "password": PASSWORD}).status_code == 302
    client.logout()
    audit_record(action=AuditAction.LOGIN_FAILED, actor=None, request=request, details={})
    response = client.post(LOGIN, {"username": "coach_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_throttled_by_the_first(client: Client, coach_a: User) -> None:
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="198.51.100.7")
    for _attempt in range(100):
        audit_record(action=AuditAction.LOGIN_FAILED, actor=None, request=request, details={})
    assert client.post(LOGIN, {"username": "coach_a", "password": PASSWORD}).status_code == 302


def test_after_the_window_logging_in_works_again(client: Client, coach_a: User) -> None:
    for _attempt in range(10):
        client.post(LOGIN, {"username": "coach_a", "password": "wrong"})
    with time_machine.travel(dt.timedelta(minutes=16)):
        response = client.post(LOGIN, {"username": "coach_a", "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_says_plainly_that_name_or_password_is_wrong(
    client: Client, coach_a: User
) -> None:
    html = client.post(LOGIN, {"username": "coach_a", "password": "wrong"}).content.decode()
    assert "Benutzername oder Passwort ist falsch." in html
    html = client.post(
        "/en/konto/anmelden/", {"username": "coach_a", "password": "wrong"}
    ).content.decode()
    assert "Username or password is wrong." in html


def test_ten_wrong_passwords_for_one_account_do_not_lock_out_another_behind_the_same_address(
    client: Client, coach_a: User, colleague_a: User
) -> None:
    for _attempt in range(10):
        client.post(LOGIN, {"username": "coach_a", "password": "wrong"})
    response = client.post(LOGIN, {"username": "colleague_a", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).actor == colleague_a
