"""Reading programmes as they stood on a given day.

"As of" means: everything decided up to and including that day. A decision taken on
17 March 2022 that extends the programme to 30 June 2023 is part of the programme read as
of 17 March 2022, but not as of 16 March. Programme set-up is not personal data, so these
reads are not scoped to a user; who may see which programme is decided by the views' policy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Reallocation
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    Decision,
    EligibilityRule,
    Module,
    Programme,
)


@dataclass(frozen=True)
class ModuleState:
    module: Module
    valid_from: dt.date
    valid_until: dt.date
    ended_by: Amendment | None
    successor_programme: Programme | None

    @property
    def code(self) -> str:
        return self.module.code

    def is_running_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class ModuleBudget:
    module: Module
    budget_year: int
    planned: Decimal
    moved_in: Decimal
    moved_out: Decimal

    @property
    def in_force(self) -> Decimal:
        return self.planned + self.moved_in - self.moved_out


@dataclass(frozen=True)
class ProgrammeState:
    programme: Programme
    as_of: dt.date
    ends_on: dt.date
    extended_by: Amendment | None
    modules: list[ModuleState]
    eligibility_rule: EligibilityRule | None
    budgets: list[ModuleBudget]
    decisions: list[Decision] = field(default_factory=list)

    @property
    def is_running(self) -> bool:
        return self.programme.starts_on <= self.as_of <= self.ends_on

    @property
    def has_started(self) -> bool:
        return self.as_of >= self.programme.starts_on

    @property
    def running_modules(self) -> list[ModuleState]:
        return [m for m in self.modules if m.is_running_on(self.as_of)]

    @property
    def budget_total(self) -> Decimal:
        return sum((b.in_force for b in self.budgets), Decimal("0"))

    def module(self, code: str) -> ModuleState:
        for state in self.modules:
            if state.code == code:
                return state
        raise KeyError(code)

    def budget_for(self, code: str, budget_year: int) -> ModuleBudget | None:
        for budget in self.budgets:
            if budget.module.code == code and budget.budget_year == budget_year:
                return budget
        return None


def programmes_for_organisation(*, organisation: Organisation) -> QuerySet[Programme]:
    """The programmes an organisation takes part in: its own, or its municipality's."""
    if organisation.kind == Organisation.Kind.FUNDER:
        return Programme.objects.filter(funding_notices__funder=organisation).distinct()
    municipality_id = (
        organisation.municipality_id
        if organisation.kind == Organisation.Kind.PROVIDER
        else organisation.pk
    )
    return Programme.objects.filter(owner_id=municipality_id)


def programme_as_of(*, programme: Programme, as_of: dt.date) -> ProgrammeState:
    amendments = list(
        Amendment.objects.filter(programme=programme, decision__decided_on__lte=as_of)
        .select_related("decision", "module", "successor_programme", "eligibility_rule")
        .order_by("decision__decided_on", "effective_on", "pk")
    )

    ends_on = programme.ends_on
    extended_by: Amendment | None = None
    module_ends: dict[int, Amendment] = {}
    for amendment in amendments:
        if amendment.kind == AmendmentKind.EXTEND_PROGRAMME and amendment.new_end_date:
            ends_on = amendment.new_end_date
            extended_by = amendment
        elif amendment.kind == AmendmentKind.END_MODULE and amendment.module_id:
            module_ends[amendment.module_id] = amendment

    programme_modules = list(programme.modules.order_by("code"))
    modules = []
    for module in programme_modules:
        ended = module_ends.get(module.pk)
        if ended is not None and ended.new_end_date is not None:
            valid_until = ended.new_end_date
        else:
            valid_until = min(module.valid_until or ends_on, ends_on)
        modules.append(
            ModuleState(
                module=module,
                valid_from=module.valid_from,
                valid_until=valid_until,
                ended_by=ended,
                successor_programme=ended.successor_programme if ended else None,
            )
        )

    rule = _eligibility_rule_as_of(programme=programme, as_of=as_of)
    decisions = sorted(
        {a.decision_id: a.decision for a in amendments}.values(), key=lambda d: d.decided_on
    )
    return ProgrammeState(
        programme=programme,
        as_of=as_of,
        ends_on=ends_on,
        extended_by=extended_by,
        modules=modules,
        eligibility_rule=rule,
        budgets=_budgets_as_of(programme=programme, modules=programme_modules, as_of=as_of),
        decisions=decisions,
    )


def _eligibility_rule_as_of(*, programme: Programme, as_of: dt.date) -> EligibilityRule | None:
    """The newest rule in force on the day; rules brought by a decision count once it is taken."""
    return (
        EligibilityRule.objects.filter(programme=programme, valid_from__lte=as_of)
        .filter(Q(amendment__isnull=True) | Q(amendment__decision__decided_on__lte=as_of))
        .order_by("-valid_from")
        .first()
    )


def eligibility_rule_in_force(*, programme: Programme, on: dt.date) -> EligibilityRule | None:
    return _eligibility_rule_as_of(programme=programme, as_of=on)


@dataclass(frozen=True)
class RuleBook:
    """All eligibility rules of a programme, loaded once, for judging many people in one go.

    Each entry is a rule and the day from which it was known (its decision date, or its own
    start when it is part of the original set-up); the same choice as ``eligibility_rule_in_force``.
    """

    programme_id: int
    entries: tuple[tuple[EligibilityRule, dt.date], ...]

    def in_force_on(self, on: dt.date) -> EligibilityRule | None:
        candidates = [
            rule for rule, known_from in self.entries if rule.valid_from <= on and known_from <= on
        ]
        return max(candidates, key=lambda rule: rule.valid_from, default=None)


def rule_book_for(*, programme: Programme) -> RuleBook:
    rules = EligibilityRule.objects.filter(programme=programme).select_related(
        "amendment__decision"
    )
    entries = []
    for rule in rules:
        try:
            known_from = rule.amendment.decision.decided_on
        except EligibilityRule.amendment.RelatedObjectDoesNotExist:
            known_from = rule.valid_from
        entries.append((rule, known_from))
    return RuleBook(programme_id=programme.pk, entries=tuple(entries))


def _budgets_as_of(
    *, programme: Programme, modules: list[Module], as_of: dt.date
) -> list[ModuleBudget]:
    planned: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in (
        BudgetLine.objects.filter(module__programme=programme)
        .filter(Q(adopted_by__isnull=True) | Q(adopted_by__decision__decided_on__lte=as_of))
        .values("module_id", "budget_year")
        .annotate(total=Sum("planned_amount"))
    ):
        planned[(row["module_id"], row["budget_year"])] += row["total"]

    moved_in: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    moved_out: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for reallocation in Reallocation.objects.filter(
        amendment__programme=programme, amendment__decision__decided_on__lte=as_of
    ):
        moved_out[(reallocation.from_module_id, reallocation.budget_year)] += reallocation.amount
        moved_in[(reallocation.to_module_id, reallocation.budget_year)] += reallocation.amount

    by_id = {m.pk: m for m in modules}
    keys = sorted(
        set(planned) | set(moved_in) | set(moved_out), key=lambda k: (k[1], by_id[k[0]].code)
    )
    return [
        ModuleBudget(
            module=by_id[module_id],
            budget_year=year,
            planned=planned[(module_id, year)],
            moved_in=moved_in[(module_id, year)],
            moved_out=moved_out[(module_id, year)],
        )
        for module_id, year in keys
    ]
