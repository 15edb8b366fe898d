import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Case, Enrolment
from teilhabe.cases.services import (
    case_close,
    case_open,
    contact_record,
    enrolment_create,
    outcome_record,
)
from teilhabe.core.codes import ResidenceType, TargetGroup
from teilhabe.programmes.eligibility import AgeException
from tests.factories import (
    EligibilityRuleFactory,
    ModuleFactory,
    OfferFactory,
    ParticipantFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
    ResidenceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(municipality):
    programme = ProgrammeFactory(
        owner=municipality, starts_on=dt.date(2020, 7, 1), ends_on=dt.date(2023, 6, 30)
    )
    EligibilityRuleFactory(programme=programme, valid_from=programme.starts_on)
    return programme


def _person(
    provider, *, born: dt.date = dt.date(2000, 5, 17), status: str = ResidenceType.TOLERATED
):
    """A registered person whom the provider keeps a file on, with a residence document."""
    participant = ParticipantFactory(municipality=provider.municipality, date_of_birth=born)
    file = ParticipantFileFactory(participant=participant, controller=provider)
    ResidenceDocumentFactory(file=file, residence_type=status, valid_from=dt.date(2020, 1, 1))
    return participant


def _open_case(
    acting_user, provider, programme, *, born: dt.date = dt.date(2000, 5, 17), **options
) -> Case:
    """Open a case for a new person entering on 1 February 2021; ``options`` go to case_open."""
    return case_open(
        acting_user=acting_user,
        participant=_person(provider, born=born),
        programme=programme,
        lead_provider=provider,
        entry_date=dt.date(2021, 2, 1),
        **options,
    )


def test_a_coach_opens_a_case_with_the_eligibility_snapshot(coach_a, provider_a, programme) -> None:
    case = _open_case(coach_a, provider_a, programme, coach=coach_a)
    assert case.status == Case.Status.ACTIVE
    assert case.target_group == TargetGroup.MAIN
    assert {c["code"] for c in case.eligibility_explanation} >= {"age", "residence_status"}
    assert (
        AuditEvent.objects.filter(action="create", object_type="cases.case", actor=coach_a).count()
        == 1
    )


def test_a_person_too_old_on_entry_gets_no_case_and_is_told_why(
    coach_a, provider_a, programme
) -> None:
    with pytest.raises(ValidationError) as error:
        _open_case(coach_a, provider_a, programme, born=dt.date(1990, 1, 1))
    messages = error.value.message_dict["__all__"]
    assert messages[0] == "Die Person ist am 01.02.2021 nicht förderfähig."
    assert any("31 Jahre" in m for m in messages)
    assert not Case.objects.exists()


def test_an_approved_age_exception_opens_the_case(
    coach_a, coordinator, provider_a, programme
) -> None:
    case = _open_case(
        coach_a,
        provider_a,
        programme,
        born=dt.date(1992, 6, 1),
        age_exception=AgeException(
            justification="  Ausbildungszusage liegt vor.  ", approved_by=coordinator
        ),
    )
    assert case.target_group == TargetGroup.AGE_EXCEPTION
    assert case.age_exception_justification == "Ausbildungszusage liegt vor."


def test_a_case_is_opened_only_in_a_file_the_lead_provider_keeps(
    coach_b, provider_a, provider_b, programme
) -> None:
    person = _person(provider_a)
    with pytest.raises(ValidationError) as error:
        case_open(
            acting_user=coach_b,
            participant=person,
            programme=programme,
            lead_provider=provider_b,
            entry_date=dt.date(2021, 2, 1),
        )
    assert "keine Akte" in error.value.message_dict["__all__"][0]
    assert not Case.objects.exists()


def test_eligibility_is_judged_from_the_lead_providers_own_file(
    coach_b, provider_a, provider_b, programme
) -> None:
    """Provider A recorded a Duldung; B's own file says nothing yet, so B cannot rely on A's record."""
    person = _person(provider_a)
    ParticipantFileFactory(participant=person, controller=provider_b)
    with pytest.raises(ValidationError):
        case_open(
            acting_user=coach_b,
            participant=person,
            programme=programme,
            lead_provider=provider_b,
            entry_date=dt.date(2021, 2, 1),
        )


def test_a_coach_of_another_provider_cannot_open_a_case_here(
    coach_b, provider_a, programme
) -> None:
    with pytest.raises(PermissionDenied):
        _open_case(coach_b, provider_a, programme)


def test_a_coach_assigned_must_work_at_the_lead_provider(
    coach_a, coach_b, provider_a, programme
) -> None:
    with pytest.raises(ValidationError) as error:
        _open_case(coach_a, provider_a, programme, coach=coach_b)
    assert "coach" in error.value.message_dict


def test_closing_needs_a_date_not_before_entry(coach_a, provider_a, programme) -> None:
    case = _open_case(coach_a, provider_a, programme)
    with pytest.raises(ValidationError):
        case_close(
            acting_user=coach_a,
            case=case,
            exit_date=dt.date(2021, 1, 1),
            exit_reason="goal_reached",
        )
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    case_close(
        acting_user=coach_a, case=case, exit_date=dt.date(2022, 1, 1), exit_reason="goal_reached"
    )
    with pytest.raises(ValidationError):
        case_close(
            acting_user=coach_a,
            case=case,
            exit_date=dt.date(2022, 1, 2),
            exit_reason="goal_reached",
        )


def test_a_colleague_records_contacts_but_another_provider_cannot(
    coach_a, colleague_a, coach_b, provider_a, programme
) -> None:
    case = _open_case(coach_a, provider_a, programme)
    contact = contact_record(
        acting_user=colleague_a,
        case=case,
        occurred_on=dt.date(2021, 2, 3),
        kind="phone",
        topic="work",
        duration_minutes=15,
    )
    assert contact.recorded_by == colleague_a
    with pytest.raises(PermissionDenied):
        contact_record(
            acting_user=coach_b,
            case=case,
            occurred_on=dt.date(2021, 2, 3),
            kind="phone",
            topic="work",
            duration_minutes=15,
        )
    with pytest.raises(ValidationError) as error:
        contact_record(
            acting_user=coach_a,
            case=case,
            occurred_on=dt.date(2021, 1, 3),
            kind="phone",
            topic="work",
            duration_minutes=0,
        )
    assert set(error.value.message_dict) == {"occurred_on", "__all__"}


def test_the_last_place_goes_to_the_first_and_the_next_person_waits(
    coach_a, provider_a, programme
) -> None:
    module = ModuleFactory(programme=programme, code="F4")
    offer = OfferFactory(
        module=module, provider=provider_a, places=1, starts_on=dt.date(2021, 3, 1)
    )
    first = enrolment_create(
        acting_user=coach_a,
        case=_open_case(coach_a, provider_a, programme),
        offer=offer,
        requested_on=dt.date(2021, 2, 10),
    )
    second = enrolment_create(
        acting_user=coach_a,
        case=_open_case(coach_a, provider_a, programme),
        offer=offer,
        requested_on=dt.date(2021, 2, 11),
    )
    assert (first.status, first.started_on) == (Enrolment.Status.ACTIVE, dt.date(2021, 3, 1))
    assert (second.status, second.started_on) == (Enrolment.Status.WAITING, None)


def test_an_offer_of_another_programme_is_refused(
    coach_a, provider_a, programme, municipality
) -> None:
    other = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    offer = OfferFactory(module=other, provider=provider_a)
    with pytest.raises(ValidationError) as error:
        enrolment_create(
            acting_user=coach_a,
            case=_open_case(coach_a, provider_a, programme),
            offer=offer,
            requested_on=dt.date(2021, 2, 10),
        )
    assert "offer" in error.value.message_dict
    assert not Enrolment.objects.exists()


def test_an_outcome_is_recorded_and_verified_by_the_coach(coach_a, provider_a, programme) -> None:
    case = _open_case(coach_a, provider_a, programme)
    outcome = outcome_record(
        acting_user=coach_a,
        case=case,
        outcome_type="vocational_training",
        achieved_on=dt.date(2021, 8, 1),
        verified_on=dt.date(2021, 8, 3),
        evidence_note="Ausbildungsvertrag liegt vor",
    )
    assert outcome.is_success
    assert outcome.verified_by == coach_a
    with pytest.raises(ValidationError):
        outcome_record(
            acting_user=coach_a, case=case, outcome_type="lottery", achieved_on=dt.date(2021, 8, 1)
        )


def test_a_deactivated_coach_can_do_nothing(provider_a, programme) -> None:
    user = UserFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        _open_case(user, provider_a, programme)
