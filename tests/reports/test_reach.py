"""Reach and success figures count persons, not registrations or cases."""

from __future__ import annotations

import datetime as dt

import pytest

from teilhabe.accounts.models import Organisation
from teilhabe.core.codes import OutcomeType
from teilhabe.participants.models import Participant
from teilhabe.programmes.models import Programme
from teilhabe.reports.selectors import programme_reach, reach_by_municipality
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    OutcomeFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 3, 17)


@pytest.fixture
def programme(municipality: Organisation) -> Programme:
    return ProgrammeFactory(owner=municipality)


def _case(programme: Programme, participant: Participant, entry: dt.date, **kwargs: object):  # type: ignore[no-untyped-def]
    return CaseFactory(
        participant=participant,
        programme=programme,
        lead_provider=ProviderFactory(municipality=programme.owner),
        entry_date=entry,
        **kwargs,
    )


def test_a_duplicate_and_its_original_count_as_one_person(programme: Programme) -> None:
    original = ParticipantFactory(municipality=programme.owner, given_names="Mohammed")
    duplicate = ParticipantFactory(
        municipality=programme.owner, given_names="Muhammad", duplicate_of=original
    )
    first = _case(programme, original, dt.date(2021, 1, 4))
    second = _case(programme, duplicate, dt.date(2021, 5, 3))
    OutcomeFactory(case=first, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=dt.date(2021, 9, 1))
    OutcomeFactory(
        case=second, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=dt.date(2021, 9, 1)
    )

    figures = programme_reach(programme=programme, as_of=DAY)
    assert (figures.persons_reached, figures.persons_with_success) == (1, 1)
    assert figures.as_of == DAY


def test_a_success_recorded_only_on_the_duplicate_counts_for_the_person(
    programme: Programme,
) -> None:
    original = ParticipantFactory(municipality=programme.owner)
    duplicate = ParticipantFactory(municipality=programme.owner, duplicate_of=original)
    _case(programme, original, dt.date(2021, 1, 4))
    second = _case(programme, duplicate, dt.date(2021, 5, 3))
    OutcomeFactory(case=second, outcome_type=OutcomeType.VOCATIONAL_TRAINING)
    assert programme_reach(programme=programme, as_of=DAY).persons_with_success == 1


def test_cases_entered_and_successes_achieved_after_the_day_do_not_count(
    programme: Programme,
) -> None:
    early = _case(programme, ParticipantFactory(municipality=programme.owner), dt.date(2021, 1, 4))
    _case(programme, ParticipantFactory(municipality=programme.owner), DAY + dt.timedelta(days=1))
    OutcomeFactory(
        case=early, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=DAY + dt.timedelta(days=1)
    )
    figures = programme_reach(programme=programme, as_of=DAY)
    assert (figures.persons_reached, figures.persons_with_success) == (1, 0)
    later = programme_reach(programme=programme, as_of=DAY + dt.timedelta(days=1))
    assert (later.persons_reached, later.persons_with_success) == (2, 1)


def test_certificates_and_transfers_are_outcomes_but_not_successes(programme: Programme) -> None:
    case = _case(programme, ParticipantFactory(municipality=programme.owner), dt.date(2021, 1, 4))
    for outcome_type in (
        OutcomeType.LANGUAGE_CERTIFICATE,
        OutcomeType.SCHOOL_CERTIFICATE,
        OutcomeType.OTHER_PROGRAMME,
    ):
        OutcomeFactory(case=case, outcome_type=outcome_type)
    assert programme_reach(programme=programme, as_of=DAY).persons_with_success == 0
    OutcomeFactory(case=case, outcome_type=OutcomeType.BENEFITS_INDEPENDENCE)
    assert programme_reach(programme=programme, as_of=DAY).persons_with_success == 1


def test_cases_in_other_programmes_do_not_count(programme: Programme) -> None:
    other = ProgrammeFactory(owner=programme.owner)
    _case(other, ParticipantFactory(municipality=programme.owner), dt.date(2021, 1, 4))
    assert programme_reach(programme=programme, as_of=DAY).persons_reached == 0


def test_programme_reach_takes_at_most_two_queries(
    programme: Programme, django_assert_max_num_queries: object
) -> None:
    for _ in range(3):
        case = _case(
            programme, ParticipantFactory(municipality=programme.owner), dt.date(2021, 1, 4)
        )
        OutcomeFactory(case=case)
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        programme_reach(programme=programme, as_of=DAY)


def test_reach_by_municipality_counts_each_owner_separately_in_two_queries(
    programme: Programme, django_assert_max_num_queries: object
) -> None:
    elsewhere = ProgrammeFactory(owner=MunicipalityFactory(name="Stadt Bonn"))
    person = ParticipantFactory(municipality=programme.owner)
    case = _case(programme, person, dt.date(2021, 1, 4))
    OutcomeFactory(case=case)
    # The same person in a second programme of the same city is still one person there.
    _case(ProgrammeFactory(owner=programme.owner), person, dt.date(2021, 2, 1))
    _case(elsewhere, ParticipantFactory(municipality=elsewhere.owner), dt.date(2021, 1, 4))
    _case(elsewhere, ParticipantFactory(municipality=elsewhere.owner), dt.date(2021, 1, 4))

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        rows = reach_by_municipality(as_of=DAY)
    assert [(r.municipality_name, r.persons_reached, r.persons_with_success) for r in rows] == [
        ("Stadt Bonn", 2, 0),
        ("Stadt Köln", 1, 1),
    ]
    only = reach_by_municipality(as_of=DAY, programmes=Programme.objects.filter(pk=programme.pk))
    assert [(r.municipality_name, r.persons_reached) for r in only] == [("Stadt Köln", 1)]
