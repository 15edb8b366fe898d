"""The Django admin is a door like any other: opening and changing records is audited."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.audit.services import audit_record
from tests.factories import CaseFactory, MembershipFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_changing_an_organisation_in_the_admin_is_audited_with_the_changed_fields(
    admin_client,
) -> None:
    provider = ProviderFactory()
    response = admin_client.post(
        reverse("admin:accounts_organisation_change", args=[provider.pk]),
        {
            "name": "Neuer Name",
            "short_name": "",
            "kind": "provider",
            "municipality": provider.municipality_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="update")
    assert event.details == {"via": "admin", "fields": ["name"]}


def test_the_audit_trail_cannot_be_edited_in_the_admin(admin_client) -> None:
    CaseFactory()
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403


def test_staff_without_superuser_rights_do_not_reach_the_models(client, django_user_model) -> None:
    staff = django_user_model.objects.create_user("staff", password="x" * 16, is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert "participants" not in response.content.decode()


ADMIN_LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


def test_wrong_passwords_at_the_admin_login_go_through_the_app_login(client) -> None:
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _attempt in range(15):
        response = client.post(ADMIN_LOGIN, {"username": "root", "password": "wrong"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(ADMIN_LOGIN, {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_an_address_throttled_at_the_app_login_does_not_get_in_through_the_admin(client) -> None:
    UserFactory(username="root", is_staff=True, is_superuser=True)
    request = RequestFactory().post("/konto/anmelden/", REMOTE_ADDR="127.0.0.1")
    for _attempt in range(100):  # what 100 wrong logins at the app's login leave behind
        audit_record(action=AuditAction.LOGIN_FAILED, actor=None, request=request, details={})
    client.post(ADMIN_LOGIN, {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_page_sends_visitors_to_the_app_login(client) -> None:
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=/admin/"


def test_staff_with_view_permissions_but_no_superuser_rights_cannot_read_in_the_admin(
    client, django_user_model
) -> None:
    staff = UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_organisation"),
        Permission.objects.get(codename="view_user"),
    )
    ProviderFactory(name="Geheimer Träger")
    client.force_login(staff)
    response = client.get(reverse("admin:accounts_organisation_changelist"), follow=True)
    assert response.status_code == 403
    assert "Geheimer Träger" not in response.content.decode()
    response = client.get(reverse("admin:accounts_user_changelist"), follow=True)
    assert response.status_code == 403


def test_inline_edits_in_the_admin_are_audited_per_object_with_the_changed_fields(
    admin_client,
) -> None:
    membership = MembershipFactory()
    user = membership.user
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = admin_client.post(
        url,
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": "",
            "is_active": "on",
            "date_joined_0": "2021-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2021-01-01",
            "initial-date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-user": user.pk,
            "memberships-0-organisation": membership.organisation_id,
            "memberships-0-role": "course_staff",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="update", object_type="accounts.membership")
    assert event.object_id == str(membership.pk)
    assert event.details == {"via": "admin", "fields": ["is_active", "role"]}


def test_the_change_list_in_the_admin_writes_one_read_event(admin_client) -> None:
    providers = ProviderFactory.create_batch(3)
    admin_client.get(reverse("admin:accounts_organisation_changelist"))
    event = AuditEvent.objects.get(action="read")
    assert event.details["via"] == "admin"
    assert event.details["view"] == "changelist"
    assert event.details["model"] == "accounts.organisation"
    assert set(event.details["ids"]) >= {p.pk for p in providers}


def test_history_and_delete_pages_in_the_admin_are_audited(admin_client) -> None:
    provider = ProviderFactory()
    admin_client.get(reverse("admin:accounts_organisation_history", args=[provider.pk]))
    admin_client.get(reverse("admin:accounts_organisation_delete", args=[provider.pk]))
    events = AuditEvent.objects.filter(action="read").order_by("occurred_at", "pk")
    assert [(e.object_id, e.details["view"]) for e in events] == [
        (str(provider.pk), "history"),
        (str(provider.pk), "delete_confirmation"),
    ]


def test_setting_a_password_in_the_admin_is_audited(admin_client) -> None:
    user = UserFactory(username="someone")
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {
            "password1": "Lange-Passphrase-fuer-Teilhabe-7",
            "password2": "Lange-Passphrase-fuer-Teilhabe-7",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="update", object_id=str(user.pk))
    assert event.details == {"via": "admin", "fields": ["password"]}
