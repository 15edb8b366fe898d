"""On a phone-wide screen (390 × 844) the tables scroll sideways in their wrappers: each wrapper
is a labelled region a keyboard user can focus and scroll, so axe finds nothing on the pages
that show such tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from teilhabe.accounts.models import Organisation, User
from teilhabe.cases.models import HandOver
from teilhabe.cases.services import hand_over_bulk
from teilhabe.participants.models import ParticipantFile
from teilhabe.programmes.models import Decision
from tests.budgets.test_reallocation import build_budget
from tests.cases.handover_scenario import build as build_hand_over
from tests.core.scenario import build_programme, enter_people
from tests.factories import OfferFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class People:
    municipality: Organisation
    funder: Organisation
    provider: Organisation
    coordinator: User


def _start(people: People) -> tuple[User, str]:
    build_programme(municipality=people.municipality, funder=people.funder)
    return people.coordinator, "/?stand=2022-07-01"


def _programme(people: People) -> tuple[User, str]:
    programme = build_programme(municipality=people.municipality, funder=people.funder)
    return people.coordinator, f"/programme/{programme.pk}/?stand=2022-07-01"


def _hand_over(people: People) -> tuple[User, str]:
    """After the work: no row has a checkbox left that would make the table focusable."""
    scenario = build_hand_over(people.municipality)
    hand_over_bulk(
        acting_user=people.coordinator,
        amendment=scenario.amendment,
        participations=[scenario.consenting, scenario.refusing],
        informed_on=dt.date(2022, 6, 20),
        informed_how=HandOver.Informed.IN_PERSON,
        on=dt.date(2022, 6, 20),
    )
    programme, amendment = scenario.programme.pk, scenario.amendment.pk
    return people.coordinator, f"/programme/{programme}/bausteinenden/{amendment}/uebergabe/"


def _budget(people: People) -> tuple[User, str]:
    programme = build_budget(people.municipality).programme
    return people.coordinator, f"/programme/{programme.pk}/budget/?stand=2021-06-30"


def _reallocation(people: People) -> tuple[User, str]:
    programme = build_budget(people.municipality).programme
    url = f"/programme/{programme.pk}/budget/umschichtung/?jahr=2021&stand=2021-06-30"
    return people.coordinator, url


def _decision(people: People) -> tuple[User, str]:
    programme = build_programme(municipality=people.municipality, funder=people.funder)
    decision = Decision.objects.filter(programme=programme).earliest("decided_on")
    return people.coordinator, f"/programme/{programme.pk}/beschluesse/{decision.pk}/"


def _offers(people: People) -> tuple[User, str]:
    programme = build_programme(municipality=people.municipality, funder=people.funder)
    OfferFactory(
        module=programme.modules.get(code="F2"),
        provider=people.provider,
        title="Deutsch B1 am Abend",
        starts_on=dt.date(2022, 1, 10),
        ends_on=dt.date(2022, 6, 30),
    )
    return people.coordinator, f"/programme/{programme.pk}/angebote/?stand=2022-03-17"


def _participants(people: People) -> tuple[User, str]:
    programme = build_programme(municipality=people.municipality, funder=people.funder)
    enter_people(programme, people.provider, {dt.date(2021, 3, 1): 2})
    return people.coordinator, f"/programme/{programme.pk}/teilnehmende/"


def _file(people: People) -> tuple[User, str]:
    scenario = build_hand_over(people.municipality)
    file = ParticipantFile.objects.get(
        participant=scenario.consenting.case.participant, controller=people.municipality
    )
    return scenario.city_coach, f"/akten/{file.pk}/"


PAGES: dict[str, Callable[[People], tuple[User, str]]] = {
    "start": _start,
    "programme": _programme,
    "hand-over": _hand_over,
    "budget": _budget,
    "reallocation": _reallocation,
    "decision": _decision,
    "offers": _offers,
    "participants": _participants,
    "file": _file,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_on_a_phone_wide_screen(
    page: Page,
    log_in_as: Callable[[User], None],
    municipality: Organisation,
    funder: Organisation,
    provider_a: Organisation,
    coordinator: User,
    name: str,
) -> None:
    user, url = PAGES[name](People(municipality, funder, provider_a, coordinator))
    log_in_as(user)
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(url)
    assert response is not None
    assert response.ok, url
    scrolling = page.locator(".kern-table-responsive").evaluate_all(
        "wrappers => wrappers.filter(w => w.scrollWidth > w.clientWidth).length"
    )
    assert scrolling, f"no table scrolls sideways on {url}: the test would prove nothing"
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {url}:\n{results.generate_report()}"
