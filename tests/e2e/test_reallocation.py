"""The coordination reallocates in the browser: it opens the suggestion, changes an amount and
sees the budget after it change, enters the draft decision, adopts it on the decision page,
and the budget shows the new planned amounts; in German and in English, axe finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.programmes.models import Decision, DecisionStatus
from tests.budgets.test_reallocation import Budget, build_budget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "": {
        "open": "Budget umschichten",
        "show": "Vorschlag anzeigen",
        "propose": "Als Beschlussentwurf anlegen",
        "adopt": "Beschließen",
        "adopted": "beschlossen",
        "f1_after": "33.922,00 €",
    },
    "/en": {
        "open": "Reallocate budget",
        "show": "Show suggestion",
        "propose": "Create as draft decision",
        "adopt": "Adopt",
        "adopted": "adopted",
        "f1_after": "33,922.00 €",
    },
}


@pytest.fixture
def budget(municipality: Organisation) -> Budget:
    return build_budget(municipality)


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


def _planned_after(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("what-if").locator(f'tr[data-module="{code}"] [data-planned-after]')


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_proposing_adopting_and_seeing_a_reallocation(
    page: Page,
    coordinator: User,
    budget: Budget,
    log_in_as: Callable[[User], None],
    prefix: str,
) -> None:
    texts = TEXTS[prefix]
    lang = "en" if prefix else "de"
    programme = budget.programme
    log_in_as(coordinator)

    page.goto(f"{prefix}/programme/{programme.pk}/budget/")
    page.get_by_role("link", name=texts["open"], exact=True).click()
    page.locator("#id_jahr").select_option("2021")
    page.locator("#id_stand").fill("2021-06-30")
    page.get_by_role("button", name=texts["show"]).click()
    expect(page.locator("#id_row-0-amount")).to_have_value(
        "12700,00" if lang == "de" else "12700.00"
    )
    expect(_planned_after(page, "F1")).to_have_attribute("data-planned-after", "36622.00")
    assert_no_axe_violations(page, f"the suggestion ({lang})")

    # F3 gives 10,000 instead of 12,700: htmx shows the budget after it.
    page.locator("#id_row-0-amount").fill("10000")
    page.locator("#id_row-0-amount").blur()
    expect(_planned_after(page, "F1")).to_have_attribute("data-planned-after", "33922.00")
    expect(_planned_after(page, "F3")).to_have_attribute("data-planned-after", "10000.00")
    expect(page.get_by_test_id("what-if-total").locator("[data-change]")).to_have_attribute(
        "data-change", "0.00"
    )
    assert_no_axe_violations(page, f"the what-if after an edit ({lang})")

    # The decision's own fields recompute nothing: no request runs beside the form's submit
    # (on SQLite, a what-if request still running beside it made the live server hang).
    background: list[str] = []
    page.on("request", lambda r: background.append(r.url) if r.headers.get("hx-request") else None)
    page.locator("#id_body").fill("Rat der Stadt Köln")
    page.locator("#id_reference").fill(f"4711/2021{prefix}")
    page.locator("#id_title").fill("Umschichtung 2021")
    page.locator("#id_title").blur()
    assert background == []
    page.get_by_role("button", name=texts["propose"]).click()
    expect(page).to_have_url(re.compile(rf"{prefix}/programme/{programme.pk}/beschluesse/\d+/$"))
    decision = Decision.objects.get(reference=f"4711/2021{prefix}")
    assert decision.status == DecisionStatus.PROPOSED
    assert_no_axe_violations(page, f"the proposed reallocation ({lang})")

    page.get_by_role("button", name=texts["adopt"], exact=True).click()
    expect(page.get_by_test_id("decision-status")).to_have_text(texts["adopted"])

    page.goto(f"{prefix}/programme/{programme.pk}/budget/?stand=2021-06-30")
    row = page.get_by_test_id("budget-modules").locator('tr[data-module="F1"]')
    expect(row).to_contain_text(texts["f1_after"])
    assert_no_axe_violations(page, f"the budget after the reallocation ({lang})")
