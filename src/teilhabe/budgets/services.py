"""Every write to budgets: validated, atomic, permission-checked (coordination only), audited.

Planned amounts (budget lines) and moves between modules are part of a programme's decisions
(``programmes.services``); here are the funding notice and what is spent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice
from teilhabe.core.services import create_audited
from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import not_in_force_reason


def _require_coordinator(user: User, programme: Programme) -> None:
    if not policy.is_coordinator_of(user, programme.owner):
        raise PermissionDenied(_("Nur die Programmkoordination der Kommune verwaltet das Budget."))


def funding_notice_create(
    *,
    acting_user: User,
    programme: Programme,
    funder: Organisation,
    reference: str,
    issued_on: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    total_amount: Decimal,
    state_share_percent: Decimal = Decimal("80"),
    conditions: str = "",
) -> FundingNotice:
    _require_coordinator(acting_user, programme)
    notice = FundingNotice(
        programme=programme,
        funder=funder,
        reference=reference,
        issued_on=issued_on,
        period_start=period_start,
        period_end=period_end,
        total_amount=total_amount,
        state_share_percent=state_share_percent,
        conditions=conditions,
    )
    errors: dict[str, list[str]] = {}
    if funder.kind != Organisation.Kind.FUNDER:
        errors["funder"] = [_("Einen Zuwendungsbescheid erlässt ein Fördermittelgeber.")]
    return create_audited(
        notice, acting_user=acting_user, organisation=programme.owner, found=errors
    )


def expenditure_record(
    *,
    acting_user: User,
    budget_line: BudgetLine,
    spent_on: dt.date,
    category: str,
    amount: Decimal,
    quantity: Decimal | None = None,
    receipt_reference: str = "",
) -> Expenditure:
    programme = budget_line.module.programme
    _require_coordinator(acting_user, programme)
    errors: dict[str, list[str]] = {}
    not_running = not_in_force_reason(programme=programme, on=spent_on, module=budget_line.module)
    if not_running is not None:
        errors["spent_on"] = [not_running]
    expenditure = Expenditure(
        budget_line=budget_line,
        spent_on=spent_on,
        category=category,
        amount=amount,
        quantity=quantity,
        receipt_reference=receipt_reference,
    )
    return create_audited(
        expenditure, acting_user=acting_user, organisation=programme.owner, found=errors
    )
