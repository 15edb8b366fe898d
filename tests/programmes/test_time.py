"""The programme over time: in force on D, as known on K (issue 6's findings and model)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from teilhabe.budgets.models import Reallocation
from teilhabe.budgets.services import expenditure_record
from teilhabe.cases.services import case_open, enrolment_create, outcome_record
from teilhabe.programmes.models import Amendment, AmendmentKind, Decision, Module
from teilhabe.programmes.preview import decision_preview
from teilhabe.programmes.selectors import (
    ProgrammeNotDecided,
    programme_as_of,
    programmes_for_organisation,
    rule_book_for,
)
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewBudgetLine,
    NewEligibilityRule,
    NewModule,
    NewReallocation,
    decision_adopt,
    decision_condition_met,
    decision_propose,
    decision_record,
    decision_reject,
    offer_create,
)
from tests.factories import (
    AmendmentFactory,
    BudgetLineFactory,
    CaseFactory,
    ConsentFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    EnrolmentFactory,
    FundingNoticeFactory,
    ModuleFactory,
    OfferFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
START, END = D(2020, 7, 1), D(2022, 12, 31)
DECIDED = D(2022, 3, 17)


@pytest.fixture
def programme(municipality):
    programme = ProgrammeFactory(owner=municipality, starts_on=START, ends_on=END)
    ModuleFactory(programme=programme, code="F1")
    ModuleFactory(programme=programme, code="F6")
    EligibilityRuleFactory(programme=programme, valid_from=START)
    return programme


def draft(reference: str, decided_on: dt.date = DECIDED, **fields) -> DecisionDraft:
    return DecisionDraft(
        body="Rat der Stadt",
        decided_on=decided_on,
        reference=reference,
        title="Beschluss",
        **fields,
    )


def record(user, programme, reference, *amendments, decided_on=DECIDED, **fields) -> Decision:
    return decision_record(
        acting_user=user,
        programme=programme,
        decision=draft(reference, decided_on, **fields),
        amendments=list(amendments),
    )


def extend(to: dt.date, on: dt.date = DECIDED) -> NewAmendment:
    return NewAmendment(kind=AmendmentKind.EXTEND_PROGRAMME, effective_on=on, new_end_date=to)


def ends(programme, on, known_on=None) -> dt.date:
    return programme_as_of(programme=programme, as_of=on, known_on=known_on).ends_on


# --- in force on D ---------------------------------------------------------------------------


def test_a_change_decided_on_one_day_counts_from_the_day_it_takes_effect(
    coordinator, programme
) -> None:
    """Found on main: amendments counted from their decision date; effective_on was unused."""
    record(coordinator, programme, "1/2022", extend(D(2023, 6, 30), on=D(2022, 4, 1)))
    assert ends(programme, D(2022, 3, 31)) == END
    assert ends(programme, D(2022, 4, 1)) == D(2023, 6, 30)


def test_the_rule_that_applied_on_a_day_as_known_today_and_as_known_then(
    coordinator, programme
) -> None:
    with time_machine.travel(D(2022, 3, 10)):
        record(
            coordinator,
            programme,
            "2/2022",
            NewAmendment(
                kind=AmendmentKind.CHANGE_ELIGIBILITY,
                effective_on=D(2022, 3, 12),
                eligibility_rule=NewEligibilityRule(
                    main_group_statuses=["duldung"], special_case_statuses=["schutz_24"]
                ),
            ),
            decided_on=D(2022, 3, 10),
        )
    on_12_march = programme_as_of(programme=programme, as_of=D(2022, 3, 12))
    assert on_12_march.eligibility_rule.special_case_statuses == ["schutz_24"]
    assert on_12_march.eligibility_set_by.decision.reference == "2/2022"
    as_known_before = programme_as_of(
        programme=programme, as_of=D(2022, 3, 12), known_on=D(2022, 3, 9)
    )
    assert as_known_before.eligibility_rule.special_case_statuses == []
    book = rule_book_for(programme=programme, known_on=D(2022, 3, 9))
    assert book.in_force_on(D(2022, 3, 12)) == as_known_before.eligibility_rule


def test_a_decision_entered_days_after_it_was_taken_is_known_from_the_day_it_was_entered(
    coordinator, programme
) -> None:
    with time_machine.travel(D(2022, 3, 21)):
        decision = record(coordinator, programme, "3/2022", extend(D(2023, 6, 30)))
    assert decision.known_from == D(2022, 3, 21)
    # A report printed on 18 March showed the old end; a reading as known then shows it too.
    assert ends(programme, D(2022, 3, 18), known_on=D(2022, 3, 18)) == END
    assert ends(programme, D(2022, 3, 18)) == D(2023, 6, 30)
    state = programme_as_of(programme=programme, as_of=D(2022, 3, 18))
    assert [a.decision.reference for a in state.retroactive] == ["3/2022"]


# --- nothing without a decision ---------------------------------------------------------------


def test_a_module_or_budget_no_decision_put_in_force_is_not_read(coordinator, programme) -> None:
    """Found on main: modules were not filtered at all, budget lines without a decision
    counted always, rules without an amendment were in force."""
    proposal = decision_propose(
        acting_user=coordinator,
        programme=programme,
        decision=draft("4/2022"),
        amendments=[
            NewAmendment(
                kind=AmendmentKind.ADD_MODULE,
                effective_on=DECIDED,
                new_module=NewModule("F7", "Neu", D(2022, 4, 1), "staff_positions"),
                budget_lines=(NewBudgetLine("F7", 2022, Decimal("5000.00")),),
            )
        ],
    )
    EligibilityRuleFactory(programme=programme, in_set_up=False, valid_from=D(2022, 1, 1))
    state = programme_as_of(programme=programme, as_of=D(2022, 6, 1))
    assert [m.code for m in state.modules] == ["F1", "F6"]
    assert state.budget_for("F7", 2022) is None
    assert state.eligibility_rule.valid_from == START
    decision_adopt(acting_user=coordinator, decision=proposal)
    state = programme_as_of(programme=programme, as_of=D(2022, 6, 1))
    assert [m.code for m in state.modules] == ["F1", "F6", "F7"]
    assert state.budget_for("F7", 2022).in_force == Decimal("5000.00")


def test_a_module_cannot_exist_without_the_amendment_that_added_it(programme) -> None:
    with pytest.raises(IntegrityError):
        Module.objects.create(
            programme=programme, code="F9", name="X", valid_from=START, cost_basis="project_grant"
        )


def test_the_admin_shows_decisions_but_cannot_rewrite_them(client, programme) -> None:
    """Found on main: the admin edited decided_on and amendments inline, silently."""
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    decision = Decision.objects.get(programme=programme)
    url = f"/admin/programmes/decision/{decision.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"decided_on": "2019-01-01", "reference": "x", "title": "y"})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.decided_on != D(2019, 1, 1)
    assert client.post(f"/admin/programmes/decision/{decision.pk}/delete/").status_code == 403
    assert client.get("/admin/programmes/module/add/").status_code == 403
    assert client.get("/admin/budgets/budgetline/add/").status_code == 403


# --- order, revocation, conditions -------------------------------------------------------------


def test_decisions_of_the_same_day_are_read_in_the_record_order_not_the_insertion_order(
    programme,
) -> None:
    """Found on main: same-day decisions were ordered by insertion."""
    later = DecisionFactory(programme=programme, decided_on=DECIDED, sequence=5)
    AmendmentFactory(decision=later, new_end_date=D(2023, 12, 31))
    earlier = DecisionFactory(programme=programme, decided_on=DECIDED, sequence=4)
    AmendmentFactory(decision=earlier, new_end_date=D(2023, 6, 30))
    assert ends(programme, DECIDED) == D(2023, 12, 31)


def test_a_later_decision_revokes_an_amendment_from_a_day_and_nothing_is_edited_away(
    coordinator, programme
) -> None:
    with time_machine.travel(DECIDED):
        first = record(coordinator, programme, "5/2022", extend(D(2023, 6, 30)))
    extension = first.amendments.get()
    with time_machine.travel(D(2022, 9, 1)):
        record(
            coordinator,
            programme,
            "6/2022",
            NewAmendment(kind=AmendmentKind.REVOKE, effective_on=D(2022, 10, 1), revokes=extension),
            decided_on=D(2022, 9, 1),
        )
    assert ends(programme, D(2022, 9, 30)) == D(2023, 6, 30)
    assert ends(programme, D(2022, 10, 1)) == END
    assert ends(programme, D(2022, 10, 1), known_on=D(2022, 8, 31)) == D(2023, 6, 30)
    first.refresh_from_db()
    assert first.status == Decision.Status.REVOKED
    assert first.amendments.get() == extension  # still there, still readable
    with pytest.raises(ValidationError) as error:
        record(
            coordinator,
            programme,
            "7/2022",
            NewAmendment(kind=AmendmentKind.REVOKE, effective_on=D(2022, 11, 1), revokes=extension),
        )
    assert error.value.message_dict["amendment_1.revokes"] == [
        "Diese Änderung ist schon aufgehoben."
    ]


def test_a_conditional_decision_takes_effect_when_its_condition_is_recorded_as_met(
    coordinator, programme
) -> None:
    with time_machine.travel(DECIDED):
        decision = record(
            coordinator,
            programme,
            "8/2022",
            extend(D(2023, 6, 30)),
            condition="vorbehaltlich des Zuwendungsbescheids",
        )
    assert decision.status == Decision.Status.CONDITIONAL
    assert decision.known_from is None
    assert ends(programme, D(2022, 4, 1)) == END
    with time_machine.travel(D(2022, 5, 12)):
        decision_condition_met(
            acting_user=coordinator,
            decision=decision,
            met_on=D(2022, 5, 10),
            evidence="Änderungsbescheid vom 10.05.2022",
        )
    decision.refresh_from_db()
    assert (decision.status, decision.known_from) == (Decision.Status.ADOPTED, D(2022, 5, 12))
    # In force from 17 March — but known only from 12 May.
    assert ends(programme, D(2022, 4, 1)) == D(2023, 6, 30)
    assert ends(programme, D(2022, 4, 1), known_on=D(2022, 5, 11)) == END


def test_a_funder_may_decide_about_a_programme_it_funds_and_nobody_else(
    coordinator, programme, funder
) -> None:
    with pytest.raises(ValidationError) as error:
        record(coordinator, programme, "9/2022", extend(D(2023, 6, 30)), organisation=funder)
    assert "organisation" in error.value.message_dict
    FundingNoticeFactory(programme=programme, funder=funder)
    decision = record(coordinator, programme, "9/2022", extend(D(2023, 6, 30)), organisation=funder)
    assert decision.organisation == funder


def test_a_proposal_changes_nothing_until_adopted_and_a_rejected_one_never(
    coordinator, programme
) -> None:
    proposal = decision_propose(
        acting_user=coordinator,
        programme=programme,
        decision=draft("10/2022"),
        amendments=[extend(D(2023, 6, 30))],
    )
    assert ends(programme, D(2022, 6, 1)) == END
    decision_reject(acting_user=coordinator, decision=proposal)
    assert ends(programme, D(2022, 6, 1)) == END
    with pytest.raises(ValidationError):
        decision_adopt(acting_user=coordinator, decision=proposal)


# --- modules -------------------------------------------------------------------------------


def test_ending_a_module_cannot_lengthen_it_and_its_end_is_capped_by_the_programmes(
    coordinator, programme
) -> None:
    """Found on main: END_MODULE could lengthen a module; an ended module's end was not capped."""
    f6 = programme.modules.get(code="F6")
    with pytest.raises(ValidationError) as error:
        record(
            coordinator,
            programme,
            "11/2022",
            NewAmendment(
                kind=AmendmentKind.END_MODULE,
                effective_on=DECIDED,
                module=f6,
                new_end_date=D(2023, 3, 31),
            ),
        )
    assert "verlängern" in error.value.message_dict["amendment_1.new_end_date"][0]
    record(coordinator, programme, "12/2022", extend(D(2022, 9, 30)))
    state = programme_as_of(programme=programme, as_of=DECIDED)
    assert state.module("F6").valid_until == D(2022, 9, 30)
    assert state.module("F1").valid_until == D(2022, 9, 30)


