"""Module participation: enrolments place a person in a module; modules without offers are
joined and left explicitly; days the module was not in force are refused; the city leads
cases for modules it runs."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from teilhabe.cases.models import Case, Enrolment, ModuleParticipation, ParticipationEnd
from teilhabe.cases.selectors import cases_visible_to
from teilhabe.cases.services import (
    case_open,
    enrolment_create,
    enrolment_end,
    participation_end,
    participation_start,
)
from teilhabe.programmes.models import AmendmentKind
from tests.cases.handover_scenario import city_case, city_coach
from tests.factories import (
    AmendmentFactory,
    CaseFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    EnrolmentFactory,
    ModuleFactory,
    OfferFactory,
    ParticipantFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
    ResidenceDocumentFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def programme(municipality):
    programme = ProgrammeFactory(owner=municipality, ends_on=D(2023, 6, 30))
    EligibilityRuleFactory(programme=programme)
    return programme


@pytest.fixture
def f6(programme):
    """F6 ends on 30 June 2022 by the council's decision of 17 March."""
    module = ModuleFactory(programme=programme, code="F6")
    AmendmentFactory(
        decision=DecisionFactory(programme=programme),
        kind=AmendmentKind.END_MODULE,
        module=module,
        new_end_date=D(2022, 6, 30),
    )
    return module


def test_an_enrolment_places_the_person_in_the_offers_module_once(
    programme, provider_a, coach_a
) -> None:
    module = ModuleFactory(programme=programme, code="F4")
    case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 1, 10))
    first = OfferFactory(module=module, provider=provider_a, starts_on=D(2021, 2, 1))
    second = OfferFactory(module=module, provider=provider_a, starts_on=D(2021, 3, 1))
    enrolment_create(acting_user=coach_a, case=case, offer=first, requested_on=D(2021, 1, 20))
    enrolment_create(acting_user=coach_a, case=case, offer=second, requested_on=D(2021, 1, 25))
    participation = ModuleParticipation.objects.get(case=case)
    assert (participation.module, participation.from_date, participation.to_date) == (
        module,
        D(2021, 2, 1),
        None,
    )


def test_an_ended_enrolment_carries_its_reason(programme, provider_a, coach_a) -> None:
    case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 1, 10))
    offer = OfferFactory(module__programme=programme, provider=provider_a)
    enrolment = enrolment_create(
        acting_user=coach_a, case=case, offer=offer, requested_on=D(2021, 1, 20)
    )
    enrolment_end(
        acting_user=coach_a,
        enrolment=enrolment,
        ended_on=D(2021, 4, 1),
        exit_reason=ParticipationEnd.DROPPED_OUT,
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ended_on, enrolment.exit_reason) == (
        Enrolment.Status.DROPPED,
        D(2021, 4, 1),
        "dropped_out",
    )
    with pytest.raises(ValidationError, match="schon beendet"):
        enrolment_end(
            acting_user=coach_a,
            enrolment=enrolment,
            ended_on=D(2021, 4, 2),
            exit_reason=ParticipationEnd.COMPLETED,
        )


def test_a_module_without_offers_is_joined_and_left_on_days_it_ran(
    programme, f6, municipality
) -> None:
    coach = city_coach(municipality)
    case = city_case(programme, municipality, coach, family_name="Haddad")
    with pytest.raises(ValidationError) as error:
        participation_start(acting_user=coach, case=case, module=f6, from_date=D(2022, 7, 1))
    assert "lief am 01.07.2022 nicht" in error.value.message_dict["from_date"][0]
    with pytest.raises(ValidationError) as error:
        participation_start(acting_user=coach, case=case, module=f6, from_date=D(2021, 1, 5))
    assert "vor dem Eintritt" in error.value.message_dict["from_date"][0]
    participation = participation_start(
        acting_user=coach, case=case, module=f6, from_date=D(2021, 3, 1)
    )
    with pytest.raises(ValidationError):
        participation_start(acting_user=coach, case=case, module=f6, from_date=D(2021, 4, 1))
    with pytest.raises(ValidationError) as error:
        participation_end(
            acting_user=coach,
            participation=participation,
            to_date=D(2022, 7, 15),
            exit_reason=ParticipationEnd.GOAL_REACHED,
        )
    assert "to_date" in error.value.message_dict
    participation.refresh_from_db()
    participation_end(
        acting_user=coach,
        participation=participation,
        to_date=D(2022, 6, 30),
        exit_reason=ParticipationEnd.GOAL_REACHED,
    )
    participation.refresh_from_db()
    assert (participation.to_date, participation.exit_reason) == (D(2022, 6, 30), "goal_reached")


