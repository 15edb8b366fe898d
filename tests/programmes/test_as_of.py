"""The programme read as of a date: what had been decided by then, and nothing later."""

import datetime as dt
from decimal import Decimal

import pytest

from teilhabe.budgets.models import Reallocation
from teilhabe.programmes.models import Amendment, AmendmentKind
from teilhabe.programmes.selectors import programme_as_of, programmes_for_organisation
from tests.factories import (
    SET_UP_LEAD,
    BudgetLineFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    FundingNoticeFactory,
    ModuleFactory,
    ProgrammeFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2022, 3, 17)
DAY_BEFORE = dt.date(2022, 3, 16)


@pytest.fixture
def programme():
    programme = ProgrammeFactory(starts_on=dt.date(2020, 7, 1), ends_on=dt.date(2022, 12, 31))
    coaching = ModuleFactory(programme=programme, code="F1", name="Coaching")
    courses = ModuleFactory(programme=programme, code="F4", name="Kurse")
    management = ModuleFactory(programme=programme, code="F6", name="Teilhabemanagement")
    successor = ProgrammeFactory(owner=programme.owner, code="kim", starts_on=dt.date(2021, 10, 1))
    EligibilityRuleFactory(programme=programme, valid_from=dt.date(2020, 7, 1))
    for module, amount in ((coaching, "400000"), (courses, "300000"), (management, "100000")):
        BudgetLineFactory(module=module, budget_year=2022, planned_amount=Decimal(amount))

    decision = DecisionFactory(
        programme=programme, organisation=programme.owner, decided_on=DECIDED
    )
    Amendment.objects.create(
        decision=decision,
        programme=programme,
        kind=AmendmentKind.EXTEND_PROGRAMME,
        effective_on=DECIDED,
        new_end_date=dt.date(2023, 6, 30),
    )
    Amendment.objects.create(
        decision=decision,
        programme=programme,
        kind=AmendmentKind.END_MODULE,
        effective_on=DECIDED,
        module=management,
        new_end_date=dt.date(2022, 6, 30),
        successor_programme=successor,
    )
    widened = EligibilityRuleFactory(
        programme=programme,
        in_set_up=False,
        valid_from=DECIDED,
        special_case_statuses=["schutz_24"],
    )
    Amendment.objects.create(
        decision=decision,
        programme=programme,
        kind=AmendmentKind.CHANGE_ELIGIBILITY,
        effective_on=DECIDED,
        eligibility_rule=widened,
    )
    moved = Amendment.objects.create(
        decision=decision, programme=programme, kind=AmendmentKind.MOVE_BUDGET, effective_on=DECIDED
    )
    Reallocation.objects.create(
        amendment=moved,
        budget_year=2022,
        from_module=management,
        to_module=coaching,
        amount=Decimal("50000"),
    )
    programme.successor = successor
    return programme


def test_before_the_decision_the_programme_ends_as_first_decided(programme) -> None:
    state = programme_as_of(programme=programme, as_of=DAY_BEFORE)
    assert state.ends_on == dt.date(2022, 12, 31)
    assert state.extended_by is None
    assert [d.reference for d in state.decisions] == [f"setup-{programme.code}"]


def test_from_the_decision_day_the_extension_is_in_force(programme) -> None:
    state = programme_as_of(programme=programme, as_of=DECIDED)
    assert state.ends_on == dt.date(2023, 6, 30)
    assert state.extended_by is not None
    assert [d.decided_on for d in state.decisions] == [programme.starts_on - SET_UP_LEAD, DECIDED]


def test_a_module_ended_by_decision_runs_until_its_last_day_then_hands_over(programme) -> None:
    before = programme_as_of(programme=programme, as_of=DAY_BEFORE).module("F6")
    assert before.valid_until == dt.date(2022, 12, 31)
    assert before.successor_programme is None

    last_day = programme_as_of(programme=programme, as_of=dt.date(2022, 6, 30))
    assert last_day.module("F6").is_running_on(last_day.as_of)
    assert last_day.module("F6").successor_programme == programme.successor

    after = programme_as_of(programme=programme, as_of=dt.date(2022, 7, 1))
    assert [m.code for m in after.running_modules] == ["F1", "F4"]
    assert after.module("F1").valid_until == dt.date(2023, 6, 30)


