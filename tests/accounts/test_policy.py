"""Who reads which file: the controller's staff; others only the categories a consent names.

Each test here is written from the outside, the way another provider's coach, a course
teacher, the coordination or an auditor would try it; several of them are the regression
tests for what was found on main (issue 5).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Case, Enrolment
from teilhabe.cases.selectors import case_get_for_user, cases_visible_to
from teilhabe.core.codes import ResidenceType
from teilhabe.participants.models import Consent, ParticipantFile
from teilhabe.participants.selectors import (
    file_get_for_user,
    files_visible_to,
    participant_get_for_user,
    participants_visible_to,
)
from teilhabe.participants.services import (
    consent_record,
    consent_withdraw,
    file_transfer,
    residence_document_add,
)
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    EnrolmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfferFactory,
    ParticipantFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
    ProviderFactory,
    ResidenceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = timezone.localdate()


def member(organisation: Organisation, role: str, username: str) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def case_a(provider_a: Organisation) -> Case:
    return CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)


@pytest.fixture
def file_a(case_a: Case) -> ParticipantFile:
    return ParticipantFile.objects.get(
        participant=case_a.participant, controller=case_a.lead_provider
    )


@pytest.fixture
def provider_c(municipality: Organisation) -> Organisation:
    return ProviderFactory(name="Träger C", municipality=municipality)


@pytest.fixture
def coach_c(provider_c: Organisation) -> User:
    return member(provider_c, Role.COACH, "coach_c")


def share(
    file: ParticipantFile, recipient: Organisation, *categories: str, **fields: object
) -> Consent:
    return ConsentFactory(
        file=file,
        recipient=recipient,
        data_categories=list(categories) or ["identity", "case_notes"],
        given_on=fields.pop("given_on", D(2021, 3, 1)),
        **fields,
    )


# --- The controller and strangers --------------------------------------------------------------


def test_coaches_see_the_cases_and_files_of_their_provider(
    case_a: Case, file_a: ParticipantFile, coach_a: User, colleague_a: User, coach_b: User
) -> None:
    assert list(cases_visible_to(coach_a)) == [case_a]
    assert list(cases_visible_to(colleague_a)) == [case_a]
    assert list(files_visible_to(coach_a)) == [file_a]
    assert not cases_visible_to(coach_b).exists()
    assert not files_visible_to(coach_b).exists()
    assert not participants_visible_to(coach_b).exists()


@pytest.mark.parametrize("persona", ["coordinator", "funder_user", "auditor"])
def test_nobody_outside_the_provider_sees_case_content(
    case_a: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert not cases_visible_to(user).exists()
    assert not files_visible_to(user).exists()


def test_an_auditor_at_a_provider_does_not_see_its_cases(
    case_a: Case, provider_a: Organisation
) -> None:
    auditor = member(provider_a, Role.AUDITOR, "auditor_a")
    assert not cases_visible_to(auditor).exists()
    assert not files_visible_to(auditor).exists()
    assert not participants_visible_to(auditor).exists()


def test_a_stranger_gets_not_found_rather_than_forbidden(
    case_a: Case, file_a: ParticipantFile, coach_b: User
) -> None:
    with pytest.raises(Http404):
        participant_get_for_user(user=coach_b, pk=case_a.participant_id)
    with pytest.raises(Http404):
        case_get_for_user(user=coach_b, pk=case_a.pk)
    with pytest.raises(Http404):
        file_get_for_user(user=coach_b, pk=file_a.pk)
    assert not AuditEvent.objects.exists()


def test_opening_a_file_is_audited_with_the_person_key_and_no_names(
    file_a: ParticipantFile, coach_a: User
) -> None:
    view = file_get_for_user(user=coach_a, pk=file_a.pk)
    assert view.is_own
    event = AuditEvent.objects.get(action="read")
    assert (event.actor, event.object_type, event.object_id) == (
        coach_a,
        "participants.participantfile",
        str(file_a.pk),
    )
    assert [s.person_key for s in event.subjects.all()] == [file_a.participant.person_key]
    assert event.organisation == file_a.controller
    assert event.role == "coach"
    assert file_a.participant.family_name not in str(event.details)


def test_a_deactivated_membership_ends_access(case_a: Case, coach_a: User) -> None:
    coach_a.memberships.update(is_active=False)
    coach_a.refresh_from_db()
    assert not cases_visible_to(coach_a).exists()


def test_staff_of_a_deactivated_organisation_lose_access(
    case_a: Case, coach_a: User, provider_a: Organisation
) -> None:
    Organisation.objects.filter(pk=provider_a.pk).update(is_active=False)
    coach_a.refresh_from_db()
    assert not cases_visible_to(coach_a).exists()
    assert not policy.does_case_work_at(coach_a, provider_a)


# --- Consent: purpose × recipient × categories × dates ---------------------------------------------


def test_a_consent_opens_only_the_categories_it_names(
    file_a: ParticipantFile, coach_b: User, provider_b: Organisation
) -> None:
    """Found on main: data_categories were ignored; one consent opened everything."""
    share(file_a, provider_b, "outcomes")
    assert policy.file_categories_for(coach_b, file_a) == {"outcomes"}
    view = file_get_for_user(user=coach_b, pk=file_a.pk)
    assert not view.shows("residence")
    assert not view.shows_identity


def test_a_consent_without_case_categories_does_not_open_the_case(
    case_a: Case, file_a: ParticipantFile, coach_b: User, provider_b: Organisation
) -> None:
    share(file_a, provider_b, "identity", "contact")
    assert not cases_visible_to(coach_b).exists()
    assert list(files_visible_to(coach_b)) == [file_a]


def test_a_consent_opens_only_the_file_it_was_recorded_in(
    case_a: Case,
    file_a: ParticipantFile,
    provider_b: Organisation,
    provider_c: Organisation,
    coach_b: User,
) -> None:
    """Found on main: one consent opened every case of the person at every provider."""
    case_c = CaseFactory(
        participant=case_a.participant,
        lead_provider=provider_c,
        programme=ProgrammeFactory(owner=case_a.participant.municipality),
    )
    share(file_a, provider_b, "identity", "case_notes", "outcomes")
    assert list(cases_visible_to(coach_b)) == [case_a]
    file_c = ParticipantFile.objects.get(participant=case_a.participant, controller=provider_c)
    assert policy.file_categories_for(coach_b, file_c) == frozenset()
    assert case_c not in cases_visible_to(coach_b)


def test_a_provider_cannot_record_a_consent_in_another_providers_file(
    file_a: ParticipantFile, coach_b: User, provider_b: Organisation
) -> None:
    """Found on main: any provider with a case could record a consent naming itself."""
    with pytest.raises(PermissionDenied):
        consent_record(
            acting_user=coach_b,
            file=file_a,
            purpose=Consent.Purpose.CASE_SHARING,
            recipient=provider_b,
            data_categories=["case_notes"],
            given_on=D(2021, 3, 1),
        )
    assert not Consent.objects.exists()


def test_a_consent_naming_its_own_controller_is_refused_and_opens_nothing_elsewhere(
    case_a: Case, file_a: ParticipantFile, provider_b: Organisation, coach_b: User
) -> None:
    CaseFactory(
        participant=case_a.participant,
        lead_provider=provider_b,
        programme=ProgrammeFactory(owner=case_a.participant.municipality),
    )
    file_b = ParticipantFile.objects.get(participant=case_a.participant, controller=provider_b)
    with pytest.raises(ValidationError) as refused:
        consent_record(
            acting_user=coach_b,
            file=file_b,
            purpose=Consent.Purpose.CASE_SHARING,
            recipient=provider_b,
            data_categories=["identity", "case_notes"],
            given_on=D(2021, 3, 1),
        )
    assert "recipient" in refused.value.message_dict
    # Even a row slipped past the service opens only the file it is in, never A's.
    ConsentFactory(file=file_b, recipient=provider_b, data_categories=["case_notes"])
    assert policy.file_categories_for(coach_b, file_a) == frozenset()
    assert case_a not in cases_visible_to(coach_b)


def test_a_consent_to_another_organisation_does_not_open_the_file_to_everyone(
    file_a: ParticipantFile, provider_c: Organisation, coach_b: User, coach_c: User
) -> None:
    share(file_a, provider_c, "identity", "case_notes")
    assert not files_visible_to(coach_b).exists()
    assert list(files_visible_to(coach_c)) == [file_a]


@pytest.mark.parametrize("purpose", [Consent.Purpose.TRANSFER, Consent.Purpose.CONTACT])
def test_only_the_sharing_purpose_opens_a_file(
    case_a: Case, file_a: ParticipantFile, provider_b: Organisation, coach_b: User, purpose: str
) -> None:
    share(file_a, provider_b, "identity", "residence", purpose=purpose)
    assert not files_visible_to(coach_b).exists()
    assert not participants_visible_to(coach_b).exists()


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (D(2021, 2, 28), False),  # the day before it was given
        (D(2021, 3, 1), True),  # the day it was given
        (D(2021, 8, 31), True),  # the day before the withdrawal
        (D(2021, 9, 1), False),  # the withdrawal takes effect on its day
    ],
)
def test_a_consent_shares_from_the_day_given_until_the_day_withdrawn(
    file_a: ParticipantFile, provider_b: Organisation, coach_b: User, day: dt.date, in_force: bool
) -> None:
    share(
        file_a, provider_b, "identity", "case_notes",
        expires_on=D(2021, 12, 31), withdrawn_on=D(2021, 9, 1),
    )  # fmt: skip
    assert Consent.objects.filter(policy.consent_in_force_q(on=day)).exists() is in_force
    assert bool(policy.file_categories_for(coach_b, file_a, on=day)) is in_force


@pytest.mark.parametrize(("day", "in_force"), [(D(2021, 12, 31), True), (D(2022, 1, 1), False)])
def test_a_consent_shares_until_its_last_valid_day(
    file_a: ParticipantFile, provider_b: Organisation, day: dt.date, in_force: bool
) -> None:
    share(file_a, provider_b, expires_on=D(2021, 12, 31))
    assert Consent.objects.filter(policy.consent_in_force_q(on=day)).exists() is in_force


def test_withdrawing_a_consent_ends_access_at_once(
    case_a: Case, file_a: ParticipantFile, coach_a: User, coach_b: User, provider_b: Organisation
) -> None:
    consent = consent_record(
        acting_user=coach_a,
        file=file_a,
        purpose=Consent.Purpose.CASE_SHARING,
        recipient=provider_b,
        data_categories=["identity", "case_notes"],
        given_on=TODAY,
    )
    assert list(cases_visible_to(coach_b)) == [case_a]
    consent_withdraw(acting_user=coach_a, consent=consent)
    assert not cases_visible_to(coach_b).exists()
    assert not participants_visible_to(coach_b).exists()


def test_a_consent_to_a_programme_opens_the_file_to_who_runs_the_persons_case_there(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation,
    provider_b: Organisation, coach_b: User, coach_c: User,
) -> None:  # fmt: skip
    """Found on main: a consent naming a programme granted nothing."""
    kim = ProgrammeFactory(owner=municipality, name="KIM")
    share(file_a, None, "identity", "outcomes", recipient_programme=kim)  # type: ignore[arg-type]
    assert not files_visible_to(coach_b).exists()
    CaseFactory(participant=case_a.participant, programme=kim, lead_provider=provider_b)
    assert list(files_visible_to(coach_b).filter(controller=file_a.controller)) == [file_a]
    assert policy.file_categories_for(coach_b, file_a) == {"identity", "outcomes"}
    assert not files_visible_to(coach_c).exists()


@pytest.mark.parametrize(
    ("entry", "exit", "opens"),
    [
        (TODAY - dt.timedelta(days=30), None, True),
        (TODAY, TODAY, True),  # entering and leaving the same day: that day counts
        (TODAY + dt.timedelta(days=1), None, False),  # the case there has not begun
        (TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=1), False),  # it has ended
    ],
)
def test_a_consent_to_a_programme_opens_the_file_only_while_the_case_there_runs(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation,
    provider_b: Organisation, coach_b: User,
    entry: dt.date, exit: dt.date | None, opens: bool,
) -> None:  # fmt: skip
    kim = ProgrammeFactory(owner=municipality, name="KIM")
    share(file_a, None, "identity", recipient_programme=kim)  # type: ignore[arg-type]
    CaseFactory(
        participant=case_a.participant,
        programme=kim,
        lead_provider=provider_b,
        entry_date=entry,
        exit_date=exit,
        status="closed" if exit else "active",
        exit_reason="goal_reached" if exit else "",
    )
    assert files_visible_to(coach_b).filter(pk=file_a.pk).exists() is opens


def test_a_consent_to_a_programme_opens_nothing_to_a_case_in_another_programme(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation,
    provider_b: Organisation, coach_b: User,
) -> None:  # fmt: skip
    kim = ProgrammeFactory(owner=municipality, name="KIM")
    other = ProgrammeFactory(owner=municipality, name="Anderes Programm")
    share(file_a, None, "identity", recipient_programme=kim)  # type: ignore[arg-type]
    CaseFactory(participant=case_a.participant, programme=other, lead_provider=provider_b)
    assert not files_visible_to(coach_b).filter(pk=file_a.pk).exists()


def test_a_transfer_consent_to_a_programme_shares_nothing_before_the_transfer(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation,
    provider_b: Organisation, coach_b: User,
) -> None:  # fmt: skip
    kim = ProgrammeFactory(owner=municipality, name="KIM")
    share(file_a, None, "identity", purpose=Consent.Purpose.TRANSFER, recipient_programme=kim)  # type: ignore[arg-type]
    CaseFactory(participant=case_a.participant, programme=kim, lead_provider=provider_b)
    assert not files_visible_to(coach_b).filter(pk=file_a.pk).exists()


def test_the_coordination_reads_case_content_only_with_its_consent(
    case_a: Case, file_a: ParticipantFile, coordinator: User, municipality: Organisation
) -> None:
    assert not cases_visible_to(coordinator).exists()
    share(file_a, municipality, "outcomes", purpose=Consent.Purpose.COORDINATION_DETAILS)
    assert list(cases_visible_to(coordinator)) == [case_a]
    assert policy.file_categories_for(coordinator, file_a) == {"outcomes"}


@pytest.mark.parametrize("purpose", [Consent.Purpose.TRANSFER, Consent.Purpose.CONTACT])
def test_only_a_consent_for_the_coordination_opens_case_content_to_it(
    case_a: Case, file_a: ParticipantFile, coordinator: User, municipality: Organisation,
    purpose: str,
) -> None:  # fmt: skip
    share(file_a, municipality, "outcomes", purpose=purpose)
    assert not cases_visible_to(coordinator).exists()
    assert not files_visible_to(coordinator).exists()


def test_a_consent_for_one_citys_coordination_opens_nothing_to_another_city(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation
) -> None:
    share(file_a, municipality, "outcomes", purpose=Consent.Purpose.COORDINATION_DETAILS)
    elsewhere = UserFactory()
    elsewhere.memberships.create(organisation=MunicipalityFactory(name="Bonn"), role="coordinator")
    assert not cases_visible_to(elsewhere).exists()
    assert not files_visible_to(elsewhere).exists()


# --- Transfers -----------------------------------------------------------------------------------


def test_a_transfer_copies_the_named_categories_once_and_is_spent(
    case_a: Case, file_a: ParticipantFile, coach_a: User, coach_b: User, provider_b: Organisation
) -> None:
    """Found on main: a transfer consent acted as permanent sharing."""
    file_a.german_level = "B1"
    file_a.city = "Köln"
    file_a.save()
    ResidenceDocumentFactory(
        file=file_a, residence_type=ResidenceType.TOLERATED, valid_from=D(2020, 1, 1)
    )
    consent = consent_record(
        acting_user=coach_a,
        file=file_a,
        purpose=Consent.Purpose.TRANSFER,
        recipient=provider_b,
        data_categories=["identity", "education"],
        given_on=TODAY,
    )
    assert not files_visible_to(coach_b).exists()

    copy = file_transfer(acting_user=coach_a, consent=consent, to=provider_b)

    assert copy.controller == provider_b
    assert copy.german_level == "B1"
    assert copy.city == ""  # "contact" was not named
    assert not copy.residence_documents.exists()  # "residence" was not named
    consent.refresh_from_db()
    assert consent.used_on == TODAY
    assert not Consent.objects.filter(pk=consent.pk).filter(policy.consent_in_force_q(on=TODAY))
    # The sender's file no longer names B as someone who may receive it.
    assert provider_b.name not in [str(line.who) for line in policy.file_audience(file_a)]
    assert list(files_visible_to(coach_b)) == [copy]
    assert policy.file_categories_for(coach_b, file_a) == frozenset()
    with pytest.raises(ValidationError):
        file_transfer(acting_user=coach_a, consent=consent, to=provider_b)


def test_only_the_sending_controller_carries_out_a_transfer(
    file_a: ParticipantFile, coach_b: User, provider_b: Organisation
) -> None:
    consent = share(file_a, provider_b, "identity", purpose=Consent.Purpose.TRANSFER)
    with pytest.raises(PermissionDenied):
        file_transfer(acting_user=coach_b, consent=consent, to=provider_b)


def test_a_transfer_consent_cannot_carry_case_notes(
    file_a: ParticipantFile, coach_a: User, provider_b: Organisation
) -> None:
    with pytest.raises(ValidationError) as refused:
        consent_record(
            acting_user=coach_a,
            file=file_a,
            purpose=Consent.Purpose.TRANSFER,
            recipient=provider_b,
            data_categories=["identity", "case_notes"],
            given_on=TODAY,
        )
    assert "data_categories" in refused.value.message_dict


# --- Ownership -------------------------------------------------------------------------------


def test_a_provider_cannot_write_into_another_providers_file(
    case_a: Case, file_a: ParticipantFile, coach_b: User
) -> None:
    """Found on main: residence_document_add wrote into the one shared participant record."""
    with pytest.raises(PermissionDenied):
        residence_document_add(
            acting_user=coach_b,
            file=file_a,
            residence_type=ResidenceType.TOLERATED,
            valid_from=D(2022, 1, 1),
        )
    assert not file_a.residence_documents.exists()


def test_what_one_provider_records_stays_in_its_file(
    case_a: Case, file_a: ParticipantFile, provider_b: Organisation, coach_a: User, coach_b: User
) -> None:
    CaseFactory(
        participant=case_a.participant,
        lead_provider=provider_b,
        programme=ProgrammeFactory(owner=case_a.participant.municipality),
    )
    file_b = ParticipantFile.objects.get(participant=case_a.participant, controller=provider_b)
    residence_document_add(
        acting_user=coach_b,
        file=file_b,
        residence_type=ResidenceType.TOLERATED,
        valid_from=D(2022, 1, 1),
    )
    assert file_b.residence_documents.count() == 1
    assert not file_a.residence_documents.exists()
    assert file_b not in files_visible_to(coach_a)


# --- Roles -----------------------------------------------------------------------------------------


def test_course_staff_do_not_read_the_case_files_of_their_organisation(
    case_a: Case, provider_a: Organisation
) -> None:
    """Found on main: course staff were provider staff and read full case files."""
    teacher = member(provider_a, Role.COURSE_STAFF, "teacher_a")
    assert not cases_visible_to(teacher).exists()
    assert not files_visible_to(teacher).exists()
    assert not participants_visible_to(teacher).exists()


def test_course_staff_see_the_people_in_their_own_course_runs(
    case_a: Case, provider_b: Organisation
) -> None:
    """Found on main: course staff could not see people whose case another provider leads."""
    teacher_b = member(provider_b, Role.COURSE_STAFF, "teacher_b")
    course = OfferFactory(provider=provider_b, module__programme=case_a.programme)
    EnrolmentFactory(case=case_a, offer=course)
    # Someone in another provider's course is not in B's.
    EnrolmentFactory(
        case=CaseFactory(lead_provider=case_a.lead_provider, programme=case_a.programme),
        offer=OfferFactory(provider=case_a.lead_provider, module__programme=case_a.programme),
    )
    assert list(participants_visible_to(teacher_b)) == [case_a.participant]
    assert list(Enrolment.objects.filter(policy.course_enrolment_filter(teacher_b))) == list(
        case_a.enrolments.all()
    )
    # ... and no more than attendance needs.
    assert not files_visible_to(teacher_b).exists()
    assert not cases_visible_to(teacher_b).exists()


def test_a_coach_at_the_municipality_works_only_the_citys_own_files(
    case_a: Case, municipality: Organisation
) -> None:
    """Found on main: a municipality membership with the coach role counted as provider staff."""
    city_coach = member(municipality, Role.COACH, "city_coach")
    assert not cases_visible_to(city_coach).exists()
    assert not files_visible_to(city_coach).exists()
    city_case = CaseFactory(participant__municipality=municipality, lead_provider=municipality)
    assert list(cases_visible_to(city_coach)) == [city_case]
    assert not policy.is_coordinator_of(city_coach, municipality)


def test_has_role_needs_both_the_role_and_the_organisation(
    coach_a: User, provider_a: Organisation, provider_b: Organisation
) -> None:
    assert policy.has_role(coach_a, Role.COACH, provider_a)
    assert not policy.has_role(coach_a, Role.COACH, provider_b)
    assert not policy.has_role(coach_a, Role.PROVIDER_ADMIN, provider_a)
    assert policy.has_role(coach_a, Role.COACH)


def test_a_coordinator_of_another_city_is_not_ours(
    municipality: Organisation, coordinator: User
) -> None:
    bonn = MunicipalityFactory(name="Stadt Bonn")
    bonn_coordinator = member(bonn, Role.COORDINATOR, "coordinator_bonn")
    assert policy.is_coordinator_of(coordinator, municipality)
    assert not policy.is_coordinator_of(bonn_coordinator, municipality)


# --- The register ------------------------------------------------------------------------------


def test_the_coordination_sees_names_only_while_it_works_the_registration(
    municipality: Organisation, coordinator: User, provider_a: Organisation
) -> None:
    file = ParticipantFileFactory(participant__municipality=municipality, controller=provider_a)
    unassigned = ParticipantFactory(municipality=municipality)
    assert list(participants_visible_to(coordinator)) == [unassigned]
    assert file.participant not in participants_visible_to(coordinator)


def test_the_funder_sees_no_one(case_a: Case, funder_user: User) -> None:
    assert not participants_visible_to(funder_user).exists()


def test_each_reason_to_see_a_name_opens_that_person_and_no_one_else(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation,
    provider_a: Organisation, provider_b: Organisation, coach_a: User, coach_b: User,
    coordinator: User,
) -> None:  # fmt: skip
    """One person per reason: the file kept, a shared identity, a course run, a registration."""
    at_b = ParticipantFileFactory(participant__municipality=municipality, controller=provider_b)
    unassigned = ParticipantFactory(municipality=municipality)
    assert list(participants_visible_to(coach_a)) == [case_a.participant]
    assert list(participants_visible_to(coach_b)) == [at_b.participant]
    share(file_a, provider_b, "case_notes")
    assert list(participants_visible_to(coach_b)) == [at_b.participant]
    share(file_a, provider_b, "identity")
    assert set(participants_visible_to(coach_b)) == {at_b.participant, case_a.participant}
    assert list(participants_visible_to(coordinator)) == [unassigned]
    bonn = member(MunicipalityFactory(name="Bonn"), Role.COORDINATOR, "coordinator_bonn")
    assert not participants_visible_to(bonn).exists()


def test_a_consent_in_one_persons_file_opens_that_persons_case_only(
    case_a: Case, file_a: ParticipantFile, provider_a: Organisation, provider_b: Organisation,
    coach_b: User,
) -> None:  # fmt: skip
    CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    share(file_a, provider_b, "case_notes")
    assert list(cases_visible_to(coach_b)) == [case_a]


def test_who_may_register_people_in_a_municipality(
    municipality: Organisation, provider_a: Organisation, coordinator: User, coach_a: User,
    auditor: User,
) -> None:  # fmt: skip
    teacher = member(provider_a, Role.COURSE_STAFF, "teacher_a")
    elsewhere = member(ProviderFactory(), Role.COACH, "coach_elsewhere")
    city_coach = member(municipality, Role.COACH, "city_coach")
    assert policy.may_register_in(coordinator, municipality)
    assert policy.may_register_in(coach_a, municipality)
    assert policy.may_register_in(city_coach, municipality)
    assert not policy.may_register_in(teacher, municipality)
    assert not policy.may_register_in(auditor, municipality)
    assert not policy.may_register_in(elsewhere, municipality)


def test_only_the_municipalitys_data_protection_answers_access_requests(
    municipality: Organisation, provider_a: Organisation, auditor: User
) -> None:
    provider_auditor = member(provider_a, Role.AUDITOR, "auditor_a")
    person = ParticipantFactory(municipality=municipality)
    assert policy.handles_access_requests(auditor)
    assert policy.handles_access_requests_for(auditor, person)
    assert not policy.handles_access_requests(provider_auditor)
    assert not policy.handles_access_requests_for(provider_auditor, person)


def test_a_municipalitys_auditor_audits_its_providers_and_a_providers_only_itself(
    municipality: Organisation, provider_a: Organisation, provider_b: Organisation,
    auditor: User,
) -> None:  # fmt: skip
    provider_auditor = member(provider_a, Role.AUDITOR, "auditor_a")
    assert policy.audited_organisation_ids(auditor) == {
        municipality.pk,
        provider_a.pk,
        provider_b.pk,
    }
    assert policy.audited_organisation_ids(provider_auditor) == {provider_a.pk}


# --- Who can see this person's data ------------------------------------------------------------


def test_the_file_says_who_can_see_what_and_why(
    file_a: ParticipantFile, provider_b: Organisation
) -> None:
    share(file_a, provider_b, "identity", "outcomes", expires_on=D(2030, 12, 31))
    lines = policy.file_audience(file_a, on=D(2022, 1, 1))
    whos = [str(line.who) for line in lines]
    assert any(file_a.controller.name in who for who in whos)
    shared = next(line for line in lines if str(line.who) == provider_b.name)
    assert [str(c) for c in shared.categories] == ["Name und Geburtsdatum", "Verbleib und Erfolge"]
    assert shared.until == D(2030, 12, 31)
    assert any("Programmkoordination" in who for who in whos)


def test_the_file_names_the_course_provider_that_sees_the_person(
    case_a: Case, file_a: ParticipantFile, provider_b: Organisation
) -> None:
    EnrolmentFactory(
        case=case_a, offer=OfferFactory(provider=provider_b, module__programme=case_a.programme)
    )
    lines = policy.file_audience(file_a)
    course = next(line for line in lines if provider_b.name in str(line.who))
    assert "Kurspersonal" in str(course.who)
    assert [str(c) for c in course.categories] == ["Name, Teilnahme und Anwesenheit im Kurs"]


def test_the_providers_lead_works_its_files_like_its_coaches(
    case_a: Case, file_a: ParticipantFile, provider_a: Organisation
) -> None:
    lead = member(provider_a, Role.PROVIDER_ADMIN, "lead_a")
    assert list(cases_visible_to(lead)) == [case_a]
    assert policy.file_categories_for(lead, file_a) == policy.ALL_CATEGORIES
    assert policy.controls_file(lead, file_a)


def test_an_inactive_account_holds_no_membership_even_if_still_in_memory(
    case_a: Case, coach_a: User
) -> None:
    coach_a.is_active = False
    assert policy.active_memberships(coach_a) == []
    assert not cases_visible_to(coach_a).exists()


def test_an_anonymous_visitor_holds_no_membership() -> None:
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert policy.active_memberships(visitor) == []  # type: ignore[arg-type]
    assert policy.case_work_organisation_ids(visitor) == set()  # type: ignore[arg-type]


@pytest.mark.parametrize("role", [Role.COURSE_STAFF, Role.AUDITOR])
def test_only_coaches_and_the_lead_work_a_providers_files(
    file_a: ParticipantFile, provider_a: Organisation, role: str
) -> None:
    colleague = member(provider_a, role, f"other_{role}")
    assert not policy.does_case_work_at(colleague, provider_a)
    assert not policy.controls_file(colleague, file_a)
    with pytest.raises(PermissionDenied):
        residence_document_add(
            acting_user=colleague,
            file=file_a,
            residence_type=ResidenceType.TOLERATED,
            valid_from=D(2022, 1, 1),
        )


def test_a_transfer_to_a_programme_reaches_its_owner_and_the_assigned_provider(
    case_a: Case, file_a: ParticipantFile, coach_a: User, coordinator: User,
    municipality: Organisation, provider_b: Organisation,
) -> None:  # fmt: skip
    from teilhabe.participants.services import file_open

    kim = ProgrammeFactory(owner=municipality, name="KIM")
    to_owner = share(
        file_a,
        None,
        "identity",
        purpose=Consent.Purpose.TRANSFER,
        recipient_programme=kim,
        given_on=TODAY,
    )  # type: ignore[arg-type]
    assert (
        file_transfer(acting_user=coach_a, consent=to_owner, to=municipality).controller
        == municipality
    )
    # Provider B takes the person on once the coordination assigned them (B keeps a file).
    to_assigned = share(
        file_a,
        None,
        "identity",
        purpose=Consent.Purpose.TRANSFER,
        recipient_programme=kim,
        given_on=TODAY,
    )  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        file_transfer(acting_user=coach_a, consent=to_assigned, to=provider_b)
    # Files and cases of other people at B, also in KIM, do not make B a recipient of this one.
    CaseFactory(programme=kim, lead_provider=provider_b)
    with pytest.raises(ValidationError):
        file_transfer(acting_user=coach_a, consent=to_assigned, to=provider_b)
    file_open(acting_user=coordinator, participant=case_a.participant, controller=provider_b)
    assert (
        file_transfer(acting_user=coach_a, consent=to_assigned, to=provider_b).controller
        == provider_b
    )


def test_who_can_see_names_the_course_staff_of_this_files_own_enrolments_only(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation,
    provider_a: Organisation, provider_b: Organisation, provider_c: Organisation,
) -> None:  # fmt: skip
    EnrolmentFactory(case=case_a, offer=OfferFactory(provider=provider_b))
    # Someone else's enrolment at C, and this person's case at C with a course at D, are not
    # part of A's file.
    other = CaseFactory(lead_provider=provider_a, participant__municipality=municipality)
    EnrolmentFactory(case=other, offer=OfferFactory(provider=provider_c))
    elsewhere = CaseFactory(participant=case_a.participant, lead_provider=provider_c)
    provider_d = ProviderFactory(name="Träger D", municipality=municipality)
    EnrolmentFactory(case=elsewhere, offer=OfferFactory(provider=provider_d))
    course_lines = [
        str(line.who)
        for line in policy.file_audience(file_a)
        if str(line.who).startswith("Kurspersonal")
    ]
    assert course_lines == ["Kurspersonal von Träger B"]


def test_who_can_see_lists_this_files_consents_in_force_each_with_its_reason(
    case_a: Case, file_a: ParticipantFile, municipality: Organisation, provider_a: Organisation,
    provider_b: Organisation, provider_c: Organisation,
) -> None:  # fmt: skip
    share(file_a, provider_b, "identity", "case_notes")
    share(file_a, municipality, "outcomes", purpose=Consent.Purpose.COORDINATION_DETAILS)
    share(file_a, provider_c, "identity", purpose=Consent.Purpose.TRANSFER, given_on=TODAY)
    # A consent to be contacted lets nobody see anything.
    share(
        file_a,
        ProviderFactory(name="Träger F", municipality=municipality),
        "identity",
        purpose=Consent.Purpose.CONTACT,
    )
    # A consent in another file of the same provider says nothing about this one.
    other = CaseFactory(lead_provider=provider_a, participant__municipality=municipality)
    share(ParticipantFile.objects.get(participant=other.participant, controller=provider_a),
          ProviderFactory(name="Träger E", municipality=municipality), "identity")  # fmt: skip
    # The file's own courses are the controller's own staff, who are listed first anyway.
    EnrolmentFactory(case=case_a, offer=OfferFactory(provider=provider_a))
    lines = {str(line.who): str(line.why) for line in policy.file_audience(file_a)}
    assert lines[provider_b.name].endswith("Fallinhalte teilen.")
    assert lines[municipality.name].endswith("Einsicht der Programmkoordination.")
    assert lines[provider_c.name].endswith(
        "einmalige Übergabe; bis dahin sieht der Empfänger nichts."
    )
    assert "Träger E" not in lines
    assert "Träger F" not in lines
    assert not [who for who in lines if who.startswith("Kurspersonal")]


# --- Cases the city leads; module ends and hand-overs ------------------------------------


def test_the_city_and_its_providers_lead_cases_in_its_programmes_and_no_one_else(
    municipality: Organisation, provider_a: Organisation, funder: Organisation
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    other_city = MunicipalityFactory(name="Stadt Bonn")
    foreign_provider = ProviderFactory(municipality=other_city)
    assert policy.may_lead_cases_in(municipality, programme)
    assert policy.may_lead_cases_in(provider_a, programme)
    assert not policy.may_lead_cases_in(other_city, programme)
    assert not policy.may_lead_cases_in(foreign_provider, programme)
    assert not policy.may_lead_cases_in(funder, programme)
    provider_a.is_active = False
    assert not policy.may_lead_cases_in(provider_a, programme)


def test_a_city_coach_works_the_citys_cases_and_its_coordinator_does_not(
    municipality: Organisation, coordinator: User
) -> None:
    coach = UserFactory(username="casemanagement")
    MembershipFactory(user=coach, organisation=municipality, role=Role.COACH)
    case = CaseFactory(lead_provider=municipality, participant__municipality=municipality)
    assert policy.does_case_work_at(coach, municipality)
    assert not policy.does_case_work_at(coordinator, municipality)
    assert list(cases_visible_to(coach)) == [case]
    assert list(cases_visible_to(coordinator)) == []


def test_only_the_owning_citys_coordination_prepares_hand_overs(
    municipality: Organisation, coordinator: User, coach_a: User, auditor: User
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    coach = UserFactory(username="casemanagement")
    MembershipFactory(user=coach, organisation=municipality, role=Role.COACH)
    assert policy.prepares_hand_over(coordinator, programme)
    for user in (coach_a, auditor, coach):
        assert not policy.prepares_hand_over(user, programme)
    assert not policy.prepares_hand_over(coordinator, ProgrammeFactory())


def test_the_transfer_consent_for_a_hand_over_is_the_one_in_the_senders_file(
    municipality: Organisation, provider_a: Organisation, provider_b: Organisation
) -> None:
    successor = ProgrammeFactory(owner=municipality)
    participant = ParticipantFactory(municipality=municipality)
    in_b = ConsentFactory(
        file=ParticipantFileFactory(participant=participant, controller=provider_b),
        purpose=Consent.Purpose.TRANSFER,
        recipient=None,
        recipient_programme=successor,
        data_categories=["identity"],
        given_on=dt.date(2022, 6, 1),
    )

    def found(controller: Organisation, on: dt.date) -> Consent | None:
        return policy.transfer_consent_in_file(
            participant_id=participant.pk,
            controller_id=controller.pk,
            programme_id=successor.pk,
            on=on,
        )

    assert found(provider_a, dt.date(2022, 6, 20)) is None
    assert found(provider_b, dt.date(2022, 5, 31)) is None
    assert found(provider_b, dt.date(2022, 6, 20)) == in_b
    in_b.used_on = dt.date(2022, 6, 21)
    in_b.save()
    assert found(provider_b, dt.date(2022, 6, 22)) is None


def test_referrals_and_hand_overs_are_read_by_the_sending_and_the_receiving_side(
    municipality: Organisation,
    provider_a: Organisation,
    provider_b: Organisation,
    coach_a: User,
    coach_b: User,
    coordinator: User,
) -> None:
    from teilhabe.cases.models import Referral

    third = ProviderFactory(municipality=municipality)
    third_coach = UserFactory(username="third")
    MembershipFactory(user=third_coach, organisation=third, role=Role.COACH)
    case = CaseFactory(lead_provider=provider_a, participant__municipality=municipality)
    consent = ConsentFactory(
        file=case.participant.files.get(controller=provider_a), recipient=provider_b
    )
    referral = Referral.objects.create(
        case=case,
        from_provider=provider_a,
        to_provider=provider_b,
        consent=consent,
        sent_on=dt.date(2022, 6, 1),
        due_on=dt.date(2022, 6, 15),
    )
    on_list = Referral.objects.filter
    for user, sees in (
        (coach_a, True),
        (coach_b, True),
        (third_coach, False),
        (coordinator, False),
    ):
        assert on_list(policy.referral_task_filter(user), pk=referral.pk).exists() is sees
    assert policy.answers_referral(coach_b, to_provider_id=provider_b.pk, to_organisation_id=None)
    assert not policy.answers_referral(
        coach_a, to_provider_id=provider_b.pk, to_organisation_id=None
    )
    assert policy.answers_referral(coach_a, to_provider_id=None, to_organisation_id=provider_a.pk)
    assert not policy.answers_referral(coach_a, to_provider_id=None, to_organisation_id=None)
