from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from teilhabe.accounts.models import Organisation, User
from teilhabe.core.codes import ResidenceType, TargetGroup
from teilhabe.participants.models import ParticipantFile, ResidenceDocument
from teilhabe.programmes.eligibility import (
    AgeException,
    EligibilityResult,
    age_on,
    evaluate_eligibility,
    residence_document_on,
)
from teilhabe.programmes.models import AmendmentKind, EligibilityRule, Programme
from tests.factories import (
    AmendmentFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    ParticipantFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
    ResidenceDocumentFactory,
)

D = dt.date
BORN = D(2000, 5, 17)


@pytest.fixture
def programme(municipality: Organisation) -> Programme:
    programme = ProgrammeFactory(name="Durchstarten Köln", owner=municipality)
    EligibilityRuleFactory(programme=programme, valid_from=D(2020, 7, 1))
    return programme


@pytest.fixture
def ukraine_rule(programme: Programme) -> EligibilityRule:
    """The Cologne council's decision of 17 March 2022 adding § 24 as a special case."""
    rule = EligibilityRuleFactory(
        programme=programme,
        in_set_up=False,
        valid_from=D(2022, 3, 17),
        special_case_statuses=[ResidenceType.TEMPORARY_PROTECTION.value],
    )
    AmendmentFactory(
        decision=DecisionFactory(
            programme=programme,
            organisation=programme.owner,
            body="Rat der Stadt Köln",
            decided_on=D(2022, 3, 17),
            title="Geflüchtete aus der Ukraine als Sonderfall",
        ),
        programme=programme,
        kind=AmendmentKind.CHANGE_ELIGIBILITY,
        effective_on=D(2022, 3, 17),
        new_end_date=None,
        eligibility_rule=rule,
    )
    return rule


def person(
    *,
    status: str | None = ResidenceType.TOLERATED,
    born: dt.date = BORN,
    **fields: Any,
) -> ParticipantFile:
    """A person as one provider's file records them; ``fields`` are the file's."""
    file = ParticipantFileFactory(participant=ParticipantFactory(date_of_birth=born), **fields)
    if status is not None:
        ResidenceDocumentFactory(file=file, residence_type=status, valid_from=D(2015, 1, 1))
    return file


def criterion(result: EligibilityResult, code: str) -> tuple[bool, str]:
    matches = [c for c in result.criteria if c.code == code]
    assert len(matches) == 1, f"expected one {code!r} criterion, got {result.criteria}"
    return matches[0].passed, matches[0].explanation


def codes(result: EligibilityResult) -> list[str]:
    return [c.code for c in result.criteria]


# --- age ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "age", "category"),
    [
        pytest.param(D(2021, 5, 16), 17, TargetGroup.NOT_ELIGIBLE, id="day-before-18th"),
        pytest.param(D(2021, 5, 17), 18, TargetGroup.MAIN, id="18th-birthday"),
        pytest.param(D(2031, 5, 16), 27, TargetGroup.MAIN, id="day-before-28th"),
        pytest.param(D(2031, 5, 17), 28, TargetGroup.NOT_ELIGIBLE, id="28th-birthday"),
    ],
)
def test_it_applies_the_age_limits_inclusively_around_birthdays(
    programme: Programme, day: dt.date, age: int, category: str
) -> None:
    file = person(born=D(2003, 5, 17))

    result = evaluate_eligibility(file=file, programme=programme, on=day)

    assert result.category == category
    passed, explanation = criterion(result, "age")
    assert passed is (category == TargetGroup.MAIN)
    assert f"{age} Jahre am {day:%d.%m.%Y}" in explanation
    assert "18–27" in explanation


def test_it_tells_a_too_young_person_from_when_they_are_old_enough(programme: Programme) -> None:
    file = person(born=D(2003, 5, 17))

    result = evaluate_eligibility(file=file, programme=programme, on=D(2021, 1, 10))

    _, explanation = criterion(result, "age")
    assert explanation == (
        "17 Jahre am 10.01.2021: außerhalb von 18–27; 18 Jahre alt ab dem 17.05.2021."
    )


def test_it_tells_a_too_old_person_until_when_the_age_limit_was_met(programme: Programme) -> None:
    result = evaluate_eligibility(file=person(), programme=programme, on=D(2029, 1, 10))

    _, explanation = criterion(result, "age")
    assert explanation == (
        "28 Jahre am 10.01.2029: außerhalb von 18–27; "
        "die Altersgrenze war bis zum 16.05.2028 eingehalten."
    )


