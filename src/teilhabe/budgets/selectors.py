"""Reading budgets: planned, committed, spent and forecast per module and budget year.

No person appears here: amounts per module, year and programme.

**Planned** is the amount in force on the day read (``programme_as_of(...).budgets``: the
lines of the decisions in force plus moves in, minus moves out), as known on ``known_on``
(default today: ``programme_as_of(..., known_on=...)`` counts only decisions in the record by
then).

**Spent** is the sum of expenditures made up to and including the day read and booked
(entered, ``created_at``) by ``known_on``: a reading with an earlier ``known_on`` shows what the
overview showed that day, before later decisions and late bookings. The same holds for the
funding notices listed: those entered by ``known_on``.

**Committed** is what booked course runs will cost and has not been paid: for every course run
of the module ending in the budget year without an expenditure paying it (booked up to the
day read and booked by ``known_on``), what the run costs at the module's rate in force on the
run's first day (``costs.course_run_cost``: teaching hours × the hourly rate, or the flat rate
per course; modules paid otherwise commit nothing through runs); runs entered after
``known_on`` are not known yet. Once the
period (below) has ended on the day read, nothing is committed to it any more: the year's
books are closed, and what it did not pay is not paid from it.

**Forecast** to the end of the period — the budget year, cut to the module's period
(``valid_from``/``valid_until`` as read) — from the burn rate:

    forecast = spent + spent ÷ elapsed days × remaining days

where elapsed days count from the period's first day up to and including the day read, and
remaining days from the day after it to the period's last day (both 0 outside the period).
Before the period starts nothing is forecast beyond commitments; after it ends the forecast is
what was spent. The expected spending at the end is the larger of the forecast and
spent + committed (what is committed will be paid whatever the burn rate says), and the
expected **surplus** is planned − expected spending (negative: a gap). Amounts are rounded
half up to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from teilhabe.budgets.costs import course_run_cost
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice, to_cent
from teilhabe.programmes.models import Module, Offer, Programme
from teilhabe.programmes.selectors import (
    ModuleBudget,
    ProgrammeState,
    programme_as_of,
    rate_book_for,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetFigures:
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    forecast: Decimal = ZERO

    @property
    def expected(self) -> Decimal:
        """What will have been spent at the end: the burn rate, never less than commitments."""
        return max(self.forecast, self.spent + self.committed)

    @property
    def surplus(self) -> Decimal:
        """Planned minus expected; negative is a gap."""
        return self.planned - self.expected

    @property
    def available(self) -> Decimal:
        """Neither spent nor committed."""
        return self.planned - self.spent - self.committed

    def __add__(self, other: BudgetFigures) -> BudgetFigures:
        return BudgetFigures(
            planned=self.planned + other.planned,
            committed=self.committed + other.committed,
            spent=self.spent + other.spent,
            forecast=self.forecast + other.forecast,
        )


@dataclass(frozen=True)
class ModuleYear:
    module: Module
    budget_year: int
    period_start: dt.date
    period_end: dt.date
    elapsed_days: int
    remaining_days: int
    figures: BudgetFigures
    budget: ModuleBudget | None


@dataclass(frozen=True)
class BudgetOverview:
    programme: Programme
    as_of: dt.date
    state: ProgrammeState
    rows: list[ModuleYear]
    notices: list[FundingNotice]
    by_year: dict[int, BudgetFigures] = field(default_factory=dict)
    # The modules whose budget lines a funding notice pays (in Cologne F1-F4; F5 is granted
    # by the state directly, F6 paid by the city). Empty: no line names a notice, and the
    # notices pay the whole plan.
    notice_modules: frozenset[int] = frozenset()

    @property
    def total(self) -> BudgetFigures:
        return sum(self.by_year.values(), BudgetFigures())

    @property
    def notice_total(self) -> Decimal:
        return sum((n.total_amount for n in self.notices), ZERO)

    def paid_by_notices(self, module_id: int) -> bool:
        return not self.notice_modules or module_id in self.notice_modules

    @property
    def notice_plan(self) -> Decimal:
        """What is planned, in all years, for the modules the funding notices pay."""
        return sum(
            (r.figures.planned for r in self.rows if self.paid_by_notices(r.module.pk)), ZERO
        )

    @property
    def beyond_notices(self) -> Decimal:
        """How much the notices' modules plan beyond the notices (0: within them, or none
        recorded yet) — e.g. an extension decided before the funder's change notice."""
        if not self.notices:
            return ZERO
        return max(self.notice_plan - self.notice_total, ZERO)


