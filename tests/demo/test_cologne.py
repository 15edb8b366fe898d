"""The Cologne demo scenario: its figures come from the data, and the data is consistent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import models
from django.db.models import Count, F, Q

from teilhabe.accounts.models import ROLES_BY_ORGANISATION_KIND, Membership, Organisation
from teilhabe.budgets.models import BudgetLine, FundingNotice
from teilhabe.cases.models import Case, Outcome, Referral
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES, Gender, ResidenceType, TargetGroup
from teilhabe.demo.cologne.load import LoadResult
from teilhabe.demo.logins import CITY
from teilhabe.participants.models import Consent, Participant, ResidenceDocument
from teilhabe.programmes.eligibility import age_on
from teilhabe.programmes.models import Amendment, AmendmentKind, Decision, Offer, Programme
from teilhabe.programmes.selectors import ProgrammeState, programme_as_of
from teilhabe.reports.selectors import programme_reach

DECISION_DAY = dt.date(2022, 3, 17)
END = dt.date(2023, 6, 30)
F6_LAST_DAY = dt.date(2022, 6, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(cologne: LoadResult) -> Programme:
    return Programme.objects.get(code="durchstarten-koeln")


@pytest.fixture
def kim(cologne: LoadResult) -> Programme:
    return Programme.objects.get(code="kim-koeln")


def test_300_persons_were_reached_and_57_succeeded_by_the_council_decision(
    programme: Programme,
) -> None:
    figures = programme_reach(programme=programme, as_of=DECISION_DAY)
    assert (figures.persons_reached, figures.persons_with_success) == (300, 57)


def test_508_persons_were_reached_and_117_succeeded_by_the_end(programme: Programme) -> None:
    figures = programme_reach(programme=programme, as_of=END)
    assert (figures.persons_reached, figures.persons_with_success) == (508, 117)


def test_the_figures_never_fall_from_one_day_to_the_next(programme: Programme) -> None:
    before = programme_reach(programme=programme, as_of=DECISION_DAY - dt.timedelta(days=1))
    assert before.persons_reached <= 300
    assert before.persons_with_success <= 57
    days = [dt.date(2020, 9, 1), dt.date(2021, 6, 30), DECISION_DAY, dt.date(2022, 12, 31), END]
    figures = [programme_reach(programme=programme, as_of=day) for day in days]
    assert [f.persons_reached for f in figures] == sorted(f.persons_reached for f in figures)
    assert [f.persons_with_success for f in figures] == sorted(
        f.persons_with_success for f in figures
    )


def test_duplicates_have_their_own_cases_and_are_counted_once(programme: Programme) -> None:
    duplicates = Participant.objects.filter(duplicate_of__isnull=False)
    assert duplicates.count() >= 10
    for duplicate in duplicates.select_related("duplicate_of"):
        assert duplicate.family_name_original == duplicate.duplicate_of.family_name_original
        assert (duplicate.given_names, duplicate.family_name) != (
            duplicate.duplicate_of.given_names,
            duplicate.duplicate_of.family_name,
        )
        own = Case.objects.get(participant=duplicate, programme=programme)
        original = Case.objects.get(participant=duplicate.duplicate_of, programme=programme)
        assert own.lead_provider != original.lead_provider

    naive_reached = (
        Case.objects.filter(programme=programme, entry_date__lte=DECISION_DAY)
        .values("participant")
        .distinct()
        .count()
    )
    naive_successes = (
        Outcome.objects.filter(
            case__programme=programme,
            outcome_type__in=SUCCESS_OUTCOME_TYPES,
            achieved_on__lte=DECISION_DAY,
        )
        .values("case__participant")
        .distinct()
        .count()
    )
    assert naive_reached > 300
    assert naive_successes > 57


def test_some_duplicates_differ_only_in_the_spelling_of_mohammed_or_a_transliteration(
    cologne: LoadResult,
) -> None:
    pairs = {
        (d.given_names, d.duplicate_of.given_names)
        for d in Participant.objects.filter(duplicate_of__isnull=False).select_related(
            "duplicate_of"
        )
    }
    assert any(original in {"Mohammed", "Mohammad"} for _, original in pairs)
    ukrainian = Participant.objects.filter(
        duplicate_of__isnull=False, files__nationality="UA"
    ).distinct()
    assert ukrainian.exists()
    assert all(p.given_names_original for p in ukrainian)


def test_every_case_is_part_of_its_lead_organisations_file(cologne: LoadResult) -> None:
    from django.db.models import Exists, OuterRef

    from teilhabe.participants.models import Consent, ParticipantFile

    in_a_file = Exists(
        ParticipantFile.objects.filter(
            participant_id=OuterRef("participant_id"), controller_id=OuterRef("lead_provider_id")
        )
    )
    assert not Case.objects.exclude(in_a_file).exists()
    # The F6 → KIM transfers are spent; sharing consents never name their own controller.
    transfers = Consent.objects.filter(purpose=Consent.Purpose.TRANSFER)
    assert transfers.exists()
    assert not transfers.filter(used_on__isnull=True).exists()
    assert (
        not Consent.objects.exclude(purpose=Consent.Purpose.CONTACT)
        .filter(recipient_id=models.F("file__controller_id"))
        .exists()
    )


def test_loading_again_changes_nothing(cologne: LoadResult) -> None:
    from teilhabe.demo.cologne.load import load_cologne

    before = (Participant.objects.count(), Case.objects.count(), Outcome.objects.count())
    again = load_cologne()
    assert not again.loaded
    assert (Participant.objects.count(), Case.objects.count(), Outcome.objects.count()) == before


def test_reset_loads_the_same_rows_again(cologne: LoadResult, programme: Programme) -> None:
    from teilhabe.demo.cologne.load import load_cologne

    reloaded = load_cologne(reset=True)
    assert reloaded.loaded
    assert reloaded.rows == cologne.rows
    new = Programme.objects.get(code="durchstarten-koeln")
    assert new.pk != programme.pk
    figures = programme_reach(programme=new, as_of=END)
    assert (figures.persons_reached, figures.persons_with_success) == (508, 117)


def test_no_one_holds_temporary_protection_before_the_decision(cologne: LoadResult) -> None:
    protection = ResidenceDocument.objects.filter(residence_type=ResidenceType.TEMPORARY_PROTECTION)
    assert protection.exists()
    assert not protection.filter(valid_from__lt=DECISION_DAY).exists()
    assert not Case.objects.filter(
        entry_date__lt=DECISION_DAY, target_group=TargetGroup.SPECIAL_CASE
    ).exists()


def test_every_case_meets_the_age_rule_at_entry_or_has_an_approved_exception(
    cologne: LoadResult,
) -> None:
    cases = Case.objects.select_related("participant", "eligibility_rule")
    exceptions = 0
    for case in cases:
        rule = case.eligibility_rule
        assert rule is not None
        age = age_on(case.participant.date_of_birth, case.entry_date)
        if rule.min_age <= age <= rule.max_age:
            assert case.target_group != TargetGroup.AGE_EXCEPTION
        else:
            exceptions += 1
            assert case.target_group == TargetGroup.AGE_EXCEPTION
            assert case.age_exception_justification
            assert case.age_exception_approved_by is not None
    assert exceptions >= 3


def test_every_case_keeps_an_explained_eligibility_snapshot(cologne: LoadResult) -> None:
    for explanation in Case.objects.values_list("eligibility_explanation", flat=True):
        assert explanation
        assert all(set(item) == {"code", "passed", "explanation"} for item in explanation)


def test_the_programme_before_the_decision_runs_to_the_end_of_2022(programme: Programme) -> None:
    state = programme_as_of(programme=programme, as_of=dt.date(2022, 3, 16))
    assert state.ends_on == dt.date(2022, 12, 31)
    assert state.module("F6").valid_until == dt.date(2022, 12, 31)
    assert state.module("F6").successor_programme is None
    assert state.eligibility_rule is not None
    assert state.eligibility_rule.special_case_statuses == []


def test_the_decision_extends_the_programme_ends_f6_and_admits_ukrainians(
    programme: Programme, kim: Programme
) -> None:
    state = programme_as_of(programme=programme, as_of=DECISION_DAY)
    assert state.ends_on == END
    assert state.module("F6").valid_until == dt.date(2022, 6, 30)
    assert state.module("F6").successor_programme == kim
    assert state.eligibility_rule is not None
    assert state.eligibility_rule.valid_from == DECISION_DAY
    assert state.eligibility_rule.special_case_statuses == ["schutz_24"]
    assert [(d.decided_on, d.reference) for d in state.decisions] == [
        (dt.date(2020, 3, 26), "0815/2020"),
        (DECISION_DAY, "0642/2022"),
    ]
    assert [d.sequence for d in state.decisions] == [1, 2]
    assert state.end_set_by is not None
    assert state.end_set_by.decision.reference == "0642/2022"
    before = programme_as_of(programme=programme, as_of=dt.date(2022, 3, 16))
    assert before.ends_on == dt.date(2022, 12, 31)
    assert before.eligibility_rule is not None
    assert before.eligibility_rule.special_case_statuses == []


def test_budgets_reflect_the_reallocation_only_from_the_decision(programme: Programme) -> None:
    before = programme_as_of(programme=programme, as_of=dt.date(2022, 3, 16))
    after = programme_as_of(programme=programme, as_of=DECISION_DAY)
    for code, moved in (("F1", "95000"), ("F4", "60000"), ("F3", "-155000")):
        old, new = before.budget_for(code, 2022), after.budget_for(code, 2022)
        assert old is not None
        assert new is not None
        assert old.in_force == old.planned
        assert new.in_force == old.in_force + Decimal(moved)
    f4_2023 = after.budget_for("F4", 2023)
    assert f4_2023 is not None
    assert f4_2023.in_force == f4_2023.planned + Decimal("25000")
    # Reallocations move money; only the budget the extension adopted adds to the total.
    assert after.budget_total == before.budget_total + Decimal("742377.39")


def test_the_2023_budget_exists_only_from_the_extension_decision(programme: Programme) -> None:
    extension = Amendment.objects.get(
        programme=programme,
        kind=AmendmentKind.EXTEND_PROGRAMME,
        decision__decided_on=DECISION_DAY,
    )
    lines = BudgetLine.objects.filter(module__programme=programme)
    assert set(lines.filter(budget_year=2023).values_list("adopted_by", flat=True)) == {
        extension.pk
    }
    set_up = Amendment.objects.get(programme=programme, kind=AmendmentKind.SET_UP)
    assert set(lines.filter(budget_year__lt=2023).values_list("adopted_by", flat=True)) == {
        set_up.pk
    }

    before = programme_as_of(programme=programme, as_of=dt.date(2022, 3, 16))
    assert [b for b in before.budgets if b.budget_year == 2023] == []
    assert before.budget_for("F1", 2022) is not None

    after = programme_as_of(programme=programme, as_of=DECISION_DAY)
    planned_2023 = sum((b.planned for b in after.budgets if b.budget_year == 2023), Decimal("0"))
    assert planned_2023 == Decimal("742377.39")
    assert {b.module.code for b in after.budgets if b.budget_year == 2023} == {"F1", "F3", "F4"}


def test_the_funding_notice_and_decision_carry_the_published_amounts(cologne: LoadResult) -> None:
    notice = FundingNotice.objects.get(reference="51.2-DAA-2020-KOELN")
    assert notice.total_amount == Decimal("2956360.00")
    assert notice.own_share == Decimal("591272.00")
    assert sum(line.planned_amount for line in notice.budget_lines.all()) == notice.total_amount
    decision = Decision.objects.get(decided_on=DECISION_DAY)
    assert "1.389.354,79 €" in decision.text
    assert "742.377,39 €" in decision.text
    assert decision.amendments.count() == 4


def test_open_f6_cases_moved_to_kim_with_consent_and_referral(
    programme: Programme, kim: Programme
) -> None:
    transferred = Case.objects.filter(
        programme=programme, exit_reason=Case.ExitReason.TRANSFER_PROGRAMME
    )
    assert transferred.count() >= 10
    for case in transferred:
        assert case.exit_date == dt.date(2022, 6, 30)
        successor = Case.objects.get(predecessor=case)
        assert successor.programme == kim
        assert successor.participant_id == case.participant_id
        referral = Referral.objects.get(case=case)
        assert referral.to_programme == kim
        assert referral.consent is not None
        assert referral.consent.purpose == Consent.Purpose.TRANSFER
        assert referral.consent.recipient_programme == kim
    # Nothing was left open in the ended programme.
    assert not Case.objects.filter(programme=programme).exclude(status=Case.Status.CLOSED).exists()


def test_nineteen_fictional_providers_and_about_a_third_women(programme: Programme) -> None:
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, municipality=programme.owner
    )
    assert providers.count() == 19
    persons = Participant.objects.filter(duplicate_of__isnull=True, cases__programme=programme)
    women = persons.filter(gender=Gender.FEMALE).count() / persons.count()
    assert 0.30 <= women <= 0.35


def test_staff_have_roles_that_fit_their_organisation_and_coach_their_own_providers_cases(
    cologne: LoadResult,
) -> None:
    for membership in Membership.objects.select_related("organisation"):
        assert membership.role in ROLES_BY_ORGANISATION_KIND[membership.organisation.kind]
    coached = Case.objects.filter(coach__isnull=False)
    assert coached.count() == Case.objects.count()
    foreign = coached.exclude(
        coach__memberships__organisation=F("lead_provider"), coach__memberships__role="coach"
    )
    assert not foreign.exists()


def test_course_runs_are_never_overbooked(cologne: LoadResult) -> None:
    from teilhabe.programmes.models import Offer

    runs = Offer.objects.filter(kind=Offer.Kind.COURSE_RUN).annotate(
        booked=Count("enrolments", filter=~Q(enrolments__status="waiting"))
    )
    assert runs.filter(enrolments__attendances__isnull=False).exists()
    for run in runs:
        assert run.booked <= run.places


def _show(as_of: str, *extra: str) -> dict:
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "programme", "show", "durchstarten-koeln", "--as-of", as_of, *extra, "--format", "json",
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def test_the_scenario_replays_through_the_programme_command(programme: Programme) -> None:
    """Issue 6: as of 16 March 2022 the programme ends 2022-12-31 and § 24 is not admitted;
    as of 17 March it ends 2023-06-30 and § 24 is a special case; as of 1 July F6 has ended."""
    before = _show("2022-03-16")
    assert before["ends_on"] == "2022-12-31"
    assert before["ends_on_decision"]["reference"] == "0815/2020"
    assert "schutz_24" not in [e["residence_type"] for e in before["eligibility"]]

    decided = _show("2022-03-17")
    assert decided["ends_on"] == "2023-06-30"
    assert decided["ends_on_decision"] == {
        "reference": "0642/2022",
        "date": "2022-03-17",
        "body": "Rat der Stadt Köln",
    }
    ukraine = [e for e in decided["eligibility"] if e["residence_type"] == "schutz_24"]
    assert [(e["category"], e["min_age"], e["max_age"]) for e in ukraine] == [
        ("special_case", 18, 27)
    ]
    budgets_2023 = [b for b in decided["budgets"] if b["budget_year"] == 2023]
    assert budgets_2023
    assert {d["reference"] for b in budgets_2023 for d in b["decisions"]} == {"0642/2022"}

    july = _show("2022-07-01")
    f6 = next(m for m in july["modules"] if m["code"] == "F6")
    assert (f6["valid_until"], f6["running"], f6["successor_programme"]) == (
        "2022-06-30",
        False,
        "kim-koeln",
    )
    assert f6["decision"]["reference"] == "0642/2022"
    # As the record stood the day before the council decided, nothing of it was known.
    assert _show("2022-07-01", "--known-on", "2022-03-16")["ends_on"] == "2022-12-31"


def test_the_city_leads_f6_and_every_participation_open_on_its_last_day_was_handed_over_or_closed(
    programme: Programme, kim: Programme
) -> None:
    """Issue 6: F6 is run by the city; on 30 June 2022 every open F6 participation was
    transferred to KIM or closed, each with its reason."""
    from teilhabe.cases.models import HandOver, ModuleParticipation, ParticipationEnd
    from teilhabe.programmes.models import Offer

    f6 = programme.modules.get(code="F6")
    assert not Offer.objects.filter(module=f6).exists()
    in_f6 = ModuleParticipation.objects.filter(module=f6)
    assert in_f6.count() >= 40
    assert set(in_f6.values_list("case__lead_provider", flat=True)) == {programme.owner_id}
    assert not in_f6.filter(Q(to_date__isnull=True) | Q(to_date__gt=F6_LAST_DAY)).exists()
    at_end = in_f6.filter(to_date=F6_LAST_DAY).exclude(exit_reason=ParticipationEnd.GOAL_REACHED)
    assert set(at_end.values_list("exit_reason", flat=True)) == {
        ParticipationEnd.TRANSFERRED,
        ParticipationEnd.CLOSED_WITHOUT_CONSENT,
    }
    for participation in at_end.select_related("hand_over", "case"):
        hand_over = participation.hand_over
        if participation.exit_reason == ParticipationEnd.TRANSFERRED:
            assert hand_over.result == HandOver.Result.TRANSFERRED
            assert hand_over.successor_case.predecessor_id == participation.case_id
            assert hand_over.successor_case.programme == kim
            assert hand_over.referral.consent_id == hand_over.consent_id
            assert hand_over.consent.used_on == hand_over.recorded_on
            assert hand_over.documents
        else:
            assert hand_over.result == HandOver.Result.CLOSED
            assert hand_over.informed_on <= F6_LAST_DAY
            assert hand_over.informed_how
            assert participation.case.exit_reason == Case.ExitReason.MODULE_ENDED
            assert not Case.objects.filter(predecessor=participation.case).exists()
    assert at_end.filter(exit_reason=ParticipationEnd.CLOSED_WITHOUT_CONSENT).count() >= 3


def test_participations_follow_the_enrolments(cologne: LoadResult) -> None:
    from teilhabe.cases.models import Enrolment, ModuleParticipation

    enrolled = Enrolment.objects.exclude(status="waiting")
    placed = ModuleParticipation.objects.filter(
        case_id=models.OuterRef("case_id"),
        module_id=models.OuterRef("offer__module_id"),
        from_date__lte=models.OuterRef("started_on"),
    )
    assert not enrolled.exclude(models.Exists(placed)).exists()
    assert not Enrolment.objects.filter(ended_on__isnull=False, exit_reason="").exists()


def test_the_budget_overview_adds_up_to_the_cent_and_cuts_f6_at_its_end(
    programme: Programme,
) -> None:
    from django.db.models import Sum

    from teilhabe.budgets.models import Expenditure
    from teilhabe.budgets.selectors import budget_overview

    day = dt.date(2022, 12, 31)
    overview = budget_overview(programme=programme, as_of=day)
    state = programme_as_of(programme=programme, as_of=day)
    assert overview.total.planned == state.budget_total
    booked = Expenditure.objects.filter(
        budget_line__module__programme=programme, spent_on__lte=day
    ).aggregate(total=Sum("amount"))["total"]
    assert overview.total.spent == Decimal(str(booked)).quantize(Decimal("0.01"))
    f6 = next(r for r in overview.rows if r.module.code == "F6" and r.budget_year == 2022)
    assert f6.period_end == F6_LAST_DAY
    assert f6.remaining_days == 0
    assert f6.figures.forecast == f6.figures.spent


def test_every_module_spends_a_plausible_part_of_its_budget_in_force_and_never_more(
    programme: Programme,
) -> None:
    from django.db.models import Sum

    from teilhabe.budgets.models import Expenditure

    state = programme_as_of(programme=programme, as_of=END)
    spent = {
        (row["budget_line__module__code"], row["budget_line__budget_year"]): Decimal(
            str(row["total"])
        )
        for row in Expenditure.objects.filter(budget_line__module__programme=programme)
        .values("budget_line__module__code", "budget_line__budget_year")
        .annotate(total=Sum("amount"))
    }
    assert spent
    for (code, year), amount in spent.items():
        budget = state.budget_for(code, year)
        assert budget is not None, (code, year)
        assert amount <= budget.in_force, (code, year, amount, budget.in_force)
        # The funding notice's modules ran all year: F1 and F4 spend the money moved to them,
        # F3 keeps within what was left.
        if code in ("F1", "F3", "F4"):
            assert Decimal("0.82") <= amount / budget.in_force <= Decimal("0.97"), (code, year)


def test_every_expenditure_falls_on_a_day_its_module_ran_and_its_line_was_in_force(
    programme: Programme,
) -> None:
    from teilhabe.budgets.models import Expenditure
    from teilhabe.budgets.services import line_in_force
    from teilhabe.programmes.selectors import not_in_force_reason

    states = {}
    for expenditure in Expenditure.objects.filter(
        budget_line__module__programme=programme
    ).select_related("budget_line__module"):
        day, line = expenditure.spent_on, expenditure.budget_line
        if day not in states:
            states[day] = programme_as_of(programme=programme, as_of=day, known_on=day)
        assert not_in_force_reason(programme=programme, on=day, module=line.module) is None
        assert line_in_force(line, states[day]), (str(line), day)
        expenditure.full_clean()


def test_teaching_hours_pay_each_course_run_once_after_it_ends(programme: Programme) -> None:
    from teilhabe.budgets.models import Expenditure
    from teilhabe.programmes.models import Offer

    payments = Expenditure.objects.filter(
        budget_line__module__programme=programme,
        category=Expenditure.Category.TEACHING_HOURS,
    ).select_related("offer", "budget_line")
    assert payments.exists()
    for payment in payments:
        run = payment.offer
        assert run is not None
        assert run.ends_on is not None
        assert run.teaching_hours is not None
        assert payment.quantity == run.teaching_hours
        assert payment.amount == run.teaching_hours * Decimal("37.50")
        assert payment.budget_line.provider_id == run.provider_id
        assert run.ends_on <= payment.spent_on
        assert payment.spent_on.year == run.ends_on.year == payment.budget_line.budget_year
    runs = Offer.objects.filter(module__programme=programme, module__code="F4")
    assert sorted(payments.values_list("offer", flat=True)) == sorted(
        runs.values_list("pk", flat=True)
    )


def test_the_budget_page_commits_the_course_runs_not_yet_paid(programme: Programme) -> None:
    from teilhabe.budgets.models import Expenditure
    from teilhabe.budgets.selectors import budget_overview
    from teilhabe.programmes.models import Offer

    def f4_2022(day: dt.date) -> Decimal:
        overview = budget_overview(programme=programme, as_of=day)
        row = next(r for r in overview.rows if r.module.code == "F4" and r.budget_year == 2022)
        return row.figures.committed

    day = dt.date(2022, 6, 30)
    runs = Offer.objects.filter(module__programme=programme, module__code="F4", ends_on__year=2022)
    paid = set(
        Expenditure.objects.filter(offer__in=runs, spent_on__lte=day).values_list(
            "offer", flat=True
        )
    )
    unpaid = [run for run in runs if run.pk not in paid]
    assert {run.pk for run in runs if run.ends_on > day} <= {run.pk for run in unpaid}
    assert paid
    expected = sum((run.teaching_hours * Decimal("37.50") for run in unpaid), Decimal("0"))
    assert f4_2022(day) == expected > 0
    # By the year's last day every run ending in it has been paid: nothing is bound any more.
    assert f4_2022(dt.date(2022, 12, 31)) == 0


def test_every_offer_runs_under_a_contract_of_the_set_up_decision(cologne: LoadResult) -> None:
    offers = Offer.objects.filter(module__programme__owner__name=CITY).select_related(
        "module__programme", "provider"
    )
    assert offers.exists()
    states: dict[tuple[int, dt.date], ProgrammeState] = {}
    for offer in offers:
        key = (offer.module.programme_id, offer.starts_on)
        if key not in states:
            states[key] = programme_as_of(programme=offer.module.programme, as_of=offer.starts_on)
        contract = states[key].contract_for(
            provider_id=offer.provider_id, module_id=offer.module_id
        )
        assert contract is not None, offer
        assert contract.added_by.kind == AmendmentKind.FORWARD_FUNDS
        assert contract.added_by.decision.sequence == 1


def test_after_the_council_decision_money_can_still_be_moved_among_f1_to_f4(
    programme: Programme,
) -> None:
    """Found by a newcomer walk: every reallocation after 17 March 2022 was refused because
    the plan, with F5 (granted by the state directly) and F6 (the city's), is larger than the
    F1-F4 funding notice. The notice pays F1-F4, and their plan is exactly the notice."""
    from teilhabe.budgets.reallocation import Move, reallocation_errors
    from teilhabe.budgets.selectors import budget_overview

    overview = budget_overview(programme=programme, as_of=dt.date(2022, 6, 30))
    assert overview.notice_plan == overview.notice_total == Decimal("2956360.00")
    assert overview.beyond_notices == 0
    f1, f3 = programme.modules.get(code="F1"), programme.modules.get(code="F3")
    move = Move(2022, f3, f1, Decimal("1000.00"))
    assert (
        reallocation_errors(programme=programme, overview=overview, budget_year=2022, moves=[move])
        == {}
    )
