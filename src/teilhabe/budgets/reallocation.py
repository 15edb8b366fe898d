"""Reallocation (Umschichtung): the system's suggestion, the what-if view and every check.

Pure computation on ``budget_overview`` and the usage evaluation; nothing here writes.

**Givers** are the modules in force whose expected surplus (``BudgetFigures.surplus``) in the
budget year is positive: they will not spend it. A giver can move at most

    movable = max(0, min(surplus, available)),   available = planned − spent − committed

— never what is spent or bound by booked course runs.

**Receivers** are the other modules that run to the end of the budget year (or of the
programme, in its last year; a module ended before that receives nothing) and have a demand:

    demand = gap + waiting × cost per participant

in euros: the gap is the negative surplus (0 if none), *waiting* the persons on the module's
waiting lists on the day read, and the cost per participant the module's (spent ÷ active in
the evaluated period), else the programme's, else 0. Receivers are ranked by good outcomes —
the success rate (persons with a success ÷ persons active in the period, from
``reports.evaluation.usage_evaluation`` for the budget year up to the day read) — through
their weight

    weight = demand × (1 + success rate)

The givers' movable money ``P`` is shared by weight: receiver *r* gets ``P × weight_r ÷ Σ
weight``, but never more than its demand; what a capped receiver does not need goes to the
others by the same rule (so, if ``P`` covers every demand, each receiver gets exactly its
demand and the rest stays where it is). Shares are rounded down to whole euros; the euros
left by rounding go one each to the receivers with the largest remainders (highest weight
first), so the shares add up exactly to what is moved. The moves then take the givers in
order of their movable amount (largest first) and fill the receivers in order of their
rank, so no giver gives more than it can.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teilhabe.budgets.models import to_cent
from teilhabe.budgets.selectors import ZERO, BudgetFigures, BudgetOverview, budget_overview
from teilhabe.programmes.models import Module, Programme
from teilhabe.programmes.selectors import ProgrammeState
from teilhabe.reports.evaluation import usage_evaluation

EURO = Decimal("1")
HUNDRED = Decimal("100")


def euro(amount: Decimal) -> str:
    """An amount as the reader writes it: 53.403,22 (German), 53,403.22 (English)."""
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Move:
    budget_year: int
    from_module: Module
    to_module: Module
    amount: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Giver:
    module: Module
    surplus: Decimal
    available: Decimal
    movable: Decimal

    @property
    def reason(self) -> str:
        text = _("%(code)s: Prognose %(surplus)s € nicht verausgabt") % {
            "code": self.module.code,
            "surplus": euro(self.surplus),
        }
        if self.movable < self.surplus:
            text += _(" (frei, weder ausgegeben noch gebunden: %(movable)s €)") % {
                "movable": euro(self.movable)
            }
        return text


@dataclass(frozen=True)
class Receiver:
    module: Module
    gap: Decimal
    waiting: int
    success_rate: Decimal  # per cent, whole
    place_cost: Decimal
    demand: Decimal

    @property
    def weight(self) -> Decimal:
        return self.demand * (1 + self.success_rate / HUNDRED)

    @property
    def reason(self) -> str:
        parts = []
        if self.waiting:
            parts.append(
                ngettext(
                    "%(count)s Person auf Wartelisten",
                    "%(count)s Personen auf Wartelisten",
                    self.waiting,
                )
                % {"count": self.waiting}
            )
        if self.gap:
            parts.append(_("Lücke %(gap)s €") % {"gap": euro(self.gap)})
        parts.append(_("Erfolgsquote %(rate)s %%") % {"rate": self.success_rate})
        return f"{self.module.code}: {', '.join(parts)}"


@dataclass(frozen=True)
class Suggestion:
    budget_year: int
    overview: BudgetOverview
    givers: list[Giver]
    receivers: list[Receiver]
    moves: list[Move]


def year_end(state: ProgrammeState, budget_year: int) -> dt.date:
    """The last day a receiving module has to run: the year's, or the programme's end."""
    return min(dt.date(budget_year, 12, 31), state.ends_on)


def receives_nothing(state: ProgrammeState, module: Module, budget_year: int) -> str | None:
    """Why the module may not receive money in the year (it has ended), or None."""
    running = state.module_by_id(module.pk)
    if (
        running is None
        or running.valid_until < year_end(state, budget_year)
        or running.valid_from > dt.date(budget_year, 12, 31)
    ):
        return _("Ein beendeter Baustein erhält kein Geld mehr (%(code)s).") % {"code": module.code}
    return None


def figures_of(overview: BudgetOverview, module: Module, budget_year: int) -> BudgetFigures:
    for row in overview.rows:
        if row.module.pk == module.pk and row.budget_year == budget_year:
            return row.figures
    return BudgetFigures()


def shortfall(
    overview: BudgetOverview, module: Module, budget_year: int, amount: Decimal
) -> str | None:
    """Why ``amount`` cannot leave the module in the year (more than it has neither spent nor
    committed), or None."""
    figures = figures_of(overview, module, budget_year)
    if amount <= figures.available:
        return None
    return _(
        "%(code)s hat %(year)s nur noch %(left)s € (Ansatz %(planned)s €, ausgegeben "
        "%(spent)s €, gebunden %(committed)s €)."
    ) % {
        "code": module.code,
        "year": budget_year,
        "left": euro(max(figures.available, ZERO)),
        "planned": euro(figures.planned),
        "spent": euro(figures.spent),
        "committed": euro(figures.committed),
    }


def _evaluation_period(
    state: ProgrammeState, budget_year: int, as_of: dt.date
) -> tuple[dt.date, dt.date]:
    start = max(dt.date(budget_year, 1, 1), state.programme.starts_on)
    end = min(dt.date(budget_year, 12, 31), as_of, state.ends_on)
    return start, max(start, end)


def suggest_reallocation(
    programme: Programme, budget_year: int, as_of: dt.date, overview: BudgetOverview | None = None
) -> Suggestion:
    """The system's suggestion for the budget year, read on ``as_of`` (see the module doc)."""
    overview = overview or budget_overview(programme=programme, as_of=as_of)
    state = overview.state
    rows = {r.module.pk: r.figures for r in overview.rows if r.budget_year == budget_year}
    givers = []
    for module_state in state.modules:
        figures = rows.get(module_state.module.pk)
        if figures is None or figures.surplus <= 0:
            continue
        movable = max(ZERO, min(figures.surplus, figures.available))
        if movable > 0:
            givers.append(Giver(module_state.module, figures.surplus, figures.available, movable))
    givers.sort(key=lambda g: (-g.movable, g.module.code))
    giving = {g.module.pk for g in givers}

    start, end = _evaluation_period(state, budget_year, as_of)
    evaluation = usage_evaluation(programme, start, end)
    usage = {m.module.pk: m.usage for m in evaluation.modules}
    fallback_cost = evaluation.total.cost_per_participant or ZERO
    receivers = []
    for module_state in state.modules:
        module = module_state.module
        if module.pk in giving or receives_nothing(state, module, budget_year):
            continue
        figures = rows.get(module.pk, BudgetFigures())
        used = usage.get(module.pk)
        waiting = used.waiting if used else 0
        active = used.active if used else 0
        rate = (
            (Decimal(used.successes) * HUNDRED / active).quantize(EURO) if used and active else ZERO
        )
        place_cost = (used.cost_per_participant if used else None) or fallback_cost
        gap = max(ZERO, -figures.surplus)
        demand = gap + waiting * place_cost
        if demand > 0:
            receivers.append(Receiver(module, gap, waiting, rate, place_cost, demand))
    receivers.sort(key=lambda r: (-r.success_rate, -r.weight, r.module.code))

    shares = _shares(sum((g.movable for g in givers), ZERO), receivers)
    return Suggestion(
        budget_year=budget_year,
        overview=overview,
        givers=givers,
        receivers=receivers,
        moves=_pair(budget_year, givers, receivers, shares),
    )


