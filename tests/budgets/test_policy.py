"""Who sees how much of a budget, and who books: decided in accounts.policy."""

import pytest

from teilhabe.accounts.policy import BudgetView, budget_view_for, may_book_expenditures
from tests.factories import FunderFactory, FundingNoticeFactory, MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_budget_views_per_persona(
    municipality, coordinator, auditor, funder, funder_user, coach_a
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    FundingNoticeFactory(programme=programme, funder=funder)
    assert budget_view_for(coordinator, programme) == BudgetView.DETAILS
    assert budget_view_for(auditor, programme) == BudgetView.DETAILS
    assert budget_view_for(funder_user, programme) == BudgetView.TOTALS
    assert budget_view_for(coach_a, programme) == BudgetView.NONE
    assert may_book_expenditures(coordinator, programme)
    assert not any(may_book_expenditures(u, programme) for u in (auditor, funder_user, coach_a))


def test_a_funder_without_a_notice_and_another_city_see_nothing(
    municipality, coordinator, funder_user
) -> None:
    own = ProgrammeFactory(owner=municipality)
    FundingNoticeFactory(programme=own, funder=FunderFactory())
    other = ProgrammeFactory()
    assert budget_view_for(funder_user, own) == BudgetView.NONE
    assert budget_view_for(coordinator, other) == BudgetView.NONE
    assert not may_book_expenditures(coordinator, other)


def test_an_auditor_at_a_funder_sees_no_budget(municipality, funder) -> None:
    programme = ProgrammeFactory(owner=municipality)
    FundingNoticeFactory(programme=programme, funder=funder)
    membership = MembershipFactory(organisation=funder, role="auditor")
    assert budget_view_for(membership.user, programme) == BudgetView.NONE
