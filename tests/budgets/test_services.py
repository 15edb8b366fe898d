import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.budgets.models import BudgetLine, Expenditure
from teilhabe.budgets.services import expenditure_record, funding_notice_create
from teilhabe.programmes.models import AmendmentKind, Decision
from teilhabe.programmes.selectors import programme_as_of
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewBudgetLine,
    decision_record,
)
from tests.factories import BudgetLineFactory, ModuleFactory, ProgrammeFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def _plan(user, module, amount: str, provider=None) -> None:
    """A decision of the council planning money for a module."""
    decision_record(
        acting_user=user,
        programme=module.programme,
        decision=DecisionDraft(
            body="Rat", decided_on=dt.date(2021, 12, 9), reference="9/2021", title="Haushalt 2022"
        ),
        amendments=[
            NewAmendment(
                kind=AmendmentKind.ADD_BUDGET,
                effective_on=dt.date(2022, 1, 1),
                budget_lines=(NewBudgetLine(module, 2022, Decimal(amount), provider),),
            )
        ],
    )


def test_a_negative_budget_is_refused_with_a_message_and_nothing_saved(
    coordinator, municipality
) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(ValidationError) as error:
        _plan(coordinator, module, "-100")
    assert error.value.message_dict["__all__"] == ["Der Planansatz darf nicht negativ sein."]
    assert not BudgetLine.objects.exists()
    assert not Decision.objects.filter(reference="9/2021").exists()


def test_a_provider_of_another_municipality_gets_no_budget_line(coordinator, municipality) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(ValidationError) as error:
        _plan(coordinator, module, "100", provider=ProviderFactory())
    assert (
        "Kommune dieses Programms"
        in error.value.message_dict["amendment_1.budget_line.provider"][0]
    )


def test_only_the_coordination_plans_budgets(coach_a, municipality) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(PermissionDenied):
        _plan(coach_a, module, "1")


def test_money_planned_twice_for_a_module_and_year_adds_up(coordinator, municipality) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality), code="F1")
    BudgetLineFactory(module=module, budget_year=2022, planned_amount=Decimal("1000.10"))
    _plan(coordinator, module, "250.05")
    state = programme_as_of(programme=module.programme, as_of=dt.date(2022, 6, 1))
    assert state.budget_for("F1", 2022).planned == Decimal("1250.15")
    assert [a.decision.reference for a in state.budget_for("F1", 2022).sources] == [
        f"setup-{module.programme.code}",
        "9/2021",
    ]


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
    notice = funding_notice_create(
        funder=funder, conditions="Verwendungsnachweis bis 30.06. des Folgejahres", **kwargs
    )
    notice.refresh_from_db()
    assert notice.own_share == Decimal("591272.00")
    assert notice.conditions == "Verwendungsnachweis bis 30.06. des Folgejahres"


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
