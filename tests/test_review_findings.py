"""Regression tests for what an attack review of issue 5's work found (2026-11-26).

Each failed before its fix: a duplicate link across cities opened another city's people to
Art. 15 and erasure; a programme transfer reached a provider not taking the person on; a
coach could subtract their own exact count from the published one; retention ignored holds
and open cases under a duplicate registration and newly opened files; a list read by consent
was invisible to the controller's auditor; an invitation outlived its sender's access; the
admin's trail pages were not audited; the coordination could appoint data protection.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.participants.models import Participant, ParticipantFile
from teilhabe.participants.services import file_transfer
from teilhabe.privacy.access_request import access_request_package
from teilhabe.privacy.services import erasure_carry_out
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    ContactFactory,
    MembershipFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- F1: Art. 15 / Art. 17 cross municipalities through duplicate_of ------------------------


@pytest.fixture
def other_city_person() -> Participant:
    """A person in another municipality, with a file and case notes at that city's provider."""
    other_city = MunicipalityFactory(name="Stadt Bonn")
    case = CaseFactory(
        participant__municipality=other_city,
        participant__family_name="Bonner",
        lead_provider=ProviderFactory(name="Träger Bonn", municipality=other_city),
    )
    ContactFactory(case=case, note="Vertraulich in Bonn")
    return case.participant


def test_f1_a_duplicate_link_to_another_city_opens_nothing_of_it(
    municipality: Organisation, auditor: User, other_city_person: Participant
) -> None:
    # A register entry in Köln marked as duplicate of a Bonn entry: validation refuses it ...
    mine = ParticipantFactory(municipality=municipality, duplicate_of=other_city_person)
    with pytest.raises(ValidationError) as refused:
        mine.full_clean()
    assert "derselben Kommune" in str(refused.value)
    # ... and a link that got into the data by another door counts for nothing.
    package = access_request_package(acting_user=auditor, participant=mine)
    text = package.as_json()
    assert "Träger Bonn" not in text
    assert "Vertraulich in Bonn" not in text


def test_f1_erasure_does_not_reach_another_citys_person(
    municipality: Organisation, auditor: User, other_city_person: Participant
) -> None:
    mine = ParticipantFactory(municipality=municipality, duplicate_of=other_city_person)
    erasure_carry_out(acting_user=auditor, participant=mine, commit=True)
    other_city_person.refresh_from_db()
    assert other_city_person.family_name == "Bonner"


# --- F2: a transfer consent naming a programme lets any provider of the city receive -------