def test_it_counts_a_leap_day_birthday_as_1_march_in_non_leap_years() -> None:
    born = D(2004, 2, 29)

    assert age_on(born, D(2022, 2, 28)) == 17
    assert age_on(born, D(2022, 3, 1)) == 18
    assert age_on(born, D(2024, 2, 28)) == 19
    assert age_on(born, D(2024, 2, 29)) == 20


def test_it_lets_a_leap_day_child_in_on_1_march_of_the_18th_year(programme: Programme) -> None:
    file = person(born=D(2004, 2, 29))

    before = evaluate_eligibility(file=file, programme=programme, on=D(2022, 2, 28))
    on_birthday = evaluate_eligibility(file=file, programme=programme, on=D(2022, 3, 1))

    assert before.category == TargetGroup.NOT_ELIGIBLE
    assert "18 Jahre alt ab dem 01.03.2022" in criterion(before, "age")[1]
    assert on_birthday.category == TargetGroup.MAIN


def test_it_keeps_a_leap_day_child_in_until_the_day_before_the_28th_birthday(
    programme: Programme,
) -> None:
    # 2032 is a leap year, so the 28th birthday falls on 29 February itself.
    file = person(born=D(2004, 2, 29))

    last_day = evaluate_eligibility(file=file, programme=programme, on=D(2032, 2, 28))
    birthday = evaluate_eligibility(file=file, programme=programme, on=D(2032, 2, 29))

    assert last_day.category == TargetGroup.MAIN
    assert birthday.category == TargetGroup.NOT_ELIGIBLE
    assert "28 Jahre am 29.02.2032" in criterion(birthday, "age")[1]


def test_it_refuses_to_compute_an_age_before_birth() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(D(2000, 5, 17), D(2000, 5, 16))


def _reference_age(born: dt.date, day: dt.date) -> int:
    leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    birthday = (born.month, born.day)
    if birthday == (2, 29) and not leap:
        birthday = (3, 1)
    return day.year - born.year - (1 if (day.month, day.day) < birthday else 0)


@given(
    born=st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)),
    offsets=st.tuples(st.integers(0, 40_000), st.integers(0, 40_000)),
)
@example(born=D(2004, 2, 29), offsets=(6574, 6575))  # 28.02.2022 and 01.03.2022
@example(born=D(2000, 2, 29), offsets=(36_524, 36_525))  # 2100 is no leap year
def test_it_agrees_with_a_reference_age_and_never_gets_younger(
    born: dt.date, offsets: tuple[int, int]
) -> None:
    earlier, later = (born + dt.timedelta(days=d) for d in sorted(offsets))

    assert age_on(born, earlier) == _reference_age(born, earlier)
    assert age_on(born, later) == _reference_age(born, later)
    assert age_on(born, earlier) <= age_on(born, later)


# --- residence status and category ---------------------------------------------------------


def test_it_does_not_treat_section_24_as_a_special_case_before_the_decision(
    programme: Programme, ukraine_rule: EligibilityRule
) -> None:
    file = person(status=None, nationality="UA")
    ResidenceDocumentFactory(
        file=file,
        residence_type=ResidenceType.TEMPORARY_PROTECTION,
        valid_from=D(2022, 3, 8),
    )

    result = evaluate_eligibility(file=file, programme=programme, on=D(2022, 3, 16))

    assert result.category == TargetGroup.NOT_ELIGIBLE
    assert result.rule is not None
    assert result.rule.valid_from == D(2020, 7, 1)
    _, status = criterion(result, "residence_status")
    # The Land's letter: before it made them a special case, people under § 24 were neither
    # the main nor the secondary target group.
    assert status == (
        "Vorübergehender Schutz (§ 24 AufenthG): nach der seit 01.07.2020 geltenden "
        "Förderregel weder Hauptzielgruppe noch sekundäre Zielgruppe."
    )
    assert "double_funding" not in [c.code for c in result.criteria]


