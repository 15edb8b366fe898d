"""Reading programmes as they stood on a given day, as the record knew them on another.

``programme_as_of(programme, as_of=D, known_on=K)`` answers "what was in force on D, as
known on K" (K defaults to today). Everything about a programme comes from amendments of its
decisions (docs/decisions/0007-programme-over-time.md):

- *known on K*: only decisions in the record by K count (``Decision.known_from <= K``), so a
  reading with K in the past reproduces what a report printed on K showed;
- *in force on D*: an amendment counts from its ``effective_on``, until a revocation known
  by K takes effect;
- where several amendments set the same thing (the end, a module's end, the rule, a rate),
  the one in force that starts latest wins; on the same day, the later decision
  (``Decision.sequence``), then the later amendment in it.

Programme set-up is not personal data, so these reads are not scoped to a user; who may see
which programme is decided by the views' policy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Reallocation
from teilhabe.core.codes import ResidenceType, TargetGroup
from teilhabe.programmes.models import (
    RECORDED_STATUSES,
    Amendment,
    AmendmentKind,
    Decision,
    EligibilityRule,
    ForwardingContract,
    Module,
    Offer,
    Programme,
)

CENT = Decimal("0.01")


class ProgrammeNotDecided(LookupError):
    """The programme had not been set up on that day, as known then."""

    def __init__(self, programme: Programme, as_of: dt.date, known_on: dt.date) -> None:
        self.programme = programme
        self.as_of = as_of
        self.known_on = known_on
        super().__init__(
            _(
                "Am %(day)s war „%(name)s“ noch nicht eingerichtet (Stand der Beschlüsse: %(known)s)."
            )
            % {
                "day": as_of.strftime("%d.%m.%Y"),
                "name": programme.name,
                "known": known_on.strftime("%d.%m.%Y"),
            }
        )


@dataclass(frozen=True)
class ModuleState:
    module: Module
    valid_from: dt.date
    valid_until: dt.date
    added_by: Amendment
    ended_by: Amendment | None
    successor_programme: Programme | None
    unit_rate: Decimal | None = None
    rate_set_by: Amendment | None = None
    # The day a revocation of the module's addition took effect (it ran until the day before).
    revoked_from: dt.date | None = None
    # What set ``valid_until``: the module's end, its own end when added, the programme's end
    # (set-up or extension: a module running as long as the programme follows it), or a
    # revocation. None: read as the module's end or addition.
    until_set_by: Amendment | None = None

    @property
    def code(self) -> str:
        return self.module.code

    @property
    def decided_by(self) -> Amendment:
        """The amendment behind the module's period as read (``until_set_by``)."""
        return self.until_set_by or self.ended_by or self.added_by

    def is_running_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class ContractState:
    """A forwarding contract in force on the day read: the provider may run offers under the
    module from ``valid_from`` to ``valid_until`` (its own end, capped at the module's)."""

    contract: ForwardingContract
    valid_from: dt.date
    valid_until: dt.date
    added_by: Amendment

    @property
    def provider(self) -> Organisation:
        return self.contract.provider

    @property
    def module(self) -> Module:
        return self.contract.module


@dataclass(frozen=True)
class ModuleBudget:
    module: Module
    budget_year: int
    planned: Decimal
    moved_in: Decimal
    moved_out: Decimal
    # The amendments whose lines and moves make up this amount, in the order of the record.
    sources: tuple[Amendment, ...] = ()

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
    known_on: dt.date | None = None
    end_set_by: Amendment | None = None
    eligibility_set_by: Amendment | None = None
    # Amendments in force on the day whose effect began before the record held them.
    retroactive: list[Amendment] = field(default_factory=list)
    # Forwarding contracts in force on the day, by module code and provider.
    contracts: list[ContractState] = field(default_factory=list)

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

    def module_by_id(self, module_id: int) -> ModuleState | None:
        for state in self.modules:
            if state.module.pk == module_id:
                return state
        return None

    def contract_for(self, *, provider_id: int, module_id: int) -> ContractState | None:
        """The contract under which the provider runs offers of the module on the day."""
        for state in self.contracts:
            if state.contract.provider_id == provider_id and state.contract.module_id == module_id:
                return state
        return None

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


