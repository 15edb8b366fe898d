"""Reach and success figures count persons, not registrations or cases."""

from __future__ import annotations

import datetime as dt

import pytest

from teilhabe.accounts.models import Organisation
from teilhabe.core.codes import OutcomeType
from teilhabe.participants.models import Participant
from teilhabe.programmes.models import Programme
from teilhabe.reports.disclosure import Figures
from teilhabe.reports.selectors import (
    programme_reach,
    provider_reach,
    reach_by_municipality,
    reach_series,
)
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


def test_the_series_counts_each_person_from_their_first_entry_and_first_success(
    programme: Programme, django_assert_max_num_queries: object
) -> None:
    original = ParticipantFactory(municipality=programme.owner)
    duplicate = ParticipantFactory(municipality=programme.owner, duplicate_of=original)
    first = _case(programme, original, dt.date(2021, 2, 1))
    _case(programme, duplicate, dt.date(2021, 5, 3))
    OutcomeFactory(case=first, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=dt.date(2021, 8, 2))
    OutcomeFactory(
        case=first, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=dt.date(2021, 12, 1)
    )
    _case(programme, ParticipantFactory(municipality=programme.owner), dt.date(2021, 7, 1))
    days = [dt.date(2020, 12, 31), dt.date(2021, 3, 31), dt.date(2021, 6, 30), dt.date(2021, 9, 30)]

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        series = reach_series(
            programmes=Programme.objects.filter(pk=programme.pk), closing_days=days, by="programme"
        )
    assert series == {
        programme.pk: [
            Figures(reached=0, successes=0),
            Figures(reached=1, successes=0),
            Figures(reached=1, successes=0),
            Figures(reached=2, successes=1),
        ]
    }
    assert [programme_reach(programme=programme, as_of=day).persons_reached for day in days] == [
        figures.reached for figures in series[programme.pk]
    ]


def test_the_series_by_municipality_counts_a_person_once_across_its_programmes(
    programme: Programme,
) -> None:
    person = ParticipantFactory(municipality=programme.owner)
    second = ProgrammeFactory(owner=programme.owner)
    _case(programme, person, dt.date(2021, 2, 1))
    _case(second, person, dt.date(2021, 1, 4))
    series = reach_series(
        programmes=Programme.objects.filter(pk__in=[programme.pk, second.pk]),
        closing_days=[dt.date(2021, 1, 31), dt.date(2021, 3, 31)],
        by="municipality",
    )
    assert series == {programme.owner_id: [Figures(1, 0), Figures(1, 0)]}


def test_a_provider_counts_only_the_cases_it_leads(programme: Programme) -> None:
    ours = _case(programme, ParticipantFactory(municipality=programme.owner), dt.date(2021, 2, 1))
    _case(programme, ParticipantFactory(municipality=programme.owner), dt.date(2021, 2, 1))
    OutcomeFactory(case=ours, outcome_type=OutcomeType.EMPLOYMENT, achieved_on=dt.date(2021, 3, 1))
    figures = provider_reach(programme=programme, provider_id=ours.lead_provider_id, as_of=DAY)
    assert (figures.persons_reached, figures.persons_with_success) == (1, 1)