def test_a_participation_neither_begins_in_the_future_nor_ends_after_the_case(
    programme, f6, municipality
) -> None:
    coach = city_coach(municipality)
    case = city_case(programme, municipality, coach, family_name="Haddad")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        participation_start(acting_user=coach, case=case, module=f6, from_date=tomorrow)
    assert "liegt in der Zukunft" in error.value.message_dict["from_date"][0]
    participation = participation_start(
        acting_user=coach, case=case, module=f6, from_date=D(2021, 3, 1)
    )
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, exit_date=D(2021, 9, 30), exit_reason="dropped_out"
    )
    participation.case.refresh_from_db()
    for day, message in ((D(2021, 10, 1), "Der Fall endete am 30.09.2021"), (tomorrow, "Zukunft")):
        with pytest.raises(ValidationError) as error:
            participation_end(
                acting_user=coach,
                participation=participation,
                to_date=day,
                exit_reason=ParticipationEnd.OTHER,
            )
        assert message in error.value.message_dict["to_date"][0]
        participation.refresh_from_db()
        assert participation.to_date is None


def test_only_the_lead_works_a_participation(programme, f6, municipality, coach_a) -> None:
    case = city_case(programme, municipality, city_coach(municipality), family_name="Nasser")
    with pytest.raises(PermissionDenied):
        participation_start(acting_user=coach_a, case=case, module=f6, from_date=D(2021, 3, 1))


def test_the_city_leads_cases_for_modules_it_runs_and_its_coordination_does_not_read_them(
    programme, municipality, coordinator
) -> None:
    coach = city_coach(municipality)
    participant = ParticipantFactory(municipality=municipality)
    file = ParticipantFileFactory(participant=participant, controller=municipality)
    ResidenceDocumentFactory(file=file, valid_from=D(2020, 1, 1))
    case = case_open(
        acting_user=coach,
        participant=participant,
        programme=programme,
        lead_provider=municipality,
        entry_date=D(2021, 2, 1),
    )
    assert case.lead_provider == municipality
    assert list(cases_visible_to(coach)) == [case]
    assert list(cases_visible_to(coordinator)) == []
    with pytest.raises(PermissionDenied):
        case_open(
            acting_user=coordinator,
            participant=participant,
            programme=programme,
            lead_provider=municipality,
            entry_date=D(2021, 3, 1),
        )


