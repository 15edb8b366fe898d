"""Cost bases: quantities into amounts, to the cent, at the rate in force on the day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teilhabe.budgets.costs import amount_for, calculate, staff_months
from teilhabe.budgets.models import Expenditure
from teilhabe.budgets.services import expenditure_record
from teilhabe.programmes.models import AmendmentKind, CostBasis
from tests.factories import (
    AmendmentFactory,
    BudgetLineFactory,
    DecisionFactory,
    ModuleFactory,
    ProgrammeFactory,
)


def test_200_teaching_hours_at_37_50_are_7500_euros() -> None:
    assert amount_for(
        cost_basis=CostBasis.TEACHING_HOURS, quantity=Decimal("200"), rate=Decimal("37.50")
    ) == Decimal("7500.00")


def test_staff_positions_times_months_times_the_monthly_rate_half_up() -> None:
    quantity = staff_months(Decimal("1.5"), Decimal("7"))
    assert quantity == Decimal("10.5")
    # 10.5 × 4,321.67 € = 45,377.535 € → 45,377.54 €
    assert amount_for(
        cost_basis=CostBasis.STAFF_POSITIONS, quantity=quantity, rate=Decimal("4321.67")
    ) == Decimal("45377.54")


@pytest.mark.parametrize("basis", [CostBasis.ACTUAL_COSTS, CostBasis.PROJECT_GRANT])
def test_actual_costs_and_project_grants_take_an_amount_not_a_quantity(basis: str) -> None:
    with pytest.raises(ValidationError, match="Betrag angegeben"):
        amount_for(cost_basis=basis, quantity=Decimal("3"), rate=Decimal("10"))


def test_a_rated_module_without_a_rate_is_refused() -> None:
    with pytest.raises(ValidationError, match="kein Satz"):
        amount_for(cost_basis=CostBasis.TEACHING_HOURS, quantity=Decimal("1"), rate=None)


@pytest.mark.django_db
def test_the_rate_in_force_on_the_day_prices_the_quantity() -> None:
    module = ModuleFactory(cost_basis=CostBasis.TEACHING_HOURS, unit_rate=Decimal("37.50"))
    AmendmentFactory(
        decision=DecisionFactory(programme=module.programme, decided_on=dt.date(2022, 3, 17)),
        kind=AmendmentKind.CHANGE_RATE,
        module=module,
        new_rate=Decimal("41.00"),
        new_end_date=None,
        effective_on=dt.date(2022, 4, 1),
    )
    before = calculate(module=module, on=dt.date(2022, 3, 31), quantity=Decimal("200"))
    after = calculate(module=module, on=dt.date(2022, 4, 1), quantity=Decimal("200"))
    assert (before.rate, before.amount) == (Decimal("37.50"), Decimal("7500.00"))
    assert (after.rate, after.amount) == (Decimal("41.00"), Decimal("8200.00"))


@pytest.mark.django_db
def test_booking_a_quantity_without_an_amount_prices_it(coordinator, municipality) -> None:
    module = ModuleFactory(
        programme=ProgrammeFactory(owner=municipality),
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    line = BudgetLineFactory(module=module, budget_year=2021)
    expenditure = expenditure_record(
        acting_user=coordinator,
        budget_line=line,
        spent_on=dt.date(2021, 6, 30),
        category=Expenditure.Category.TEACHING_HOURS,
        quantity=Decimal("200"),
    )
    assert expenditure.amount == Decimal("7500.00")


@pytest.mark.django_db
def test_a_quantity_for_a_project_grant_is_refused_and_nothing_booked(
    coordinator, municipality
) -> None:
    module = ModuleFactory(
        programme=ProgrammeFactory(owner=municipality), cost_basis=CostBasis.PROJECT_GRANT
    )
    with pytest.raises(ValidationError) as refused:
        expenditure_record(
            acting_user=coordinator,
            budget_line=BudgetLineFactory(module=module, budget_year=2021),
            spent_on=dt.date(2021, 6, 30),
            category=Expenditure.Category.PROJECT_GRANT,
            quantity=Decimal("3"),
        )
    assert "Betrag angegeben" in refused.value.message_dict["quantity"][0]
    assert not Expenditure.objects.exists()


@pytest.mark.django_db
def test_a_receipt_is_booked_once(coordinator, municipality) -> None:
    line = BudgetLineFactory(module=ModuleFactory(programme=ProgrammeFactory(owner=municipality)))
    book = {
        "acting_user": coordinator,
        "budget_line": line,
        "spent_on": dt.date(2021, 6, 30),
        "category": Expenditure.Category.TRAVEL,
        "amount": Decimal("12.40"),
        "receipt_reference": "R-1",
    }
    expenditure_record(**book)
    with pytest.raises(ValidationError) as refused:
        expenditure_record(**book)
    assert refused.value.message_dict["receipt_reference"] == ["Der Beleg R-1 ist schon gebucht."]


@pytest.mark.django_db
def test_a_priced_quantity_with_a_booked_receipt_reports_every_problem(
    coordinator, municipality
) -> None:
    module = ModuleFactory(
        programme=ProgrammeFactory(owner=municipality),
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    line = BudgetLineFactory(module=module, budget_year=2021)
    book = {
        "acting_user": coordinator,
        "budget_line": line,
        "category": Expenditure.Category.TEACHING_HOURS,
        "quantity": Decimal("10"),
        "receipt_reference": "R-1",
    }
    expenditure_record(spent_on=dt.date(2021, 6, 30), **book)
    with pytest.raises(ValidationError) as refused:
        expenditure_record(spent_on=dt.date(2022, 1, 3), **book)
    assert set(refused.value.message_dict) == {"receipt_reference", "spent_on"}