def test_a_module_set_up_to_last_as_long_as_the_programme_follows_its_extension(
    programme,
) -> None:
    """Found on main: a module with its own end was not extended with the programme."""
    with_own_end = ModuleFactory(programme=programme, code="F2", valid_until=END)
    short = ModuleFactory(programme=programme, code="F3", valid_until=D(2021, 12, 31))
    decision = DecisionFactory(programme=programme, decided_on=DECIDED)
    AmendmentFactory(decision=decision, new_end_date=D(2023, 6, 30))
    state = programme_as_of(programme=programme, as_of=D(2022, 6, 1))
    assert state.module_by_id(with_own_end.pk).valid_until == D(2023, 6, 30)
    assert state.module_by_id(short.pk).valid_until == D(2021, 12, 31)
    assert not state.module_by_id(short.pk).is_running_on(D(2022, 6, 1))


def test_date_edges_first_day_of_a_late_module_and_last_day_of_the_programme(
    programme,
) -> None:
    late = ModuleFactory(programme=programme, code="F4", valid_from=D(2021, 1, 1))
    assert (
        not programme_as_of(programme=programme, as_of=D(2020, 12, 31))
        .module_by_id(late.pk)
        .is_running_on(D(2020, 12, 31))
    )
    first_day = programme_as_of(programme=programme, as_of=D(2021, 1, 1))
    assert first_day.module_by_id(late.pk).is_running_on(D(2021, 1, 1))
    last_day = programme_as_of(programme=programme, as_of=END)
    assert last_day.is_running
    assert [m.code for m in last_day.running_modules] == ["F1", "F4", "F6"]
    after = programme_as_of(programme=programme, as_of=END + dt.timedelta(days=1))
    assert not after.is_running
    assert after.running_modules == []


