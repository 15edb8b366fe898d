"""Planned, committed, spent, forecast and surplus per module and budget year, to the cent."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teilhabe.budgets.models import Expenditure
from teilhabe.budgets.selectors import BudgetFigures, budget_overview, forecast
from teilhabe.programmes.models import CostBasis, Offer
from tests.factories import (
    BudgetLineFactory,
    FundingNoticeFactory,
    ModuleFactory,
    OfferFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


def test_the_burn_rate_forecast_to_the_cent() -> None:
    # 1,000.00 € in the first 100 days of 2021 (1 Jan – 10 Apr); 265 days remain.
    amount, elapsed, remaining = forecast(
        spent=Decimal("1000.00"),
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 12, 31),
        as_of=dt.date(2021, 4, 10),
    )
    assert (elapsed, remaining) == (100, 265)
    assert amount == Decimal("3650.00")


def test_the_forecast_rounds_half_up() -> None:
    # 10.00 € in 3 days, 1 day left: 10 + 3.333… = 13.33 €; 0.01 € in 2 days, 1 left: 0.015 → 0.02
    assert forecast(
        spent=Decimal("10.00"),
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 1, 4),
        as_of=dt.date(2021, 1, 3),
    )[0] == Decimal("13.33")
    assert forecast(
        spent=Decimal("0.01"),
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 1, 3),
        as_of=dt.date(2021, 1, 2),
    )[0] == Decimal("0.02")


def test_no_forecast_beyond_the_period_nor_before_it() -> None:
    period = {"period_start": dt.date(2021, 1, 1), "period_end": dt.date(2021, 6, 30)}
    assert forecast(spent=Decimal("500.00"), as_of=dt.date(2021, 9, 1), **period) == (
        Decimal("500.00"),
        181,
        0,
    )
    assert forecast(spent=Decimal("0.00"), as_of=dt.date(2020, 12, 31), **period) == (
        Decimal("0.00"),
        0,
        181,
    )


def test_the_expected_spending_is_never_below_what_is_committed() -> None:
    figures = BudgetFigures(
        planned=Decimal("10000.00"),
        committed=Decimal("7500.00"),
        spent=Decimal("1000.00"),
        forecast=Decimal("3650.00"),
    )
    assert figures.expected == Decimal("8500.00")
    assert figures.surplus == Decimal("1500.00")
    assert figures.available == Decimal("1500.00")


@time_machine.travel(dt.datetime(2021, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_the_overview_of_a_module_in_a_year(municipality) -> None:
    programme = ProgrammeFactory(owner=municipality)
    FundingNoticeFactory(programme=programme, total_amount=Decimal("100000.00"))
    f1 = ModuleFactory(
        programme=programme,
        code="F1",
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    line = BudgetLineFactory(module=f1, budget_year=2021, planned_amount=Decimal("20000.00"))
    # Two course runs ending in 2021: one paid on 30 June, one still to pay (200 h × 37.50 €).
    paid = OfferFactory(module=f1, teaching_hours=100)
    OfferFactory(
        module=f1, teaching_hours=200, starts_on=dt.date(2021, 9, 1), ends_on=dt.date(2021, 12, 15)
    )
    OfferFactory(module=f1, kind=Offer.Kind.CONTINUOUS_SERVICE, teaching_hours=None, places=None)
    Expenditure.objects.create(
        budget_line=line,
        spent_on=dt.date(2021, 6, 30),
        category="teaching_hours",
        amount=Decimal("3750.00"),
        offer=paid,
    )
    Expenditure.objects.create(
        budget_line=line, spent_on=dt.date(2021, 3, 1), category="travel", amount=Decimal("0.01")
    )
    # Booked after the day read: not spent yet.
    Expenditure.objects.create(
        budget_line=line, spent_on=dt.date(2021, 7, 2), category="travel", amount=Decimal("99")
    )

    overview = budget_overview(programme=programme, as_of=dt.date(2021, 6, 30))

    [row] = overview.rows
    assert (row.module.code, row.budget_year) == ("F1", 2021)
    assert (row.elapsed_days, row.remaining_days) == (181, 184)
    figures = row.figures
    assert figures.planned == Decimal("20000.00")
    assert figures.spent == Decimal("3750.01")
    assert figures.committed == Decimal("7500.00")
    # 3,750.01 + 3,750.01 ÷ 181 × 184 = 3,750.01 + 3,812.1648… = 7,562.17
    assert figures.forecast == Decimal("7562.17")
    assert figures.expected == Decimal("11250.01")
    assert figures.surplus == Decimal("8749.99")
    assert overview.by_year[2021] == figures
    assert overview.total.planned == Decimal("20000.00")
    assert overview.notice_total == Decimal("100000.00")


@time_machine.travel(dt.datetime(2022, 1, 10, 12, tzinfo=dt.UTC), tick=False)
def test_an_ended_module_is_forecast_to_its_own_end(municipality) -> None:
    programme = ProgrammeFactory(owner=municipality)
    f6 = ModuleFactory(
        programme=programme,
        code="F6",
        cost_basis=CostBasis.ACTUAL_COSTS,
        valid_until=dt.date(2021, 6, 30),
    )
    line = BudgetLineFactory(module=f6, budget_year=2021, planned_amount=Decimal("5000.00"))
    Expenditure.objects.create(
        budget_line=line, spent_on=dt.date(2021, 1, 31), category="travel", amount=Decimal("310")
    )
    [row] = budget_overview(programme=programme, as_of=dt.date(2021, 1, 31)).rows
    assert (row.period_start, row.period_end) == (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    # 310 € in 31 days, 150 days to 30 June: 310 + 10 × 150 = 1,810.00 €
    assert row.figures.forecast == Decimal("1810.00")
    assert row.figures.surplus == Decimal("3190.00")


@pytest.mark.parametrize(
    ("as_of", "elapsed", "remaining", "amount"),
    [
        (dt.date(2020, 12, 31), 0, 365, "100.00"),  # before the period: nothing more
        (dt.date(2021, 1, 1), 1, 364, "36500.00"),  # the first day counts as elapsed
        (dt.date(2021, 12, 30), 364, 1, "100.27"),  # 100 + 100 ÷ 364 = 100.2747…
        (dt.date(2021, 12, 31), 365, 0, "100.00"),  # the last day: nothing remains
    ],
)
def test_the_forecasts_day_counts_at_the_edges(as_of, elapsed, remaining, amount) -> None:
    assert forecast(
        spent=Decimal("100.00"),
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 12, 31),
        as_of=as_of,
    ) == (Decimal(amount), elapsed, remaining)


@time_machine.travel(dt.datetime(2022, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_closed_year_binds_nothing_more(municipality) -> None:
    programme = ProgrammeFactory(owner=municipality)
    f1 = ModuleFactory(
        programme=programme, cost_basis=CostBasis.TEACHING_HOURS, unit_rate=Decimal("37.50")
    )
    BudgetLineFactory(module=f1, budget_year=2021, planned_amount=Decimal("20000.00"))
    OfferFactory(module=f1, teaching_hours=200)  # ends 30 June 2021, never paid
    on_new_years_eve = budget_overview(programme=programme, as_of=dt.date(2021, 12, 31))
    assert on_new_years_eve.rows[0].figures.committed == Decimal("7500.00")
    next_year = budget_overview(programme=programme, as_of=dt.date(2022, 1, 1))
    assert next_year.rows[0].figures.committed == Decimal("0.00")
    assert next_year.rows[0].figures.surplus == Decimal("20000.00")


def test_the_overview_as_known_on_a_day_leaves_out_later_decisions_and_bookings(
    municipality, coordinator, client
) -> None:
    from django.urls import reverse

    from teilhabe.budgets.models import Reallocation
    from teilhabe.programmes.models import AmendmentKind
    from tests.factories import AmendmentFactory, DecisionFactory, ExpenditureFactory

    with time_machine.travel(dt.datetime(2021, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        programme = ProgrammeFactory(owner=municipality)
        f1 = ModuleFactory(programme=programme, code="F1")
        f2 = ModuleFactory(programme=programme, code="F2")
        line = BudgetLineFactory(module=f1, budget_year=2021, planned_amount=Decimal("20000"))
    with time_machine.travel(dt.datetime(2021, 9, 15, 12, tzinfo=dt.UTC), tick=False):
        # Recorded on 15 September: a move of 5,000 € from 1 August, a payment of 1 August.
        decision = DecisionFactory(programme=programme, decided_on=dt.date(2021, 9, 15))
        moving = AmendmentFactory(
            decision=decision,
            kind=AmendmentKind.MOVE_BUDGET,
            new_end_date=None,
            effective_on=dt.date(2021, 8, 1),
        )
        Reallocation.objects.create(
            amendment=moving, budget_year=2021, from_module=f1, to_module=f2, amount=Decimal("5000")
        )
        ExpenditureFactory(budget_line=line, spent_on=dt.date(2021, 8, 1), amount=Decimal("700"))
    with time_machine.travel(dt.datetime(2021, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        before = budget_overview(
            programme=programme, as_of=dt.date(2021, 9, 30), known_on=dt.date(2021, 9, 1)
        )
        now = budget_overview(programme=programme, as_of=dt.date(2021, 9, 30))
        client.force_login(coordinator)
        page = client.get(
            reverse("budgets:overview", args=[programme.pk]),
            {"stand": "2021-09-30", "bekannt": "2021-09-01"},
        ).content.decode()

    figures = {r.module.code: r.figures for r in before.rows}
    assert (figures["F1"].planned, figures["F1"].spent) == (Decimal("20000.00"), Decimal("0.00"))
    assert "F2" not in figures
    figures = {r.module.code: r.figures for r in now.rows}
    assert (figures["F1"].planned, figures["F1"].spent) == (Decimal("15000.00"), Decimal("700.00"))
    assert figures["F2"].planned == Decimal("5000.00")
    assert 'data-testid="known-on"' in page
    assert 'data-module="F2"' not in page
    assert decision.reference not in page


def test_pricing_the_course_runs_reads_the_record_once(municipality) -> None:
    """Each course run is priced at the rate in force on its first day; the overview reads
    the programme's record once, however many runs and start days there are (the Cologne
    budget page made 299 queries when every run read the programme anew)."""
    programme = ProgrammeFactory(owner=municipality)
    f3 = ModuleFactory(
        programme=programme, cost_basis=CostBasis.TEACHING_HOURS, unit_rate=Decimal("37.50")
    )
    BudgetLineFactory(module=f3, budget_year=2021, planned_amount=Decimal("50000.00"))
    OfferFactory(module=f3, teaching_hours=100, starts_on=dt.date(2021, 2, 1))

    def counted() -> tuple[int, Decimal]:
        with CaptureQueriesContext(connection) as queries:
            overview = budget_overview(programme=programme, as_of=dt.date(2021, 1, 15))
        return len(queries), overview.rows[0].figures.committed

    one_run, committed = counted()
    assert committed == Decimal("3750.00")
    for month in range(3, 9):
        OfferFactory(
            module=f3,
            teaching_hours=10,
            starts_on=dt.date(2021, month, 1),
            ends_on=dt.date(2021, month, 28),
        )
    seven_runs, committed = counted()
    assert committed == Decimal("3750.00") + 6 * Decimal("375.00")
    assert seven_runs == one_run


@pytest.mark.parametrize(
    ("cost_basis", "rate", "committed"),
    [
        (CostBasis.TEACHING_HOURS, "37.50", "3750.00"),  # 100 hours × 37.50 €
        (CostBasis.COURSE_FLAT_RATE, "1200.00", "1200.00"),  # one course × 1,200 €
        (CostBasis.STAFF_POSITIONS, "5200.00", "0.00"),  # staff are not paid per run
    ],
)
def test_a_course_run_commits_what_it_costs_by_its_modules_cost_basis(
    municipality, cost_basis, rate, committed
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    module = ModuleFactory(programme=programme, cost_basis=cost_basis, unit_rate=Decimal(rate))
    BudgetLineFactory(module=module, budget_year=2021, planned_amount=Decimal("50000.00"))
    OfferFactory(module=module, teaching_hours=100)  # ends 30 June 2021
    [row] = budget_overview(programme=programme, as_of=dt.date(2021, 1, 15)).rows
    assert row.figures.committed == Decimal(committed)
