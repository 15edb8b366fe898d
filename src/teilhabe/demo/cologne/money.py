"""The money: the funding notice, budget lines per module, year and provider, and the
expenditures booked against them.

The expenditures follow the budget in force on the day they are paid, as known then: a line
may spend its share (pro rata of the lines planned for its module and year) of what is in force
after the moves in and out, and uses a plausible 82–97 % of it, never more. The city pays on
the 28th of a quarter's last month. A course run of a teaching-hour module is paid once, on the
first payment day after it ends, in the budget year of its end: its teaching hours × the rate
in force, naming the run, so that the runs not yet paid are what the budget page counts as
committed. The rest of a line goes out quarter by quarter; a quarter on which the module did
not run pays nothing (F6 after its end).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import repeat

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice, to_cent
from teilhabe.budgets.services import line_in_force
from teilhabe.demo.cologne.facts import (
    EXTENDED_END,
    F1_F4_BY_YEAR,
    F1_F4_TOTAL,
    MODULE_SHARES,
    PROGRAMME_END,
    PROGRAMME_START,
    PROVIDERS,
)
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.programmes.models import (
    Amendment,
    CostBasis,
    Module,
    Offer,
    Programme,
)
from teilhabe.programmes.selectors import ProgrammeState, programme_as_of

CENT = Decimal("0.01")
# Teaching hours planned for a provider are at least what its runs cost at this use.
LEAST_USE = Decimal("0.8")


def plan_money(
    rng: random.Random,
    writer: BulkWriter,
    *,
    programme: Programme,
    funder: Organisation,
    providers: dict[str, Organisation],
    modules: dict[str, Module],
    runs: Sequence[Offer],
    set_up: Amendment,
    extension: Amendment,
) -> None:
    notice = FundingNotice.objects.create(
        programme=programme,
        funder=funder,
        reference="51.2-DAA-2020-KOELN",
        issued_on=dt.date(2020, 8, 20),
        period_start=PROGRAMME_START,
        period_end=PROGRAMME_END,
        total_amount=F1_F4_TOTAL,
        state_share_percent=Decimal("80"),
    )
    by_module: dict[str, list[str | None]] = {"F1": [], "F3": [], "F4": []}
    for spec in PROVIDERS:
        if "coaching" in spec.does:
            by_module["F1"].append(spec.key)
        for code in ("F3", "F4"):
            if code in spec.does:
                by_module[code].append(spec.key)
    # The city pays exam fees, travel and childcare under F4 itself.
    by_module["F4"].append(None)
    key_of = {providers[key].pk: key for key in providers}
    run_costs: dict[tuple[str, str | None, int], Decimal] = defaultdict(Decimal)
    for run in _paid_by_teaching_hours(runs):
        assert run.ends_on is not None
        assert run.teaching_hours is not None
        rate = run.module.unit_rate or Decimal("0")
        run_costs[(run.module.code, key_of[run.provider_id], run.ends_on.year)] += (
            run.teaching_hours * rate
        )

    lines: list[BudgetLine] = []
    for year, year_total in F1_F4_BY_YEAR.items():
        module_totals = split_amount(year_total, list(MODULE_SHARES.values()))
        for code, module_total in zip(MODULE_SHARES, module_totals, strict=True):
            keys = by_module[code]
            weights = [0.4 if key is None else 1.0 + rng.random() for key in keys]
            # A provider's line holds at least what its course runs ending that year cost.
            reserved = [to_cent(run_costs[(code, key, year)] / LEAST_USE) for key in keys]
            rest = split_amount(module_total - sum(reserved, Decimal("0")), weights)
            for key, base, share in zip(keys, reserved, rest, strict=True):
                lines.append(
                    BudgetLine(
                        funding_notice=notice,
                        module=modules[code],
                        budget_year=year,
                        provider=providers[key] if key else None,
                        planned_amount=base + share,
                        # The programme ran to the end of 2022; money for 2023 exists only
                        # since the extension of 17 March 2022.
                        adopted_by=extension if year > PROGRAMME_END.year else set_up,
                    )
                )
    # F5 projects are granted by the state directly (with the city's vote); F6 staff until
    # the module ended. Neither is part of the F1–F4 funding notice.
    for year, grant in ((2021, "58000.00"), (2022, "61500.00")):
        for key in ("kochwerk", "kulturkarawane"):
            lines.append(
                BudgetLine(
                    module=modules["F5"],
                    budget_year=year,
                    provider=providers[key],
                    planned_amount=Decimal(grant),
                    adopted_by=set_up,
                )
            )
    for year, staff in ((2020, "46500.00"), (2021, "139500.00"), (2022, "142000.00")):
        lines.append(
            BudgetLine(
                module=modules["F6"],
                budget_year=year,
                provider=None,  # the city runs F6 itself
                planned_amount=Decimal(staff),
                adopted_by=set_up,
            )
        )
    writer.save(lines)
    writer.save(_expenditures(rng, programme, lines, _paid_by_teaching_hours(runs)))


def _paid_by_teaching_hours(runs: Sequence[Offer]) -> list[Offer]:
    return [
        run
        for run in runs
        if run.module.cost_basis == CostBasis.TEACHING_HOURS and run.teaching_hours
    ]


def _quarters(year: int) -> list[int]:
    """The quarters of the year in the programme's period (to the extended end)."""
    first = (PROGRAMME_START.year, (PROGRAMME_START.month - 1) // 3 + 1)
    last = (EXTENDED_END.year, (EXTENDED_END.month - 1) // 3 + 1)
    return [q for q in (1, 2, 3, 4) if first <= (year, q) <= last]


def _payment_day(quarter: int, year: int) -> dt.date:
    """The city pays on the 28th of a quarter's last month."""
    return dt.date(year, quarter * 3, 28)


class _Books:
    """The programme as it stood on a day, as known that day: what the demo pays by."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self._states: dict[dt.date, ProgrammeState] = {}

    def on(self, day: dt.date) -> ProgrammeState:
        if day not in self._states:
            self._states[day] = programme_as_of(programme=self.programme, as_of=day, known_on=day)
        return self._states[day]

    def may_spend(self, line: BudgetLine, day: dt.date) -> Decimal | None:
        """The line's share of its module's budget in force on the day; None when the module
        did not run or the line was not in force."""
        state = self.on(day)
        module = state.module_by_id(line.module_id)
        budget = state.budget_for(line.module.code, line.budget_year)
        if module is None or not module.is_running_on(day) or budget is None:
            return None
        if not line_in_force(line, state) or not budget.planned:
            return None
        return line.planned_amount * budget.in_force / budget.planned


def _expenditures(
    rng: random.Random, programme: Programme, lines: list[BudgetLine], runs: list[Offer]
) -> list[Expenditure]:
    books = _Books(programme)
    runs_by_line: dict[tuple[int, int | None, int], list[Offer]] = defaultdict(list)
    for run in runs:
        assert run.ends_on is not None
        runs_by_line[(run.module_id, run.provider_id, run.ends_on.year)].append(run)
    rows: list[Expenditure] = []

    def receipt(year: int, what: str, code: str) -> str:
        return f"KI-{year}-{what}-{code}-{len(rows) + 1:04d}"

    for line in lines:
        year = line.budget_year
        quarters = _quarters(year)
        if not quarters or line.planned_amount <= 0:
            continue
        use = Decimal(str(0.82 + rng.random() * 0.15)).quantize(Decimal("0.0001"))
        code = line.module.code
        paid_for_runs = Decimal("0")
        for run in runs_by_line[(line.module_id, line.provider_id, year)]:
            assert run.ends_on is not None
            assert run.teaching_hours is not None
            paid_on = next(
                (day for day in map(_payment_day, quarters, repeat(year)) if day >= run.ends_on),
                dt.date(year, 12, 31),
            )
            module = books.on(paid_on).module_by_id(line.module_id)
            assert module is not None
            assert module.unit_rate is not None
            amount = to_cent(run.teaching_hours * module.unit_rate)
            paid_for_runs += amount
            rows.append(
                Expenditure(
                    budget_line=line,
                    spent_on=paid_on,
                    category=Expenditure.Category.TEACHING_HOURS,
                    amount=amount,
                    quantity=Decimal(run.teaching_hours),
                    offer=run,
                    receipt_reference=receipt(year, "KD", code),
                )
            )
        category = _category(line)
        paid = Decimal("0")
        for number, quarter in enumerate(quarters):
            spent_on = _payment_day(quarter, year)
            share = books.may_spend(line, spent_on)
            if share is None:
                continue
            left = share * use - paid_for_runs - paid
            amount = to_cent(left / (len(quarters) - number))
            if amount <= 0:
                continue
            paid += amount
            rows.append(
                Expenditure(
                    budget_line=line,
                    spent_on=spent_on,
                    category=category,
                    amount=amount,
                    quantity=(amount / Decimal("5200")).quantize(Decimal("0.1"))
                    if category == Expenditure.Category.STAFF
                    else None,
                    receipt_reference=receipt(year, f"Q{quarter}", code),
                )
            )
    return rows


def _category(line: BudgetLine) -> str:
    """What a line pays quarter by quarter: staff, project grants, the city's exam fees and
    travel, and for course providers what is not teaching hours (materials, support)."""
    cost_basis = line.module.cost_basis
    if cost_basis == CostBasis.STAFF_POSITIONS:
        return Expenditure.Category.STAFF
    if line.provider_id is None:
        return Expenditure.Category.EXAM_FEES
    if cost_basis == CostBasis.PROJECT_GRANT:
        return Expenditure.Category.PROJECT_GRANT
    return Expenditure.Category.OTHER


def split_amount(total: Decimal, weights: Sequence[float]) -> list[Decimal]:
    """Split ``total`` by ``weights`` into cents that add up exactly to ``total``."""
    whole = sum(weights)
    parts = [
        (total * Decimal(str(w / whole))).quantize(CENT, rounding=ROUND_HALF_UP)
        for w in weights[:-1]
    ]
    parts.append(total - sum(parts, Decimal("0")))
    return parts
