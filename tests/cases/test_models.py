import datetime as dt

import pytest

from teilhabe.cases.models import (
    Attendance,
    Case,
    Enrolment,
    OutcomeFollowUp,
    Referral,
    SupportGoal,
)
from teilhabe.core.codes import TargetGroup
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    ContactFactory,
    EnrolmentFactory,
    OutcomeFactory,
    ProgrammeFactory,
)
from tests.invariants import assert_refused

pytestmark = pytest.mark.django_db


def test_an_exit_before_entry_is_refused() -> None:
    case = CaseFactory()
    case.status = Case.Status.CLOSED
    case.exit_reason = Case.ExitReason.GOAL_REACHED
    case.exit_date = case.entry_date - dt.timedelta(days=1)
    assert_refused(case, message="Der Austritt darf nicht vor dem Eintritt liegen.")


def test_a_closed_case_needs_an_exit_date_and_reason() -> None:
    case = CaseFactory()
    case.status = Case.Status.CLOSED
    assert_refused(case, message="Ein abgeschlossener Fall hat Austrittsdatum und -grund")


def test_a_case_for_a_person_found_not_eligible_is_refused() -> None:
    case = CaseFactory()
    case.target_group = TargetGroup.NOT_ELIGIBLE
    assert_refused(case, message="nur für eine förderfähige Person")


def test_an_age_exception_without_approval_is_refused() -> None:
    case = CaseFactory()
    case.target_group = TargetGroup.AGE_EXCEPTION
    case.age_exception_justification = "Ausbildungsplatz in Aussicht"
    assert_refused(
        case, message="Eine Altersausnahme braucht eine Begründung und eine Genehmigung."
    )


def test_a_second_open_case_in_the_same_programme_is_refused() -> None:
    case = CaseFactory()
    twin = CaseFactory.build(
        participant=case.participant, programme=case.programme, lead_provider=case.lead_provider
    )
    assert_refused(twin, message="schon einen offenen Fall")


def test_a_new_case_after_a_closed_one_is_allowed() -> None:
    case = CaseFactory(
        status=Case.Status.CLOSED,
        exit_date=dt.date(2021, 6, 1),
        exit_reason=Case.ExitReason.MOVED_AWAY,
    )
    again = CaseFactory(
        participant=case.participant,
        programme=case.programme,
        lead_provider=case.lead_provider,
        entry_date=dt.date(2022, 1, 10),
    )
    assert again.pk != case.pk


def test_a_contact_longer_than_ten_hours_is_refused() -> None:
    contact = ContactFactory.build(case=CaseFactory(), duration_minutes=601)
    assert_refused(contact, message="Die Dauer liegt zwischen 1 und 600 Minuten.")


def test_an_active_enrolment_needs_a_start() -> None:
    enrolment = EnrolmentFactory()
    enrolment.status = Enrolment.Status.ACTIVE
    assert_refused(enrolment, message="aktiv: mit Beginn")


def test_an_enrolment_ending_before_it_started_is_refused() -> None:
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.COMPLETED,
        started_on=dt.date(2021, 2, 1),
        ended_on=dt.date(2021, 3, 1),
    )
    enrolment.ended_on = dt.date(2021, 1, 31)
    assert_refused(enrolment, message="Das Ende darf nicht vor dem Beginn liegen.")


def test_attendance_is_recorded_once_per_session() -> None:
    enrolment = EnrolmentFactory(status=Enrolment.Status.ACTIVE, started_on=dt.date(2021, 2, 1))
    Attendance.objects.create(
        enrolment=enrolment, session_date=dt.date(2021, 2, 2), status="present", hours=3
    )
    twin = Attendance(
        enrolment=enrolment, session_date=dt.date(2021, 2, 2), status="absent", hours=0
    )
    assert_refused(twin, message="Für diesen Termin ist die Anwesenheit schon erfasst.")


def test_an_outcome_verified_before_it_happened_is_refused() -> None:
    outcome = OutcomeFactory()
    outcome.verified_on = outcome.achieved_on - dt.timedelta(days=1)
    assert_refused(outcome, message="Ein Nachweis kann nicht vor dem Ereignis liegen.")


def test_only_training_work_and_benefit_independence_are_successes() -> None:
    assert OutcomeFactory(outcome_type="vocational_training").is_success
    assert OutcomeFactory(outcome_type="benefits_independence").is_success
    assert not OutcomeFactory(outcome_type="language_certificate").is_success


def test_a_referral_needs_exactly_one_target_and_consent() -> None:
    case = CaseFactory()
    consent = ConsentFactory(
        file__participant=case.participant, file__controller=case.lead_provider
    )
    referral = Referral(
        case=case,
        from_provider=case.lead_provider,
        to_provider=consent.recipient,
        to_programme=ProgrammeFactory(owner=case.programme.owner),
        consent=consent,
        sent_on=dt.date(2022, 5, 2),
        due_on=dt.date(2022, 5, 16),
    )
    assert_refused(referral, message="genau einen Träger oder ein Programm")
    referral.to_programme = None
    referral.consent = None
    assert_refused(referral, message="braucht die Einwilligung der Person")


def test_the_secondary_group_needs_the_job_centre_check() -> None:
    case = CaseFactory()
    case.target_group = TargetGroup.SECONDARY
    assert_refused(case, message="Abstimmung mit dem Jobcenter")


def test_an_achieved_goal_needs_a_date() -> None:
    goal = SupportGoal(
        case=CaseFactory(),
        area="training",
        description="Ausbildungsplatz finden",
        status="achieved",
    )
    assert_refused(goal, message="Ein erledigtes Ziel hat ein Datum")


def test_an_enrolment_cannot_start_before_it_was_requested() -> None:
    enrolment = EnrolmentFactory()
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.started_on = enrolment.requested_on - dt.timedelta(days=1)
    assert_refused(enrolment, message="Der Beginn liegt nicht vor der Anmeldung.")


def test_a_person_is_not_enrolled_twice_in_the_same_offer() -> None:
    enrolment = EnrolmentFactory()
    twin = Enrolment(
        case=enrolment.case, offer=enrolment.offer, requested_on=enrolment.requested_on
    )
    assert_refused(twin, message="Die Person ist für dieses Angebot schon angemeldet.")


def test_a_checked_follow_up_needs_its_result() -> None:
    follow_up = OutcomeFollowUp(
        outcome=OutcomeFactory(), due_on=dt.date(2022, 2, 1), checked_on=dt.date(2022, 2, 3)
    )
    assert_refused(follow_up, message="Eine erledigte Nachbefragung hat ein Ergebnis.")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_on": dt.date(2022, 5, 1)}, "Die Antwortfrist liegt nicht vor dem Versand."),
        ({"answered_on": dt.date(2022, 5, 1)}, "Eine Antwort kann nicht vor dem Versand liegen."),
        ({"to_provider": "from"}, "Ein Träger überweist nicht an sich selbst."),
    ],
)
def test_a_referral_keeps_its_dates_in_order_and_goes_elsewhere(change, message) -> None:
    case = CaseFactory()
    consent = ConsentFactory(
        file__participant=case.participant, file__controller=case.lead_provider
    )
    referral = Referral(
        case=case,
        from_provider=case.lead_provider,
        to_provider=consent.recipient,
        consent=consent,
        sent_on=dt.date(2022, 5, 2),
        due_on=dt.date(2022, 5, 16),
    )
    for field, value in change.items():
        setattr(referral, field, case.lead_provider if value == "from" else value)
    assert_refused(referral, message=message)
