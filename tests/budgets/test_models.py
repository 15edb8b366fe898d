import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teilhabe.budgets.models import Expenditure, Reallocation
from teilhabe.programmes.models import AmendmentKind
from tests.factories import AmendmentFactory, BudgetLineFactory, FundingNoticeFactory, ModuleFactory
from tests.invariants import assert_refused

pytestmark = pytest.mark.django_db


def test_a_negative_planned_amount_is_refused() -> None:
    line = BudgetLineFactory.build(module=ModuleFactory(), planned_amount=Decimal("-0.01"))
    assert_refused(line, message="Der Planansatz darf nicht negativ sein.")


def test_a_negative_funding_notice_is_refused() -> None:
    notice = FundingNoticeFactory()
    notice.total_amount = Decimal("-5")
    assert_refused(notice, message="Der Betrag darf nicht negativ sein.")


def test_the_state_share_is_a_percentage() -> None:
    notice = FundingNoticeFactory()
    notice.state_share_percent = Decimal("120")
    assert_refused(notice, message="Der Landesanteil liegt zwischen 0 und 100 %.")


def test_the_cologne_notice_splits_into_state_and_own_share() -> None:
    notice = FundingNoticeFactory(total_amount=Decimal("2956360.00"))
    assert notice.state_share == Decimal("2365088.00")
    assert notice.own_share == Decimal("591272.00")


def test_an_expenditure_of_zero_is_refused() -> None:
    expenditure = Expenditure(
        budget_line=BudgetLineFactory(), spent_on=dt.date(2021, 5, 1), category="travel", amount=0
    )
    assert_refused(expenditure, message="Eine Ausgabe ist größer als 0 €.")


def test_an_expenditure_outside_its_budget_year_is_refused() -> None:
    expenditure = Expenditure(
        budget_line=BudgetLineFactory(budget_year=2021),
        spent_on=dt.date(2022, 1, 3),
        category="travel",
        amount=Decimal("12.50"),
    )
    with pytest.raises(ValidationError) as error:
        expenditure.full_clean()
    assert error.value.message_dict["spent_on"] == [
        "Das Datum liegt nicht im Haushaltsjahr des Ansatzes."
    ]


def test_a_reallocation_to_the_same_module_is_refused() -> None:
    module = ModuleFactory()
    amendment = AmendmentFactory(programme=module.programme, kind=AmendmentKind.MOVE_BUDGET)
    reallocation = Reallocation(
        amendment=amendment, budget_year=2022, from_module=module, to_module=module, amount=10
    )
    assert_refused(reallocation, message="zwei verschiedene Bausteine")


def test_a_budget_year_outside_2000_to_2100_is_refused() -> None:
    line = BudgetLineFactory.build(module=ModuleFactory(), budget_year=1999)
    assert_refused(line, message="Das Haushaltsjahr liegt zwischen 2000 und 2100.")


def test_a_funding_period_ending_before_it_starts_is_refused() -> None:
    notice = FundingNoticeFactory()
    notice.period_end = dt.date(2020, 6, 30)
    assert_refused(notice, message="Das Ende darf nicht vor dem Beginn liegen.")


def test_a_negative_quantity_is_refused() -> None:
    expenditure = Expenditure(
        budget_line=BudgetLineFactory(),
        spent_on=dt.date(2021, 5, 1),
        category="teaching_hours",
        amount=Decimal("375"),
        quantity=Decimal("-10"),
    )
    assert_refused(expenditure, message="Die Menge darf nicht negativ sein.")


def test_only_a_budget_move_carries_reallocated_amounts() -> None:
    module = ModuleFactory()
    other = ModuleFactory(programme=module.programme)
    amendment = AmendmentFactory(programme=module.programme)
    reallocation = Reallocation(
        amendment=amendment, budget_year=2022, from_module=module, to_module=other, amount=1
    )
    with pytest.raises(ValidationError) as error:
        reallocation.full_clean()
    assert error.value.message_dict["amendment"]


def test_the_state_share_is_rounded_half_up_and_the_own_share_is_the_rest() -> None:
    # 75 % of 1,000.06 € is 750.045 €: half up gives 750.05 € (banker's rounding 750.04 €).
    notice = FundingNoticeFactory(
        total_amount=Decimal("1000.06"), state_share_percent=Decimal("75")
    )
    assert notice.state_share == Decimal("750.05")
    assert notice.own_share == Decimal("250.01")
    assert notice.state_share + notice.own_share == notice.total_amount
    assert notice.own_share_percent == Decimal("25")


def test_an_80_20_notice_to_the_cent() -> None:
    notice = FundingNoticeFactory(total_amount=Decimal("123456.79"))
    assert notice.state_share == Decimal("98765.43")  # 98,765.432 €
    assert notice.own_share == Decimal("24691.36")
