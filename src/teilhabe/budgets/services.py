"""Every write to budgets: validated, atomic, permission-checked (coordination only), audited.

Planned amounts (budget lines) and moves between modules are part of a programme's decisions
(``programmes.services``); here are the funding notice and what is spent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.budgets.costs import calculate
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


def expenditure_errors(
    *,
    budget_line: BudgetLine,
    spent_on: dt.date,
    amount: Decimal | None,
    quantity: Decimal | None,
    receipt_reference: str,
) -> dict[str, list[str]]:
    """What the programme's time and the books say against an expenditure (the model's own
    checks come on top): the module not running on the day, no amount and no quantity to
    price, a receipt reference already booked."""
    errors: dict[str, list[str]] = {}
    programme = budget_line.module.programme
    not_running = not_in_force_reason(programme=programme, on=spent_on, module=budget_line.module)
    if not_running is not None:
        errors["spent_on"] = [not_running]
    if amount is None:
        if quantity is None:
            errors["amount"] = [_("Geben Sie einen Betrag oder eine Menge an.")]
        elif not_running is None:
            try:
                calculate(module=budget_line.module, on=spent_on, quantity=quantity)
            except ValidationError as refused:
                errors["quantity"] = list(refused.messages)
    if (
        receipt_reference
        and Expenditure.objects.filter(
            budget_line__module__programme=programme, receipt_reference=receipt_reference
        ).exists()
    ):
        errors["receipt_reference"] = [
            _("Der Beleg %(reference)s ist schon gebucht.") % {"reference": receipt_reference}
        ]
    return errors


def expenditure_record(
    *,
    acting_user: User,
    budget_line: BudgetLine,
    spent_on: dt.date,
    category: str,
    amount: Decimal | None = None,
    quantity: Decimal | None = None,
    receipt_reference: str = "",
) -> Expenditure:
    """Book an expenditure. Without an amount, the quantity is priced by the module's cost
    basis at the rate in force on the day (``costs.calculate``)."""
    programme = budget_line.module.programme
    _require_coordinator(acting_user, programme)
    errors = expenditure_errors(
        budget_line=budget_line,
        spent_on=spent_on,
        amount=amount,
        quantity=quantity,
        receipt_reference=receipt_reference,
    )
    if amount is None and quantity is not None and not errors:
        amount = calculate(module=budget_line.module, on=spent_on, quantity=quantity).amount
    if amount is None:  # nothing to price it with: the errors say why
        raise ValidationError(errors)
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
