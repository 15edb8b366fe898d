"""Every write to programme set-up: validated, atomic, permission-checked, audited.

Only the programme coordination of the owning municipality changes a programme, and only
through decisions (docs/decisions/0007-programme-over-time.md): a decision is entered as a
proposal (it changes nothing, and can be previewed), then adopted in one transaction — or
entered already adopted with ``decision_record``. A decision subject to a condition comes into
the record when the condition is recorded as met. Nothing adopted is edited: a later decision
revokes or supersedes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.core.services import create_audited, raise_if_invalid
from teilhabe.programmes.models import (
    RECORDED_STATUSES,
    Amendment,
    AmendmentKind,
    Decision,
    DecisionStatus,
    EligibilityRule,
    ForwardingContract,
    Module,
    Offer,
    Programme,
)
from teilhabe.programmes.selectors import (
    ProgrammeNotDecided,
    ProgrammeState,
    no_contract_reason,
    not_in_force_reason,
    programme_as_of,
)


def _require_coordinator(user: User, municipality: Organisation) -> None:
    if not policy.is_coordinator_of(user, municipality):
        raise PermissionDenied(_("Nur die Programmkoordination der Kommune darf das ändern."))


@dataclass(frozen=True)
class DecisionDraft:
    """What a decision says of itself: who decided what, when, and on which condition."""

    body: str
    decided_on: dt.date
    reference: str
    title: str
    text: str = ""
    condition: str = ""
    # None: the municipality that owns the programme; else a funder of the programme.
    organisation: Organisation | None = None


@dataclass(frozen=True)
class NewModule:
    code: str
    name: str
    valid_from: dt.date
    cost_basis: str
    local_name: str = ""
    valid_until: dt.date | None = None
    unit_rate: Decimal | None = None
    counts_in_state_monitoring: bool = True


@dataclass(frozen=True)
class NewEligibilityRule:
    min_age: int = 18
    max_age: int = 27
    main_group_statuses: list[str] = field(default_factory=list)
    special_case_statuses: list[str] = field(default_factory=list)
    excluded_statuses: list[str] = field(default_factory=list)
    secondary_group_allowed: bool = True
    excludes_state_reception: bool = True
    place_of_residence: str = ""


@dataclass(frozen=True)
class NewReallocation:
    budget_year: int
    from_module: Module
    to_module: Module
    amount: Decimal


@dataclass(frozen=True)
class NewBudgetLine:
    """Money a decision plans: for a module (or, at set-up, a module's code), a year, a provider."""

    module: Module | str
    budget_year: int
    planned_amount: Decimal
    provider: Organisation | None = None


@dataclass(frozen=True)
class NewContract:
    """A forwarding contract a decision concludes with a provider for one module (at set-up,
    a module's code)."""

    provider: Organisation
    module: Module | str
    reference: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    maximum_amount: Decimal | None = None


@dataclass(frozen=True)
class NewAmendment:
    """What one amendment of a decision changes; which fields matter depends on ``kind``."""

    kind: str
    effective_on: dt.date
    new_end_date: dt.date | None = None
    module: Module | None = None
    successor_programme: Programme | None = None
    eligibility_rule: NewEligibilityRule | None = None
    reallocations: tuple[NewReallocation, ...] = ()
    budget_lines: tuple[NewBudgetLine, ...] = ()
    new_module: NewModule | None = None
    new_rate: Decimal | None = None
    revokes: Amendment | None = None
    new_contract: NewContract | None = None
    summary: str = ""


def programme_set_up(
    *,
    acting_user: User,
    owner: Organisation,
    code: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    decision: DecisionDraft,
    description: str = "",
    modules: Sequence[NewModule] = (),
    eligibility_rule: NewEligibilityRule | None = None,
    budget_lines: Sequence[NewBudgetLine] = (),
    contracts: Sequence[NewContract] = (),
) -> Programme:
    """Create a programme through the decision that sets it up; all of it or nothing."""
    _require_coordinator(acting_user, owner)
    programme = Programme(
        owner=owner,
        code=code,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )
    raise_if_invalid(("", programme, None))
    set_up = NewAmendment(
        kind=AmendmentKind.SET_UP,
        effective_on=decision.decided_on,
        new_end_date=ends_on,
        budget_lines=tuple(budget_lines),
        summary=_("Einrichtung des Programms"),
    )
    specs: list[NewAmendment] = [set_up]
    specs += [
        NewAmendment(kind=AmendmentKind.ADD_MODULE, effective_on=decision.decided_on, new_module=m)
        for m in modules
    ]
    if eligibility_rule is not None:
        specs.append(
            NewAmendment(
                kind=AmendmentKind.CHANGE_ELIGIBILITY,
                effective_on=starts_on,
                eligibility_rule=eligibility_rule,
            )
        )
    specs += [
        NewAmendment(
            kind=AmendmentKind.FORWARD_FUNDS, effective_on=decision.decided_on, new_contract=c
        )
        for c in contracts
    ]
    with transaction.atomic():
        programme.save()
        recorded = _decision_save(
            acting_user=acting_user, programme=programme, draft=decision, amendments=specs
        )
        _adopt(acting_user=acting_user, decision=recorded)
    return programme


def offer_create(
    *, acting_user: User, module: Module, provider: Organisation, **fields: Any
) -> Offer:
    """Offers are set up by the coordination or by the provider that runs them, under a
    forwarding contract for the module in force on the offer's first day. Offers and course
    runs are operational records, not decisions: the contract behind them is one."""
    municipality = module.programme.owner
    if not (
        policy.is_coordinator_of(acting_user, municipality)
        or policy.has_role(acting_user, "provider_admin", provider)
    ):
        raise PermissionDenied(_("Angebote legt die Koordination oder die Trägerleitung an."))
    offer = Offer(module=module, provider=provider, **fields)
    errors: dict[str, list[str]] = {}
    if provider.municipality_id != municipality.pk:
        errors["provider"] = [_("Der Träger arbeitet nicht in der Kommune dieses Programms.")]
    if offer.starts_on:
        not_running = not_in_force_reason(
            programme=module.programme, on=offer.starts_on, module=module
        )
        if not_running is not None:
            errors["starts_on"] = [not_running]
        elif "provider" not in errors:
            no_contract = no_contract_reason(module=module, provider=provider, on=offer.starts_on)
            if no_contract is not None:
                errors["provider"] = [no_contract]
    if offer.ends_on and offer.starts_on and offer.ends_on >= offer.starts_on:
        # A run ends while its module still runs: it is paid from the module's budget.
        not_running_then = not_in_force_reason(
            programme=module.programme, on=offer.ends_on, module=module
        )
        if not_running_then is not None and "starts_on" not in errors:
            errors["ends_on"] = [not_running_then]
    return create_audited(offer, acting_user=acting_user, organisation=provider, found=errors)


def _decision_save(
    *,
    acting_user: User,
    programme: Programme,
    draft: DecisionDraft,
    amendments: Sequence[NewAmendment],
) -> Decision:
    """Validate a decision with its amendments and save it as a proposal, or raise with
    nothing saved: the decision's own problems all at once, then those of the first amendment
    that has any (all of its problems, prefixed ``amendment_N.``). The forms check each
    amendment's fields beforehand, so what reaches this point is what only the record can say."""
    from teilhabe.budgets.models import BudgetLine, Reallocation

    organisation = draft.organisation or programme.owner
    found: dict[str, list[str]] = {}
    if not amendments:
        found["amendments"] = [_("Ein Beschluss ändert mindestens eine Sache.")]
    if (
        organisation.pk != programme.owner_id
        and not programme.funding_notices.filter(funder=organisation).exists()
    ):
        found["organisation"] = [
            _("Beschließen kann die Kommune des Programms oder einer seiner Fördermittelgeber.")
        ]
    decision = Decision(
        programme=programme,
        organisation=organisation,
        body=draft.body,
        decided_on=draft.decided_on,
        reference=draft.reference,
        title=draft.title,
        text=draft.text,
        condition=draft.condition,
        status=DecisionStatus.PROPOSED,
    )
    raise_if_invalid(("", decision, None), found=found)
    with transaction.atomic():
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:
            # The same reference saved a moment ago by another request (a double click):
            # checked again, it is now the constraint's clear message, not a server error.
            raise_if_invalid(("", decision, None))
            raise
        modules_by_code = {m.code: m for m in programme.modules.all()}
        # Modules first: budget lines of the same decision may name a module it adds.
        saved: list[tuple[str, NewAmendment, Amendment]] = []
        for number, spec in enumerate(amendments, start=1):
            prefix = f"amendment_{number}."
            amendment = Amendment(
                decision=decision,
                programme=programme,
                kind=spec.kind,
                position=number,
                effective_on=spec.effective_on,
                new_end_date=spec.new_end_date,
                module=_contract_module(spec, modules_by_code, prefix) or spec.module,
                successor_programme=spec.successor_programme,
                new_rate=spec.new_rate,
                revokes=spec.revokes,
                summary=spec.summary,
            )
            if spec.kind == AmendmentKind.CHANGE_ELIGIBILITY and spec.eligibility_rule is not None:
                rule = EligibilityRule(
                    programme=programme,
                    valid_from=spec.effective_on,
                    **spec.eligibility_rule.__dict__,
                )
                raise_if_invalid((prefix + "rule.", rule, None))
                rule.save()
                amendment.eligibility_rule = rule
            raise_if_invalid(
                (prefix, amendment, None),
                found=_amendment_errors(
                    programme, decision, amendment, _Parts.of_spec(spec), prefix
                ),
            )
            amendment.save()
            if spec.kind == AmendmentKind.ADD_MODULE and spec.new_module is not None:
                module = Module(programme=programme, added_by=amendment, **spec.new_module.__dict__)
                module_errors: dict[str, list[str]] = {}
                if module.code in modules_by_code:
                    module_errors[prefix + "module.code"] = [
                        _("Dieses Kürzel gibt es im Programm schon.")
                    ]
                raise_if_invalid((prefix + "module.", module, ["added_by"]), found=module_errors)
                module.save()
                modules_by_code[module.code] = module
            if spec.new_contract is not None and amendment.module is not None:
                _contract_save(programme, decision, amendment, spec.new_contract, prefix)
            saved.append((prefix, spec, amendment))
        for prefix, spec, amendment in saved:
            for new_line in spec.budget_lines:
                named = new_line.module
                if isinstance(named, str) and named not in modules_by_code:
                    raise ValidationError(
                        {
                            prefix + "budget_line.module": [
                                _("Den Baustein %(code)s gibt es nicht.") % {"code": named}
                            ]
                        }
                    )
                planned_for = modules_by_code[named] if isinstance(named, str) else named
                line = BudgetLine(
                    adopted_by=amendment,
                    module=planned_for,
                    budget_year=new_line.budget_year,
                    planned_amount=new_line.planned_amount,
                    provider=new_line.provider,
                )
                line_errors: dict[str, list[str]] = {}
                if planned_for.programme_id != programme.pk:
                    line_errors[prefix + "budget_line.module"] = [
                        _("Der Baustein gehört nicht zu diesem Programm.")
                    ]
                if (
                    line.provider is not None
                    and line.provider.municipality_id != programme.owner_id
                ):
                    line_errors[prefix + "budget_line.provider"] = [
                        _("Der Träger arbeitet nicht in der Kommune dieses Programms.")
                    ]
                raise_if_invalid((prefix + "budget_line.", line, None), found=line_errors)
                line.save()
            for new_move in spec.reallocations:
                reallocation = Reallocation(amendment=amendment, **new_move.__dict__)
                raise_if_invalid(
                    (prefix + "reallocation.", reallocation, None),
                    found=_reallocation_errors(programme, amendment, new_move, prefix),
                )
                reallocation.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=decision,
            organisation=programme.owner,
            details={"amendments": [a.kind for a in amendments], "status": decision.status},
        )
    return decision


