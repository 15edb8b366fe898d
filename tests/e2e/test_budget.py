"""The coordination imports expenditures in the browser: the dry run lists every row with its
problem and saves nothing, a clean file is booked on confirmation, and the overview shows
planned, spent and the forecast per module; in German and in English, axe finds nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.budgets.models import Expenditure
from teilhabe.programmes.models import CostBasis, Programme
from tests.factories import (
    BudgetLineFactory,
    FundingNoticeFactory,
    ModuleFactory,
    ProgrammeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Baustein;Haushaltsjahr;Träger;Datum;Kostenart;Betrag;Menge;Beleg\n"
BAD = HEADER + (
    "F1;2021;;15.03.2021;Unterrichtsstunden;;200;R-1\n"
    "F9;2021;;15.03.2021;Fahrtkosten;12,40;;R-2\n"
    "F1;2021;;15.03.2022;Fahrtkosten;12,40;;R-3\n"
)
GOOD = HEADER + (
    "F1;2021;;15.03.2021;Unterrichtsstunden;;200;R-1\nF1;2021;;01.04.2021;Fahrtkosten;12,40;;R-2\n"
)
TEXTS = {
    "": {
        "import": "Ausgaben importieren",
        "unknown": "Unbekannter Baustein „F9“.",
        "year": "liegt nicht im Haushaltsjahr 2021",
        "booked": "2 Ausgaben über 7.512,40 € sind gebucht.",
        "spent": "7.512,40 €",
    },
    "/en": {
        "import": "Import expenditures",
        "unknown": "Unknown module “F9”.",
        "year": "is not in the budget year 2021",
        "booked": "2 expenditures totalling 7,512.40 € have been booked.",
        "spent": "7,512.40 €",
    },
}


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    programme: Programme = ProgrammeFactory(owner=municipality, name="Durchstarten")
    FundingNoticeFactory(programme=programme, funder=funder, total_amount=Decimal("100000"))
    f1 = ModuleFactory(
        programme=programme,
        code="F1",
        name="Sprachkurse",
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    BudgetLineFactory(module=f1, budget_year=2021, planned_amount=Decimal("20000.00"))
    return programme


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


def _check(page: Page, text: str) -> None:
    page.locator("#id_file").set_input_files(
        files=[{"name": "ausgaben.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.locator('button[name="check"]').click()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_importing_expenditures_with_a_dry_run_and_reading_the_overview(
    page: Page,
    coordinator: User,
    programme: Programme,
    log_in_as: Callable[[User], None],
    prefix: str,
) -> None:
    texts = TEXTS[prefix]
    lang = "en" if prefix else "de"
    log_in_as(coordinator)

    page.goto(f"{prefix}/programme/{programme.pk}/budget/?stand=2021-06-30")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_no_axe_violations(page, f"the empty budget overview ({lang})")
    page.get_by_role("link", name=texts["import"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["import"])
    assert_no_axe_violations(page, f"the import form ({lang})")

    _check(page, BAD)
    rows = page.get_by_test_id("import-rows")
    expect(rows.locator('tr[data-row="3"]')).to_contain_text(texts["unknown"])
    expect(rows.locator('tr[data-row="4"]')).to_contain_text(texts["year"])
    expect(page.locator('button[name="book"]')).to_have_count(0)
    assert_no_axe_violations(page, f"the dry run with errors ({lang})")
    assert not Expenditure.objects.exists()

    _check(page, GOOD)
    expect(page.get_by_test_id("import-summary")).to_contain_text("7")
    assert_no_axe_violations(page, f"the clean dry run ({lang})")
    assert not Expenditure.objects.exists()
    page.locator('button[name="book"]').click()
    expect(page.get_by_text(texts["booked"])).to_be_visible()
    assert Expenditure.objects.count() == 2

    # The overview opens on today: both expenditures of 2021 are spent.
    module_row = page.get_by_test_id("budget-modules").locator('tr[data-module="F1"]')
    expect(module_row).to_contain_text(texts["spent"])
    assert_no_axe_violations(page, f"the budget overview after the import ({lang})")