def known_decisions(*, programme: Programme, known_on: dt.date) -> QuerySet[Decision]:
    """The programme's decisions in the record by ``known_on``, in the record's order."""
    return Decision.objects.filter(
        programme=programme, status__in=RECORDED_STATUSES, known_from__lte=known_on
    ).order_by("sequence")


# A proposal (no sequence yet) is read as if it were adopted after everything in the record.
_NOT_YET_NUMBERED = 2**31


def _record_order(amendment: Amendment) -> tuple[int, int]:
    sequence = amendment.decision.sequence
    return (_NOT_YET_NUMBERED if sequence is None else sequence, amendment.position)


@dataclass(frozen=True)
class Record:
    """A programme's amendments known on a day, and how to read which are in force when."""

    amendments: tuple[Amendment, ...]
    # amendment id -> the earliest day a known revocation of it takes effect
    revoked_from: dict[int, dt.date]

    @classmethod
    def of(
        cls, *, programme: Programme, known_on: dt.date, including: Decision | None = None
    ) -> Record:
        """The record known on the day; ``including`` adds a proposal as if adopted last."""
        known = Q(decision__status__in=RECORDED_STATUSES, decision__known_from__lte=known_on)
        if including is not None:
            known |= Q(decision=including)
        amendments = tuple(
            sorted(
                Amendment.objects.filter(known, programme=programme).select_related(
                    "decision", "module", "successor_programme", "eligibility_rule"
                ),
                key=_record_order,
            )
        )
        revoked_from: dict[int, dt.date] = {}
        for amendment in amendments:
            if amendment.kind == AmendmentKind.REVOKE and amendment.revokes_id is not None:
                earlier = revoked_from.get(amendment.revokes_id)
                day = amendment.effective_on
                revoked_from[amendment.revokes_id] = day if earlier is None else min(earlier, day)
        return cls(amendments=amendments, revoked_from=revoked_from)

    @cached_property
    def by_id(self) -> dict[int, Amendment]:
        return {a.pk: a for a in self.amendments}

    def in_force(self, amendment: Amendment, on: dt.date) -> bool:
        revoked = self.revoked_from.get(amendment.pk)
        return amendment.effective_on <= on and (revoked is None or on < revoked)

    def of_kind(self, *kinds: str) -> list[Amendment]:
        return [a for a in self.amendments if a.kind in kinds]

    def latest_in_force(self, candidates: Iterable[Amendment], on: dt.date) -> Amendment | None:
        """Of amendments setting the same thing, the one that decides it on the day."""
        return max(
            (a for a in candidates if self.in_force(a, on)),
            key=lambda a: (a.effective_on, *_record_order(a)),
            default=None,
        )

    def end_on(self, on: dt.date) -> tuple[dt.date, Amendment] | None:
        setter = self.latest_in_force(
            self.of_kind(AmendmentKind.SET_UP, AmendmentKind.EXTEND_PROGRAMME), on
        )
        if setter is None or setter.new_end_date is None:
            return None
        return setter.new_end_date, setter


