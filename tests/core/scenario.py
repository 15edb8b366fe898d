"""A small programme with the kind of decisions Cologne took: an extension, a module handed
over to a successor, a budget reallocation and a widened target group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import Reallocation
from teilhabe.cases.models import Case
from teilhabe.core.codes import ResidenceType
from teilhabe.programmes.models import AmendmentKind, Programme
from tests.factories import (
    AmendmentFactory,
    BudgetLineFactory,
    CaseFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    FundingNoticeFactory,
    ModuleFactory,
    ProgrammeFactory,
)

EXTENDED_ON = dt.date(2022, 3, 17)


def build_programme(
    *, municipality: Organisation, funder: Organisation, code: str = "durchstarten"
) -> Programme:
    programme = ProgrammeFactory(
        code=code,
        name="Durchstarten in Ausbildung und Arbeit",
        owner=municipality,
        starts_on=dt.date(2020, 7, 1),
        ends_on=dt.date(2022, 12, 31),
    )
    kim = ProgrammeFactory(
        code=f"{code}-kim", name="KIM", owner=municipality, starts_on=dt.date(2022, 7, 1)
    )
    coaching = ModuleFactory(programme=programme, code="F1", name="Coaching")
    courses = ModuleFactory(programme=programme, code="F2", name="Sprachkurse")
    transition = ModuleFactory(programme=programme, code="F6", name="Übergangsmanagement")
    EligibilityRuleFactory(programme=programme)
    FundingNoticeFactory(programme=programme, funder=funder)
    BudgetLineFactory(module=coaching, budget_year=2022, planned_amount=Decimal("123456.78"))
    BudgetLineFactory(module=courses, budget_year=2022, planned_amount=Decimal("50000.00"))
    BudgetLineFactory(module=transition, budget_year=2022, planned_amount=Decimal("20000.00"))

    council = DecisionFactory(
        programme=programme,
        organisation=municipality,
        body="Rat der Stadt Köln",
        decided_on=EXTENDED_ON,
        reference=f"0815/2022-{code}",
        title="Verlängerung und Umschichtung",
    )
    AmendmentFactory(decision=council, programme=programme, new_end_date=dt.date(2023, 6, 30))
    AmendmentFactory(
        decision=council,
        programme=programme,
        kind=AmendmentKind.END_MODULE,
        module=transition,
        new_end_date=dt.date(2022, 6, 30),
        successor_programme=kim,
    )
    moving = AmendmentFactory(
        decision=council, programme=programme, kind=AmendmentKind.MOVE_BUDGET, new_end_date=None
    )
    Reallocation.objects.create(
        amendment=moving,
        budget_year=2022,
        from_module=transition,
        to_module=coaching,
        amount=Decimal("10000.00"),
    )
    widening = DecisionFactory(
        programme=programme,
        organisation=municipality,
        body="Rat der Stadt Köln",
        decided_on=dt.date(2022, 5, 5),
        reference=f"1234/2022-{code}",
        title="Geflüchtete aus der Ukraine",
    )
    AmendmentFactory(
        decision=widening,
        programme=programme,
        kind=AmendmentKind.CHANGE_ELIGIBILITY,
        effective_on=dt.date(2022, 6, 1),
        new_end_date=None,
        eligibility_rule=EligibilityRuleFactory(
            programme=programme,
            in_set_up=False,
            valid_from=dt.date(2022, 6, 1),
            special_case_statuses=[ResidenceType.TEMPORARY_PROTECTION.value],
        ),
    )
    return programme


def enter_people(
    programme: Programme, provider: Organisation, entries: dict[dt.date, int]
) -> list[Case]:
    """Cases of new people entering the programme at the provider: how many on which day."""
    return [
        CaseFactory(
            programme=programme,
            lead_provider=provider,
            participant__municipality=programme.owner,
            entry_date=day,
        )
        for day, count in entries.items()
        for _ in range(count)
    ]


# Demo-like figures: 180 people reached by 1 October 2021, two more on 2 October.
FIRST_OF_OCTOBER = dt.date(2021, 10, 1)
SECOND_OF_OCTOBER = dt.date(2021, 10, 2)
UP_TO_180 = {dt.date(2020, 9, 1): 60, dt.date(2021, 3, 1): 100, dt.date(2021, 9, 1): 20}
TWO_MORE = {SECOND_OF_OCTOBER: 2}