def test_f2_a_programme_transfer_goes_only_to_who_takes_the_person_on(
    municipality: Organisation, provider_a: Organisation, provider_b: Organisation, coach_a: User
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    case = CaseFactory(lead_provider=provider_a, participant__municipality=municipality)
    file_a = ParticipantFile.objects.get(participant=case.participant, controller=provider_a)
    consent = ConsentFactory(
        file=file_a,
        purpose="transfer",
        recipient=None,
        recipient_programme=programme,
        data_categories=["identity", "residence"],
        given_on=dt.date(2024, 1, 1),
    )
    # provider_b runs no case of this person in the programme (nor any case at all).
    with pytest.raises(ValidationError):
        file_transfer(acting_user=coach_a, consent=consent, to=provider_b)


# --- F3: provider's exact own figures minus the published programme figure = the others' -----


def test_f3_a_coach_cannot_subtract_their_own_count_from_the_published_one(
    municipality: Organisation,
    funder: Organisation,
    provider_a: Organisation,
    provider_b: Organisation,
    coach_a: User,
) -> None:
    from teilhabe.core.selectors import start_page_for
    from tests.core.scenario import build_programme, enter_people

    programme = build_programme(municipality=municipality, funder=funder)
    enter_people(programme, provider_a, {dt.date(2021, 9, 1): 10})
    enter_people(programme, provider_b, {dt.date(2021, 9, 1): 2})
    # coach_a picks the closing day of 2021-Q3 as the day shown: their own provider exactly,
    # and no city-wide figure to subtract it from.
    page = start_page_for(user=coach_a, as_of=dt.date(2021, 9, 30), today=dt.date(2022, 4, 1))
    overview = next(o for o in page.programmes if o.programme == programme)
    [own] = overview.own_providers
    assert own.reached == 10
    assert overview.reach is None


# --- F4: retention ignores a legal hold / an open case of the same person's duplicate entry ---


@pytest.fixture
def retained_programme(municipality: Organisation):
    from teilhabe.privacy.models import RetentionRule

    programme = ProgrammeFactory(owner=municipality, starts_on=dt.date(2020, 7, 1))
    for category, months in [("case_notes", 12), ("identity", 24), ("contact", 6)]:
        RetentionRule.objects.create(
            programme=programme, category=category, months_after_exit=months
        )
    return programme


def _closed_case_of(participant: Participant, programme, provider: Organisation):
    case = CaseFactory(
        participant=participant,
        programme=programme,
        lead_provider=provider,
        entry_date=dt.date(2021, 2, 1),
        status="closed",
        exit_date=dt.date(2021, 6, 30),
        exit_reason="goal_reached",
    )
    ContactFactory(case=case, occurred_on=dt.date(2021, 3, 1), note="Notiz")
    return case


def test_f4_a_legal_hold_protects_every_registration_of_the_person(
    municipality: Organisation,
    provider_a: Organisation,
    provider_b: Organisation,
    auditor: User,
    retained_programme,
) -> None:
    from teilhabe.cases.models import Contact
    from teilhabe.privacy.models import LegalHold
    from teilhabe.privacy.services import retention_run

    original = ParticipantFactory(municipality=municipality, family_name="Original")
    duplicate = ParticipantFactory(
        municipality=municipality, duplicate_of=original, family_name="Dublette"
    )
    _closed_case_of(original, retained_programme, provider_a)
    dup_case = _closed_case_of(duplicate, retained_programme, provider_b)
    LegalHold.objects.create(
        participant=original, reason="Klage", placed_on=dt.date(2023, 1, 1), placed_by=auditor
    )
    retention_run(on=dt.date(2024, 1, 31), commit=True)
    # The hold is on the person; erasure (privacy.services.erasure_carry_out) honours it
    # for duplicates, the retention run does not.
    assert Contact.objects.filter(case=dup_case).exclude(note="").exists()
    assert Participant.objects.get(pk=duplicate.pk).family_name == "Dublette"


def test_f4_identity_stays_while_a_duplicate_registration_has_an_open_case(
    municipality: Organisation,
    provider_a: Organisation,
    provider_b: Organisation,
    retained_programme,
) -> None:
    from teilhabe.privacy.services import retention_run

    original = ParticipantFactory(municipality=municipality, family_name="Original")
    duplicate = ParticipantFactory(
        municipality=municipality, duplicate_of=original, family_name="Dublette"
    )
    _closed_case_of(original, retained_programme, provider_a)
    CaseFactory(
        participant=duplicate,
        programme=ProgrammeFactory(owner=municipality),
        lead_provider=provider_b,
        entry_date=dt.date(2023, 6, 1),
    )  # open, in another programme
    retention_run(on=dt.date(2024, 1, 31), commit=True)
    assert Participant.objects.get(pk=original.pk).family_name == "Original"


# --- F5: the controller's own auditor cannot see that a recipient listed its person ----------


def test_f5_the_controllers_auditor_sees_who_listed_its_person_by_consent(
    municipality: Organisation, provider_a: Organisation, provider_b: Organisation, coach_a: User
) -> None:
    from teilhabe.audit.models import AuditEvent
    from teilhabe.audit.selectors import events_visible_to
    from teilhabe.participants.selectors import files_list_for_user

    case_b = CaseFactory(lead_provider=provider_b, participant__municipality=municipality)
    file_b = ParticipantFile.objects.get(participant=case_b.participant, controller=provider_b)
    ConsentFactory(file=file_b, recipient=provider_a, data_categories=["identity"])
    auditor_b = UserFactory(username="auditor_b")
    MembershipFactory(user=auditor_b, organisation=provider_b, role=Role.AUDITOR)

    listing = files_list_for_user(user=coach_a)
    assert [row.shows_identity for row in listing.rows] == [True]  # B's person, by name
    key = case_b.participant.person_key
    assert AuditEvent.objects.filter(actor=coach_a, subjects__person_key=key).exists()
    # Provider B keeps the file; its auditor should see who read its person's name.
    assert events_visible_to(auditor_b).filter(actor=coach_a, subjects__person_key=key).exists()


# --- F6: an invitation outlives the authority of whoever sent it -----------------------------


def test_f6_an_invitation_ends_with_its_senders_access(
    provider_a: Organisation, coordinator: User, rf
) -> None:
    from django.contrib.sessions.middleware import SessionMiddleware

    from teilhabe.accounts.models import Membership
    from teilhabe.accounts.selectors import invitation_for_token, invitation_token
    from teilhabe.accounts.services import membership_deactivate, staff_invite

    def request_for(user):
        request = rf.post("/")
        SessionMiddleware(lambda r: None).process_request(request)
        request.user = user
        return request

    admin_a = UserFactory(username="admin_a")
    membership = MembershipFactory(user=admin_a, organisation=provider_a, role=Role.PROVIDER_ADMIN)
    invitation = staff_invite(
        acting_user=admin_a,
        organisation=provider_a,
        role=Role.PROVIDER_ADMIN,
        email="second-address@example.org",
        first_name="A",
        last_name="B",
        request=request_for(admin_a),
    )
    # The coordination removes the admin (e.g. they left under a cloud).
    membership_deactivate(
        acting_user=coordinator, membership=membership, request=request_for(coordinator)
    )
    assert not Membership.objects.get(pk=membership.pk).is_active
    # The link the removed admin sent (to an address of their own) should no longer work.
    assert invitation_for_token(token=invitation_token(invitation)) is None


# --- F7: reading the audit trail in the Django admin is not itself audited -------------------


def test_f7_reading_the_trail_in_the_admin_is_audited(admin_client, coach_a: User) -> None:
    from django.urls import reverse

    from teilhabe.audit.models import AuditEvent
    from teilhabe.cases.selectors import case_get_for_user

    case = CaseFactory(lead_provider=coach_a.memberships.get().organisation)
    case_get_for_user(user=coach_a, pk=case.pk)  # one event naming the person
    event = AuditEvent.objects.get(subjects__person_key=case.participant.person_key)
    before = AuditEvent.objects.count()
    assert admin_client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert (
        admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code
        == 200
    )
    # Every other admin list/detail page writes a read event (core.admin.AuditedAdmin),
    # and the app's own trail pages record the read naming every person shown.
    assert AuditEvent.objects.count() > before


# --- F8: the coordination can make (itself, via a second address) the city's data protection --


def test_f8_the_coordination_does_not_appoint_data_protection(
    municipality: Organisation, coordinator: User, rf
) -> None:
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.core.exceptions import PermissionDenied

    from teilhabe.accounts import policy
    from teilhabe.accounts.services import staff_invite

    request = rf.post("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = coordinator
    # The coordination sees people pseudonymised; the municipal auditor gets the Art. 15
    # package (names, case notes) of anyone and carries out erasure.
    assert not policy.may_grant_role(coordinator, municipality, Role.AUDITOR)
    with pytest.raises((PermissionDenied, ValidationError)):
        staff_invite(
            acting_user=coordinator,
            organisation=municipality,
            role=Role.AUDITOR,
            email="coordinator.private@example.org",
            first_name="Co",
            last_name="Ord",
            request=request,
        )


def test_f4_identity_stays_when_a_provider_just_took_the_person_on(
    municipality: Organisation,
    provider_a: Organisation,
    provider_b: Organisation,
    coordinator: User,
    retained_programme,
) -> None:
    from teilhabe.participants.services import file_open
    from teilhabe.privacy.services import retention_run

    person = ParticipantFactory(municipality=municipality, family_name="Zurueck")
    _closed_case_of(person, retained_programme, provider_a)
    # The person came back: the coordination assigned them to provider B today.
    file_open(acting_user=coordinator, participant=person, controller=provider_b)
    retention_run(commit=True)  # today
    assert Participant.objects.get(pk=person.pk).family_name == "Zurueck"