def _contract_module(
    spec: NewAmendment, modules_by_code: dict[str, Module], prefix: str
) -> Module | None:
    """The module a contract names: itself, or (at set-up) the module of that code."""
    if spec.kind != AmendmentKind.FORWARD_FUNDS or spec.new_contract is None:
        return None
    named = spec.new_contract.module
    if isinstance(named, Module):
        return named
    if named not in modules_by_code:
        raise ValidationError(
            {
                prefix + "contract.module": [
                    _("Den Baustein %(code)s gibt es nicht.") % {"code": named}
                ]
            }
        )
    return modules_by_code[named]


def _contract_save(
    programme: Programme,
    decision: Decision,
    amendment: Amendment,
    new: NewContract,
    prefix: str,
) -> None:
    assert amendment.module is not None
    contract = ForwardingContract(
        added_by=amendment,
        provider=new.provider,
        module=amendment.module,
        reference=new.reference,
        valid_from=new.valid_from,
        valid_until=new.valid_until,
        maximum_amount=new.maximum_amount,
    )
    raise_if_invalid(
        (prefix + "contract.", contract, ["added_by"]),
        found=_contract_errors(programme, decision, contract, prefix),
    )
    contract.save()


def _contract_errors(
    programme: Programme, decision: Decision, contract: ForwardingContract, prefix: str
) -> dict[str, list[str]]:
    """A contract binds a provider of the programme's city, for a module of the programme
    that runs on the contract's first day, within the programme's period — read with the
    decision as if adopted (a set-up decision sets up the modules it contracts for)."""
    errors: dict[str, list[str]] = {}
    key = prefix + "contract."
    provider = contract.provider
    if (
        provider.kind != Organisation.Kind.PROVIDER
        or provider.municipality_id != programme.owner_id
    ):
        errors[key + "provider"] = [
            _("Einen Weiterleitungsvertrag schließt ein Träger in der Kommune dieses Programms.")
        ]
    if contract.module.programme_id != programme.pk:
        errors[key + "module"] = [_("Der Baustein gehört nicht zu diesem Programm.")]
        return errors
    day = contract.valid_from
    try:
        state = programme_as_of(programme=programme, as_of=day, including=decision)
    except ProgrammeNotDecided as not_decided:
        errors[key + "valid_from"] = [str(not_decided)]
        return errors
    period = {
        "start": programme.starts_on.strftime("%d.%m.%Y"),
        "end": state.ends_on.strftime("%d.%m.%Y"),
    }
    if not state.is_running:
        errors[key + "valid_from"] = [
            _("Der Vertrag beginnt außerhalb der Laufzeit (%(start)s bis %(end)s).") % period
        ]
        return errors
    module = state.module_by_id(contract.module.pk)
    if module is None or not module.is_running_on(day):
        errors[key + "module"] = [
            _("Der Baustein %(code)s läuft am %(day)s nicht.")
            % {"code": contract.module.code, "day": day.strftime("%d.%m.%Y")}
        ]
    if contract.valid_until is not None and contract.valid_until > state.ends_on:
        errors[key + "valid_until"] = [
            _("Der Vertrag kann nicht über die Laufzeit hinaus gelten (bis %(end)s).") % period
        ]
    return errors