def test_adding_a_module_and_changing_a_rate(coordinator, programme) -> None:
    record(
        coordinator,
        programme,
        "13/2022",
        NewAmendment(
            kind=AmendmentKind.ADD_MODULE,
            effective_on=DECIDED,
            new_module=NewModule(
                "F2", "Sprachkurse", D(2022, 4, 1), "teaching_hours", unit_rate=Decimal("37.50")
            ),
        ),
    )
    f2 = programme.modules.get(code="F2")
    assert f2.added_by.decision.reference == "13/2022"
    record(
        coordinator,
        programme,
        "14/2022",
        NewAmendment(
            kind=AmendmentKind.CHANGE_RATE,
            effective_on=D(2022, 7, 1),
            module=f2,
            new_rate=Decimal("40.00"),
        ),
        decided_on=D(2022, 6, 2),
    )
    assert programme_as_of(programme=programme, as_of=D(2022, 6, 30)).module("F2").unit_rate == (
        Decimal("37.50")
    )
    july = programme_as_of(programme=programme, as_of=D(2022, 7, 1)).module("F2")
    assert july.unit_rate == Decimal("40.00")
    assert july.rate_set_by.decision.reference == "14/2022"
    assert (
        not programme_as_of(programme=programme, as_of=D(2022, 3, 31))
        .module("F2")
        .is_running_on(D(2022, 3, 31))
    )