def test_it_makes_section_24_a_special_case_from_the_decision_of_17_march_2022(
    programme: Programme, ukraine_rule: EligibilityRule
) -> None:
    file = person(status=None, nationality="UA")
    ResidenceDocumentFactory(
        file=file,
        residence_type=ResidenceType.TEMPORARY_PROTECTION,
        valid_from=D(2022, 3, 8),
    )

    result = evaluate_eligibility(file=file, programme=programme, on=D(2022, 3, 17))

    assert result.category == TargetGroup.SPECIAL_CASE
    assert result.is_eligible
    assert result.rule == ukraine_rule
    assert criterion(result, "residence_status") == (
        True,
        "Vorübergehender Schutz (§ 24 AufenthG): Sonderfall nach der seit 17.03.2022 "
        "geltenden Förderregel.",
    )
    assert "double_funding" not in codes(result)


def test_it_follows_the_status_valid_on_the_day(programme: Programme) -> None:
    file = person(status=None)
    ResidenceDocumentFactory(
        file=file,
        residence_type=ResidenceType.TOLERATED,
        valid_from=D(2019, 1, 1),
        valid_until=D(2021, 12, 31),
    )
    ResidenceDocumentFactory(
        file=file,
        residence_type=ResidenceType.WELL_INTEGRATED_YOUTH,
        valid_from=D(2022, 1, 1),
    )

    tolerated = evaluate_eligibility(file=file, programme=programme, on=D(2021, 6, 1))
    checked = evaluate_eligibility(
        file=file,
        programme=programme,
        on=D(2022, 6, 1),
        no_double_funding_confirmed=True,
    )
    unchecked = evaluate_eligibility(file=file, programme=programme, on=D(2022, 6, 1))

    assert tolerated.category == TargetGroup.MAIN
    assert criterion(tolerated, "residence_status")[1] == (
        "Duldung (§ 60a AufenthG): Hauptzielgruppe nach der seit 01.07.2020 geltenden Förderregel."
    )
    assert checked.category == TargetGroup.SECONDARY
    assert criterion(checked, "double_funding") == (
        True,
        "Mit dem Jobcenter abgestimmt: keine Doppelförderung.",
    )
    assert unchecked.category == TargetGroup.NOT_ELIGIBLE
    assert "§ 25a AufenthG" in criterion(unchecked, "residence_status")[1]
    passed, explanation = criterion(unchecked, "double_funding")
    assert not passed
    assert "Abstimmung mit dem Jobcenter fehlt" in explanation


def test_it_refuses_other_statuses_when_the_rule_allows_no_secondary_group(
    programme: Programme,
) -> None:
    EligibilityRuleFactory(
        programme=programme, valid_from=D(2021, 1, 1), secondary_group_allowed=False
    )
    file = person(status=ResidenceType.WELL_INTEGRATED_YOUTH)

    result = evaluate_eligibility(
        file=file,
        programme=programme,
        on=D(2021, 6, 1),
        no_double_funding_confirmed=True,
    )

    assert result.category == TargetGroup.NOT_ELIGIBLE
    passed, explanation = criterion(result, "residence_status")
    assert not passed
    assert "sekundäre Zielgruppe ist nicht zugelassen" in explanation
    assert "double_funding" not in codes(result)


def test_it_is_not_eligible_without_a_document_valid_on_the_day(programme: Programme) -> None:
    file = person(status=None)
    ResidenceDocumentFactory(file=file, valid_from=D(2019, 1, 1), valid_until=D(2021, 5, 31))

    last_day = evaluate_eligibility(file=file, programme=programme, on=D(2021, 5, 31))
    expired = evaluate_eligibility(file=file, programme=programme, on=D(2021, 6, 1))

    assert last_day.category == TargetGroup.MAIN
    assert expired.category == TargetGroup.NOT_ELIGIBLE
    assert criterion(expired, "residence_status") == (
        False,
        "Kein gültiges Aufenthaltsdokument am 01.06.2021.",
    )


def test_it_takes_the_newest_of_overlapping_documents(db: None) -> None:
    file = person(status=None)
    ResidenceDocumentFactory(
        file=file, residence_type=ResidenceType.TOLERATED, valid_from=D(2020, 1, 1)
    )
    fiction = ResidenceDocumentFactory(
        file=file,
        residence_type=ResidenceType.FICTION_CERTIFICATE,
        valid_from=D(2021, 3, 1),
        valid_until=D(2021, 9, 30),
    )

    assert residence_document_on(file=file, day=D(2021, 2, 28)) is not fiction
    assert residence_document_on(file=file, day=D(2021, 3, 1)) == fiction
    assert residence_document_on(file=file, day=D(2019, 12, 31)) is None


