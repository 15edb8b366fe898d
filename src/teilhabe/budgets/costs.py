"""Cost bases: how a quantity becomes an amount, per module.

- staff positions: full-time equivalents × months (``staff_months``) × the monthly rate;
- teaching hours: hours × the rate per hour (37.50 € in Cologne);
- course flat rates: courses × the rate per course;
- actual costs (exams, travel, childcare) and project grants (F5): the amount on the receipt,
  no quantity turns into money.

The rate is the module's rate in force on the day of the expenditure, as known today
(``programme_as_of(...).module(code).unit_rate``): a CHANGE_RATE amendment applies from its
day. Amounts are ``Decimal``, rounded half up to the cent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from teilhabe.budgets.models import to_cent
from teilhabe.programmes.models import CostBasis, Module
from teilhabe.programmes.selectors import rate_book_for

# The bases whose expenditures are counted in units with a rate.
RATED_BASES = frozenset(
    {CostBasis.STAFF_POSITIONS, CostBasis.TEACHING_HOURS, CostBasis.COURSE_FLAT_RATE}
)


@dataclass(frozen=True)
class CostCalculation:
    module: Module
    on: dt.date
    quantity: Decimal
    rate: Decimal
    amount: Decimal


def staff_months(positions: Decimal, months: Decimal) -> Decimal:
    """Staff positions (full-time equivalents) × months: the quantity of a staff cost basis."""
    return positions * months


def amount_for(*, cost_basis: str, quantity: Decimal, rate: Decimal | None) -> Decimal:
    """Quantity × rate, to the cent; refused for a basis without a rate or a module without one."""
    if cost_basis not in RATED_BASES:
        raise ValidationError(
            _("Für die Kostenbasis „%(basis)s“ wird der Betrag angegeben, nicht eine Menge.")
            % {"basis": CostBasis(cost_basis).label}
        )
    if rate is None:
        raise ValidationError(_("Für diesen Baustein ist kein Satz je Einheit beschlossen."))
    if quantity < 0:
        raise ValidationError(_("Die Menge darf nicht negativ sein."))
    return to_cent(quantity * rate)


def rate_in_force(module: Module, on: dt.date) -> Decimal | None:
    """The module's rate on that day as known today (its own, or the latest CHANGE_RATE)."""
    return rate_book_for(programme=module.programme).rate_on(module, on)


def course_run_cost(
    *, cost_basis: str, teaching_hours: int | None, rate: Decimal
) -> Decimal | None:
    """What one course run costs its module: its teaching hours × the hourly rate, or one
    course × the flat rate per course; None where a module is not paid per run (staff
    positions, actual costs, grants) or an hourly-paid run has no hours."""
    if cost_basis == CostBasis.COURSE_FLAT_RATE:
        return to_cent(rate)
    if cost_basis == CostBasis.TEACHING_HOURS and teaching_hours is not None:
        return to_cent(rate * teaching_hours)
    return None


def calculate(*, module: Module, on: dt.date, quantity: Decimal) -> CostCalculation:
    """What a quantity of the module's unit costs on that day."""
    rate = rate_in_force(module, on)
    amount = amount_for(cost_basis=module.cost_basis, quantity=quantity, rate=rate)
    assert rate is not None
    return CostCalculation(module=module, on=on, quantity=quantity, rate=rate, amount=amount)
