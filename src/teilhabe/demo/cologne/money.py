"""The money: the funding notice, budget lines per module, year and provider, and the
expenditures booked against them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice
from teilhabe.demo.cologne.facts import (
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
    Programme,
)

CENT = Decimal("0.01")


def plan_money(
    rng: random.Random,
    writer: BulkWriter,
    *,
    programme: Programme,
    funder: Organisation,
    providers: dict[str, Organisation],
    modules: dict[str, Module],
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

    lines: list[BudgetLine] = []
    for year, year_total in F1_F4_BY_YEAR.items():
        module_totals = split_amount(year_total, list(MODULE_SHARES.values()))
        for code, module_total in zip(MODULE_SHARES, module_totals, strict=True):
            keys = by_module[code]
            weights = [0.4 if key is None else 1.0 + rng.random() for key in keys]
            for key, amount in zip(keys, split_amount(module_total, weights), strict=True):
                lines.append(
                    BudgetLine(
                        funding_notice=notice,
                        module=modules[code],
                        budget_year=year,
                        provider=providers[key] if key else None,
                        planned_amount=amount,
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
    writer.save(_expenditures(rng, lines))


def _expenditures(rng: random.Random, lines: list[BudgetLine]) -> list[Expenditure]:
    rows: list[Expenditure] = []
    for line in lines:
        year = line.budget_year
        quarters = [q for q in (1, 2, 3, 4) if (year, q) >= (2020, 3) and (year, q) <= (2023, 2)]
        if not quarters or line.planned_amount <= 0:
            continue
        share = line.planned_amount * Decimal(str(0.82 + rng.random() * 0.15)) / len(quarters)
        for quarter in quarters:
            spent_on = dt.date(year, quarter * 3, 28)
            cost_basis = line.module.cost_basis
            if line.provider_id is None and cost_basis != CostBasis.STAFF_POSITIONS:
                category, quantity = Expenditure.Category.EXAM_FEES, None
            elif cost_basis == CostBasis.TEACHING_HOURS:
                category = Expenditure.Category.TEACHING_HOURS
                quantity = (share / Decimal("37.50")).quantize(Decimal("1"))
            elif cost_basis == CostBasis.STAFF_POSITIONS:
                category = Expenditure.Category.STAFF
                quantity = (share / Decimal("5200")).quantize(Decimal("0.1"))
            elif cost_basis == CostBasis.PROJECT_GRANT:
                category, quantity = Expenditure.Category.PROJECT_GRANT, None
            else:
                category, quantity = Expenditure.Category.OTHER, None
            amount = (
                quantity * Decimal("37.50")
                if category == Expenditure.Category.TEACHING_HOURS and quantity
                else share.quantize(Decimal("0.01"))
            )
            rows.append(
                Expenditure(
                    budget_line=line,
                    spent_on=spent_on,
                    category=category,
                    amount=amount,
                    quantity=quantity,
                    receipt_reference=f"KI-{year}-Q{quarter}-{line.module.code}-{len(rows) + 1:04d}",
                )
            )
    return rows


def split_amount(total: Decimal, weights: Sequence[float]) -> list[Decimal]:
    """Split ``total`` by ``weights`` into cents that add up exactly to ``total``."""
    whole = sum(weights)
    parts = [
        (total * Decimal(str(w / whole))).quantize(CENT, rounding=ROUND_HALF_UP)
        for w in weights[:-1]
    ]
    parts.append(total - sum(parts, Decimal("0")))
    return parts
