"""A coach begins a participation in a module and ends it again from the person's file page,
by keyboard alone: the day, the modules in force on it, the module, the end and its reason.
axe finds nothing on the way, in German and English."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from teilhabe.accounts.models import User
from teilhabe.cases.models import ModuleParticipation
from tests.cases.participation_scenario import ParticipationScenario, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


def type_date(page: Page, field: Locator, day: dt.date) -> None:
    """Type a day into a date field. Chromium orders its parts by the browser's own locale
    (not the page's), so day-month-year is tried first and month-day-year after it."""
    field.focus()
    page.keyboard.type(day.strftime("%d%m%Y"))
    if field.input_value() != day.isoformat():
        # Again from the first part, so that the focus ends in the last one (Tab leaves).
        field.blur()
        field.focus()
        page.keyboard.type(day.strftime("%m%d%Y"))
    assert field.input_value() == day.isoformat()


@dataclass(frozen=True)
class Words:
    prefix: str
    section: str
    day: str
    module: str
    begin: str
    begun: str
    end_f6: str
    end_day: str
    reason: str
    goal_reached: str
    end: str
    ended: str
    already_open: str


GERMAN = Words(
    prefix="",
    section="Teilnahme an Bausteinen",
    day="Beginn am",
    module="Baustein",
    begin="Teilnahme am 1. April 2021 beginnen",
    begun="Die Teilnahme an F6 beginnt am 01.04.2021.",
    end_f6="Teilnahme an F6 beenden (seit 1. April 2021)",
    end_day="Ende am",
    reason="Grund des Endes",
    goal_reached="Ziel erreicht",
    end="Teilnahme beenden",
    ended="Die Teilnahme an F6 endet am 30.06.2022.",
    already_open="Der Fall nimmt an diesem Baustein schon teil.",
)
ENGLISH = Words(
    prefix="/en",
    section="Participation in modules",
    day="Starts on",
    module="Module",
    begin="Begin the participation on April 1, 2021",
    begun="The participation in F6 begins on 01.04.2021.",
    end_f6="End the participation in F6 (since April 1, 2021)",
    end_day="Ends on",
    reason="Reason for the end",
    goal_reached="Goal reached",
    end="End participation",
    ended="The participation in F6 ends on 30.06.2022.",
    already_open="The case already takes part in this module.",
)


def the_modules_on_1_april_2021(
    page: Page, scenario: ParticipationScenario, words: Words
) -> Locator:
    """Open the file page (axe finds nothing) and, by keyboard, show the modules in force on
    1 April 2021: Enter in the day field, and the list of modules takes the focus."""
    page.goto(f"{words.prefix}/akten/{scenario.file.pk}/")
    expect(page.get_by_role("heading", name=words.section)).to_be_visible()
    assert_no_axe_violations(page, f"the file page ({words.prefix or 'de'})")
    section = page.locator(f"#participations-{scenario.case.pk}")
    type_date(page, section.get_by_label(words.day), dt.date(2021, 4, 1))
    page.keyboard.press("Enter")
    expect(section.get_by_label(words.module, exact=True)).to_be_focused()
    return section


@pytest.mark.parametrize("words", [GERMAN, ENGLISH], ids=["de", "en"])
def test_a_coach_begins_and_ends_a_participation_by_keyboard(
    page: Page, coach_a: User, provider_a, log_in_as: Callable[[User], None], words: Words
) -> None:
    scenario = build(provider_a)
    log_in_as(coach_a)
    section = the_modules_on_1_april_2021(page, scenario, words)
    expect(
        section.get_by_label(words.module, exact=True).locator("option", has_text="F6")
    ).to_have_count(1)
    page.keyboard.type("F6")
    page.keyboard.press("Tab")
    expect(section.get_by_role("button", name=words.begin)).to_be_focused()
    page.keyboard.press("Enter")
    expect(section.get_by_text(words.begun)).to_be_visible()
    assert_no_axe_violations(page, f"the file page after beginning ({words.prefix or 'de'})")

    # Ending it: the day, the reason, the button.
    ending = section.get_by_role("group", name=words.end_f6)
    type_date(page, ending.get_by_label(words.end_day), dt.date(2022, 6, 30))
    # The first Tab reaches Chromium's calendar button inside the date field.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(ending.get_by_label(words.reason)).to_be_focused()
    page.keyboard.type(words.goal_reached[:4])
    page.keyboard.press("Tab")
    expect(ending.get_by_role("button", name=re.compile(words.end))).to_be_focused()
    page.keyboard.press("Enter")
    expect(section.get_by_text(words.ended)).to_be_visible()
    expect(section.get_by_role("group", name=words.end_f6)).to_have_count(0)
    assert_no_axe_violations(page, f"the file page after ending ({words.prefix or 'de'})")

    f6 = ModuleParticipation.objects.get(case=scenario.case, module=scenario.f6)
    assert (f6.from_date.isoformat(), f6.to_date and f6.to_date.isoformat(), f6.exit_reason) == (
        "2021-04-01",
        "2022-06-30",
        "goal_reached",
    )


@pytest.mark.parametrize("words", [GERMAN, ENGLISH], ids=["de", "en"])
def test_a_refusal_takes_the_focus_and_says_why(
    page: Page, coach_a: User, provider_a, log_in_as: Callable[[User], None], words: Words
) -> None:
    scenario = build(provider_a)
    log_in_as(coach_a)
    section = the_modules_on_1_april_2021(page, scenario, words)
    # F4 is already open (the course placed the person in it).
    page.keyboard.type("F4")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    problems = section.get_by_test_id("participation-problems")
    expect(problems).to_be_focused()
    expect(problems).to_contain_text(words.already_open)
    assert ModuleParticipation.objects.filter(case=scenario.case).count() == 1
    assert_no_axe_violations(page, f"a refused start ({words.prefix or 'de'})")

    # Without JavaScript the section stands on a page of its own.
    page.goto(f"{words.prefix}/faelle/{scenario.case.pk}/bausteine/?tag=2021-04-01")
    expect(page.get_by_role("heading", name=words.section)).to_be_visible()
    assert_no_axe_violations(page, f"the participations page ({words.prefix or 'de'})")
