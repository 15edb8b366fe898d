"""Reallocation: the suggestion (who gives, who receives, how much), the what-if view and every
check of a proposed move, to the cent."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine

from teilhabe.budgets.models import BudgetLine
from teilhabe.budgets.reallocation import (
    Move,
    reallocation_errors,
    suggest_reallocation,
    what_if,
)
from teilhabe.budgets.selectors import budget_overview
from teilhabe.programmes.models import CostBasis, Module, Programme
from tests.factories import (
    BudgetLineFactory,
    CaseFactory,
    EnrolmentFactory,
    ExpenditureFactory,
    FundingNoticeFactory,
    ModuleFactory,
    ModuleParticipationFactory,
    OfferFactory,
    OutcomeFactory,
    ProgrammeFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2021, 6, 30)  # 181 days of 2021 gone, 184 to come


@pytest.fixture(autouse=True)
def _summer_2021():
    with time_machine.travel(dt.datetime(2021, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class Budget:
    programme: Programme
    f1: Module
    f2: Module
    f3: Module
    f4: Module
    f5: Module


def build_budget(municipality) -> Budget:
    """2021, read on 30 June:

    - F1 Coaching: 20,000 planned, 18,100 spent → forecast 36,500, gap 16,500; two active,
      one success (50 %), one person waiting; 9,050 per participant → demand 25,550.
    - F2 Sprachkurse: 10,000 planned, 9,050 spent → forecast 18,250, gap 8,250; one active, no
      success → demand 8,250.
    - F3 Innovationsfonds: 20,000 planned, 3,620 spent → forecast 7,300: 12,700 not spent.
    - F4 Kurse: 15,000 planned, a booked run of 200 h × 37.50 € commits 7,500: 7,500 free.
    - F5 ended on 30 June with a gap of 500: it receives nothing.
    """
    programme = ProgrammeFactory(owner=municipality)
    FundingNoticeFactory(programme=programme, total_amount=Decimal("150000.00"))
    f1 = ModuleFactory(programme=programme, code="F1", name="Coaching")
    f2 = ModuleFactory(programme=programme, code="F2", name="Sprachkurse")
    f3 = ModuleFactory(programme=programme, code="F3", name="Innovationsfonds")
    f4 = ModuleFactory(
        programme=programme,
        code="F4",
        name="Kurse",
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    f5 = ModuleFactory(
        programme=programme, code="F5", name="Auslaufend", valid_until=dt.date(2021, 6, 30)
    )
    for module, planned, spent in (
        (f1, "20000.00", "18100.00"),
        (f2, "10000.00", "9050.00"),
        (f3, "20000.00", "3620.00"),
        (f4, "15000.00", None),
        (f5, "500.00", "1000.00"),
    ):
        line = BudgetLineFactory(module=module, budget_year=2021, planned_amount=Decimal(planned))
        if spent:
            ExpenditureFactory(budget_line=line, amount=Decimal(spent))
    provider = ProviderFactory(municipality=municipality)
    OfferFactory(
        module=f4,
        provider=provider,
        starts_on=dt.date(2021, 9, 1),
        ends_on=dt.date(2021, 12, 15),
        teaching_hours=200,
    )

    def case():  # type: ignore[no-untyped-def]
        return CaseFactory(
            programme=programme,
            lead_provider=provider,
            participant__municipality=municipality,
            entry_date=dt.date(2021, 1, 10),
        )

    first, second, waiting, learner = case(), case(), case(), case()
    ModuleParticipationFactory(case=first, module=f1, from_date=dt.date(2021, 1, 10))
    ModuleParticipationFactory(case=second, module=f1, from_date=dt.date(2021, 1, 10))
    OutcomeFactory(case=first, achieved_on=dt.date(2021, 5, 1))
    ModuleParticipationFactory(case=learner, module=f2, from_date=dt.date(2021, 1, 10))
    coaching_group = OfferFactory(
        module=f1,
        provider=provider,
        starts_on=dt.date(2021, 9, 1),
        ends_on=dt.date(2021, 12, 15),
        teaching_hours=None,
    )
    EnrolmentFactory(case=waiting, offer=coaching_group, requested_on=dt.date(2021, 5, 1))
    return Budget(programme, f1, f2, f3, f4, f5)


@pytest.fixture
def budget(municipality) -> Budget:
    return build_budget(municipality)


def _moves(suggestion) -> list[tuple[str, str, Decimal]]:
    return [(m.from_module.code, m.to_module.code, m.amount) for m in suggestion.moves]


def test_the_suggestion_moves_what_will_not_be_spent_to_demand_by_weight(budget) -> None:
    suggestion = suggest_reallocation(budget.programme, 2021, AS_OF)

    assert [(g.module.code, g.movable) for g in suggestion.givers] == [
        ("F3", Decimal("12700.00")),
        ("F4", Decimal("7500.00")),
    ]
    f1, f2 = suggestion.receivers
    assert (f1.module.code, f1.gap, f1.waiting, f1.success_rate) == (
        "F1",
        Decimal("16500.00"),
        1,
        Decimal("50"),
    )
    assert f1.demand == Decimal("25550.00")
    assert (f2.module.code, f2.demand, f2.success_rate) == ("F2", Decimal("8250.00"), 0)
    # 20,200 € by weight: F1 25,550 × 1.5 = 38,325, F2 8,250 × 1.0: 16,621.90… and 3,578.09…;
    # in whole euros 16,621 + 3,578 = 20,199, the last euro to the larger remainder (F1).
    assert _moves(suggestion) == [
        ("F3", "F1", Decimal("12700.00")),
        ("F4", "F1", Decimal("3922.00")),
        ("F4", "F2", Decimal("3578.00")),
    ]
    assert sum(m.amount for m in suggestion.moves) == Decimal("20200.00")
    assert suggestion.moves[0].reason == (
        "F3: Prognose 12.700,00 € nicht verausgabt → "
        "F1: 1 Person auf Wartelisten, Lücke 16.500,00 €, Erfolgsquote 50 %"
    )
    assert (
        reallocation_errors(
            programme=budget.programme,
            overview=suggestion.overview,
            budget_year=2021,
            moves=suggestion.moves,
        )
        == {}
    )


def test_an_ended_module_receives_nothing_however_great_its_gap(budget) -> None:
    suggestion = suggest_reallocation(budget.programme, 2021, AS_OF)
    assert "F5" not in {r.module.code for r in suggestion.receivers}
    assert "F5" not in {m.to_module.code for m in suggestion.moves}


def test_enough_money_covers_each_demand_and_no_more(municipality) -> None:
    budget = build_budget(municipality)
    BudgetLineFactory(module=budget.f3, budget_year=2021, planned_amount=Decimal("30000.00"))

    suggestion = suggest_reallocation(budget.programme, 2021, AS_OF)

    moved = {}
    for move in suggestion.moves:
        moved[move.to_module.code] = moved.get(move.to_module.code, 0) + move.amount
    assert moved == {"F1": Decimal("25550.00"), "F2": Decimal("8250.00")}


def test_what_if_moves_the_plan_and_keeps_the_totals(budget) -> None:
    overview = budget_overview(programme=budget.programme, as_of=AS_OF)
    moves = [
        Move(2021, budget.f3, budget.f1, Decimal("12700.00")),
        Move(2021, budget.f4, budget.f2, Decimal("0.01")),
    ]

    result = what_if(overview, moves)

    rows = {r.module.code: r for r in result.rows}
    assert rows["F1"].after.planned == Decimal("32700.00")
    assert rows["F1"].after.surplus == Decimal("-3800.00")
    assert rows["F3"].after.planned == Decimal("7300.00")
    assert rows["F3"].after.available == Decimal("3680.00")
    assert rows["F3"].after.surplus == Decimal("0.00")
    assert rows["F2"].change == Decimal("0.01")
    assert rows["F4"].after.available == Decimal("7499.99")
    assert result.before == result.after
    assert result.after.planned == Decimal("65500.00")
    assert result.of_year(2021).change == 0


def _errors(budget, *moves: Move, year: int = 2021) -> dict[str, list[str]]:
    return reallocation_errors(
        programme=budget.programme,
        overview=budget_overview(programme=budget.programme, as_of=AS_OF),
        budget_year=year,
        moves=list(moves),
    )


def test_no_move_takes_money_that_is_committed(budget) -> None:
    # F4 has 15,000 planned and nothing spent, but 7,500 are bound by the booked run.
    assert _errors(budget, Move(2021, budget.f4, budget.f1, Decimal("7500.00"))) == {}
    assert _errors(budget, Move(2021, budget.f4, budget.f1, Decimal("7500.01"))) == {
        "0.amount": [
            "F4 hat 2021 nur noch 7.500,00 € (Ansatz 15.000,00 €, ausgegeben 0,00 €, "
            "gebunden 7.500,00 €)."
        ]
    }


def test_several_moves_from_one_module_add_up(budget) -> None:
    errors = _errors(
        budget,
        Move(2021, budget.f4, budget.f1, Decimal("5000.00")),
        Move(2021, budget.f4, budget.f2, Decimal("2500.01")),
    )
    assert list(errors) == ["1.amount"]


def test_no_move_takes_money_that_is_spent(budget) -> None:
    # F3: 20,000 planned, 3,620 spent.
    errors = _errors(budget, Move(2021, budget.f3, budget.f1, Decimal("16380.01")))
    assert errors["0.amount"] == [
        "F3 hat 2021 nur noch 16.380,00 € (Ansatz 20.000,00 €, ausgegeben 3.620,00 €, "
        "gebunden 0,00 €)."
    ]


def test_an_ended_module_cannot_receive(budget) -> None:
    errors = _errors(budget, Move(2021, budget.f3, budget.f5, Decimal("100.00")))
    assert errors == {"0.to_module": ["Ein beendeter Baustein erhält kein Geld mehr (F5)."]}


def test_modules_of_another_programme_take_no_part(budget, municipality) -> None:
    foreign = ModuleFactory(programme=ProgrammeFactory(owner=municipality), code="X1")
    errors = _errors(
        budget,
        Move(2021, foreign, budget.f1, Decimal("1.00")),
        Move(2021, budget.f3, foreign, Decimal("1.00")),
    )
    assert errors == {
        "0.from_module": ["Der Baustein gehört nicht zu diesem Programm."],
        "1.to_module": ["Der Baustein gehört nicht zu diesem Programm."],
    }


def test_a_module_does_not_move_money_to_itself(budget) -> None:
    errors = _errors(budget, Move(2021, budget.f3, budget.f3, Decimal("1.00")))
    assert errors["0.to_module"] == [
        "Geld wird zwischen zwei verschiedenen Bausteinen umgeschichtet."
    ]


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.005"])
def test_the_amount_is_positive_to_the_cent(budget, amount) -> None:
    errors = _errors(budget, Move(2021, budget.f3, budget.f1, Decimal(amount)))
    assert errors == {
        "0.amount": ["Der Betrag ist größer als 0 € und hat höchstens zwei Nachkommastellen."]
    }


def test_the_budget_year_lies_in_the_programme(budget) -> None:
    errors = _errors(budget, Move(2023, budget.f3, budget.f1, Decimal("1.00")), year=2023)
    assert errors["budget_year"] == [
        "Das Haushaltsjahr liegt nicht in der Laufzeit des Programms (2020–2022)."
    ]


def test_a_move_never_lifts_the_notices_modules_beyond_the_notices(budget) -> None:
    # The notice (150,000 €) pays F1-F4; F6 is the city's own. Planned for F1-F4: 149,999.99 €.
    notice = budget.programme.funding_notices.get()
    BudgetLine.objects.filter(module__in=[budget.f1, budget.f2, budget.f3, budget.f4]).update(
        funding_notice=notice
    )
    BudgetLineFactory(
        module=budget.f3,
        budget_year=2022,
        planned_amount=Decimal("84999.99"),
        funding_notice=notice,
    )
    f6 = ModuleFactory(programme=budget.programme, code="F6", name="Übergang")
    BudgetLineFactory(module=f6, budget_year=2021, planned_amount=Decimal("10000.00"))
    # From the city's module into a notice's: 150,000.99 € against 150,000 €.
    errors = _errors(budget, Move(2021, f6, budget.f1, Decimal("1.00")))
    assert errors == {
        "total": [
            "Nach der Umschichtung wären für die Bausteine der Zuwendungsbescheide "
            "150.000,99 € geplant, mehr als die 150.000,00 € der Bescheide."
        ]
    }
    # Among the notice's modules the plan stays as it was.
    assert _errors(budget, Move(2021, budget.f3, budget.f1, Decimal("1.00"))) == {}


def test_a_plan_already_beyond_the_notices_still_allows_moves_and_says_so(budget) -> None:
    # An extension planned a later year before the funder's change notice: 150,000.01 €.
    BudgetLineFactory(module=budget.f3, budget_year=2022, planned_amount=Decimal("84500.01"))
    assert _errors(budget, Move(2021, budget.f3, budget.f1, Decimal("1.00"))) == {}
    overview = budget_overview(programme=budget.programme, as_of=dt.date(2021, 6, 30))
    assert overview.beyond_notices == Decimal("0.01")


def _record_move(budget, coordinator, giving, receiving, amount):  # type: ignore[no-untyped-def]
    from teilhabe.programmes.models import AmendmentKind
    from teilhabe.programmes.services import (
        DecisionDraft,
        NewAmendment,
        NewReallocation,
        decision_propose,
    )

    return decision_propose(
        acting_user=coordinator,
        programme=budget.programme,
        decision=DecisionDraft(
            body="Rat", decided_on=dt.date(2021, 7, 1), reference="9/2021", title="Umschichtung"
        ),
        amendments=[
            NewAmendment(
                kind=AmendmentKind.MOVE_BUDGET,
                effective_on=dt.date(2021, 7, 1),
                reallocations=(NewReallocation(2021, giving, receiving, Decimal(amount)),),
            )
        ],
    )


def test_a_decision_moving_committed_money_is_refused(budget, coordinator) -> None:
    """Found on main: a decision could move money a booked course run will need."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _record_move(budget, coordinator, budget.f4, budget.f1, "7500.01")
    assert error.value.message_dict["amendment_1.reallocation.amount"] == [
        "F4 hat 2021 nur noch 7.500,00 € (Ansatz 15.000,00 €, ausgegeben 0,00 €, "
        "gebunden 7.500,00 €)."
    ]
    assert _record_move(budget, coordinator, budget.f4, budget.f1, "7500.00").pk


def test_a_decision_gives_nothing_to_a_module_ending_before_the_year_does(
    budget, coordinator
) -> None:
    """Found on main: a module ending on 30 June could still receive money for the year."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _record_move(budget, coordinator, budget.f3, budget.f5, "100.00")
    assert error.value.message_dict["amendment_1.reallocation.to_module"] == [
        "Ein beendeter Baustein erhält kein Geld mehr (F5)."
    ]