def programme_as_of(
    *,
    programme: Programme,
    as_of: dt.date,
    known_on: dt.date | None = None,
    including: Decision | None = None,
) -> ProgrammeState:
    """The programme in force on ``as_of`` as the record knew it on ``known_on`` (default today).

    ``including`` reads a proposal as if it had been adopted (for its preview). Raises
    ``ProgrammeNotDecided`` for a day before its set-up was in force.
    """
    known_on = known_on or timezone.localdate()
    record = Record.of(programme=programme, known_on=known_on, including=including)
    end = record.end_on(as_of)
    if end is None:
        raise ProgrammeNotDecided(programme, as_of, known_on)
    ends_on, end_set_by = end

    modules = _modules_as_of(programme=programme, record=record, as_of=as_of, end=end)
    rule_setter = record.latest_in_force(
        (a for a in record.of_kind(AmendmentKind.CHANGE_ELIGIBILITY) if a.eligibility_rule),
        as_of,
    )
    # The decisions behind the reading: those with an amendment in force on the day.
    decisions: dict[int, Decision] = {}
    for amendment in record.amendments:
        if record.in_force(amendment, as_of):
            decisions.setdefault(amendment.decision_id, amendment.decision)
    return ProgrammeState(
        programme=programme,
        as_of=as_of,
        known_on=known_on,
        ends_on=ends_on,
        end_set_by=end_set_by,
        extended_by=end_set_by if end_set_by.kind == AmendmentKind.EXTEND_PROGRAMME else None,
        modules=modules,
        eligibility_rule=rule_setter.eligibility_rule if rule_setter else None,
        eligibility_set_by=rule_setter,
        budgets=_budgets_as_of(record=record, modules=modules, as_of=as_of),
        decisions=list(decisions.values()),
        retroactive=[
            a for a in record.amendments if a.is_retroactive and record.in_force(a, as_of)
        ],
        contracts=_contracts_as_of(record=record, modules=modules, as_of=as_of),
    )


def _contracts_as_of(
    *, record: Record, modules: list[ModuleState], as_of: dt.date
) -> list[ContractState]:
    """The contracts whose amendment is in force on the day (not revoked by then), of a
    module running that day, between the contract's first and last day."""
    concluding = {
        a.pk: a for a in record.of_kind(AmendmentKind.FORWARD_FUNDS) if record.in_force(a, as_of)
    }
    if not concluding:
        return []
    running = {m.module.pk: m for m in modules if m.is_running_on(as_of)}
    states = []
    for contract in ForwardingContract.objects.filter(
        added_by_id__in=concluding, module_id__in=running
    ).select_related("provider", "module"):
        module = running[contract.module_id]
        valid_until = min(contract.valid_until or module.valid_until, module.valid_until)
        if contract.valid_from <= as_of <= valid_until:
            states.append(
                ContractState(
                    contract=contract,
                    valid_from=contract.valid_from,
                    valid_until=valid_until,
                    added_by=concluding[contract.added_by_id],
                )
            )
    states.sort(key=lambda c: (c.module.code, c.provider.name, c.valid_from))
    return states


def offers_in_force(state: ProgrammeState) -> list[tuple[Offer, ContractState]]:
    """The offers in force on the day read, each with the contract it runs under: its module
    runs and its provider holds a contract for the module in force that day."""
    offers = (
        Offer.objects.filter(module_id__in=[c.contract.module_id for c in state.contracts])
        .select_related("module", "provider")
        .order_by("module__code", "starts_on", "title")
    )
    found = []
    for offer in offers:
        contract = state.contract_for(provider_id=offer.provider_id, module_id=offer.module_id)
        if contract is not None:
            found.append((offer, contract))
    return found


def _modules_as_of(
    *, programme: Programme, record: Record, as_of: dt.date, end: tuple[dt.date, Amendment]
) -> list[ModuleState]:
    states = (
        _module_as_of(module, record=record, as_of=as_of, end=end)
        for module in programme.modules.order_by("code")
    )
    return [state for state in states if state is not None]