# --- money -------------------------------------------------------------------------------------


def test_budget_cannot_be_moved_to_another_programme_or_below_zero_or_to_an_ended_module(
    coordinator, programme, municipality
) -> None:
    """Found on main: a move to another programme's module made programme_as_of raise
    KeyError (the start page answered 500); moves could drive a budget negative."""
    f1, f6 = programme.modules.get(code="F1"), programme.modules.get(code="F6")
    BudgetLineFactory(module=f6, budget_year=2022, planned_amount=Decimal("1000.00"))
    foreign = ModuleFactory(programme=ProgrammeFactory(owner=municipality), code="X1")

    def move(source, target, amount, year=2022):
        return NewAmendment(
            kind=AmendmentKind.MOVE_BUDGET,
            effective_on=DECIDED,
            reallocations=(NewReallocation(year, source, target, Decimal(amount)),),
        )

    with pytest.raises(ValidationError) as error:
        record(coordinator, programme, "15/2022", move(f6, foreign, "10"))
    assert "amendment_1.reallocation.to_module" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(coordinator, programme, "15/2022", move(f6, f1, "1000.01"))
    assert error.value.message_dict["amendment_1.reallocation.amount"] == [
        "F6 hat 2022 nur noch 1.000,00 € (Ansatz 1.000,00 €, ausgegeben 0,00 €, gebunden 0,00 €)."
    ]
    record(
        coordinator,
        programme,
        "16/2022",
        NewAmendment(
            kind=AmendmentKind.END_MODULE,
            effective_on=DECIDED,
            module=f6,
            new_end_date=D(2021, 12, 31),
        ),
    )
    with pytest.raises(ValidationError) as error:
        record(coordinator, programme, "17/2022", move(f1, f6, "1"))
    assert "beendeter Baustein" in error.value.message_dict["amendment_1.reallocation.to_module"][0]


