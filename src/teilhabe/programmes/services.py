"""Every write to programme set-up: validated, atomic, permission-checked, audited.

Only the programme coordination of the owning municipality changes a programme. A decision
and all its amendments are adopted together or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.core.services import create_audited, raise_if_invalid
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    Decision,
    EligibilityRule,
    Module,
    Offer,
    Programme,
)


def _require_coordinator(user: User, municipality: Organisation) -> None:
    if not policy.is_coordinator_of(user, municipality):
        raise PermissionDenied(_("Nur die Programmkoordination der Kommune darf das ändern."))


def programme_create(
    *,
    acting_user: User,
    owner: Organisation,
    code: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
) -> Programme:
    _require_coordinator(acting_user, owner)
    programme = Programme(
        owner=owner,
        code=code,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )
    return create_audited(programme, acting_user=acting_user, organisation=owner)


def module_create(*, acting_user: User, programme: Programme, **fields: Any) -> Module:
    _require_coordinator(acting_user, programme.owner)
    module = Module(programme=programme, **fields)
    return create_audited(module, acting_user=acting_user, organisation=programme.owner)


def offer_create(
    *, acting_user: User, module: Module, provider: Organisation, **fields: Any
) -> Offer:
    """Offers are set up by the coordination or by the provider that runs them."""
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
    return create_audited(offer, acting_user=acting_user, organisation=provider, found=errors)


@dataclass(frozen=True)
class NewEligibilityRule:
    min_age: int = 18
    max_age: int = 27
    main_group_statuses: list[str] = field(default_factory=list)
    special_case_statuses: list[str] = field(default_factory=list)
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
    """Money a decision adds, e.g. the budget for the years of an extension."""

    module: Module
    budget_year: int
    planned_amount: Decimal
    provider: Organisation | None = None


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
    summary: str = ""


def decision_adopt(
    *,
    acting_user: User,
    programme: Programme,
    body: str,
    decided_on: dt.date,
    reference: str,
    title: str,
    text: str = "",
    amendments: list[NewAmendment],
) -> Decision:
    """Record a decision with its amendments. Any invalid part refuses the whole decision."""
    from teilhabe.budgets.models import BudgetLine, Reallocation

    municipality = programme.owner
    _require_coordinator(acting_user, municipality)
    if not amendments:
        raise ValidationError({"amendments": [_("Ein Beschluss ändert mindestens eine Sache.")]})

    decision = Decision(
        organisation=municipality,
        body=body,
        decided_on=decided_on,
        reference=reference,
        title=title,
        text=text,
    )
    raise_if_invalid(("", decision, None))

    with transaction.atomic():
        decision.save()
        for number, spec in enumerate(amendments, start=1):
            prefix = f"amendment_{number}."
            if spec.effective_on < decided_on and spec.kind == AmendmentKind.CHANGE_ELIGIBILITY:
                # Eligibility cannot be widened retroactively: cases opened before were judged
                # by the rule then in force, and their snapshots must stay true.
                raise ValidationError(
                    {prefix + "effective_on": [_("Förderregeln ändern sich nicht rückwirkend.")]}
                )
            rule = None
            if spec.kind == AmendmentKind.CHANGE_ELIGIBILITY and spec.eligibility_rule is not None:
                rule = EligibilityRule(
                    programme=programme,
                    valid_from=spec.effective_on,
                    **spec.eligibility_rule.__dict__,
                )
                raise_if_invalid((prefix + "rule.", rule, None))
                rule.save()
            amendment = Amendment(
                decision=decision,
                programme=programme,
                kind=spec.kind,
                effective_on=spec.effective_on,
                new_end_date=spec.new_end_date,
                module=spec.module,
                successor_programme=spec.successor_programme,
                eligibility_rule=rule,
                summary=spec.summary,
            )
            raise_if_invalid((prefix, amendment, None))
            amendment.save()
            if spec.kind == AmendmentKind.MOVE_BUDGET and not spec.reallocations:
                raise ValidationError(
                    {
                        prefix + "reallocations": [
                            _("Eine Umschichtung nennt mindestens einen Betrag.")
                        ]
                    }
                )
            for reallocation_spec in spec.reallocations:
                reallocation = Reallocation(amendment=amendment, **reallocation_spec.__dict__)
                raise_if_invalid((prefix + "reallocation.", reallocation, None))
                reallocation.save()
            for line_spec in spec.budget_lines:
                line = BudgetLine(adopted_by=amendment, **line_spec.__dict__)
                raise_if_invalid((prefix + "budget_line.", line, None))
                line.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=decision,
            organisation=municipality,
            details={"amendments": [a.kind for a in amendments]},
        )
    return decision