# --- exclusions ----------------------------------------------------------------------------


def test_it_excludes_people_living_in_a_state_reception_facility(programme: Programme) -> None:
    file = person(lives_in_state_reception=True)

    result = evaluate_eligibility(file=file, programme=programme, on=D(2021, 6, 1))

    assert result.category == TargetGroup.NOT_ELIGIBLE
    assert criterion(result, "state_reception") == (
        False,
        "Wohnt in einer Landeseinrichtung: nach der Förderregel ausgeschlossen.",
    )
    assert criterion(result, "residence_status")[0]


def test_it_ignores_state_reception_when_the_rule_does_not_exclude_it(
    programme: Programme,
) -> None:
    EligibilityRuleFactory(
        programme=programme, valid_from=D(2021, 1, 1), excludes_state_reception=False
    )

    result = evaluate_eligibility(
        file=person(lives_in_state_reception=True), programme=programme, on=D(2021, 6, 1)
    )

    assert result.category == TargetGroup.MAIN
    assert "state_reception" not in codes(result)


@pytest.mark.parametrize(
    ("city", "passed"),
    [
        pytest.param(" köln ", True, id="case-and-space"),
        pytest.param("Ko\u0308ln", True, id="decomposed-umlaut"),
        pytest.param("Bonn", False, id="other-city"),
        pytest.param("", False, id="no-city"),
    ],
)
def test_it_checks_the_place_of_residence_required_by_the_rule(
    programme: Programme, city: str, passed: bool
) -> None:
    EligibilityRuleFactory(programme=programme, valid_from=D(2021, 1, 1), place_of_residence="Köln")

    result = evaluate_eligibility(file=person(city=city), programme=programme, on=D(2021, 6, 1))

    assert result.is_eligible is passed
    assert criterion(result, "place_of_residence")[0] is passed
    assert "Köln" in criterion(result, "place_of_residence")[1]


def test_it_names_the_other_city(programme: Programme) -> None:
    EligibilityRuleFactory(programme=programme, valid_from=D(2021, 1, 1), place_of_residence="Köln")

    result = evaluate_eligibility(file=person(city="Bonn"), programme=programme, on=D(2021, 6, 1))

    assert criterion(result, "place_of_residence")[1] == (
        "Wohnort Bonn: Die Förderregel verlangt Köln."
    )


# --- age exception -------------------------------------------------------------------------


def test_it_admits_an_older_person_with_an_approved_age_exception(
    programme: Programme, coordinator: User
) -> None:
    coordinator.first_name, coordinator.last_name = "Petra", "Schmitz"
    exception = AgeException(
        justification="Ausbildungsbeginn im August steht fest.", approved_by=coordinator
    )

    result = evaluate_eligibility(
        file=person(born=D(1993, 1, 1)),
        programme=programme,
        on=D(2021, 6, 1),
        age_exception=exception,
    )

    assert result.category == TargetGroup.AGE_EXCEPTION
    assert result.is_eligible
    assert criterion(result, "age")[0] is False
    assert criterion(result, "age_exception") == (
        True,
        "Ausnahme von der Altersgrenze genehmigt von Petra Schmitz: "
        "„Ausbildungsbeginn im August steht fest.“.",
    )


def test_it_does_not_count_an_age_exception_without_justification(
    programme: Programme, coordinator: User
) -> None:
    result = evaluate_eligibility(
        file=person(born=D(1993, 1, 1)),
        programme=programme,
        on=D(2021, 6, 1),
        age_exception=AgeException(justification="  ", approved_by=coordinator),
    )

    assert result.category == TargetGroup.NOT_ELIGIBLE
    passed, explanation = criterion(result, "age_exception")
    assert not passed
    assert "Die Begründung fehlt" in explanation


def test_it_does_not_count_an_age_exception_nobody_approved(programme: Programme) -> None:
    exception = AgeException(justification="Begründet.", approved_by=None)  # type: ignore[arg-type]

    result = evaluate_eligibility(
        file=person(born=D(1993, 1, 1)),
        programme=programme,
        on=D(2021, 6, 1),
        age_exception=exception,
    )

    assert result.category == TargetGroup.NOT_ELIGIBLE
    assert "wer sie genehmigt hat" in criterion(result, "age_exception")[1]