def test_the_eligibility_rule_changes_on_the_decision_day(programme) -> None:
    assert (
        programme_as_of(
            programme=programme, as_of=DAY_BEFORE
        ).eligibility_rule.special_case_statuses
        == []
    )
    assert programme_as_of(
        programme=programme, as_of=DECIDED
    ).eligibility_rule.special_case_statuses == ["schutz_24"]


def test_budget_moves_count_only_once_decided(programme) -> None:
    before = programme_as_of(programme=programme, as_of=DAY_BEFORE)
    assert before.budget_for("F1", 2022).in_force == Decimal("400000")
    assert before.budget_for("F6", 2022).in_force == Decimal("100000")

    after = programme_as_of(programme=programme, as_of=DECIDED)
    assert after.budget_for("F1", 2022).in_force == Decimal("450000")
    assert after.budget_for("F6", 2022).in_force == Decimal("50000")
    assert after.budget_total == before.budget_total == Decimal("800000")


def test_a_decision_recorded_later_with_an_earlier_effect_counts_only_as_known_later(
    programme,
) -> None:
    late = DecisionFactory(programme=programme, decided_on=dt.date(2023, 1, 10))
    Amendment.objects.create(
        decision=late,
        programme=programme,
        kind=AmendmentKind.EXTEND_PROGRAMME,
        effective_on=dt.date(2022, 12, 1),
        new_end_date=dt.date(2023, 12, 31),
    )
    year_end = dt.date(2022, 12, 31)
    # As the record stood on 31 December 2022 the programme ended on 30 June 2023 ...
    as_then = programme_as_of(programme=programme, as_of=year_end, known_on=year_end)
    assert as_then.ends_on == dt.date(2023, 6, 30)
    assert as_then.retroactive == []
    # ... as known today, the extension was in force from 1 December 2022, and says so.
    as_now = programme_as_of(programme=programme, as_of=year_end)
    assert as_now.ends_on == dt.date(2023, 12, 31)
    assert [a.effective_on for a in as_now.retroactive] == [dt.date(2022, 12, 1)]
    assert programme_as_of(programme=programme, as_of=dt.date(2022, 11, 30)).ends_on == dt.date(
        2023, 6, 30
    )


def test_reading_a_programme_as_of_a_date_takes_a_fixed_number_of_queries(
    programme, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(5):
        programme_as_of(programme=programme, as_of=DECIDED)


def test_organisations_see_the_programmes_of_their_municipality(programme) -> None:
    provider = ProviderFactory(municipality=programme.owner)
    stranger = ProviderFactory()
    assert set(programmes_for_organisation(organisation=provider)) == {
        programme,
        programme.successor,
    }
    assert set(programmes_for_organisation(organisation=programme.owner)) == {
        programme,
        programme.successor,
    }
    assert list(programmes_for_organisation(organisation=stranger)) == []


def test_a_funder_sees_the_programmes_it_funds(programme) -> None:
    notice = FundingNoticeFactory(programme=programme)
    assert list(programmes_for_organisation(organisation=notice.funder)) == [programme]


def test_a_rule_book_picks_the_same_rule_as_a_single_lookup(programme) -> None:
    from teilhabe.programmes.selectors import eligibility_rule_in_force, rule_book_for

    book = rule_book_for(programme=programme)
    for day in (
        dt.date(2020, 6, 30),
        dt.date(2020, 7, 1),
        DAY_BEFORE,
        DECIDED,
        dt.date(2023, 1, 1),
    ):
        assert book.in_force_on(day) == eligibility_rule_in_force(programme=programme, on=day)


def test_budget_adopted_with_an_extension_exists_only_from_the_decision(programme) -> None:
    extension = Amendment.objects.get(programme=programme, kind=AmendmentKind.EXTEND_PROGRAMME)
    BudgetLineFactory(
        module=programme.modules.get(code="F1"),
        budget_year=2023,
        planned_amount=Decimal("120000"),
        adopted_by=extension,
    )
    assert programme_as_of(programme=programme, as_of=DAY_BEFORE).budget_for("F1", 2023) is None
    assert programme_as_of(programme=programme, as_of=DECIDED).budget_for(
        "F1", 2023
    ).in_force == Decimal("120000")
