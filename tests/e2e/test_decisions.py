"""A coordinator records a decision in the browser — an extension and a module's end with a
successor programme —, reads its preview, adopts it and sees the programme change from the
day it takes effect; in German and in English, and axe finds nothing on the way."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.programmes.models import Decision, DecisionStatus, Programme
from tests.core.scenario import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "": {
        "add": "Änderung hinzufügen",
        "save": "Als Entwurf speichern und Vorschau zeigen",
        "adopt": "Beschließen",
        "adopted": "beschlossen",
        "ended": "beendet",
        "retroactive": "rückwirkend",
    },
    "/en": {
        "add": "Add amendment",
        "save": "Save as a draft and show the preview",
        "adopt": "Adopt",
        "adopted": "adopted",
        "ended": "ended",
        "retroactive": "retroactive",
    },
}


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


def _add(page: Page, kind: str, label: str) -> None:
    page.locator("#id_add_kind").select_option(kind)
    page.get_by_role("button", name=label).click()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_recording_previewing_and_adopting_a_decision(
    page: Page,
    coordinator: User,
    programme: Programme,
    log_in_as: Callable[[User], None],
    prefix: str,
) -> None:
    texts = TEXTS[prefix]
    f6 = programme.modules.get(code="F6")
    kim = Programme.objects.get(code="durchstarten-kim")
    log_in_as(coordinator)

    page.goto(f"/programme/{programme.pk}/?stand=2022-06-01")
    if prefix:
        page.get_by_role("button", name="English").click()
        expect(page).to_have_url(re.compile(rf"/en/programme/{programme.pk}/\?stand=2022-06-01$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("ends-on")).to_contain_text("2023")
    assert_no_axe_violations(page, f"the programme page ({prefix or 'de'})")

    page.goto(f"{prefix}/programme/{programme.pk}/beschluesse/neu/")
    assert_no_axe_violations(page, f"the empty decision form ({prefix or 'de'})")
    page.locator("#id_body").fill("Rat der Stadt Köln")
    page.locator("#id_decided_on").fill("2022-04-01")
    page.locator("#id_reference").fill("3000/2022")
    page.locator("#id_title").fill("Zweite Verlängerung, Ende von F6")
    _add(page, "extend_programme", texts["add"])
    expect(page.locator("#id_reference")).to_have_value("3000/2022")
    page.locator("#id_amendment_1-effective_on").fill("2022-04-01")
    page.locator("#id_amendment_1-new_end_date").fill("2023-12-31")
    _add(page, "end_module", texts["add"])
    expect(page.locator("#id_amendment_1-new_end_date")).to_have_value("2023-12-31")
    page.locator("#id_amendment_2-effective_on").fill("2022-04-01")
    page.locator("#id_amendment_2-module").select_option(str(f6.pk))
    # A module's end cannot lengthen it: the error stands next to the field.
    page.locator("#id_amendment_2-new_end_date").fill("2022-09-30")
    page.locator("#id_amendment_2-successor_programme").select_option(str(kim.pk))
    page.get_by_role("button", name=texts["save"]).click()
    expect(page.locator("#id_amendment_2-new_end_date_error")).to_be_visible()
    expect(page.locator("#id_amendment_2-new_end_date")).to_have_attribute("aria-invalid", "true")
    assert not Decision.objects.filter(reference="3000/2022").exists()
    assert_no_axe_violations(page, f"the decision form with errors ({prefix or 'de'})")

    page.locator("#id_amendment_2-new_end_date").fill("2022-05-31")
    page.get_by_role("button", name=texts["save"]).click()
    expect(page).to_have_url(re.compile(rf"{prefix}/programme/{programme.pk}/beschluesse/\d+/$"))
    preview = page.get_by_test_id("preview")
    expect(preview.locator("tr[data-kind='extend_programme']")).to_contain_text("2023")
    expect(preview.locator("tr[data-kind='end_module']")).to_contain_text("KIM")
    # Decided in 2022, entered today: in force before the record held it.
    expect(preview.get_by_test_id("retroactive-flag").first).to_have_text(texts["retroactive"])
    assert_no_axe_violations(page, f"the preview ({prefix or 'de'})")

    page.get_by_role("button", name=texts["adopt"], exact=True).click()
    expect(page.get_by_test_id("decision-status")).to_have_text(texts["adopted"])
    assert Decision.objects.get(reference="3000/2022").status == DecisionStatus.ADOPTED
    assert_no_axe_violations(page, f"the adopted decision ({prefix or 'de'})")

    page.goto(f"{prefix}/programme/{programme.pk}/?stand=2022-06-01")
    expect(page.get_by_test_id("ends-on")).to_contain_text("3000/2022")
    f6_row = page.get_by_test_id("modules").locator("tr[data-module='F6']")
    expect(f6_row).to_contain_text(texts["ended"])
    expect(f6_row).to_contain_text("KIM")
    expect(f6_row).to_contain_text("3000/2022")
    assert_no_axe_violations(page, f"the programme page after the decision ({prefix or 'de'})")

    # The day before it took effect, the earlier reading still stands.
    page.goto(f"{prefix}/programme/{programme.pk}/?stand=2022-03-31")
    expect(page.get_by_test_id("ends-on")).not_to_contain_text("3000/2022")


def test_axe_finds_nothing_on_the_set_up_page_with_and_without_errors(
    page: Page, coordinator: User, log_in_as: Callable[[User], None]
) -> None:
    log_in_as(coordinator)
    page.goto("/programme/neu/")
    assert_no_axe_violations(page, "the set-up page")
    page.locator("#id_code").fill("kim")
    page.get_by_role("button", name="Weiteren Baustein hinzufügen").click()
    expect(page.locator("#id_module_2-code")).to_be_visible()
    expect(page.locator("#id_code")).to_have_value("kim")
    page.get_by_role("button", name="Programm einrichten").click()
    expect(page.locator("#id_name_error")).to_be_visible()
    assert_no_axe_violations(page, "the set-up page with errors")