def _shares(pool: Decimal, receivers: list[Receiver]) -> dict[int, Decimal]:
    """Whole euros per receiver by weight, capped at demand, adding up exactly."""
    pool = min(pool, sum((r.demand for r in receivers), ZERO)).quantize(EURO, ROUND_DOWN)
    exact: dict[int, Decimal] = {}
    open_ = [r for r in receivers if r.weight > 0]
    left = pool
    while open_ and left > 0:
        total_weight = sum((r.weight for r in open_), ZERO)
        capped = [r for r in open_ if left * r.weight / total_weight >= r.demand]
        if not capped:
            for r in open_:
                exact[r.module.pk] = left * r.weight / total_weight
            break
        for r in capped:
            exact[r.module.pk] = r.demand
            left -= r.demand
            open_.remove(r)
    shares = {pk: amount.quantize(EURO, ROUND_DOWN) for pk, amount in exact.items()}
    rest = int(pool - sum(shares.values(), ZERO))
    weight = {r.module.pk: r.weight for r in receivers}
    by_remainder = sorted(exact, key=lambda pk: (-(exact[pk] - shares[pk]), -weight[pk]))
    for pk in by_remainder[:rest]:
        shares[pk] += EURO
    return shares


def _pair(
    budget_year: int, givers: list[Giver], receivers: list[Receiver], shares: dict[int, Decimal]
) -> list[Move]:
    left = {g.module.pk: g.movable for g in givers}
    moves = []
    for receiver in receivers:
        need = shares.get(receiver.module.pk, ZERO)
        for giver in givers:
            amount = min(need, left[giver.module.pk])
            if amount <= 0:
                continue
            moves.append(
                Move(
                    budget_year,
                    giver.module,
                    receiver.module,
                    to_cent(amount),
                    reason=f"{giver.reason} → {receiver.reason}",
                )
            )
            left[giver.module.pk] -= amount
            need -= amount
    return moves


