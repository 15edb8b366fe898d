import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.budgets.models import BudgetLine, Expenditure
from teilhabe.budgets.services import budget_line_create, expenditure_record, funding_notice_create
from tests.factories import BudgetLineFactory, ModuleFactory, ProgrammeFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_a_negative_budget_is_refused_with_a_message_and_nothing_saved(
    coordinator, municipality
) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(ValidationError) as error:
        budget_line_create(
            acting_user=coordinator, module=module, budget_year=2022, planned_amount=Decimal("-100")
        )
    assert error.value.message_dict["__all__"] == ["Der Planansatz darf nicht negativ sein."]
    assert not BudgetLine.objects.exists()


def test_a_provider_of_another_municipality_gets_no_budget_line(coordinator, municipality) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(ValidationError) as error:
        budget_line_create(
            acting_user=coordinator,
            module=module,
            budget_year=2022,
            planned_amount=Decimal("100"),
            provider=ProviderFactory(),
        )
    assert "Kommune dieses Programms" in error.value.message_dict["provider"][0]


def test_only_the_coordination_plans_budgets(coach_a, municipality) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(PermissionDenied):
        budget_line_create(
            acting_user=coach_a, module=module, budget_year=2022, planned_amount=Decimal("1")
        )


def test_a_funding_notice_must_come_from_a_funder(
    coordinator, municipality, provider_a, funder
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    kwargs = {
        "acting_user": coordinator,
        "programme": programme,
        "reference": "51.2-2020",
        "issued_on": dt.date(2020, 8, 3),
        "period_start": dt.date(2020, 7, 1),
        "period_end": dt.date(2022, 12, 31),
        "total_amount": Decimal("2956360"),
    }
    with pytest.raises(ValidationError) as error:
        funding_notice_create(funder=provider_a, **kwargs)
    assert "Fördermittelgeber" in error.value.message_dict["funder"][0]
    notice = funding_notice_create(funder=funder, **kwargs)
    assert notice.own_share == Decimal("591272.00")


def test_an_expenditure_is_recorded_in_its_budget_year(coordinator, municipality) -> None:
    line = BudgetLineFactory(
        module=ModuleFactory(programme=ProgrammeFactory(owner=municipality)), budget_year=2021
    )
    expenditure_record(
        acting_user=coordinator,
        budget_line=line,
        spent_on=dt.date(2021, 11, 30),
        category="teaching_hours",
        amount=Decimal("7500.00"),
        quantity=Decimal("200"),
    )
    with pytest.raises(ValidationError):
        expenditure_record(
            acting_user=coordinator,
            budget_line=line,
            spent_on=dt.date(2022, 1, 2),
            category="travel",
            amount=Decimal("-3"),
        )
    assert Expenditure.objects.count() == 1