def test_the_migration_derives_participations_from_enrolments(programme, provider_a) -> None:
    migration = importlib.import_module(
        "teilhabe.cases.migrations.0003_participations_from_enrolments"
    )
    module = ModuleFactory(programme=programme, code="F4")
    other = ModuleFactory(programme=programme, code="F2")
    case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 1, 10))
    closed = CaseFactory(
        programme=programme,
        lead_provider=provider_a,
        entry_date=D(2021, 1, 10),
        status=Case.Status.CLOSED,
        exit_date=D(2021, 9, 30),
        exit_reason=Case.ExitReason.DROPPED_OUT,
    )

    def enrol(case, module, start, end, status):  # type: ignore[no-untyped-def]
        return EnrolmentFactory(
            case=case,
            offer=OfferFactory(
                module=module, provider=provider_a, starts_on=start, ends_on=D(2022, 12, 31)
            ),
            status=status,
            requested_on=start,
            started_on=start if status != "waiting" else None,
            ended_on=end,
        )

    enrol(case, module, D(2021, 2, 1), D(2021, 4, 30), "completed")
    enrol(case, module, D(2021, 4, 20), D(2021, 6, 30), "dropped")  # overlaps: one span
    enrol(case, module, D(2021, 9, 1), None, "active")  # a gap: a second span, still open
    enrol(closed, other, D(2021, 3, 1), None, "waiting")  # open in a closed case
    ModuleParticipation.objects.all().delete()
    migration.forwards(apps, None)
    spans = sorted(
        ModuleParticipation.objects.values_list(
            "case_id", "module__code", "from_date", "to_date", "exit_reason"
        )
    )
    assert spans == [
        (case.pk, "F4", D(2021, 2, 1), D(2021, 6, 30), "dropped_out"),
        (case.pk, "F4", D(2021, 9, 1), None, ""),
        (closed.pk, "F2", D(2021, 3, 1), D(2021, 9, 30), "case_closed"),
    ]
    assert set(Enrolment.objects.exclude(ended_on=None).values_list("exit_reason", flat=True)) == {
        "completed",
        "dropped_out",
    }


def test_leaving_a_module_audits_the_participation_first_then_the_enrolments_it_ends(
    programme, provider_a, coach_a
) -> None:
    from teilhabe.audit.models import AuditEvent

    case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 1, 10))
    offer = OfferFactory(module__programme=programme, provider=provider_a, starts_on=D(2021, 2, 1))
    enrolment = enrolment_create(
        acting_user=coach_a, case=case, offer=offer, requested_on=D(2021, 1, 20)
    )
    participation = ModuleParticipation.objects.get(case=case)
    before = AuditEvent.objects.count()
    participation_end(
        acting_user=coach_a,
        participation=participation,
        to_date=D(2021, 5, 31),
        exit_reason=ParticipationEnd.GOAL_REACHED,
    )
    events = [
        (e.action, e.object_type, e.object_id, e.fields)
        for e in AuditEvent.objects.order_by("sequence")[before:]
    ]
    assert events == [
        ("update", "cases.moduleparticipation", str(participation.pk), ["exit_reason", "to_date"]),
        ("update", "cases.enrolment", str(enrolment.pk), ["ended_on", "exit_reason", "status"]),
    ]


def test_ending_a_participation_while_still_on_the_waiting_list_is_no_dropout(
    programme, provider_a, coach_a
) -> None:
    """A place on the waiting list given up before it began (here: the person's goal was
    reached) is neither an entry nor a dropout in the usage evaluation."""
    from teilhabe.reports.evaluation import usage_evaluation

    module = ModuleFactory(programme=programme, code="F4")
    offer = OfferFactory(module=module, provider=provider_a, starts_on=D(2021, 2, 1), places=1)
    for requested_on in (D(2021, 1, 20), D(2021, 1, 25)):
        case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 1, 10))
        enrolment = enrolment_create(
            acting_user=coach_a, case=case, offer=offer, requested_on=requested_on
        )
    assert enrolment.status == Enrolment.Status.WAITING
    participation_end(
        acting_user=coach_a,
        participation=ModuleParticipation.objects.get(case=enrolment.case),
        to_date=D(2021, 3, 15),
        exit_reason=ParticipationEnd.GOAL_REACHED,
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.started_on) == (Enrolment.Status.WITHDRAWN, None)
    evaluation = usage_evaluation(programme, D(2021, 1, 1), D(2021, 12, 31))
    [f4] = [m for m in evaluation.modules if m.module.code == "F4"]
    [course] = f4.offers
    # One person began the course; the other left its waiting list in March: neither an
    # entry nor a dropout, and no longer waiting at the end of the year.
    usage = course.usage
    assert (usage.entries, usage.dropouts, usage.waiting) == (1, 0, 0)
    assert (evaluation.total.dropouts, evaluation.total.waiting) == (0, 0)