def test_a_move_to_a_foreign_module_already_in_the_database_does_not_break_the_reading(
    programme, municipality
) -> None:
    f1 = programme.modules.get(code="F1")
    foreign = ModuleFactory(programme=ProgrammeFactory(owner=municipality), code="X1")
    decision = DecisionFactory(programme=programme)
    moving = AmendmentFactory(decision=decision, kind=AmendmentKind.MOVE_BUDGET, new_end_date=None)
    Reallocation.objects.create(
        amendment=moving, budget_year=2022, from_module=f1, to_module=foreign, amount=Decimal("1")
    )
    state = programme_as_of(programme=programme, as_of=DECIDED)
    assert state.budget_for("X1", 2022) is None


def test_budget_arithmetic_is_to_the_cent(coordinator, programme) -> None:
    f1, f6 = programme.modules.get(code="F1"), programme.modules.get(code="F6")
    BudgetLineFactory(module=f6, budget_year=2022, planned_amount=Decimal("0.30"))
    BudgetLineFactory(module=f6, budget_year=2022, planned_amount=Decimal("0.10"))
    record(
        coordinator,
        programme,
        "18/2022",
        NewAmendment(
            kind=AmendmentKind.MOVE_BUDGET,
            effective_on=DECIDED,
            reallocations=(NewReallocation(2022, f6, f1, Decimal("0.39")),),
        ),
    )
    state = programme_as_of(programme=programme, as_of=DECIDED)
    assert state.budget_for("F6", 2022).in_force == Decimal("0.01")
    assert state.budget_for("F1", 2022).in_force == Decimal("0.39")
    assert state.budget_total == Decimal("0.40")


def test_a_programme_with_two_funding_notices_is_listed_once_for_its_funder(
    programme, funder
) -> None:
    FundingNoticeFactory(programme=programme, funder=funder)
    FundingNoticeFactory(programme=programme, funder=funder)
    assert list(programmes_for_organisation(organisation=funder)) == [programme]


# --- services consult the programme in force ----------------------------------------------------


def test_no_case_is_opened_outside_the_programme(coach_a, provider_a, programme) -> None:
    """Found on main: case_open accepted an entry in 2025 for a programme that ended in 2022."""
    from tests.factories import ParticipantFactory, ParticipantFileFactory

    person = ParticipantFactory(municipality=programme.owner)
    ParticipantFileFactory(participant=person, controller=provider_a)
    with pytest.raises(ValidationError) as error:
        case_open(
            acting_user=coach_a,
            participant=person,
            programme=programme,
            lead_provider=provider_a,
            entry_date=D(2025, 1, 6),
        )
    assert error.value.message_dict["entry_date"] == [
        f"„{programme.name}“ lief am 06.01.2025 nicht (Laufzeit 01.07.2020 bis 31.12.2022)."
    ]


