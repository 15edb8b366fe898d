"""The start page: the funder reads figures only for closed reporting periods, with small
numbers suppressed; the coordination reads exact figures for any day; provider staff in
between (docs/decisions/0005-published-figures.md)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.programmes.models import Programme
from tests.core.scenario import (
    FIRST_OF_OCTOBER,
    SECOND_OF_OCTOBER,
    TWO_MORE,
    UP_TO_180,
    build_programme,
    enter_people,
)
from tests.factories import MembershipFactory, MunicipalityFactory, ProviderFactory, UserFactory

START = reverse("core:start")
# Today, in these tests: the first quarter of 2022 has just closed.
TODAY = dt.datetime(2022, 4, 1, 10, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("_today")


@pytest.fixture
def _today() -> object:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def _page(client: Client, user: User, **params: str) -> str:
    client.force_login(user)
    response = client.get(START, params)
    assert response.status_code == 200
    return response.content.decode()


def _figures(html: str) -> list[str]:
    """Every count about people on the page, in order, as shown."""
    pattern = r'data-testid="(?:programme-reached|programme-successes|reached|successes|total-reached|total-successes|provider-reach)"[^>]*>(.*?)</'
    return [" ".join(text.split()) for text in re.findall(pattern, html, flags=re.S)]


def _has_count(html: str, count: int) -> bool:
    return re.search(rf">\\s*{count}\\s*<", html) is not None


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


@pytest.fixture
def october(programme: Programme, provider_a: Organisation, provider_b: Organisation) -> None:
    """180 people reached by 1 October 2021 (at provider B), two more at A on 2 October."""
    enter_people(programme, provider_b, UP_TO_180)
    enter_people(programme, provider_a, TWO_MORE)


@pytest.mark.usefixtures("october")
def test_a_funder_stepping_from_one_day_to_the_next_learns_nothing(
    client: Client, funder_user: User
) -> None:
    first = _page(client, funder_user, stand=FIRST_OF_OCTOBER.isoformat())
    second = _page(client, funder_user, stand=SECOND_OF_OCTOBER.isoformat())
    assert _figures(first) == _figures(second)
    assert not _has_count(second, 182)
    assert "3. Quartal 2021" in second
    assert (
        "Statt des 2. Oktober 2021 wird deshalb der Berichtszeitraum 3. Quartal 2021 gezeigt."
        in second
    )


@pytest.mark.usefixtures("october")
def test_the_two_who_came_in_october_are_not_revealed_by_the_next_quarter_either(
    client: Client, funder_user: User
) -> None:
    third = _page(client, funder_user, zeitraum="2021-Q3")
    fourth = _page(client, funder_user, zeitraum="2021-Q4")
    assert _text_of(third, "reached") == "180"
    assert _text_of(fourth, "reached") == "zurückgehalten"
    assert _text_of(fourth, "total-reached") == "zurückgehalten"
    assert not _has_count(fourth, 182)


def _text_of(html: str, testid: str) -> str:
    start = html.index(">", html.index(f'data-testid="{testid}"')) + 1
    return " ".join(html[start : html.index("</", start)].split())


@pytest.mark.usefixtures("october")
def test_a_funder_cannot_ask_for_a_period_that_has_not_ended(
    client: Client, funder_user: User
) -> None:
    html = _page(client, funder_user, zeitraum="2022-Q2")
    assert "Bitte wählen Sie einen abgeschlossenen Berichtszeitraum aus der Liste." in html
    assert (
        "Angezeigt wird deshalb der zuletzt abgeschlossene Berichtszeitraum, 1. Quartal 2022."
        in html
    )
    assert 'value="2022-Q2"' not in html


@pytest.mark.usefixtures("october")
def test_the_funder_chooses_from_closed_quarters_and_years_of_the_programme(
    client: Client, funder_user: User
) -> None:
    html = _page(client, funder_user)
    options = re.findall(r'<option value="([^"]+)"( selected)?>', html)
    assert [key for key, _ in options] == [
        "2022-Q1",
        "2021",
        "2021-Q4",
        "2021-Q3",
        "2021-Q2",
        "2021-Q1",
        "2020",
        "2020-Q4",
        "2020-Q3",
    ]
    assert options[0][1] == " selected"
    assert 'name="stand"' not in html
    assert "Berichtszeitraum 1. Quartal 2022 (bis 31. März 2022)" in html


@pytest.mark.usefixtures("october")
def test_a_day_before_any_period_closed_shows_the_latest_period_with_the_reason(
    client: Client, funder_user: User
) -> None:
    html = _page(client, funder_user, stand="2020-08-01")
    assert "Berichtszeitraum 1. Quartal 2022 (bis 31. März 2022)" in html
    assert "Statt des 1. August 2020 wird deshalb der Berichtszeitraum 1. Quartal 2022" in html


def test_a_funder_of_a_programme_without_a_closed_period_is_told_so(
    client: Client, funder_user: User, funder: Organisation
) -> None:
    programme = build_programme(municipality=MunicipalityFactory(name="Bonn"), funder=funder)
    Programme.objects.filter(pk=programme.pk).update(starts_on=dt.date(2022, 4, 1))
    html = _page(client, funder_user)
    assert "Noch ist kein Berichtszeitraum abgeschlossen." in html
    assert 'data-testid="funder-figures"' not in html


def test_the_funders_table_suppresses_a_small_municipality_and_withholds_the_total(
    client: Client, funder_user: User, funder: Organisation, programme: Programme
) -> None:
    bonn = build_programme(
        municipality=MunicipalityFactory(name="Bonn"), funder=funder, code="bonn"
    )
    enter_people(
        programme, ProviderFactory(municipality=programme.owner), {dt.date(2021, 2, 1): 30}
    )
    enter_people(bonn, ProviderFactory(municipality=bonn.owner), {dt.date(2021, 2, 1): 3})
    html = _page(client, funder_user, zeitraum="2021")
    rows = {
        name: count.strip()
        for name, count in re.findall(
            r'data-municipality="([^"]*)">.*?data-testid="reached">(.*?)</td>', html, flags=re.S
        )
    }
    assert rows == {"Bonn": "weniger als 5", "Stadt Köln": "30"}
    assert _text_of(html, "total-reached") == "zurückgehalten"
    # The funder sees no figures per programme, which could be set against the table.
    assert 'data-testid="programme-reached"' not in html


@pytest.mark.usefixtures("october")
def test_the_coordination_reads_exact_figures_for_any_day(
    client: Client, coordinator: User
) -> None:
    assert _text_of(_page(client, coordinator, stand="2021-10-01"), "programme-reached") == "180"
    assert _text_of(_page(client, coordinator, stand="2021-10-02"), "programme-reached") == "182"


@pytest.mark.usefixtures("october")
def test_provider_staff_who_see_their_own_cases_see_no_city_wide_figure_beside_them(
    client: Client, coach_a: User, provider_a: Organisation
) -> None:
    """Found in review: published city-wide count minus own exact count = the others' count."""
    second = _page(client, coach_a, stand="2021-10-02")
    assert 'data-testid="programme-reached"' not in second
    assert not _has_count(second, 182)
    teacher = UserFactory(username="teacher_published")
    MembershipFactory(user=teacher, organisation=provider_a, role=Role.COURSE_STAFF)
    first = _page(client, teacher, stand="2021-10-01")
    later = _page(client, teacher, stand="2021-10-02")
    assert _text_of(first, "programme-reached") == _text_of(later, "programme-reached") == "180"
    assert "bis zum Ende des Berichtszeitraums 3. Quartal 2021 (30. September 2021)" in later