def _module_as_of(
    module: Module, *, record: Record, as_of: dt.date, end: tuple[dt.date, Amendment]
) -> ModuleState | None:
    """The module as read on ``as_of``; None if no decision in the record had added it by
    then, or it was revoked before it began."""
    added_by = record.by_id.get(module.added_by_id)
    if added_by is None or added_by.effective_on > as_of:
        return None  # not decided on the day, or not known on the day of the reading
    revoked_from = record.revoked_from.get(added_by.pk)
    if revoked_from is not None and revoked_from > as_of:
        revoked_from = None  # revoked later: on the day it still stood
    if revoked_from is not None and revoked_from <= module.valid_from:
        return None  # revoked before it began: it never ran
    ended_by = record.latest_in_force(
        (a for a in record.of_kind(AmendmentKind.END_MODULE) if a.module_id == module.pk),
        as_of,
    )
    ends_on, end_set_by = end
    own_end = _own_end(module, record=record, added_by=added_by)
    if ended_by is not None and ended_by.new_end_date is not None:
        valid_until, until_set_by = ended_by.new_end_date, ended_by
    elif own_end is not None:
        valid_until, until_set_by = own_end, added_by
    else:
        valid_until, until_set_by = ends_on, end_set_by
    if ends_on < valid_until:
        valid_until, until_set_by = ends_on, end_set_by
    if revoked_from is not None and revoked_from - dt.timedelta(days=1) < valid_until:
        valid_until = revoked_from - dt.timedelta(days=1)
        until_set_by = next(
            a
            for a in record.of_kind(AmendmentKind.REVOKE)
            if a.revokes_id == added_by.pk and a.effective_on == revoked_from
        )
    rate_set_by = record.latest_in_force(
        (a for a in record.of_kind(AmendmentKind.CHANGE_RATE) if a.module_id == module.pk),
        as_of,
    )
    return ModuleState(
        module=module,
        valid_from=module.valid_from,
        valid_until=valid_until,
        added_by=added_by,
        ended_by=ended_by,
        successor_programme=ended_by.successor_programme if ended_by else None,
        unit_rate=rate_set_by.new_rate if rate_set_by else module.unit_rate,
        rate_set_by=rate_set_by,
        revoked_from=revoked_from,
        until_set_by=until_set_by,
    )


@dataclass(frozen=True)
class RateBook:
    """A programme's unit rates as known on a day, the record loaded once, for pricing many
    course runs: for a module and day, the rate ``programme_as_of(as_of=day)`` reads."""

    record: Record

    def rate_on(self, module: Module, day: dt.date) -> Decimal | None:
        end = self.record.end_on(day)
        if end is None:
            return None  # the programme was not set up on that day
        state = _module_as_of(module, record=self.record, as_of=day, end=end)
        return state.unit_rate if state is not None else None


def rate_book_for(*, programme: Programme, known_on: dt.date | None = None) -> RateBook:
    return RateBook(
        record=Record.of(programme=programme, known_on=known_on or timezone.localdate())
    )


def _own_end(module: Module, *, record: Record, added_by: Amendment) -> dt.date | None:
    """A module's own last day, if it was set to end before the programme.

    A module set up to run as long as the programme (its own end on or after the programme's
    end when it was added) follows the programme's extensions.
    """
    if module.valid_until is None:
        return None
    end = record.end_on(added_by.effective_on)
    if end is not None and module.valid_until >= end[0]:
        return None
    return module.valid_until


def eligibility_rule_in_force(
    *, programme: Programme, on: dt.date, known_on: dt.date | None = None
) -> EligibilityRule | None:
    """The rule a person entering on ``on`` is judged by, as known on ``known_on`` (today)."""
    return rule_book_for(programme=programme, known_on=known_on).in_force_on(on)


@dataclass(frozen=True)
class RuleBook:
    """A programme's eligibility rules as known on a day, loaded once, for judging many people.

    The same choice as ``programme_as_of``: of the rule changes in force on a day, the one
    that starts latest (then the later decision).
    """

    programme_id: int
    record: Record

    def in_force_on(self, on: dt.date) -> EligibilityRule | None:
        setter = self.record.latest_in_force(
            (
                a
                for a in self.record.of_kind(AmendmentKind.CHANGE_ELIGIBILITY)
                if a.eligibility_rule
            ),
            on,
        )
        return setter.eligibility_rule if setter else None


def rule_book_for(*, programme: Programme, known_on: dt.date | None = None) -> RuleBook:
    record = Record.of(programme=programme, known_on=known_on or timezone.localdate())
    return RuleBook(programme_id=programme.pk, record=record)