def _state_known_today(programme: Programme, on: dt.date) -> ProgrammeState | None:
    try:
        return programme_as_of(programme=programme, as_of=on)
    except ProgrammeNotDecided:
        return None


@dataclass(frozen=True)
class _Parts:
    """What an amendment brings besides its own fields (new or stored)."""

    has_rule: bool
    has_new_module: bool
    has_budget_lines: bool
    reallocations: tuple[NewReallocation, ...]
    has_contract: bool = False

    @classmethod
    def of_spec(cls, spec: NewAmendment) -> _Parts:
        return cls(
            has_rule=spec.eligibility_rule is not None,
            has_new_module=spec.new_module is not None,
            has_budget_lines=bool(spec.budget_lines),
            reallocations=spec.reallocations,
            has_contract=spec.new_contract is not None,
        )

    @classmethod
    def of_stored(cls, amendment: Amendment) -> _Parts:
        return cls(
            has_rule=amendment.eligibility_rule_id is not None,
            has_new_module=amendment.added_modules.exists(),
            has_budget_lines=amendment.budget_lines.exists(),
            reallocations=tuple(
                NewReallocation(r.budget_year, r.from_module, r.to_module, r.amount)
                for r in amendment.reallocations.select_related("from_module", "to_module")
            ),
            has_contract=amendment.forwarding_contracts.exists(),
        )