def test_it_does_not_let_an_age_exception_cover_other_failed_criteria(
    programme: Programme, coordinator: User
) -> None:
    result = evaluate_eligibility(
        file=person(born=D(1993, 1, 1), status=None),
        programme=programme,
        on=D(2021, 6, 1),
        age_exception=AgeException(justification="Begründet.", approved_by=coordinator),
    )

    assert result.category == TargetGroup.NOT_ELIGIBLE
    assert criterion(result, "age_exception")[0]
    assert not criterion(result, "residence_status")[0]


def test_it_ignores_an_age_exception_that_is_not_needed(
    programme: Programme, coordinator: User
) -> None:
    result = evaluate_eligibility(
        file=person(),
        programme=programme,
        on=D(2021, 6, 1),
        age_exception=AgeException(justification="Vorsorglich.", approved_by=coordinator),
    )

    assert result.category == TargetGroup.MAIN
    assert "age_exception" not in codes(result)


# --- rule, snapshot, queries ----------------------------------------------------------------


def test_it_is_not_eligible_when_no_rule_is_in_force(programme: Programme) -> None:
    result = evaluate_eligibility(file=person(), programme=programme, on=D(2020, 6, 30))

    assert result.category == TargetGroup.NOT_ELIGIBLE
    assert result.rule is None
    assert result.as_snapshot() == [
        {
            "code": "rule",
            "passed": False,
            "explanation": "Am 30.06.2020 galt für „Durchstarten Köln“ keine Förderregel.",
        }
    ]


def test_it_explains_itself_in_a_json_snapshot_with_one_entry_per_criterion(
    programme: Programme,
) -> None:
    EligibilityRuleFactory(programme=programme, valid_from=D(2021, 1, 1), place_of_residence="Köln")
    file = person(status=ResidenceType.WELL_INTEGRATED_YOUTH, city="Köln")

    result = evaluate_eligibility(
        file=file,
        programme=programme,
        on=D(2022, 6, 1),
        no_double_funding_confirmed=True,
    )
    snapshot = json.loads(json.dumps(result.as_snapshot()))

    assert result.category == TargetGroup.SECONDARY
    assert [entry["code"] for entry in snapshot] == [
        "rule",
        "age",
        "residence_status",
        "double_funding",
        "state_reception",
        "place_of_residence",
    ]
    assert all(entry["passed"] is True for entry in snapshot)
    assert all(isinstance(e["explanation"], str) and e["explanation"] for e in snapshot)
    assert "22 Jahre am 01.06.2022" in snapshot[1]["explanation"]
    assert "01.01.2021" in snapshot[0]["explanation"]


def test_it_reads_the_rule_and_the_documents_once_each(
    programme: Programme, django_assert_num_queries: Any
) -> None:
    file = person()
    ResidenceDocumentFactory(file=file, valid_from=D(2021, 1, 1))

    with django_assert_num_queries(2):
        evaluate_eligibility(file=file, programme=programme, on=D(2021, 6, 1))


def test_it_uses_prefetched_documents(programme: Programme, django_assert_num_queries: Any) -> None:
    file = (
        ParticipantFile.objects.select_related("participant")
        .prefetch_related("residence_documents")
        .get(pk=person().pk)
    )

    with django_assert_num_queries(1):
        result = evaluate_eligibility(file=file, programme=programme, on=D(2021, 6, 1))
    assert result.category == TargetGroup.MAIN


def test_it_judges_a_history_handed_in_without_any_query(
    programme: Programme, django_assert_num_queries: Any
) -> None:
    from teilhabe.programmes.selectors import rule_book_for

    file = person()
    book = rule_book_for(programme=programme)
    history = [
        ResidenceDocument(
            residence_type=ResidenceType.WELL_INTEGRATED_YOUTH, valid_from=D(2020, 1, 1)
        )
    ]
    with django_assert_num_queries(0):
        result = evaluate_eligibility(
            file=file,
            programme=programme,
            on=D(2021, 6, 1),
            rule_book=book,
            residence_documents=history,
        )
    # The stored Duldung is ignored: the history handed in says § 25a, a secondary status.
    assert result.category == TargetGroup.NOT_ELIGIBLE