@dataclass(frozen=True)
class WhatIfRow:
    module: Module
    budget_year: int
    before: BudgetFigures
    after: BudgetFigures

    @property
    def change(self) -> Decimal:
        return self.after.planned - self.before.planned


@dataclass(frozen=True)
class WhatIf:
    rows: list[WhatIfRow]
    notice_total: Decimal

    @property
    def before(self) -> BudgetFigures:
        return sum((r.before for r in self.rows), BudgetFigures())

    @property
    def after(self) -> BudgetFigures:
        return sum((r.after for r in self.rows), BudgetFigures())

    @property
    def change(self) -> Decimal:
        return self.after.planned - self.before.planned

    @property
    def change_by_module(self) -> dict[int, Decimal]:
        """Planned after minus before, per module, over all years."""
        change: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for row in self.rows:
            change[row.module.pk] += row.change
        return dict(change)

    def of_year(self, budget_year: int) -> WhatIf:
        return WhatIf(
            rows=[r for r in self.rows if r.budget_year == budget_year],
            notice_total=self.notice_total,
        )


def what_if(overview: BudgetOverview, moves: list[Move]) -> WhatIf:
    """The figures per module and year before and after the moves: only the planned amount
    changes (and with it what is available and the surplus); the totals stay the same."""
    change: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    modules = {r.module.pk: r.module for r in overview.rows}
    for move in moves:
        change[(move.from_module.pk, move.budget_year)] -= move.amount
        change[(move.to_module.pk, move.budget_year)] += move.amount
        modules.setdefault(move.from_module.pk, move.from_module)
        modules.setdefault(move.to_module.pk, move.to_module)
    before = {(r.module.pk, r.budget_year): r.figures for r in overview.rows}
    keys = sorted(set(before) | set(change), key=lambda k: (k[1], modules[k[0]].code))
    rows = []
    for key in keys:
        figures = before.get(key, BudgetFigures())
        rows.append(
            WhatIfRow(
                module=modules[key[0]],
                budget_year=key[1],
                before=figures,
                after=replace(figures, planned=figures.planned + change[key]),
            )
        )
    return WhatIf(rows=rows, notice_total=overview.notice_total)


def reallocation_errors(
    *, programme: Programme, overview: BudgetOverview, budget_year: int, moves: list[Move]
) -> dict[str, list[str]]:
    """Every reason the moves may not be proposed, keyed ``budget_year``, ``total`` or
    ``N.field`` (N: the move's index, field: from_module, to_module, amount)."""
    errors: dict[str, list[str]] = defaultdict(list)
    state = overview.state
    if not programme.starts_on.year <= budget_year <= state.ends_on.year:
        errors["budget_year"].append(
            _("Das Haushaltsjahr liegt nicht in der Laufzeit des Programms (%(start)s–%(end)s).")
            % {"start": programme.starts_on.year, "end": state.ends_on.year}
        )
    out: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for index, move in enumerate(moves):
        own = True
        for side, module in (("from_module", move.from_module), ("to_module", move.to_module)):
            if module.programme_id != programme.pk:
                errors[f"{index}.{side}"].append(_("Der Baustein gehört nicht zu diesem Programm."))
                own = False
        if move.from_module.pk == move.to_module.pk:
            errors[f"{index}.to_module"].append(
                _("Geld wird zwischen zwei verschiedenen Bausteinen umgeschichtet.")
            )
        amount_ok = move.amount > 0 and move.amount.as_tuple().exponent >= -2  # type: ignore[operator]
        if not amount_ok:
            errors[f"{index}.amount"].append(
                _("Der Betrag ist größer als 0 € und hat höchstens zwei Nachkommastellen.")
            )
        if not own:
            continue
        ended = receives_nothing(state, move.to_module, move.budget_year)
        if ended:
            errors[f"{index}.to_module"].append(ended)
        if amount_ok:
            giving = (move.from_module.pk, move.budget_year)
            out[giving] += move.amount
            short = shortfall(overview, move.from_module, move.budget_year, out[giving])
            if short:
                errors[f"{index}.amount"].append(short)
    # Moves keep the total; they can still shift money from a module the notices do not pay
    # (F6, paid by the city) to one they pay, beyond what the notices granted.
    change = what_if(overview, [m for m in moves if m.amount > 0]).change_by_module
    notice_plan_after = overview.notice_plan + sum(
        (amount for module_id, amount in change.items() if overview.paid_by_notices(module_id)),
        ZERO,
    )
    if (
        overview.notices
        and notice_plan_after > overview.notice_total
        and notice_plan_after > overview.notice_plan
    ):
        errors["total"].append(
            _(
                "Nach der Umschichtung wären für die Bausteine der Zuwendungsbescheide "
                "%(planned)s € geplant, mehr als die %(notice)s € der Bescheide."
            )
            % {"planned": euro(notice_plan_after), "notice": euro(overview.notice_total)}
        )
    return dict(errors)
