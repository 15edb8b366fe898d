"""What a person does in the browser: log in by keyboard, read the programme as of a day,
switch the language; and what axe finds on the way (nothing, we hope)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.programmes.models import Programme
from tests.core.scenario import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


def test_logging_in_with_the_keyboard_only(page: Page, coach_a: User, programme: Programme) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next=/$"))
    # The username field has focus on arrival; everything else is Tab and Enter.
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("coach_a")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_contain_text("Willkommen")
    expect(page.get_by_text("Sie arbeiten als Jobcoach bei Träger A.")).to_be_visible()


def test_the_skip_link_comes_first_and_moves_to_the_content(
    page: Page, coach_a: User, log_in_as: Callable[[User], None]
) -> None:
    log_in_as(coach_a)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_changing_the_date_swaps_the_programme_in_place(
    page: Page, coach_a: User, programme: Programme, log_in_as: Callable[[User], None]
) -> None:
    log_in_as(coach_a)
    page.goto("/?stand=2022-03-16")
    period = page.get_by_test_id("programme-ends-on").first
    expect(period).to_contain_text("31. Dezember 2022")
    page.evaluate("window.keptAcrossSwap = true")

    page.locator("#id_stand").fill("2022-03-17")
    page.get_by_role("button", name="Stand anzeigen").click()

    expect(period).to_contain_text("30. Juni 2023")
    expect(page).to_have_url(re.compile(r"\?stand=2022-03-17$"))
    expect(page.locator("#as-of-status")).to_have_text("Angezeigt wird der Stand am 17. März 2022.")
    assert page.evaluate("window.keptAcrossSwap") is True, "the page was reloaded, not swapped"
    expect(page.get_by_role("button", name="Stand anzeigen")).to_be_focused()


def test_an_invalid_date_is_explained_next_to_the_field(
    page: Page, coach_a: User, programme: Programme, log_in_as: Callable[[User], None]
) -> None:
    log_in_as(coach_a)
    page.goto("/?stand=1999-12-31")
    error = page.locator("#id_stand_error")
    expect(error).to_contain_text("Bitte wählen Sie einen Tag zwischen")
    expect(page.locator("#id_stand")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "the start page with an invalid date")


def test_switching_to_english_and_back(
    page: Page, coordinator: User, programme: Programme, log_in_as: Callable[[User], None]
) -> None:
    log_in_as(coordinator)
    page.goto("/?stand=2022-03-17")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/\?stand=2022-03-17$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2#as-of-heading")).to_have_text("Your programmes on March 17, 2022")

    page.get_by_role("button", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/\?stand=2022-03-17$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_axe_finds_nothing_on_the_login_page(page: Page, db: None) -> None:
    page.goto("/konto/anmelden/")
    assert_no_axe_violations(page, "the login page")


def test_axe_finds_nothing_on_the_login_page_with_errors(
    page: Page, coach_a: User, screenshot_dir: Path
) -> None:
    page.goto("/konto/anmelden/")
    page.locator("#id_username").fill("coach_a")
    page.locator("#id_password").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    summary = page.get_by_role("heading", name="Bitte prüfen Sie Ihre Eingaben")
    expect(summary).to_be_visible()
    expect(page.locator("#form-error-summary")).to_be_focused()
    page.screenshot(path=screenshot_dir / "login-error.png", full_page=True)
    assert_no_axe_violations(page, "the login page with a wrong password")

    page.locator("#id_username").fill("")
    page.locator("#id_password").fill("")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#id_username_error")).to_be_visible()
    page.screenshot(path=screenshot_dir / "login-empty.png", full_page=True)
    assert_no_axe_violations(page, "the login page with empty fields")


@pytest.mark.parametrize(("prefix", "heading"), [("", "Willkommen"), ("/en", "Welcome")])
def test_axe_finds_nothing_on_the_start_page(
    page: Page,
    coordinator: User,
    programme: Programme,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
    prefix: str,
    heading: str,
) -> None:
    log_in_as(coordinator)
    page.goto(f"{prefix}/?stand=2022-07-01")
    expect(page.locator("h1")).to_contain_text(heading)
    page.screenshot(
        path=screenshot_dir / f"start{prefix.replace('/', '-') or '-de'}.png", full_page=True
    )
    assert_no_axe_violations(page, f"the start page ({prefix or 'de'})")


def test_axe_finds_nothing_for_a_user_without_organisation(
    page: Page, log_in_as: Callable[[User], None], db: None
) -> None:
    from tests.factories import UserFactory

    log_in_as(UserFactory(username="newcomer"))
    page.goto("/")
    expect(page.get_by_text("Ihr Konto ist noch keiner Organisation zugeordnet")).to_be_visible()
    assert_no_axe_violations(page, "the start page without organisation")


def test_pages_load_without_browser_errors_under_the_security_policy(
    page: Page, log_in_as: Callable[[User], None], coordinator: User, programme: Programme
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/konto/anmelden/")
    log_in_as(coordinator)
    page.goto("/?stand=2022-03-16")
    page.get_by_label("Stand am", exact=True).fill("2022-03-17")
    page.get_by_role("button", name="Stand anzeigen").click()
    expect(page.get_by_test_id("programme-ends-on").first).to_contain_text("30. Juni 2023")
    assert errors == []
