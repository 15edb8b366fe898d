"""Staff accounts: who may invite, change roles and end access, and what each step does."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from teilhabe.accounts import policy
from teilhabe.accounts.models import Invitation, Membership, Organisation, Role, User
from teilhabe.audit.models import AuditAction, AuditEvent
from tests.accounts.conftest import PASSWORD, log_in_verified
from tests.factories import MembershipFactory, MunicipalityFactory, ProviderFactory, UserFactory

STAFF = reverse("accounts:staff_list")
INVITE = reverse("accounts:staff_invite")
NEW_PASSWORD = "Lange-Passphrase-fuer-Teilhabe-7"


@pytest.fixture
def invite(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Post the invitation form; the mail goes out after the commit, so run those callbacks."""

    def post(client: Client, organisation: Organisation, **overrides: str) -> HttpResponse:
        data = {
            "organisation": str(organisation.pk),
            "role": Role.COACH,
            "first_name": "Nora",
            "last_name": "Schmidt",
            "email": "nora.schmidt@traeger-a.example",
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response: HttpResponse = client.post(INVITE, data)
        return response

    return post


def _link_from_mail() -> str:
    match = re.search(r"https?://\S+/einladung/\S+/", mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(0).split("testserver", 1)[1]


# Who manages whom (accounts.policy, "Staff accounts")


def test_a_provider_admin_manages_their_own_provider_only(
    provider_admin_a: User, provider_a: Organisation, provider_b: Organisation
) -> None:
    assert policy.manages_staff_of(provider_admin_a, provider_a)
    assert not policy.manages_staff_of(provider_admin_a, provider_b)
    assert not policy.manages_staff_of(provider_admin_a, provider_a.municipality)
    assert set(policy.organisations_whose_staff_user_manages(provider_admin_a)) == {provider_a}


def test_a_provider_admin_cannot_grant_a_role_above_their_own(
    provider_admin_a: User, provider_a: Organisation, municipality: Organisation
) -> None:
    assert policy.may_grant_role(provider_admin_a, provider_a, Role.COACH)
    assert policy.may_grant_role(provider_admin_a, provider_a, Role.PROVIDER_ADMIN)
    assert not policy.may_grant_role(provider_admin_a, provider_a, Role.COORDINATOR)
    assert not policy.may_grant_role(provider_admin_a, municipality, Role.COORDINATOR)
    assert not policy.may_grant_role(provider_admin_a, municipality, Role.COACH)


def test_the_coordination_manages_its_municipality_and_its_providers_only(
    coordinator: User, municipality: Organisation, provider_a: Organisation
) -> None:
    elsewhere = MunicipalityFactory(name="Stadt Bonn")
    provider_elsewhere = ProviderFactory(municipality=elsewhere)
    assert policy.manages_staff_of(coordinator, municipality)
    assert policy.manages_staff_of(coordinator, provider_a)
    assert policy.may_grant_role(coordinator, municipality, Role.COORDINATOR)
    assert policy.may_grant_role(coordinator, provider_a, Role.PROVIDER_ADMIN)
    assert not policy.manages_staff_of(coordinator, elsewhere)
    assert not policy.manages_staff_of(coordinator, provider_elsewhere)
    assert not policy.may_grant_role(coordinator, provider_elsewhere, Role.COACH)
    assert set(policy.organisations_whose_staff_user_manages(coordinator)) == {
        municipality,
        provider_a,
    }


def test_nobody_else_manages_staff(
    coach_a: User, funder_user: User, auditor: User, provider_a: Organisation
) -> None:
    for user in (coach_a, funder_user, auditor):
        assert not policy.manages_staff_of(user, provider_a)
        assert not policy.organisations_whose_staff_user_manages(user).exists()


def test_roles_fit_the_kind_of_organisation(
    coordinator: User, municipality: Organisation, provider_a: Organisation
) -> None:
    assert not policy.may_grant_role(coordinator, provider_a, Role.COORDINATOR)
    assert not policy.may_grant_role(coordinator, municipality, Role.COURSE_STAFF)
    assert not policy.may_grant_role(coordinator, municipality, Role.FUNDER)


def test_a_deactivated_manager_or_organisation_manages_nothing(
    provider_admin_a: User, provider_a: Organisation
) -> None:
    provider_a.is_active = False
    provider_a.save()
    fresh = User.objects.get(pk=provider_admin_a.pk)
    assert not policy.manages_staff_of(fresh, provider_a)
    assert not policy.organisations_whose_staff_user_manages(fresh).exists()
    provider_a.is_active = True
    provider_a.save()
    Membership.objects.filter(user=provider_admin_a).update(is_active=False)
    fresh = User.objects.get(pk=provider_admin_a.pk)
    assert not policy.manages_staff_of(fresh, provider_a)


def test_nobody_changes_their_own_membership_or_a_higher_one(
    provider_admin_a: User, coordinator: User, provider_a: Organisation
) -> None:
    own = Membership.objects.get(user=provider_admin_a)
    assert not policy.may_change_membership(provider_admin_a, own)
    assert policy.may_change_membership(coordinator, own)
    colleague = MembershipFactory(organisation=provider_a, role=Role.PROVIDER_ADMIN)
    assert policy.may_change_membership(provider_admin_a, colleague)


def test_a_coach_changes_no_ones_membership_and_nobody_one_in_another_organisation(
    coach_a: User, provider_admin_a: User, provider_a: Organisation, provider_b: Organisation
) -> None:
    colleague = MembershipFactory(organisation=provider_a, role=Role.COACH)
    elsewhere = MembershipFactory(organisation=provider_b, role=Role.COACH)
    assert not policy.may_change_membership(coach_a, colleague)
    assert policy.may_change_membership(provider_admin_a, colleague)
    assert not policy.may_change_membership(provider_admin_a, elsewhere)


def test_a_coordinator_role_held_at_a_provider_manages_nothing(
    provider_a: Organisation, provider_b: Organisation
) -> None:
    """Roles are checked against the kind of organisation when granted; a coordinator
    membership at a provider (entered wrongly, say in the admin) still gives no power."""
    odd = UserFactory()
    MembershipFactory(user=odd, organisation=provider_a, role=Role.COORDINATOR)
    assert not policy.organisations_whose_staff_user_manages(odd).exists()
    assert not policy.manages_staff_of(odd, provider_b)


def test_invitations_are_listed_for_the_organisations_one_manages_only(
    provider_admin_a: User, provider_a: Organisation, provider_b: Organisation
) -> None:
    until = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    ours = Invitation.objects.create(
        organisation=provider_a, role=Role.COACH, email="a@example.org", key="a" * 64,
        invited_by=provider_admin_a, expires_at=until,
    )  # fmt: skip
    Invitation.objects.create(
        organisation=provider_b, role=Role.COACH, email="b@example.org", key="b" * 64,
        invited_by=provider_admin_a, expires_at=until,
    )  # fmt: skip
    assert list(policy.invitations_in_organisations_managed_by(provider_admin_a)) == [ours]


# The staff list


def test_the_staff_list_shows_the_own_organisation_and_is_audited(
    client: Client, provider_admin_a: User, coach_a: User, coach_b: User
) -> None:
    client.force_login(provider_admin_a)
    response = client.get(STAFF)
    html = response.content.decode()
    assert response.status_code == 200
    assert "coach_a" in html
    assert "coach_b" not in html
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert event.details["view"] == "staff_list"
    assert "coach_a" not in str(event.details)


@pytest.mark.parametrize("persona", ["coach_a", "funder_user", "auditor"])
def test_staff_who_manage_nobody_get_no_staff_pages(
    client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(STAFF).status_code == 403
    assert client.get(INVITE).status_code == 403


# Inviting


def test_inviting_sends_a_one_time_link_by_email_and_is_audited(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_a: Organisation,
) -> None:
    client.force_login(provider_admin_a)
    response = invite(client, provider_a)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role) == (provider_a, Role.COACH)
    assert mail.outbox[0].to == ["nora.schmidt@traeger-a.example"]
    assert "Träger A" in mail.outbox[0].subject
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert (event.object_type, event.organisation) == ("accounts.invitation", provider_a)
    assert "nora" not in str(event.details).lower()
    assert "Nora Schmidt" in client.get(STAFF).content.decode()


def test_a_bad_email_address_is_explained_next_to_the_field(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_a: Organisation,
) -> None:
    client.force_login(provider_admin_a)
    html = invite(client, provider_a, email="nora at example").content.decode()
    assert 'id="id_email_error"' in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_address_that_has_an_account_is_not_invited_again(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_a: Organisation,
) -> None:
    UserFactory(username="nora", email="Nora.Schmidt@traeger-a.example")
    client.force_login(provider_admin_a)
    html = invite(client, provider_a).content.decode()
    assert 'id="id_email_error"' in html
    assert "gibt es schon ein Konto" in html
    assert not Invitation.objects.exists()


def test_a_provider_admin_cannot_invite_to_another_provider_or_as_coordinator(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_b: Organisation,
    provider_a: Organisation,
) -> None:
    client.force_login(provider_admin_a)
    html = invite(client, provider_b).content.decode()
    assert 'id="id_organisation_error"' in html
    html = invite(client, provider_a, role=Role.COORDINATOR).content.decode()
    assert 'id="id_role_error"' in html
    assert not Invitation.objects.exists()


def test_accepting_an_invitation_creates_the_account_and_asks_for_the_second_factor(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_a: Organisation,
    settings,
) -> None:
    settings.TEILHABE_REQUIRE_2FA = True
    log_in_verified(client, provider_admin_a)
    invite(client, provider_a)
    link = _link_from_mail()
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "Jobcoach bei Träger A" in page

    response = visitor.post(
        link, {"username": "nora", "password": "12345678", "password_again": "12345678"}
    )
    html = response.content.decode()
    assert 'id="id_password_error"' in html
    assert not User.objects.filter(username="nora").exists()

    response = visitor.post(
        link, {"username": "nora", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_enrol")
    nora = User.objects.get(username="nora")
    assert nora.check_password(NEW_PASSWORD)
    assert (nora.email, nora.first_name) == ("nora.schmidt@traeger-a.example", "Nora")
    assert Membership.objects.get(user=nora).role == Role.COACH
    assert Invitation.objects.get().accepted_at is not None
    assert visitor.get("/")["Location"].startswith(reverse("accounts:two_factor_enrol"))
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, actor=nora)
    assert {e.object_type for e in created} == {"accounts.user", "accounts.membership"}

    # One time only.
    assert Client().get(link).status_code == 404


def test_a_taken_username_is_explained_next_to_the_field(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_a: Organisation,
    coach_a: User,
) -> None:
    client.force_login(provider_admin_a)
    invite(client, provider_a)
    html = (
        Client()
        .post(
            _link_from_mail(),
            {"username": "COACH_A", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
        )
        .content.decode()
    )
    assert 'id="id_username_error"' in html
    assert "Diesen Benutzernamen gibt es schon" in html


def test_an_invitation_expires(
    invite: Callable[..., HttpResponse],
    client: Client,
    provider_admin_a: User,
    provider_a: Organisation,
) -> None:
    client.force_login(provider_admin_a)
    invite(client, provider_a)
    link = _link_from_mail()
    with time_machine.travel(dt.timedelta(days=8)):
        response = Client().get(link)
    assert response.status_code == 404
    assert "gilt nicht mehr" in response.content.decode()


def test_a_forged_invitation_link_is_refused(client: Client, db: None) -> None:
    url = reverse("accounts:invitation_accept", kwargs={"token": "abc:def:ghi"})
    assert client.get(url).status_code == 404


# Changing roles


def test_a_provider_admin_changes_a_coachs_role_and_it_is_audited(
    client: Client, provider_admin_a: User, coach_a: User
) -> None:
    membership = Membership.objects.get(user=coach_a)
    client.force_login(provider_admin_a)
    url = reverse("accounts:staff_role", kwargs={"pk": membership.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": Role.COURSE_STAFF})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COURSE_STAFF
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.details == {"fields": ["role"], "from": "coach", "to": "course_staff"}


def test_a_role_above_ones_own_cannot_be_chosen(
    client: Client, provider_admin_a: User, coach_a: User
) -> None:
    membership = Membership.objects.get(user=coach_a)
    client.force_login(provider_admin_a)
    url = reverse("accounts:staff_role", kwargs={"pk": membership.pk})
    html = client.post(url, {"role": Role.COORDINATOR}).content.decode()
    assert 'id="id_role_error"' in html
    membership.refresh_from_db()
    assert membership.role == Role.COACH


def test_members_of_another_provider_are_not_found(
    client: Client, provider_admin_a: User, coach_b: User
) -> None:
    membership = Membership.objects.get(user=coach_b)
    client.force_login(provider_admin_a)
    for name in ("accounts:staff_role", "accounts:staff_deactivate"):
        url = reverse(name, kwargs={"pk": membership.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"role": Role.COURSE_STAFF}).status_code == 404
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.COACH, True)


# Ending access


def test_ending_a_coachs_access_logs_them_out_at_once(
    client: Client, provider_admin_a: User, coach_a: User
) -> None:
    coach_client = Client()
    coach_client.force_login(coach_a)
    assert coach_client.get("/").status_code == 200

    membership = Membership.objects.get(user=coach_a)
    client.force_login(provider_admin_a)
    url = reverse("accounts:staff_deactivate", kwargs={"pk": membership.pk})
    assert "Zugang beenden" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Die Person ist ab sofort abgemeldet." in response.content.decode()

    response = coach_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    coach_a.refresh_from_db()
    assert not coach_a.is_active
    events = AuditEvent.objects.filter(action=AuditAction.UPDATE).order_by("pk")
    assert [e.details["event"] for e in events] == ["membership_deactivated", "account_deactivated"]
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "coach_a", "password": PASSWORD})
        .status_code
        == 200
    )


def test_ending_one_of_two_memberships_keeps_the_account_but_not_that_access(
    client: Client, coordinator: User, coach_a: User, provider_b: Organisation
) -> None:
    MembershipFactory(user=coach_a, organisation=provider_b, role=Role.COACH)
    at_a = Membership.objects.get(user=coach_a, organisation__name="Träger A")
    client.force_login(coordinator)
    client.post(reverse("accounts:staff_deactivate", kwargs={"pk": at_a.pk}))
    coach_a.refresh_from_db()
    assert coach_a.is_active
    assert [m.organisation for m in policy.active_memberships(coach_a)] == [provider_b]


def test_nobody_ends_their_own_access(client: Client, provider_admin_a: User) -> None:
    own = Membership.objects.get(user=provider_admin_a)
    client.force_login(provider_admin_a)
    url = reverse("accounts:staff_deactivate", kwargs={"pk": own.pk})
    assert client.post(url).status_code == 404
    own.refresh_from_db()
    assert own.is_active


def test_a_role_the_person_already_holds_there_is_explained_next_to_the_field(
    client: Client, provider_admin_a: User, coach_a: User, provider_a: Organisation
) -> None:
    MembershipFactory(user=coach_a, organisation=provider_a, role=Role.COURSE_STAFF)
    membership = Membership.objects.get(user=coach_a, role=Role.COACH)
    client.force_login(provider_admin_a)
    url = reverse("accounts:staff_role", kwargs={"pk": membership.pk})
    html = client.post(url, {"role": Role.COURSE_STAFF}).content.decode()
    assert 'id="id_role_error"' in html
    assert "hat diese Rolle in der Organisation schon" in html
    membership.refresh_from_db()
    assert membership.role == Role.COACH


def test_the_coordination_does_not_manage_a_deactivated_provider(
    coordinator: User, municipality: Organisation, provider_a: Organisation
) -> None:
    provider_a.is_active = False
    provider_a.save()
    assert not policy.manages_staff_of(coordinator, provider_a)
    assert set(policy.organisations_whose_staff_user_manages(coordinator)) == {municipality}
