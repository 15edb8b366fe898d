"""The usage evaluation and the council paper: figures, who reads them, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.accounts.models import Organisation, User
from teilhabe.cases.models import Attendance, Enrolment, ModuleParticipation
from teilhabe.core.codes import OutcomeType
from teilhabe.programmes.models import Module, Offer, Programme
from teilhabe.reports.evaluation import (
    ModuleUsage,
    OfferUsage,
    Usage,
    YearAmounts,
    council_paper,
    first_year,
    usage_evaluation,
)
from tests.core.scenario import build_programme
from tests.demo.conftest import cologne as cologne
from tests.factories import (
    AttendanceFactory,
    BudgetLineFactory,
    CaseFactory,
    EnrolmentFactory,
    ExpenditureFactory,
    ModuleFactory,
    ModuleParticipationFactory,
    OfferFactory,
    OutcomeFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProviderFactory,
)

START, END = dt.date(2020, 7, 1), dt.date(2021, 6, 30)


class Scenario:
    """A programme's first year, by hand.

    F1 coaching (no offers): P1 from 1 Sep 2020 (and again as a duplicate registration from
    1 Mar 2021), P6 from 1 Aug to 31 Dec 2020, P5 only after the period. 1,234.57 € spent in
    the period, 500 € after it.
    F2 courses: run A (12 places) with P1 (completed, success on 15 June 2021), P1's
    duplicate, P2 (dropped), P3 waiting; service C with P4. No money.
    F3: nobody, nothing spent.
    """

    def __init__(self, municipality: Organisation) -> None:
        self.programme: Programme = ProgrammeFactory(
            owner=municipality, starts_on=START, ends_on=dt.date(2022, 12, 31)
        )
        p = self.programme
        self.f1: Module = ModuleFactory(programme=p, code="F1", name="Coaching")
        self.f2: Module = ModuleFactory(programme=p, code="F2", name="Sprachkurse")
        self.f3: Module = ModuleFactory(programme=p, code="F3", name="Innovationsfonds")
        provider = ProviderFactory(municipality=municipality)
        self.run_a: Offer = OfferFactory(
            module=self.f2,
            provider=provider,
            title="Kurs A",
            starts_on=dt.date(2021, 2, 1),
            ends_on=dt.date(2021, 6, 30),
            places=12,
        )
        self.service_c: Offer = OfferFactory(
            module=self.f2,
            provider=provider,
            title="Sprachcafé C",
            kind=Offer.Kind.CONTINUOUS_SERVICE,
            starts_on=dt.date(2020, 9, 1),
            ends_on=None,
            places=None,
        )
        # A run after the period: P3 waits for it from its end on, P2 from before.
        self.run_b: Offer = OfferFactory(
            module=self.f2,
            provider=provider,
            title="Kurs B",
            starts_on=dt.date(2021, 9, 1),
            ends_on=dt.date(2021, 12, 31),
        )

        def case(entry: dt.date, participant=None):  # type: ignore[no-untyped-def]
            extra = {"participant": participant} if participant else {}
            return CaseFactory(
                programme=p,
                lead_provider=provider,
                participant__municipality=municipality,
                entry_date=entry,
                **extra,
            )

        p1 = case(dt.date(2020, 9, 1))
        duplicate = case(
            dt.date(2021, 3, 1),
            ParticipantFactory(municipality=municipality, duplicate_of=p1.participant),
        )
        p2 = case(dt.date(2021, 1, 10))
        p3 = case(dt.date(2021, 4, 1))
        p4 = case(dt.date(2020, 10, 1))
        p5 = case(dt.date(2021, 5, 1))
        p6 = case(dt.date(2020, 8, 1))

        ModuleParticipationFactory(case=p1, module=self.f1, from_date=dt.date(2020, 9, 1))
        ModuleParticipationFactory(case=duplicate, module=self.f1, from_date=dt.date(2021, 3, 1))
        ModuleParticipationFactory(
            case=p6,
            module=self.f1,
            from_date=dt.date(2020, 8, 1),
            to_date=dt.date(2020, 12, 31),
            exit_reason=ModuleParticipation.End.GOAL_REACHED,
        )
        ModuleParticipationFactory(case=p5, module=self.f1, from_date=dt.date(2021, 7, 15))
        # P5's success came before P5 took part in F1: it is not F1's.
        OutcomeFactory(case=p5, achieved_on=dt.date(2021, 5, 20))

        ModuleParticipationFactory(
            case=p1,
            module=self.f2,
            from_date=dt.date(2021, 2, 1),
            to_date=dt.date(2021, 6, 30),
            exit_reason=ModuleParticipation.End.COMPLETED,
        )
        ModuleParticipationFactory(case=duplicate, module=self.f2, from_date=dt.date(2021, 3, 1))
        ModuleParticipationFactory(
            case=p2,
            module=self.f2,
            from_date=dt.date(2021, 2, 1),
            to_date=dt.date(2021, 4, 30),
            exit_reason=ModuleParticipation.End.DROPPED_OUT,
        )
        ModuleParticipationFactory(case=p4, module=self.f2, from_date=dt.date(2020, 10, 1))

        completed = EnrolmentFactory(
            case=p1,
            offer=self.run_a,
            status=Enrolment.Status.COMPLETED,
            requested_on=dt.date(2021, 1, 15),
            started_on=dt.date(2021, 2, 1),
            ended_on=dt.date(2021, 6, 30),
            exit_reason=ModuleParticipation.End.COMPLETED,
        )
        EnrolmentFactory(
            case=duplicate,
            offer=self.run_a,
            status=Enrolment.Status.ACTIVE,
            requested_on=dt.date(2021, 3, 1),
            started_on=dt.date(2021, 3, 1),
        )
        dropped = EnrolmentFactory(
            case=p2,
            offer=self.run_a,
            status=Enrolment.Status.DROPPED,
            requested_on=dt.date(2021, 1, 20),
            started_on=dt.date(2021, 2, 1),
            ended_on=dt.date(2021, 4, 30),
            exit_reason=ModuleParticipation.End.DROPPED_OUT,
        )
        EnrolmentFactory(case=p3, offer=self.run_a, requested_on=dt.date(2021, 5, 1))
        EnrolmentFactory(case=p3, offer=self.run_b, requested_on=dt.date(2021, 7, 1))
        EnrolmentFactory(case=p2, offer=self.run_b, requested_on=dt.date(2021, 6, 1))
        EnrolmentFactory(
            case=p4,
            offer=self.service_c,
            status=Enrolment.Status.ACTIVE,
            requested_on=dt.date(2020, 10, 1),
            started_on=dt.date(2020, 10, 1),
        )
        OutcomeFactory(
            case=p1, outcome_type=OutcomeType.VOCATIONAL_TRAINING, achieved_on=dt.date(2021, 6, 15)
        )
        # Not a success; and P2's success came before P2 began in F2 and in run A. Read from
        # two different outcomes (one a success, one after the start) it would count.
        OutcomeFactory(
            case=p2, outcome_type=OutcomeType.LANGUAGE_CERTIFICATE, achieved_on=dt.date(2021, 5, 1)
        )
        OutcomeFactory(
            case=p2, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=dt.date(2021, 1, 25)
        )

        four = Decimal("4.00")
        for day, status in [
            (dt.date(2021, 2, 8), Attendance.Status.PRESENT),
            (dt.date(2021, 2, 15), Attendance.Status.PRESENT),
            (dt.date(2021, 2, 22), Attendance.Status.ABSENT),
        ]:
            AttendanceFactory(enrolment=completed, session_date=day, status=status, hours=four)
        for day, status in [
            (dt.date(2021, 2, 8), Attendance.Status.PRESENT),
            (dt.date(2021, 2, 15), Attendance.Status.EXCUSED),
        ]:
            AttendanceFactory(enrolment=dropped, session_date=day, status=status, hours=four)

        line_2020 = BudgetLineFactory(module=self.f1, budget_year=2020)
        line_2021 = BudgetLineFactory(module=self.f1, budget_year=2021)
        ExpenditureFactory(
            budget_line=line_2020, spent_on=dt.date(2020, 12, 31), amount=Decimal("1000.00")
        )
        ExpenditureFactory(
            budget_line=line_2021, spent_on=dt.date(2021, 3, 31), amount=Decimal("234.57")
        )
        ExpenditureFactory(
            budget_line=line_2021, spent_on=dt.date(2021, 8, 1), amount=Decimal("500.00")
        )


@pytest.fixture
def scenario(municipality: Organisation) -> Scenario:
    return Scenario(municipality)


def _modules(scenario: Scenario) -> dict[str, ModuleUsage]:
    result = usage_evaluation(scenario.programme, START, END)
    return {row.module.code: row for row in result.modules}


def _offers(row: ModuleUsage) -> dict[str, OfferUsage]:
    return {item.offer.title: item for item in row.offers}


def test_the_first_year_is_the_default_period() -> None:
    programme = Programme(starts_on=dt.date(2020, 7, 1), ends_on=dt.date(2022, 12, 31))
    assert first_year(programme) == (START, END)
    leap = Programme(starts_on=dt.date(2024, 2, 29), ends_on=dt.date(2026, 12, 31))
    assert first_year(leap) == (dt.date(2024, 2, 29), dt.date(2025, 2, 28))


def test_coaching_without_offers_counts_persons_once_and_costs_to_the_cent(
    scenario: Scenario,
) -> None:
    f1 = _modules(scenario)["F1"]
    assert f1.offers == []
    usage = f1.usage
    # P1 and P1's duplicate are one person; P5 only began after the period.
    assert (usage.entries, usage.active) == (2, 2)
    assert usage.successes == 1
    assert usage.spent == Decimal("1234.57")
    assert usage.cost_per_participant == Decimal("617.29")
    assert usage.cost_per_success == Decimal("1234.57")
    assert (usage.places_used, usage.places_offered, usage.attendance_rate) == (None, None, None)


def test_a_course_run_shows_places_waiting_attendance_completions_and_dropouts(
    scenario: Scenario,
) -> None:
    f2 = _modules(scenario)["F2"]
    offers = _offers(f2)
    assert list(offers) == ["Sprachcafé C", "Kurs A", "Kurs B"]
    later = offers["Kurs B"].usage
    # Kurs B starts after the period: only its waiting list (P2, asked in June) is shown.
    assert later == Usage(waiting=1)
    run = offers["Kurs A"].usage
    assert run == Usage(
        entries=2,
        active=2,
        places_used=2,
        places_offered=12,
        waiting=1,
        attended_hours=Decimal("12.00"),
        scheduled_hours=Decimal("20.00"),
        completions=1,
        dropouts=1,
        successes=1,
    )
    assert run.attendance_rate == Decimal("60.0")
    assert run.cost_per_participant is None, "money is booked per module"
    service = offers["Sprachcafé C"].usage
    assert (service.entries, service.active, service.places_offered) == (1, 1, None)
    assert service.attendance_rate is None


def test_the_module_adds_its_offers_and_divides_nothing_by_zero(scenario: Scenario) -> None:
    modules = _modules(scenario)
    f2 = modules["F2"].usage
    assert (f2.entries, f2.active, f2.waiting) == (3, 3, 2)
    assert (f2.places_used, f2.places_offered) == (2, 12)
    assert (f2.completions, f2.dropouts, f2.successes) == (1, 1, 1)
    assert f2.attendance_rate == Decimal("60.0")
    assert f2.spent == Decimal("0.00")
    assert f2.cost_per_participant == Decimal("0.00")
    f3 = modules["F3"].usage
    assert (f3.active, f3.successes, f3.spent) == (0, 0, Decimal("0.00"))
    assert (f3.cost_per_participant, f3.cost_per_success) == (None, None)


def test_the_programme_counts_each_person_once_across_modules(scenario: Scenario) -> None:
    total = usage_evaluation(scenario.programme, START, END).total
    # Seven cases, six persons (one duplicate); every case entered in the first year.
    assert (total.entries, total.active) == (6, 6)
    # P1, P2 (before their courses) and P5 (before F1): all successes of the programme.
    assert total.successes == 3
    assert (total.waiting, total.completions, total.dropouts) == (2, 1, 1)
    assert (total.places_used, total.places_offered) == (2, 12)
    assert total.attendance_rate == Decimal("60.0")
    assert total.spent == Decimal("1234.57")
    assert total.cost_per_participant == Decimal("205.76")
    assert total.cost_per_success == Decimal("411.52")


def test_a_later_period_sees_the_later_figures(scenario: Scenario) -> None:
    result = usage_evaluation(scenario.programme, dt.date(2021, 7, 1), dt.date(2021, 12, 31))
    modules = {row.module.code: row for row in result.modules}
    f1 = modules["F1"].usage
    # P1 (with the duplicate) still open, P5 entered; 500 € spent.
    assert (f1.entries, f1.active, f1.successes) == (1, 2, 0)
    assert f1.spent == Decimal("500.00")
    assert f1.cost_per_participant == Decimal("250.00")
    assert f1.cost_per_success is None
    assert [o.offer.title for o in modules["F2"].offers] == ["Sprachcafé C", "Kurs B"]


def test_only_modules_in_force_during_the_period_as_known_on_the_day_read_are_rows(
    scenario: Scenario,
) -> None:
    from teilhabe.programmes.models import AmendmentKind
    from tests.factories import AmendmentFactory, DecisionFactory

    p = scenario.programme

    def added(code: str, *, decided_on: dt.date, valid_from: dt.date) -> Module:
        addition = AmendmentFactory(
            decision=DecisionFactory(programme=p, decided_on=decided_on),
            kind=AmendmentKind.ADD_MODULE,
            new_end_date=None,
        )
        return ModuleFactory(programme=p, code=code, valid_from=valid_from, added_by=addition)

    # F7 was added in October 2020 to start in 2021 and revoked in November before it began.
    f7 = added("F7", decided_on=dt.date(2020, 10, 1), valid_from=dt.date(2021, 1, 1))
    AmendmentFactory(
        decision=DecisionFactory(programme=p, decided_on=dt.date(2020, 11, 15)),
        kind=AmendmentKind.REVOKE,
        revokes=f7.added_by,
        new_end_date=None,
    )
    # F8 was decided only after the period, for days inside it.
    added("F8", decided_on=dt.date(2021, 9, 1), valid_from=dt.date(2021, 3, 1))
    # F9 was added in March 2021 and ran in the period's last months.
    added("F9", decided_on=dt.date(2021, 3, 1), valid_from=dt.date(2021, 3, 1))
    assert list(_modules(scenario)) == ["F1", "F2", "F3", "F9"]
    # As the record stood at the end of 2020, F9 was not yet decided.
    as_then = usage_evaluation(p, START, END, known_on=dt.date(2020, 12, 31))
    assert [row.module.code for row in as_then.modules] == ["F1", "F2", "F3"]
    # A later period no longer shows a module that ended before it.
    AmendmentFactory(
        decision=DecisionFactory(programme=p, decided_on=dt.date(2021, 5, 1)),
        kind=AmendmentKind.END_MODULE,
        module=scenario.f3,
        new_end_date=dt.date(2021, 6, 30),
    )
    later = usage_evaluation(p, dt.date(2021, 7, 1), dt.date(2021, 12, 31))
    assert [row.module.code for row in later.modules] == ["F1", "F2", "F8", "F9"]


def test_the_number_of_queries_does_not_grow_with_the_offers(
    scenario: Scenario,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # Reading the programme as of the period's end (which modules ran) takes a fixed few.
    with django_assert_max_num_queries(15):
        usage_evaluation(scenario.programme, START, END)
    for n in range(8):
        offer = OfferFactory(module=scenario.f2, title=f"Kurs {n}")
        enrolment = EnrolmentFactory(
            offer=offer,
            case__programme=scenario.programme,
            case__participant__municipality=scenario.programme.owner,
            status=Enrolment.Status.ACTIVE,
            started_on=dt.date(2021, 2, 1),
        )
        AttendanceFactory(enrolment=enrolment)
    with django_assert_max_num_queries(15):
        result = usage_evaluation(scenario.programme, START, END)
    assert len(_offers({r.module.code: r for r in result.modules}["F2"])) == 11


# --- The council paper ---------------------------------------------------------------------


def test_the_council_paper_shows_money_before_and_after_the_decision(
    municipality: Organisation, funder: Organisation
) -> None:
    programme = build_programme(municipality=municipality, funder=funder)
    paper = council_paper(programme, as_of=dt.date(2022, 3, 17))
    assert paper.total_volume == Decimal("2956360.00")
    assert paper.own_share == Decimal("591272.00")
    assert paper.own_share_percent == Decimal("20.00")
    # The move shifts money between modules within 2022; the year's total stays.
    assert paper.per_year == [
        YearAmounts(budget_year=2022, before=Decimal("193456.78"), after=Decimal("193456.78"))
    ]
    assert paper.latest_decision is not None
    assert paper.latest_decision.decided_on == dt.date(2022, 3, 17)
    assert paper.before_day == dt.date(2022, 3, 16)
    rows = {row.module.code: (row.before, row.after, row.change) for row in paper.modules}
    assert rows == {
        "F1": (Decimal("123456.78"), Decimal("133456.78"), Decimal("10000.00")),
        "F2": (Decimal("50000.00"), Decimal("50000.00"), Decimal("0.00")),
        "F6": (Decimal("20000.00"), Decimal("10000.00"), Decimal("-10000.00")),
    }


def test_a_paper_before_the_set_up_says_so(
    municipality: Organisation, funder: Organisation
) -> None:
    programme = build_programme(municipality=municipality, funder=funder)
    paper = council_paper(programme, as_of=dt.date(2019, 1, 1))
    assert paper.not_decided
    assert paper.modules == []
    assert paper.total_volume == Decimal("0.00")
    assert paper.own_share_percent is None


# --- The pages -------------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def test_the_coordination_reads_the_evaluation_of_the_first_year(
    scenario: Scenario, coordinator_client: Client
) -> None:
    url = reverse("reports:evaluation", kwargs={"programme_id": scenario.programme.pk})
    response = coordinator_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zeitraum 1. Juli 2020 bis 30. Juni 2021" in html
    assert "1.234,57\u00a0€" in html
    assert "617,29\u00a0€" in html
    assert "60,0\u00a0%" in html
    assert 'role="img"' in html
    assert "<desc" in html
    # No person appears: neither names nor person keys.
    case_names = scenario.programme.cases.values_list(
        "participant__family_name", "participant__person_key"
    )
    for family_name, key in case_names:
        assert family_name not in html
        assert key not in html


def test_the_evaluation_page_takes_a_period_and_falls_back_on_nonsense(
    scenario: Scenario, coordinator_client: Client
) -> None:
    url = reverse("reports:evaluation", kwargs={"programme_id": scenario.programme.pk})
    later = coordinator_client.get(url, {"von": "2021-07-01", "bis": "2021-12-31"})
    assert "Zeitraum 1. Juli 2021 bis 31. Dezember 2021" in later.content.decode()
    wrong = coordinator_client.get(url, {"von": "2021-07-01", "bis": "2021-01-01"})
    assert wrong.status_code == 200
    assert "Zeitraum 1. Juli 2020 bis 30. Juni 2021" in wrong.content.decode()
    assert 'data-testid="period-fallback"' in wrong.content.decode()


def test_the_council_paper_page_prints_the_figures(
    municipality: Organisation, funder: Organisation, coordinator_client: Client
) -> None:
    programme = build_programme(municipality=municipality, funder=funder)
    url = reverse("reports:council_paper", kwargs={"programme_id": programme.pk})
    html = coordinator_client.get(url, {"stand": "2022-03-17"}).content.decode()
    assert "2.956.360,00\u00a0€" in html
    assert "591.272,00\u00a0€ (20,0\u00a0%)" in html
    assert "133.456,78\u00a0€" in html
    assert "-10.000,00\u00a0€" in html


@pytest.mark.parametrize("persona", ["coach_a", "funder_user", "auditor"])
def test_only_the_coordination_reads_the_report_pages(
    scenario: Scenario, client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for name in ("reports:evaluation", "reports:council_paper"):
        url = reverse(name, kwargs={"programme_id": scenario.programme.pk})
        assert client.get(url).status_code == 404


def test_the_coordination_of_another_city_gets_404(
    coordinator_client: Client,
) -> None:
    other = ProgrammeFactory()
    for name in ("reports:evaluation", "reports:council_paper"):
        url = reverse(name, kwargs={"programme_id": other.pk})
        assert coordinator_client.get(url).status_code == 404


def test_the_programme_page_links_the_reports_for_the_coordination_only(
    scenario: Scenario, client: Client, coordinator: User, coach_a: User
) -> None:
    url = reverse("programmes:detail", kwargs={"programme_id": scenario.programme.pk})
    evaluation = reverse("reports:evaluation", kwargs={"programme_id": scenario.programme.pk})
    client.force_login(coordinator)
    assert evaluation in client.get(url).content.decode()
    client.force_login(coach_a)
    assert evaluation not in client.get(url).content.decode()


def test_the_report_pages_read_in_english(scenario: Scenario, coordinator_client: Client) -> None:
    kwargs = {"programme_id": scenario.programme.pk}
    with translation.override("en"):
        url = reverse("reports:evaluation", kwargs=kwargs)
        paper = reverse("reports:council_paper", kwargs=kwargs)
    assert url.startswith("/en/")
    html = coordinator_client.get(url).content.decode()
    assert "Usage evaluation" in html
    assert "Period July 1, 2020 to June 30, 2021" in html
    assert "Places used / offered" in html
    assert "Persons reached and successes by" in coordinator_client.get(paper).content.decode()