def _amendment_errors(
    programme: Programme,
    decision: Decision,
    amendment: Amendment,
    parts: _Parts,
    prefix: str,
) -> dict[str, list[str]]:
    """What is wrong with one amendment, read against the programme as known today."""
    errors: dict[str, list[str]] = {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(prefix + field_name, []).append(message)

    kind = amendment.kind
    if kind == AmendmentKind.SET_UP and programme.decisions.exclude(pk=decision.pk).exists():
        add("kind", _("Ein Programm wird einmal eingerichtet; ändern Sie es durch Beschlüsse."))
    if kind != AmendmentKind.SET_UP:
        state = _state_known_today(programme, amendment.effective_on)
        set_up_part = kind in (
            AmendmentKind.ADD_MODULE,
            AmendmentKind.CHANGE_ELIGIBILITY,
        ) or (
            kind == AmendmentKind.FORWARD_FUNDS and programme_is_being_set_up(programme, decision)
        )
        if state is None and not set_up_part:
            add("effective_on", _("An diesem Tag war das Programm noch nicht eingerichtet."))
    else:
        state = None
    if amendment.module is not None and amendment.module.programme_id != programme.pk:
        add("module", _("Der Baustein gehört nicht zu diesem Programm."))
    if kind == AmendmentKind.CHANGE_ELIGIBILITY:
        if amendment.effective_on < decision.decided_on and not programme_is_being_set_up(
            programme, decision
        ):
            # Cases opened before were judged by the rule then in force; their snapshots
            # must stay true.
            add("effective_on", _("Förderregeln ändern sich nicht rückwirkend."))
        if not parts.has_rule:
            add("rule", _("Eine Änderung der Förderregeln braucht die neue Regel."))
    if kind == AmendmentKind.ADD_MODULE and not parts.has_new_module:
        add("module", _("Nennen Sie den neuen Baustein."))
    if kind == AmendmentKind.END_MODULE and amendment.module is not None and state is not None:
        current = state.module_by_id(amendment.module.pk)
        if current is None:
            add("module", _("Dieser Baustein war an diesem Tag nicht beschlossen."))
        elif amendment.new_end_date and amendment.new_end_date > current.valid_until:
            add(
                "new_end_date",
                _("Das Ende eines Bausteins kann ihn nicht verlängern (bisher bis %(day)s).")
                % {"day": current.valid_until.strftime("%d.%m.%Y")},
            )
    if (
        kind == AmendmentKind.CHANGE_RATE
        and amendment.module is not None
        and state is not None
        and state.module_by_id(amendment.module.pk) is None
    ):
        add("module", _("Dieser Baustein war an diesem Tag nicht beschlossen."))
    if kind == AmendmentKind.MOVE_BUDGET and not parts.reallocations:
        add("reallocations", _("Eine Umschichtung nennt mindestens einen Betrag."))
    if kind == AmendmentKind.FORWARD_FUNDS and not parts.has_contract:
        add("contract", _("Nennen Sie den Weiterleitungsvertrag."))
    if kind == AmendmentKind.ADD_BUDGET and not parts.has_budget_lines:
        add("budget_lines", _("Nennen Sie mindestens einen Haushaltsansatz."))
    if kind == AmendmentKind.REVOKE and amendment.revokes is not None:
        target = amendment.revokes
        if target.programme_id != programme.pk:
            add("revokes", _("Die aufgehobene Änderung gehört nicht zu diesem Programm."))
        elif not target.decision.is_recorded:
            add("revokes", _("Aufheben lässt sich nur eine beschlossene Änderung."))
        elif target.kind in (AmendmentKind.SET_UP, AmendmentKind.REVOKE):
            add(
                "revokes",
                _("Die Einrichtung und Aufhebungen werden nicht aufgehoben; beschließen Sie neu."),
            )
        elif target.revoked_by.filter(decision__status__in=RECORDED_STATUSES).exists():
            add("revokes", _("Diese Änderung ist schon aufgehoben."))
    return errors


def programme_is_being_set_up(programme: Programme, decision: Decision) -> bool:
    """The decision is the programme's first: its rule may start with the programme."""
    return not programme.decisions.exclude(pk=decision.pk).exists()


def _reallocation_errors(
    programme: Programme, amendment: Amendment, move: NewReallocation, prefix: str
) -> dict[str, list[str]]:
    """Money is moved within the programme, in a budget year not yet over when the move takes
    effect, to a module that runs to the end of that year, and never more than the giving
    module still has: in force, less what was spent and what
    booked course runs commit (``budgets.reallocation``, read on the day it takes effect or
    today, whichever is later)."""
    from teilhabe.budgets.reallocation import receives_nothing, shortfall
    from teilhabe.budgets.selectors import budget_overview

    errors: dict[str, list[str]] = {}
    key = prefix + "reallocation."
    for side, module in (("from_module", move.from_module), ("to_module", move.to_module)):
        if module.programme_id != programme.pk:
            errors[key + side] = [_("Der Baustein gehört nicht zu diesem Programm.")]
    if amendment.effective_on.year > move.budget_year:
        # The year's books are closed: money of a past year is not moved any more.
        errors[prefix + "effective_on"] = [
            _(
                "Eine Umschichtung im Haushaltsjahr %(year)s wird spätestens am 31.12.%(year)s "
                "wirksam."
            )
            % {"year": move.budget_year}
        ]
    if errors:
        return errors
    state = _state_known_today(programme, amendment.effective_on)
    if state is None:
        return errors
    ended = receives_nothing(state, move.to_module, move.budget_year)
    if ended:
        errors[key + "to_module"] = [ended]
    overview = budget_overview(
        programme=programme, as_of=max(amendment.effective_on, timezone.localdate())
    )
    short = shortfall(overview, move.from_module, move.budget_year, move.amount)
    if short:
        errors[key + "amount"] = [short]
    return errors


def _adopt(*, acting_user: User, decision: Decision) -> Decision:
    """Number the decision in its programme's record and put it in force (or wait for its
    condition). The programme row is locked so that two adoptions get two numbers.

    A decision dated later than today is a proposal for a session still to come: it enters
    the record on or after that day, never before (its "known since" would be a day that has
    not happened)."""
    today = timezone.localdate()
    if decision.decided_on > today:
        raise ValidationError(
            {
                "decided_on": [
                    _(
                        "Der Beschluss ist auf den %(day)s datiert. In den Bestand kommt er "
                        "frühestens an diesem Tag."
                    )
                    % {"day": date_format(decision.decided_on, "SHORT_DATE_FORMAT")}
                ]
            }
        )
    Programme.objects.select_for_update().filter(pk=decision.programme_id).first()
    last = Decision.objects.filter(programme_id=decision.programme_id).aggregate(
        last=Max("sequence")
    )["last"]
    decision.sequence = (last or 0) + 1
    decision.adopted_by = acting_user
    if decision.condition:
        decision.status = DecisionStatus.CONDITIONAL
    else:
        decision.status = DecisionStatus.ADOPTED
        decision.known_from = today
    decision.save(update_fields=["sequence", "adopted_by", "status", "known_from", "updated_at"])
    if decision.status == DecisionStatus.ADOPTED:
        _mark_revoked_decisions(decision)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=decision,
        organisation=decision.programme.owner,
        fields=["status", "sequence", "known_from"],
        details={"status": decision.status, "sequence": decision.sequence},
    )
    return decision