@pytest.mark.usefixtures("october")
def test_provider_staff_read_their_own_providers_figures_exactly(
    client: Client, coach_a: User, coach_b: User
) -> None:
    assert _text_of(_page(client, coach_a, stand="2021-10-01"), "provider-reach") == (
        "0 erreichte Personen, davon 0 mit Erfolg"
    )
    assert _text_of(_page(client, coach_a, stand="2021-10-02"), "provider-reach") == (
        "2 erreichte Personen, davon 0 mit Erfolg"
    )
    assert "Fälle von Träger B am 2. Oktober 2021" in _page(client, coach_b, stand="2021-10-02")


@pytest.mark.usefixtures("october")
def test_course_staff_do_not_get_their_providers_figures(
    client: Client, provider_a: Organisation
) -> None:
    teacher = UserFactory(username="teacher")
    MembershipFactory(user=teacher, organisation=provider_a, role=Role.COURSE_STAFF)
    html = _page(client, teacher, stand="2021-10-02")
    assert 'data-testid="provider-reach"' not in html
    assert _text_of(html, "programme-reached") == "180"


@pytest.mark.usefixtures("october")
def test_htmx_swaps_the_funders_period_and_announces_it(client: Client, funder_user: User) -> None:
    client.force_login(funder_user)
    response = client.get(START, {"zeitraum": "2021-Q3"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith(
        '<section class="kern-stack-lg teilhabe-as-of" id="as-of-region"'
    )
    assert "Angezeigt wird der Berichtszeitraum 3. Quartal 2021 bis zum 30. September 2021." in html
    assert _text_of(html, "reached") == "180"


@pytest.mark.usefixtures("october")
def test_the_funders_page_is_english_under_en(client: Client, funder_user: User) -> None:
    client.force_login(funder_user)
    html = client.get("/en/", {"zeitraum": "2021-Q4"}).content.decode()
    assert "Reporting period Q4 2021 (until Dec. 31, 2021)" in " ".join(html.split())
    assert _text_of(html, "reached") == "withheld"


def test_the_funders_page_needs_a_bounded_number_of_queries(
    client: Client,
    funder_user: User,
    funder: Organisation,
    programme: Programme,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    build_programme(municipality=MunicipalityFactory(name="Bonn"), funder=funder, code="bonn")
    client.force_login(funder_user)
    # session, user, memberships, the funded programmes twice (periods, page); per programme
    # its state today (for its end in force) and on the period's last day (5 reads each);
    # the series per municipality (2); with one to spare.
    with django_assert_max_num_queries(5 + 2 * 10 + 2 + 1):
        response = client.get(START, {"zeitraum": "2021-Q4"})
    assert response.status_code == 200


def test_a_coachs_page_needs_a_bounded_number_of_queries(
    client: Client,
    coach_a: User,
    programme: Programme,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(coach_a)
    # session, user, memberships, programmes; per programme (Durchstarten and KIM) its state on
    # the day shown and today (5 reads each), the published series (2) and the provider's own
    # figures (2); with one to spare.
    with django_assert_max_num_queries(4 + 2 * 14 + 1):
        response = client.get(START, {"stand": "2021-10-02"})
    assert response.status_code == 200
