"""Who reads which figures: exact for any day, or only as published for closed periods.

The access decision is ``accounts.policy.sees_exact_figures_of``; the start page shows what
it decides (tests/reports/test_published_figures_page.py drives it through the page).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.accounts.policy import sees_exact_figures_of
from teilhabe.core.selectors import reading_periods_only, start_page_for
from teilhabe.programmes.models import Programme
from tests.core.scenario import build_programme, enter_people
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 4, 1)
SECOND_OF_OCTOBER = dt.date(2021, 10, 2)


def _user_with(organisation: Organisation, role: str, *, active: bool = True) -> User:
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role, is_active=active)
    return user


# (where the membership is, its role) -> exact figures of: the municipality, provider A, provider B
MATRIX = [
    ("municipality", Role.COORDINATOR, (True, False, False)),
    ("municipality", Role.AUDITOR, (False, False, False)),
    ("provider_a", Role.COACH, (False, True, False)),
    ("provider_a", Role.PROVIDER_ADMIN, (False, True, False)),
    ("provider_a", Role.COURSE_STAFF, (False, False, False)),
    ("funder", Role.FUNDER, (False, False, False)),
]


@pytest.mark.parametrize(("where", "role", "expected"), MATRIX)
def test_who_sees_exact_figures_of_which_organisation(
    request: pytest.FixtureRequest, where: str, role: str, expected: tuple[bool, bool, bool]
) -> None:
    municipality: Organisation = request.getfixturevalue("municipality")
    provider_a: Organisation = request.getfixturevalue("provider_a")
    provider_b: Organisation = request.getfixturevalue("provider_b")
    user = _user_with(request.getfixturevalue(where), role)
    assert (
        sees_exact_figures_of(user, municipality),
        sees_exact_figures_of(user, provider_a),
        sees_exact_figures_of(user, provider_b),
    ) == expected


def test_a_coordinator_of_another_municipality_sees_no_exact_figures_here(
    municipality: Organisation,
) -> None:
    elsewhere = _user_with(MunicipalityFactory(name="Bonn"), Role.COORDINATOR)
    assert not sees_exact_figures_of(elsewhere, municipality)


def test_an_ended_membership_or_organisation_gives_no_exact_figures(
    municipality: Organisation, provider_a: Organisation
) -> None:
    assert not sees_exact_figures_of(
        _user_with(municipality, Role.COORDINATOR, active=False), municipality
    )
    coach = _user_with(provider_a, Role.COACH)
    provider_a.is_active = False
    provider_a.save()
    coach = User.objects.get(pk=coach.pk)
    assert not sees_exact_figures_of(coach, provider_a)


@pytest.fixture
def october(
    municipality: Organisation, funder: Organisation, provider_a: Organisation
) -> Programme:
    programme = build_programme(municipality=municipality, funder=funder)
    enter_people(programme, provider_a, {dt.date(2021, 9, 1): 180, SECOND_OF_OCTOBER: 2})
    return programme


def _reach_on_the_page(user: User, programme: Programme) -> tuple[object, ...]:
    page = start_page_for(user=user, as_of=SECOND_OF_OCTOBER, today=TODAY)
    overview = next(o for o in page.programmes if o.programme == programme)
    if overview.reach is None:
        return (None, [(t.rows, t.total) for t in page.funder_figures])
    return (
        overview.reach.exact,
        overview.reach.reached.value,
        overview.reach.period.key if overview.reach.period else None,
        [(own.provider.name, own.reached) for own in overview.own_providers],
    )


@pytest.mark.parametrize(
    ("where", "role", "expected"),
    [
        ("municipality", Role.COORDINATOR, (True, 182, None, [])),
        ("municipality", Role.AUDITOR, (False, 180, "2021-Q3", [])),
        # Staff who see their own provider exactly see no city-wide figure beside it (the
        # difference would be the other providers' count): see ADR 0005, addendum.
        ("provider_a", Role.COACH, (None, [])),
        ("provider_a", Role.PROVIDER_ADMIN, (None, [])),
        ("provider_a", Role.COURSE_STAFF, (False, 180, "2021-Q3", [])),
        ("provider_b", Role.COACH, (None, [])),
    ],
)
def test_what_each_role_reads_on_the_second_of_october(
    request: pytest.FixtureRequest,
    october: Programme,
    where: str,
    role: str,
    expected: tuple[object, ...],
) -> None:
    user = _user_with(request.getfixturevalue(where), role)
    assert _reach_on_the_page(user, october) == expected


@time_machine.travel(dt.datetime(2022, 4, 1, 10, tzinfo=dt.UTC), tick=False)
def test_the_funder_reads_no_programme_figures_only_the_table_of_a_closed_period(
    october: Programme, funder_user: User
) -> None:
    assert reading_periods_only(user=funder_user)
    page = start_page_for(user=funder_user, as_of=SECOND_OF_OCTOBER, today=TODAY)
    assert [o.reach for o in page.programmes] == [None]
    [table] = page.funder_figures
    assert table.period.key == "2021-Q3"
    assert [(row.name, row.figures.reached.value) for row in table.rows] == [("Stadt Köln", 180)]


def test_staff_and_coordination_read_any_day(coach_a: User, coordinator: User) -> None:
    assert not reading_periods_only(user=coach_a)
    assert not reading_periods_only(user=coordinator)


def test_a_funder_who_also_coaches_reads_the_funders_table_only_for_a_closed_period(
    october: Programme, funder: Organisation, provider_a: Organisation
) -> None:
    user = _user_with(funder, Role.FUNDER)
    MembershipFactory(user=user, organisation=provider_a, role=Role.COACH)
    assert not reading_periods_only(user=user)
    page = start_page_for(user=user, as_of=SECOND_OF_OCTOBER, today=TODAY)
    [table] = page.funder_figures
    assert table.period.key == "2021-Q3"
    assert table.total.reached.value == 180
    # The programme is also the coach's: the coach's own provider exactly, no city-wide figure.
    [overview] = [o for o in page.programmes if o.programme == october]
    assert overview.reach is None
    assert [(own.provider, own.reached) for own in overview.own_providers] == [(provider_a, 182)]
