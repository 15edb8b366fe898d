"""Module end and hand-over: with and without consent, the referral and its answer, the
overdue task list, the report per person and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from teilhabe.accounts.models import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import (
    Case,
    Enrolment,
    HandOver,
    ModuleParticipation,
    ParticipationEnd,
    Referral,
)
from teilhabe.cases.selectors import (
    HandOverState,
    module_end_report,
    overdue_referrals,
    referral_tasks,
)
from teilhabe.cases.services import (
    hand_over_bulk,
    hand_over_close,
    hand_over_transfer,
    referral_answer,
)
from teilhabe.core.codes import ResidenceType
from teilhabe.participants.models import ParticipantFile
from tests.cases.handover_scenario import LAST_DAY, D, HandOverScenario, build, transfer_consent
from tests.factories import (
    EnrolmentFactory,
    MembershipFactory,
    ModuleFactory,
    MunicipalityFactory,
    OfferFactory,
    ParticipantFileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PREPARED = D(2022, 6, 20)


@pytest.fixture
def scenario(municipality) -> HandOverScenario:
    return build(municipality)


def _subjects_of_events(since: int) -> set[str]:
    return {
        s.person_key
        for event in AuditEvent.objects.filter(sequence__gt=since)
        for s in event.subjects.all()
    }


def _last_sequence() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_with_consent_the_person_is_handed_over_to_a_new_linked_case(scenario, coordinator) -> None:
    participation = scenario.consenting
    case = participation.case
    before = _last_sequence()
    hand_over = hand_over_transfer(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=participation,
        on=PREPARED,
    )
    successor = hand_over.successor_case
    assert successor is not None
    assert (successor.programme, successor.predecessor, successor.participant) == (
        scenario.successor,
        case,
        case.participant,
    )
    assert successor.entry_date == LAST_DAY + dt.timedelta(days=1)
    assert successor.status == Case.Status.INTAKE
    assert successor.lead_provider == scenario.municipality
    assert successor.eligibility_explanation
    participation.refresh_from_db()
    assert (participation.to_date, participation.exit_reason) == (
        LAST_DAY,
        ParticipationEnd.TRANSFERRED,
    )
    case.refresh_from_db()
    assert (case.status, case.exit_date, case.exit_reason) == (
        Case.Status.CLOSED,
        LAST_DAY,
        Case.ExitReason.TRANSFER_PROGRAMME,
    )
    referral = hand_over.referral
    assert referral is not None
    assert (referral.status, referral.to_programme, referral.sent_on, referral.due_on) == (
        Referral.Status.SENT,
        scenario.successor,
        PREPARED,
        PREPARED + dt.timedelta(days=14),
    )
    assert hand_over.consent is not None
    hand_over.consent.refresh_from_db()
    assert hand_over.consent.used_on == PREPARED
    # What was open goes with it: the residence documents the consent names.
    assert hand_over.documents == [
        {
            "residence_type": ResidenceType.TOLERATED.value,
            "valid_from": "2020-01-01",
            "valid_until": None,
        }
    ]
    assert (hand_over.from_organisation, hand_over.to_organisation) == (
        scenario.municipality,
        scenario.municipality,
    )
    assert case.participant.person_key in _subjects_of_events(before)


def test_without_consent_a_transfer_is_refused_and_the_participation_is_closed_with_the_person_informed(
    scenario, coordinator
) -> None:
    participation = scenario.refusing
    offer = OfferFactory(
        module=scenario.f6,
        provider__municipality=scenario.municipality,
        kind="continuous_service",
        starts_on=D(2020, 9, 1),
        ends_on=None,
        places=None,
    )
    EnrolmentFactory(
        case=participation.case,
        offer=offer,
        status=Enrolment.Status.ACTIVE,
        requested_on=D(2021, 2, 1),
        started_on=D(2021, 2, 1),
    )
    with pytest.raises(ValidationError, match="keine Einwilligung"):
        hand_over_transfer(
            acting_user=coordinator,
            amendment=scenario.amendment,
            participation=participation,
            on=PREPARED,
        )
    with pytest.raises(ValidationError) as error:
        hand_over_close(
            acting_user=coordinator,
            amendment=scenario.amendment,
            participation=participation,
            informed_on=PREPARED,
            informed_how="",
            on=PREPARED,
        )
    assert "informed_how" in error.value.message_dict
    hand_over = hand_over_close(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=participation,
        informed_on=D(2022, 6, 15),
        informed_how=HandOver.Informed.LETTER,
        on=PREPARED,
    )
    assert (hand_over.result, hand_over.informed_on, hand_over.informed_how) == (
        HandOver.Result.CLOSED,
        D(2022, 6, 15),
        "letter",
    )
    assert hand_over.successor_case is None
    participation.refresh_from_db()
    assert participation.exit_reason == ParticipationEnd.CLOSED_WITHOUT_CONSENT
    enrolment = Enrolment.objects.get(case=participation.case)
    assert (enrolment.ended_on, enrolment.exit_reason) == (
        LAST_DAY,
        ParticipationEnd.CLOSED_WITHOUT_CONSENT,
    )
    case = participation.case
    case.refresh_from_db()
    assert (case.status, case.exit_reason) == (Case.Status.CLOSED, Case.ExitReason.MODULE_ENDED)
    assert not Case.objects.filter(predecessor=case).exists()
    # Recorded once: a second attempt is refused.
    with pytest.raises(ValidationError, match="schon erfasst"):
        hand_over_close(
            acting_user=coordinator,
            amendment=scenario.amendment,
            participation=participation,
            informed_on=PREPARED,
            informed_how="phone",
            on=PREPARED,
        )


def test_a_case_with_another_open_module_stays_open(scenario, coordinator) -> None:
    other = ModuleParticipation.objects.create(
        case=scenario.consenting.case,
        module=ModuleFactory(programme=scenario.programme, code="F1"),
        from_date=D(2021, 3, 1),
    )
    hand_over_transfer(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=scenario.consenting,
        on=PREPARED,
    )
    other.case.refresh_from_db()
    assert other.case.status == Case.Status.ACTIVE


def test_only_the_coordination_of_the_owning_city_prepares_hand_overs(
    scenario, coach_a, coordinator
) -> None:
    other_city = MunicipalityFactory(name="Stadt Bonn")
    foreign_coordinator = UserFactory(username="bonn")
    MembershipFactory(user=foreign_coordinator, organisation=other_city, role=Role.COORDINATOR)
    for user in (coach_a, scenario.city_coach, foreign_coordinator):
        with pytest.raises(PermissionDenied):
            hand_over_transfer(
                acting_user=user,
                amendment=scenario.amendment,
                participation=scenario.consenting,
                on=PREPARED,
            )
        with pytest.raises(Http404):
            module_end_report(user=user, amendment=scenario.amendment, on=PREPARED)
    assert not HandOver.objects.exists()


def test_a_participation_that_ended_before_the_last_day_is_not_handed_over(
    scenario, coordinator
) -> None:
    participation = scenario.consenting
    participation.to_date = D(2022, 5, 31)
    participation.exit_reason = ParticipationEnd.GOAL_REACHED
    participation.save()
    with pytest.raises(ValidationError, match="lief am letzten Tag"):
        hand_over_transfer(
            acting_user=coordinator,
            amendment=scenario.amendment,
            participation=participation,
            on=PREPARED,
        )
    report = module_end_report(user=coordinator, amendment=scenario.amendment, on=PREPARED)
    assert [row.person_key for row in report.rows] == [
        scenario.refusing.case.participant.person_key
    ]


def test_the_bulk_action_transfers_with_consent_and_closes_the_informed_rest(
    scenario, coordinator
) -> None:
    participations = [scenario.consenting, scenario.refusing]
    without_informing = hand_over_bulk(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participations=participations,
        on=PREPARED,
    )
    assert [h.result for h in without_informing.done] == [HandOver.Result.TRANSFERRED]
    assert list(without_informing.left) == [scenario.refusing.case.participant.person_key]
    scenario.refusing.refresh_from_db()
    rest = hand_over_bulk(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participations=[scenario.refusing],
        informed_on=PREPARED,
        informed_how=HandOver.Informed.IN_PERSON,
        on=PREPARED,
    )
    assert [h.result for h in rest.done] == [HandOver.Result.CLOSED]
    report = module_end_report(user=coordinator, amendment=scenario.amendment, on=PREPARED)
    assert {row.person_key: row.state for row in report.rows} == {
        scenario.consenting.case.participant.person_key: HandOverState.TRANSFERRED,
        scenario.refusing.case.participant.person_key: HandOverState.CLOSED,
    }
    assert (report.transferred_count, report.closed_count, report.open_count) == (1, 1, 0)


def test_the_report_shows_each_person_by_key_with_consent_status_and_is_audited(
    scenario, coordinator
) -> None:
    before = _last_sequence()
    report = module_end_report(user=coordinator, amendment=scenario.amendment, on=PREPARED)
    assert {(row.person_key, row.has_consent, row.state) for row in report.rows} == {
        (scenario.consenting.case.participant.person_key, True, HandOverState.OPEN),
        (scenario.refusing.case.participant.person_key, False, HandOverState.OPEN),
    }
    assert report.without_consent_count == 1
    assert _subjects_of_events(before) == {
        scenario.consenting.case.participant.person_key,
        scenario.refusing.case.participant.person_key,
    }


@pytest.fixture
def handed_to_provider_a(scenario, coordinator, provider_a) -> HandOver:
    """The coordination assigned the person to provider A in the successor programme."""
    ParticipantFileFactory(participant=scenario.consenting.case.participant, controller=provider_a)
    return hand_over_transfer(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=scenario.consenting,
        receiving=provider_a,
        answer_within_days=10,
        on=PREPARED,
    )


def test_a_transfer_to_a_provider_copies_the_file_the_consent_names(
    handed_to_provider_a, provider_a, scenario
) -> None:
    file = ParticipantFile.objects.get(
        participant=scenario.consenting.case.participant, controller=provider_a
    )
    assert file.residence_documents.count() == 1
    assert handed_to_provider_a.successor_case.lead_provider == provider_a


def test_the_receiving_side_accepts_or_declines_and_only_it(
    handed_to_provider_a, coach_a, coach_b, scenario
) -> None:
    referral = handed_to_provider_a.referral
    for outsider in (coach_b, scenario.city_coach):
        with pytest.raises(PermissionDenied):
            referral_answer(acting_user=outsider, referral=referral, accept=True, on=PREPARED)
    referral_answer(acting_user=coach_a, referral=referral, accept=True, on=D(2022, 6, 22))
    referral.refresh_from_db()
    assert (referral.status, referral.answered_on) == (Referral.Status.ACCEPTED, D(2022, 6, 22))
    successor = handed_to_provider_a.successor_case
    successor.refresh_from_db()
    assert successor.status == Case.Status.ACTIVE
    with pytest.raises(ValidationError, match="schon beantwortet"):
        referral_answer(acting_user=coach_a, referral=referral, accept=False, on=PREPARED)


def test_a_declined_hand_over_closes_the_new_case(handed_to_provider_a, coach_a) -> None:
    referral_answer(
        acting_user=coach_a, referral=handed_to_provider_a.referral, accept=False, on=PREPARED
    )
    successor = handed_to_provider_a.successor_case
    successor.refresh_from_db()
    assert successor.status == Case.Status.CLOSED
    assert successor.exit_date == successor.entry_date


def test_an_overdue_referral_appears_on_both_sides_task_lists(
    handed_to_provider_a, coach_a, coach_b, scenario
) -> None:
    due = handed_to_provider_a.referral.due_on
    assert due == PREPARED + dt.timedelta(days=10)
    assert overdue_referrals(user=coach_a, on=due) == []
    late = due + dt.timedelta(days=1)
    for side in (coach_a, scenario.city_coach):
        tasks = overdue_referrals(user=side, on=late)
        assert [t.referral for t in tasks] == [handed_to_provider_a.referral]
    assert overdue_referrals(user=coach_b, on=late) == []
    receiving = referral_tasks(user=coach_a, on=late)[0]
    sending = referral_tasks(user=scenario.city_coach, on=late)[0]
    assert (receiving.answers, sending.answers) == (True, False)
    # The receiving side keeps a file on the person and sees the name; so does the sender.
    assert receiving.name == sending.name != ""
    referral_answer(
        acting_user=coach_a, referral=handed_to_provider_a.referral, accept=True, on=late
    )
    assert overdue_referrals(user=coach_a, on=late) == []


def test_the_report_reads_the_consent_of_a_done_hand_over_on_its_day_not_on_the_day_it_is_read(
    scenario, coordinator
) -> None:
    """The transfer spends the consent, and the person may withdraw it afterwards: a year on,
    the report still shows the consent the transfer went on, and none for the closed one."""
    transferred = hand_over_transfer(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=scenario.consenting,
        on=PREPARED,
    )
    hand_over_close(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=scenario.refusing,
        informed_on=PREPARED,
        informed_how=HandOver.Informed.LETTER,
        on=PREPARED,
    )
    consent = transferred.consent
    assert consent is not None
    consent.withdrawn_on = PREPARED + dt.timedelta(days=30)
    consent.save(update_fields=["withdrawn_on"])
    report = module_end_report(
        user=coordinator, amendment=scenario.amendment, on=PREPARED + dt.timedelta(days=365)
    )
    assert {(row.person_key, row.has_consent, row.state) for row in report.rows} == {
        (scenario.consenting.case.participant.person_key, True, HandOverState.TRANSFERRED),
        (scenario.refusing.case.participant.person_key, False, HandOverState.CLOSED),
    }


def test_the_preview_counts_people_in_a_module_the_city_runs_without_offers(scenario) -> None:
    from teilhabe.programmes.preview import decision_preview

    [ending] = decision_preview(scenario.amendment.decision)
    assert (ending.affected_cases, ending.without_transfer_consent) == (2, 1)


def test_the_preview_of_a_module_end_already_past_counts_a_consent_given_since(scenario) -> None:
    """A hand-over after the module's last day reads the consent on its own day: a person who
    consented after the last day can be handed over and is not counted as lacking it."""
    from teilhabe.programmes.preview import decision_preview

    transfer_consent(
        scenario.refusing.case, scenario.successor, given_on=LAST_DAY + dt.timedelta(days=10)
    )
    [ending] = decision_preview(scenario.amendment.decision)
    assert (ending.affected_cases, ending.without_transfer_consent) == (2, 0)


def test_the_pseudonymised_list_names_a_module_taken_part_in_without_an_offer(
    scenario, coordinator
) -> None:
    from teilhabe.cases.selectors import pseudonymised_cases

    listing = pseudonymised_cases(user=coordinator, programme=scenario.programme)
    assert {row.modules for row in listing.rows} == {("F6",)}


def test_the_receiving_side_sees_what_was_open_on_its_task_list(
    scenario, coordinator, provider_a, coach_a
) -> None:
    from teilhabe.cases.models import SupportGoal

    SupportGoal.objects.create(
        case=scenario.consenting.case,
        area=SupportGoal.Area.WORK,
        description="Praktikum im Hotel finden",
        target_date=D(2022, 9, 1),
    )
    ParticipantFileFactory(participant=scenario.consenting.case.participant, controller=provider_a)
    hand_over_transfer(
        acting_user=coordinator,
        amendment=scenario.amendment,
        participation=scenario.consenting,
        receiving=provider_a,
        on=PREPARED,
    )
    [task] = referral_tasks(user=coach_a, on=PREPARED)
    assert task.open_goals == ("Arbeit (01.09.2022)",)
    assert task.deadlines == ("Zieldatum (01.09.2022)",)
    # The goal's notes stay with the sending side.
    assert "Hotel" not in repr(task)