def _mark_revoked_decisions(decision: Decision) -> None:
    """A decision every amendment of which is now revoked is shown as revoked (it stays in
    the record: readings of days before the revocation still see what it changed)."""
    targets = Decision.objects.filter(
        amendments__revoked_by__decision=decision, status=DecisionStatus.ADOPTED
    ).distinct()
    for target in targets:
        open_ones = target.amendments.exclude(revoked_by__decision__status__in=RECORDED_STATUSES)
        if not open_ones.exists():
            target.status = DecisionStatus.REVOKED
            target.save(update_fields=["status", "updated_at"])


def decision_propose(
    *,
    acting_user: User,
    programme: Programme,
    decision: DecisionDraft,
    amendments: Sequence[NewAmendment],
) -> Decision:
    """Enter a decision as a proposal: it changes nothing until adopted, and can be previewed."""
    _require_coordinator(acting_user, programme.owner)
    return _decision_save(
        acting_user=acting_user, programme=programme, draft=decision, amendments=amendments
    )


def _require_status(decision: Decision, status: str, message: str) -> None:
    if decision.status != status:
        raise ValidationError({"status": [message]})


def decision_adopt(*, acting_user: User, decision: Decision) -> Decision:
    """Adopt a proposal in one transaction: re-checked against the record as it is now."""
    _require_coordinator(acting_user, decision.programme.owner)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _require_status(
            decision, DecisionStatus.PROPOSED, _("Nur ein Entwurf kann beschlossen werden.")
        )
        errors: dict[str, list[str]] = {}
        for amendment in decision.amendments.select_related("module", "revokes__decision"):
            prefix = f"amendment_{amendment.position}."
            parts = _Parts.of_stored(amendment)
            errors.update(_amendment_errors(decision.programme, decision, amendment, parts, prefix))
            for move in parts.reallocations:
                errors.update(_reallocation_errors(decision.programme, amendment, move, prefix))
            for contract in amendment.forwarding_contracts.select_related("provider", "module"):
                errors.update(_contract_errors(decision.programme, decision, contract, prefix))
        if errors:
            raise ValidationError(errors)
        return _adopt(acting_user=acting_user, decision=decision)