def test_nobody_is_enrolled_in_a_module_after_it_ended(coach_a, provider_a, programme) -> None:
    """Found on main: enrolment_create enrolled someone in F6 after F6 ended."""
    f6 = programme.modules.get(code="F6")
    decision = DecisionFactory(programme=programme)
    AmendmentFactory(
        decision=decision, kind=AmendmentKind.END_MODULE, module=f6, new_end_date=D(2022, 6, 30)
    )
    offer = OfferFactory(
        module=f6, provider=provider_a, starts_on=D(2022, 7, 4), ends_on=D(2022, 9, 30)
    )
    case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2022, 5, 2))
    with pytest.raises(ValidationError) as error:
        enrolment_create(acting_user=coach_a, case=case, offer=offer, requested_on=D(2022, 6, 20))
    assert error.value.message_dict["offer"] == [
        "Der Baustein F6 lief am 04.07.2022 nicht (01.07.2020 bis 30.06.2022)."
    ]


def test_outcomes_expenditures_and_offers_refuse_days_outside_the_programme(
    coach_a, coordinator, provider_a, programme
) -> None:
    case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2022, 5, 2))
    with pytest.raises(ValidationError) as error:
        outcome_record(
            acting_user=coach_a, case=case, outcome_type="employment", achieved_on=D(2023, 2, 1)
        )
    assert "lief am 01.02.2023 nicht" in error.value.message_dict["achieved_on"][0]
    line = BudgetLineFactory(module=programme.modules.get(code="F1"), budget_year=2023)
    with pytest.raises(ValidationError) as error:
        expenditure_record(
            acting_user=coordinator,
            budget_line=line,
            spent_on=D(2023, 3, 1),
            category="staff",
            amount=Decimal("100.00"),
        )
    assert "lief am 01.03.2023 nicht" in error.value.message_dict["spent_on"][0]
    with pytest.raises(ValidationError) as error:
        offer_create(
            acting_user=coordinator,
            module=programme.modules.get(code="F1"),
            provider=provider_a,
            title="Kurs 2023",
            kind="course_run",
            starts_on=D(2023, 2, 1),
            ends_on=D(2023, 5, 1),
            places=10,
        )
    assert "lief am 01.02.2023 nicht" in error.value.message_dict["starts_on"][0]


def test_a_day_before_the_set_up_is_not_a_programme_day(programme) -> None:
    with pytest.raises(ProgrammeNotDecided):
        programme_as_of(programme=programme, as_of=D(2019, 1, 1))


# --- preview -----------------------------------------------------------------------------------


def test_the_preview_counts_open_cases_of_an_ending_module_and_who_lacks_a_transfer_consent(
    coordinator, provider_a, programme, municipality
) -> None:
    kim = ProgrammeFactory(owner=municipality, code="kim", name="KIM", starts_on=D(2021, 10, 1))
    f6 = programme.modules.get(code="F6")
    offer = OfferFactory(module=f6, provider=provider_a, kind="continuous_service",
                         starts_on=START, ends_on=None, places=None)  # fmt: skip
    consenting = None
    for number in range(3):
        case = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 3, 1))
        EnrolmentFactory(case=case, offer=offer, status="active", started_on=D(2021, 3, 1))
        if number == 0:
            consenting = case
    finished = CaseFactory(programme=programme, lead_provider=provider_a, entry_date=D(2021, 3, 1))
    EnrolmentFactory(
        case=finished, offer=offer, status="completed", started_on=D(2021, 3, 1),
        ended_on=D(2021, 9, 30),
    )  # fmt: skip
    ConsentFactory(
        file=consenting.participant.files.get(controller=provider_a),
        purpose="transfer",
        recipient=None,
        recipient_programme=kim,
        data_categories=["identity"],
        given_on=D(2022, 3, 1),
    )
    proposal = decision_propose(
        acting_user=coordinator,
        programme=programme,
        decision=draft("19/2022"),
        amendments=[
            NewAmendment(
                kind=AmendmentKind.END_MODULE,
                effective_on=DECIDED,
                module=f6,
                new_end_date=D(2022, 6, 30),
                successor_programme=kim,
            ),
            extend(D(2023, 6, 30)),
        ],
    )
    ending, extension = decision_preview(proposal)
    assert ending.change == "F6 endet am 30.06.2022, offene Fälle gehen in „KIM“ über"
    assert (ending.affected_cases, ending.without_transfer_consent) == (3, 2)
    assert extension.change == "Programmende: 31.12.2022 → 30.06.2023"
    assert not Amendment.objects.filter(decision=proposal, decision__status="adopted").exists()
