import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.budgets.models import Reallocation
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    Decision,
    EligibilityRule,
    Programme,
)
from teilhabe.programmes.selectors import programme_as_of
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewBudgetLine,
    NewEligibilityRule,
    NewModule,
    NewReallocation,
    decision_record,
    offer_create,
    programme_set_up,
)
from tests.factories import (
    BudgetLineFactory,
    ModuleFactory,
    ProgrammeFactory,
    ProviderFactory,
    set_up_of,
)

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2022, 3, 17)


SET_UP = DecisionDraft(
    body="Rat der Stadt", decided_on=dt.date(2020, 3, 26), reference="0815/2020", title="Teilnahme"
)


def test_a_programme_is_set_up_by_its_decision_with_modules_rule_and_budget(
    coordinator, municipality
) -> None:
    programme = programme_set_up(
        acting_user=coordinator,
        owner=municipality,
        code="durchstarten",
        name="Durchstarten",
        starts_on=dt.date(2020, 7, 1),
        ends_on=dt.date(2022, 12, 31),
        decision=SET_UP,
        modules=[
            NewModule("F1", "Coaching", dt.date(2020, 9, 1), "staff_positions"),
            NewModule("F6", "Teilhabe", dt.date(2020, 7, 1), "staff_positions"),
        ],
        eligibility_rule=NewEligibilityRule(main_group_statuses=["duldung"]),
        budget_lines=[NewBudgetLine("F1", 2021, Decimal("400000.00"))],
    )
    state = programme_as_of(programme=programme, as_of=dt.date(2021, 1, 1))
    assert state.ends_on == dt.date(2022, 12, 31)
    assert state.end_set_by is not None
    assert state.end_set_by.decision.reference == "0815/2020"
    assert [m.code for m in state.modules] == ["F1", "F6"]
    assert {m.added_by.decision.reference for m in state.modules} == {"0815/2020"}
    assert state.eligibility_rule is not None
    assert state.eligibility_rule.main_group_statuses == ["duldung"]
    assert state.budget_for("F1", 2021).planned == Decimal("400000.00")
    set_up = Decision.objects.get(programme=programme)
    assert (set_up.status, set_up.sequence) == (Decision.Status.ADOPTED, 1)


def test_a_programme_ending_before_it_starts_is_refused(coordinator, municipality) -> None:
    with pytest.raises(ValidationError) as error:
        programme_set_up(
            acting_user=coordinator,
            owner=municipality,
            code="durchstarten",
            name="Durchstarten",
            starts_on=dt.date(2020, 7, 1),
            ends_on=dt.date(2020, 1, 1),
            decision=SET_UP,
        )
    assert error.value.message_dict["__all__"] == ["Das Ende darf nicht vor dem Beginn liegen."]
    assert not Programme.objects.exists()
    assert not Decision.objects.exists()


def test_a_set_up_with_a_bad_module_saves_nothing(coordinator, municipality) -> None:
    with pytest.raises(ValidationError) as error:
        programme_set_up(
            acting_user=coordinator,
            owner=municipality,
            code="durchstarten",
            name="Durchstarten",
            starts_on=dt.date(2020, 7, 1),
            ends_on=dt.date(2022, 12, 31),
            decision=SET_UP,
            modules=[NewModule("F1", "Coaching", dt.date(2019, 1, 1), "staff_positions")],
        )
    assert "amendment_2.module.valid_from" in error.value.message_dict
    assert not Programme.objects.exists()
    assert not Decision.objects.exists()


def test_only_the_coordination_of_the_owner_sets_up_programmes(coach_a, municipality) -> None:
    with pytest.raises(PermissionDenied):
        programme_set_up(
            acting_user=coach_a,
            owner=municipality,
            code="x",
            name="X",
            starts_on=dt.date(2020, 7, 1),
            ends_on=dt.date(2021, 1, 1),
            decision=SET_UP,
        )