def decision_condition_met(
    *, acting_user: User, decision: Decision, met_on: dt.date, evidence: str
) -> Decision:
    """Record that a decision's condition is met: from today the record holds it in force."""
    _require_coordinator(acting_user, decision.programme.owner)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if met_on > today:
        errors["condition_met_on"] = [_("Der Tag liegt in der Zukunft.")]
    if met_on < decision.decided_on:
        errors["condition_met_on"] = [_("Der Vorbehalt kann nicht vor dem Beschluss erfüllt sein.")]
    if not evidence.strip():
        errors["condition_evidence"] = [_("Nennen Sie den Nachweis, z. B. den Bescheid.")]
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _require_status(
            decision,
            DecisionStatus.CONDITIONAL,
            _("Nur ein Beschluss unter Vorbehalt wartet auf dessen Erfüllung."),
        )
        if errors:
            raise ValidationError(errors)
        decision.condition_met_on = met_on
        decision.condition_evidence = evidence.strip()
        decision.status = DecisionStatus.ADOPTED
        decision.known_from = max(decision.decided_on, today)
        decision.save(
            update_fields=[
                "condition_met_on",
                "condition_evidence",
                "status",
                "known_from",
                "updated_at",
            ]
        )
        _mark_revoked_decisions(decision)
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=decision,
            organisation=decision.programme.owner,
            fields=["condition_met_on", "condition_evidence", "status", "known_from"],
        )
    return decision


def decision_reject(*, acting_user: User, decision: Decision) -> Decision:
    """A proposal that was not adopted stays on file as such; it never changes anything."""
    _require_coordinator(acting_user, decision.programme.owner)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _require_status(
            decision, DecisionStatus.PROPOSED, _("Nur ein Entwurf kann verworfen werden.")
        )
        decision.status = DecisionStatus.REJECTED
        decision.save(update_fields=["status", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=decision,
            organisation=decision.programme.owner,
            fields=["status"],
        )
    return decision


def decision_record(
    *,
    acting_user: User,
    programme: Programme,
    decision: DecisionDraft,
    amendments: Sequence[NewAmendment],
) -> Decision:
    """Propose and adopt in one go (a decision already taken, entered afterwards)."""
    _require_coordinator(acting_user, programme.owner)
    with transaction.atomic():
        proposed = _decision_save(
            acting_user=acting_user, programme=programme, draft=decision, amendments=amendments
        )
        return _adopt(acting_user=acting_user, decision=proposed)