def _budgets_as_of(
    *, record: Record, modules: list[ModuleState], as_of: dt.date
) -> list[ModuleBudget]:
    in_force = {a.pk: a for a in record.amendments if record.in_force(a, as_of)}
    planned: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    sources: dict[tuple[int, int], list[Amendment]] = defaultdict(list)
    for row in (
        BudgetLine.objects.filter(adopted_by_id__in=in_force)
        .values("module_id", "budget_year", "adopted_by_id")
        .annotate(total=Sum("planned_amount"))
        .order_by()
    ):
        key = (row["module_id"], row["budget_year"])
        # SQLite sums decimals as floats; money is kept to the cent.
        planned[key] += Decimal(row["total"]).quantize(CENT)
        sources[key].append(in_force[row["adopted_by_id"]])

    moved_in: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    moved_out: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for reallocation in Reallocation.objects.filter(amendment_id__in=in_force):
        amendment = in_force[reallocation.amendment_id]
        out_key = (reallocation.from_module_id, reallocation.budget_year)
        in_key = (reallocation.to_module_id, reallocation.budget_year)
        moved_out[out_key] += reallocation.amount
        moved_in[in_key] += reallocation.amount
        sources[out_key].append(amendment)
        sources[in_key].append(amendment)

    by_id = {m.module.pk: m.module for m in modules}
    keys = sorted(
        (k for k in set(planned) | set(moved_in) | set(moved_out) if k[0] in by_id),
        key=lambda k: (k[1], by_id[k[0]].code),
    )
    order = {a.pk: index for index, a in enumerate(record.amendments)}
    return [
        ModuleBudget(
            module=by_id[module_id],
            budget_year=year,
            planned=planned[(module_id, year)].quantize(CENT),
            moved_in=moved_in[(module_id, year)].quantize(CENT),
            moved_out=moved_out[(module_id, year)].quantize(CENT),
            sources=tuple(
                sorted(
                    {a.pk: a for a in sources[(module_id, year)]}.values(),
                    key=lambda a: order[a.pk],
                )
            ),
        )
        for module_id, year in keys
    ]


def no_contract_reason(*, module: Module, provider: Organisation, on: dt.date) -> str | None:
    """Why the provider cannot run an offer of the module starting that day, as known today:
    it holds no forwarding contract for the module in force then. None when it does."""
    try:
        state = programme_as_of(programme=module.programme, as_of=on)
    except ProgrammeNotDecided as not_decided:
        return str(not_decided)
    if state.contract_for(provider_id=provider.pk, module_id=module.pk) is not None:
        return None
    return _(
        "%(provider)s hat am %(day)s keinen Weiterleitungsvertrag für den Baustein %(code)s; "
        "ihn schließt ein Beschluss."
    ) % {"provider": provider.name, "day": on.strftime("%d.%m.%Y"), "code": module.code}


def not_in_force_reason(
    *, programme: Programme, on: dt.date, module: Module | None = None
) -> str | None:
    """Why nothing can be booked to the programme (or its module) on that day, as known
    today — or None when it runs. Services refuse with this message."""
    day = on.strftime("%d.%m.%Y")
    try:
        state = programme_as_of(programme=programme, as_of=on)
    except ProgrammeNotDecided as not_decided:
        return str(not_decided)
    if not state.is_running:
        return _("„%(name)s“ lief am %(day)s nicht (Laufzeit %(start)s bis %(end)s).") % {
            "name": programme.name,
            "day": day,
            "start": programme.starts_on.strftime("%d.%m.%Y"),
            "end": state.ends_on.strftime("%d.%m.%Y"),
        }
    if module is None:
        return None
    module_state = state.module_by_id(module.pk)
    if module_state is None:
        return _("Der Baustein %(code)s war am %(day)s nicht beschlossen.") % {
            "code": module.code,
            "day": day,
        }
    if not module_state.is_running_on(on):
        return _("Der Baustein %(code)s lief am %(day)s nicht (%(start)s bis %(end)s).") % {
            "code": module.code,
            "day": day,
            "start": module_state.valid_from.strftime("%d.%m.%Y"),
            "end": module_state.valid_until.strftime("%d.%m.%Y"),
        }
    return None


