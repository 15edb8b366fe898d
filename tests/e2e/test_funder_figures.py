"""A funder picks a reporting period and reads the published figures, in German and English."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.programmes.models import Programme
from tests.core.scenario import build_programme, enter_people
from tests.e2e.test_pages import assert_no_axe_violations
from tests.factories import ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    programme = build_programme(municipality=municipality, funder=funder)
    provider = ProviderFactory(municipality=municipality)
    # Ten people by the end of September 2021, two more on 2 October.
    enter_people(programme, provider, {dt.date(2021, 9, 1): 10, dt.date(2021, 10, 2): 2})
    return programme


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        (
            "",
            {
                "label": "Berichtszeitraum",
                "button": "Zeitraum anzeigen",
                "q3": "3. Quartal 2021",
                "q4": "4. Quartal 2021",
                "status": "Angezeigt wird der Berichtszeitraum 4. Quartal 2021 bis zum 31. Dezember 2021.",
                "withheld": "zurückgehalten",
            },
        ),
        (
            "/en",
            {
                "label": "Reporting period",
                "button": "Show period",
                "q3": "Q3 2021",
                "q4": "Q4 2021",
                "status": "The page now shows the reporting period Q4 2021 until Dec. 31, 2021.",
                "withheld": "withheld",
            },
        ),
    ],
)
def test_a_funder_chooses_a_period_and_the_figures_swap_in_place(
    page: Page,
    funder_user: User,
    programme: Programme,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
    prefix: str,
    texts: dict[str, str],
) -> None:
    log_in_as(funder_user)
    page.goto(f"{prefix}/?zeitraum=2021-Q3")
    expect(page.locator("h2#as-of-heading")).to_contain_text(texts["q3"])
    reached = page.get_by_test_id("reached")
    expect(reached).to_have_text("10")
    # No day can be typed in: only closed periods can be chosen.
    expect(page.locator('input[type="date"]')).to_have_count(0)
    assert_no_axe_violations(page, f"the funder's start page ({prefix or 'de'})")
    page.evaluate("window.keptAcrossSwap = true")

    page.get_by_label(texts["label"], exact=True).select_option(label=texts["q4"])
    page.get_by_role("button", name=texts["button"]).click()

    expect(page.locator("#as-of-status")).to_have_text(texts["status"])
    expect(reached).to_have_text(texts["withheld"])
    expect(page).to_have_url(re.compile(r"\?zeitraum=2021-Q4$"))
    assert page.evaluate("window.keptAcrossSwap") is True, "the page was reloaded, not swapped"
    expect(page.get_by_role("button", name=texts["button"])).to_be_focused()
    page.screenshot(
        path=screenshot_dir / f"funder{prefix.replace('/', '-') or '-de'}.png", full_page=True
    )
    assert_no_axe_violations(page, f"the funder's start page after the swap ({prefix or 'de'})")
