"""The coordination reads the usage evaluation of the first year, picks another period and
prints the council paper: in German and English, with no axe violations."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from tests.core.scenario import build_programme
from tests.e2e.test_pages import assert_no_axe_violations
from tests.reports.test_evaluation import Scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GERMAN = {
    "link": "Auswertung der Nutzung",
    "first_year": "Zeitraum 1. Juli 2020 bis 30. Juni 2021",
    "from": "Zeitraum von",
    "until": "Zeitraum bis",
    "button": "Zeitraum anzeigen",
    "later": "Zeitraum 1. Juli 2021 bis 31. Dezember 2021",
    "chart": "Teilnehmende und Erfolge je Baustein",
    "money": "1.234,57\u00a0€",
    "paper_link": "Ratsvorlage",
    "volume": "2.956.360,00\u00a0€",
    "share": "591.272,00\u00a0€ (20,0\u00a0%)",
}
ENGLISH = {
    "link": "Usage evaluation",
    "first_year": "Period July 1, 2020 to June 30, 2021",
    "from": "Period from",
    "until": "Period until",
    "button": "Show period",
    "later": "Period July 1, 2021 to Dec. 31, 2021",
    "chart": "Participants and successes per module",
    "money": "1,234.57\u00a0€",
    "paper_link": "Council paper",
    "volume": "2,956,360.00\u00a0€",
    "share": "591,272.00\u00a0€ (20.0\u00a0%)",
}


@pytest.mark.parametrize(("prefix", "texts"), [("", GERMAN), ("/en", ENGLISH)])
def test_the_coordination_evaluates_the_first_year_and_another_period(
    page: Page,
    municipality: Organisation,
    coordinator: User,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
    prefix: str,
    texts: dict[str, str],
) -> None:
    scenario = Scenario(municipality)
    log_in_as(coordinator)
    page.goto(f"{prefix}/programme/{scenario.programme.pk}/")
    page.get_by_role("link", name=texts["link"]).click()

    expect(page.locator("h2#period-heading")).to_have_text(texts["first_year"])
    expect(page.get_by_role("img", name=texts["chart"])).to_be_visible()
    expect(page.get_by_test_id("module-total-F1").locator('[data-col="spent"]')).to_have_text(
        texts["money"]
    )
    expect(page.get_by_test_id("module-total-F2").locator('[data-col="places"]')).to_have_text(
        "2 / 12"
    )
    assert_no_axe_violations(page, f"the evaluation ({prefix or 'de'})")
    page.screenshot(
        path=screenshot_dir / f"evaluation{prefix.replace('/', '-') or '-de'}.png",
        full_page=True,
    )

    page.get_by_label(texts["from"], exact=True).fill("2021-07-01")
    page.get_by_label(texts["until"], exact=True).fill("2021-12-31")
    page.get_by_role("button", name=texts["button"]).click()
    expect(page).to_have_url(re.compile(r"von=2021-07-01&bis=2021-12-31$"))
    expect(page.locator("h2#period-heading")).to_have_text(texts["later"])
    expect(page.get_by_test_id("module-total-F1").locator('[data-col="per-success"]')).to_have_text(
        "–"
    )
    assert_no_axe_violations(page, f"the evaluation of a later period ({prefix or 'de'})")


@pytest.mark.parametrize(("prefix", "texts"), [("", GERMAN), ("/en", ENGLISH)])
def test_the_coordination_prints_the_council_paper(
    page: Page,
    municipality: Organisation,
    funder: Organisation,
    coordinator: User,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
    prefix: str,
    texts: dict[str, str],
) -> None:
    programme = build_programme(municipality=municipality, funder=funder)
    log_in_as(coordinator)
    page.goto(f"{prefix}/programme/{programme.pk}/")
    page.get_by_role("link", name=texts["paper_link"], exact=True).click()
    page.goto(f"{page.url}?stand=2022-03-17")
    expect(page.get_by_test_id("total-volume")).to_have_text(texts["volume"])
    expect(page.get_by_test_id("own-share")).to_have_text(texts["share"])
    expect(page.get_by_test_id("paper-module-F6").locator('[data-col="after"]')).to_contain_text(
        "10"
    )
    assert_no_axe_violations(page, f"the council paper ({prefix or 'de'})")

    # Printed, the paper keeps its figures and drops the header and the form.
    page.emulate_media(media="print")
    expect(page.locator("header.teilhabe-header")).to_be_hidden()
    expect(page.locator("form.teilhabe-as-of__form")).to_be_hidden()
    expect(page.get_by_test_id("total-volume")).to_be_visible()
    page.pdf(path=str(screenshot_dir / f"council-paper{prefix.replace('/', '-') or '-de'}.pdf"))