def _decision_ref(amendment: Amendment | None) -> dict[str, str] | None:
    if amendment is None:
        return None
    return {
        "reference": amendment.decision.reference,
        "date": amendment.decision.decided_on.isoformat(),
        "body": amendment.decision.body,
    }


def programme_reading(state: ProgrammeState) -> dict[str, Any]:
    """The programme as read, in plain data: what ``teilhabe programme show`` prints and
    scripts compare. Every item names the decision (reference, date) that put it in force."""
    rule = state.eligibility_rule
    eligibility: list[dict[str, Any]] = []
    if rule is not None:
        for code in ResidenceType.values:
            if code in rule.main_group_statuses:
                category = TargetGroup.MAIN
            elif code in rule.special_case_statuses:
                category = TargetGroup.SPECIAL_CASE
            elif rule.secondary_group_allowed and code not in rule.excluded_statuses:
                category = TargetGroup.SECONDARY
            else:
                continue
            eligibility.append(
                {
                    "residence_type": code,
                    "label": str(ResidenceType(code).label),
                    "category": str(category.value),
                    "min_age": rule.min_age,
                    "max_age": rule.max_age,
                    "decision": _decision_ref(state.eligibility_set_by),
                }
            )
    return {
        "code": state.programme.code,
        "name": state.programme.name,
        "as_of": state.as_of.isoformat(),
        "known_on": state.known_on.isoformat() if state.known_on else None,
        "starts_on": state.programme.starts_on.isoformat(),
        "ends_on": state.ends_on.isoformat(),
        "ends_on_decision": _decision_ref(state.end_set_by),
        "modules": [
            {
                "code": m.code,
                "name": m.module.local_name or m.module.name,
                "valid_from": m.valid_from.isoformat(),
                "valid_until": m.valid_until.isoformat(),
                "running": m.is_running_on(state.as_of),
                "successor_programme": m.successor_programme.code
                if m.successor_programme
                else None,
                "unit_rate": str(m.unit_rate) if m.unit_rate is not None else None,
                "unit_rate_decision": _decision_ref(m.rate_set_by),
                "decision": _decision_ref(m.decided_by),
            }
            for m in state.modules
        ],
        "eligibility": eligibility,
        "budgets": [
            {
                "module": b.module.code,
                "budget_year": b.budget_year,
                "amount": str(b.in_force),
                "planned": str(b.planned),
                "moved_in": str(b.moved_in),
                "moved_out": str(b.moved_out),
                "decisions": list(
                    {ref["reference"]: ref for a in b.sources if (ref := _decision_ref(a))}.values()
                ),
            }
            for b in state.budgets
        ],
        "decisions": [
            {
                "sequence": d.sequence,
                "reference": d.reference,
                "date": d.decided_on.isoformat(),
                "body": d.body,
                "title": d.title,
                "known_from": d.known_from.isoformat() if d.known_from else None,
            }
            for d in state.decisions
        ],
        "contracts": _contracts_reading(state),
        "retroactive": [
            {
                "kind": a.kind,
                "effective_on": a.effective_on.isoformat(),
                "decision": _decision_ref(a),
            }
            for a in state.retroactive
        ],
    }


def _contracts_reading(state: ProgrammeState) -> list[dict[str, Any]]:
    offers: dict[tuple[int, int], int] = defaultdict(int)
    for offer, _contract in offers_in_force(state):
        offers[(offer.provider_id, offer.module_id)] += 1
    return [
        {
            "module": c.module.code,
            "provider": c.provider.name,
            "reference": c.contract.reference,
            "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(),
            "maximum_amount": str(c.contract.maximum_amount)
            if c.contract.maximum_amount is not None
            else None,
            "offers": offers[(c.contract.provider_id, c.contract.module_id)],
            "decision": _decision_ref(c.added_by),
        }
        for c in state.contracts
    ]