def forecast(
    *, spent: Decimal, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> tuple[Decimal, int, int]:
    """Spent + spent ÷ elapsed days × remaining days, to the cent; with the day counts."""
    if as_of < period_start:
        return spent, 0, (period_end - period_start).days + 1
    elapsed = (min(as_of, period_end) - period_start).days + 1
    remaining = max((period_end - as_of).days, 0)
    return to_cent(spent + spent / elapsed * remaining), elapsed, remaining


def _period(year: int, state: ProgrammeState, module: Module) -> tuple[dt.date, dt.date]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    module_state = state.module_by_id(module.pk)
    if module_state is not None:
        start, end = max(start, module_state.valid_from), min(end, module_state.valid_until)
    start = max(start, state.programme.starts_on)
    end = min(end, state.ends_on)
    return start, max(end, start)


def _committed(
    programme: Programme, modules: list[Module], as_of: dt.date, known_on: dt.date
) -> dict[tuple[int, int], Decimal]:
    committed: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    runs = Offer.objects.filter(
        module__in=modules,
        kind=Offer.Kind.COURSE_RUN,
        created_at__date__lte=known_on,
    ).exclude(
        Exists(
            Expenditure.objects.filter(
                offer=OuterRef("pk"), spent_on__lte=as_of, created_at__date__lte=known_on
            )
        )
    )
    # One read of the record prices every run (a rate per run day, as known on known_on).
    rates = rate_book_for(programme=programme, known_on=known_on)
    by_id = {m.pk: m for m in modules}
    for run in runs:
        assert run.ends_on is not None  # a course run has an end (constraint)
        module = by_id[run.module_id]
        rate = rates.rate_on(module, run.starts_on)
        cost = (
            None
            if rate is None
            else course_run_cost(
                cost_basis=module.cost_basis, teaching_hours=run.teaching_hours, rate=rate
            )
        )
        if cost is not None:
            committed[(run.module_id, run.ends_on.year)] += cost
    return committed


def budget_overview(
    *, programme: Programme, as_of: dt.date, known_on: dt.date | None = None
) -> BudgetOverview:
    """The programme's budget per module and budget year on ``as_of``, as known on
    ``known_on`` (default today)."""
    state = programme_as_of(programme=programme, as_of=as_of, known_on=known_on)
    known_on = state.known_on or as_of
    modules = [m.module for m in state.modules]
    spent: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for row in (
        Expenditure.objects.filter(
            budget_line__module__in=modules,
            spent_on__lte=as_of,
            created_at__date__lte=known_on,
        )
        .values("budget_line__module_id", "budget_line__budget_year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        key = (row["budget_line__module_id"], row["budget_line__budget_year"])
        # SQLite sums decimals as floats: back to the cent through its text.
        spent[key] += to_cent(Decimal(str(row["total"])))
    committed = _committed(programme, modules, as_of, known_on)
    budgets = {(b.module.pk, b.budget_year): b for b in state.budgets}
    by_id = {m.pk: m for m in modules}
    keys = sorted(
        set(budgets) | set(spent) | set(committed), key=lambda k: (k[1], by_id[k[0]].code)
    )
    rows = []
    by_year: dict[int, BudgetFigures] = defaultdict(BudgetFigures)
    for module_id, year in keys:
        module = by_id[module_id]
        start, end = _period(year, state, module)
        spent_here = spent[(module_id, year)]
        expected, elapsed, remaining = forecast(
            spent=spent_here, period_start=start, period_end=end, as_of=as_of
        )
        budget = budgets.get((module_id, year))
        figures = BudgetFigures(
            planned=budget.in_force if budget else ZERO,
            # A closed period binds nothing more: what it did not pay is not paid from it.
            committed=committed[(module_id, year)] if as_of <= end else ZERO,
            spent=spent_here,
            forecast=expected,
        )
        rows.append(
            ModuleYear(
                module=module,
                budget_year=year,
                period_start=start,
                period_end=end,
                elapsed_days=elapsed,
                remaining_days=remaining,
                figures=figures,
                budget=budget,
            )
        )
        by_year[year] = by_year[year] + figures
    return BudgetOverview(
        programme=programme,
        as_of=as_of,
        state=state,
        rows=rows,
        # A funding notice entered later was not known on known_on either.
        notices=list(
            programme.funding_notices.filter(created_at__date__lte=known_on).select_related(
                "funder"
            )
        ),
        by_year=dict(sorted(by_year.items())),
        notice_modules=frozenset(
            BudgetLine.objects.filter(module__in=modules, funding_notice__isnull=False).values_list(
                "module_id", flat=True
            )
        ),
    )