def test_a_decision_with_four_amendments_changes_the_programme_from_its_date(
    coordinator, municipality
) -> None:
    programme = ProgrammeFactory(owner=municipality)
    coaching = ModuleFactory(programme=programme, code="F1")
    management = ModuleFactory(programme=programme, code="F6")
    kim = ProgrammeFactory(owner=municipality, code="kim")
    BudgetLineFactory(module=management, budget_year=2022, planned_amount=Decimal("100000"))
    decision_record(
        acting_user=coordinator,
        programme=programme,
        decision=DecisionDraft(
            body="Rat der Stadt Köln",
            decided_on=DECIDED,
            reference="0815/2022",
            title="Verlängerung und Umschichtung",
        ),
        amendments=[
            NewAmendment(
                kind=AmendmentKind.EXTEND_PROGRAMME,
                effective_on=DECIDED,
                new_end_date=dt.date(2023, 6, 30),
                budget_lines=(NewBudgetLine(coaching, 2023, Decimal("742377.39")),),
            ),
            NewAmendment(
                kind=AmendmentKind.END_MODULE,
                effective_on=DECIDED,
                module=management,
                new_end_date=dt.date(2022, 6, 30),
                successor_programme=kim,
            ),
            NewAmendment(
                kind=AmendmentKind.CHANGE_ELIGIBILITY,
                effective_on=DECIDED,
                eligibility_rule=NewEligibilityRule(
                    main_group_statuses=["duldung"], special_case_statuses=["schutz_24"]
                ),
            ),
            NewAmendment(
                kind=AmendmentKind.MOVE_BUDGET,
                effective_on=DECIDED,
                reallocations=(NewReallocation(2022, management, coaching, Decimal("25000")),),
            ),
        ],
    )
    state = programme_as_of(programme=programme, as_of=DECIDED)
    assert state.ends_on == dt.date(2023, 6, 30)
    assert state.module("F6").successor_programme == kim
    assert state.eligibility_rule.special_case_statuses == ["schutz_24"]
    assert state.budget_for("F1", 2022).moved_in == Decimal("25000")
    assert state.budget_for("F1", 2023).planned == Decimal("742377.39")
    assert (
        programme_as_of(programme=programme, as_of=dt.date(2022, 3, 16)).budget_for("F1", 2023)
        is None
    )


def test_one_bad_amendment_refuses_the_whole_decision(coordinator, municipality) -> None:
    programme = ProgrammeFactory(owner=municipality)
    coaching = ModuleFactory(programme=programme, code="F1")
    with pytest.raises(ValidationError) as error:
        decision_record(
            acting_user=coordinator,
            programme=programme,
            decision=DecisionDraft(
                body="Rat", decided_on=DECIDED, reference="1/2022", title="Teils falsch"
            ),
            amendments=[
                NewAmendment(
                    kind=AmendmentKind.EXTEND_PROGRAMME,
                    effective_on=DECIDED,
                    new_end_date=dt.date(2023, 6, 30),
                ),
                NewAmendment(
                    kind=AmendmentKind.CHANGE_ELIGIBILITY,
                    effective_on=DECIDED,
                    eligibility_rule=NewEligibilityRule(main_group_statuses=["visum"]),
                ),
                NewAmendment(
                    kind=AmendmentKind.MOVE_BUDGET,
                    effective_on=DECIDED,
                    reallocations=(NewReallocation(2022, coaching, coaching, Decimal("1")),),
                ),
            ],
        )
    assert "amendment_2.rule.main_group_statuses" in error.value.message_dict
    assert not Decision.objects.filter(reference="1/2022").exists()
    assert list(Amendment.objects.filter(programme=programme)) == [set_up_of(programme)]
    assert not EligibilityRule.objects.exists()
    assert not Reallocation.objects.exists()


def test_eligibility_is_not_changed_retroactively(coordinator, municipality) -> None:
    programme = ProgrammeFactory(owner=municipality)
    with pytest.raises(ValidationError) as error:
        decision_record(
            acting_user=coordinator,
            programme=programme,
            decision=DecisionDraft(
                body="Rat", decided_on=DECIDED, reference="2/2022", title="Rückwirkend"
            ),
            amendments=[
                NewAmendment(
                    kind=AmendmentKind.CHANGE_ELIGIBILITY,
                    effective_on=dt.date(2022, 3, 10),
                    eligibility_rule=NewEligibilityRule(),
                )
            ],
        )
    assert error.value.message_dict["amendment_1.effective_on"] == [
        "Förderregeln ändern sich nicht rückwirkend."
    ]


def test_a_decision_without_amendments_is_refused(coordinator, municipality) -> None:
    with pytest.raises(ValidationError):
        decision_record(
            acting_user=coordinator,
            programme=ProgrammeFactory(owner=municipality),
            decision=DecisionDraft(
                body="Rat", decided_on=DECIDED, reference="3/2022", title="Leer"
            ),
            amendments=[],
        )


def test_an_offer_by_a_provider_of_another_city_is_refused(coordinator, municipality) -> None:
    module = ModuleFactory(programme=ProgrammeFactory(owner=municipality))
    with pytest.raises(ValidationError) as error:
        offer_create(
            acting_user=coordinator,
            module=module,
            provider=ProviderFactory(),
            title="Deutsch B1",
            kind="course_run",
            starts_on=dt.date(2021, 2, 1),
            ends_on=dt.date(2021, 1, 1),
            places=12,
        )
    assert "provider" in error.value.message_dict
    assert error.value.message_dict["__all__"] == ["Das Ende darf nicht vor dem Beginn liegen."]
