"""The F6 hand-over in the browser: the coordination hands the people of an ended module over
(one with consent, one closed after being told), the receiving side accepts; axe on every
page, German and English."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.cases.models import Case, HandOver, Referral
from tests.cases.handover_scenario import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "": {
        "module_ends": "Bausteinenden in",
        "select": "auswählen",
        "selected": "Ausgewählte übergeben oder beenden",
        "all": "Alle noch offenen übergeben oder beenden",
        "informed_on": "Personen ohne Einwilligung informiert am",
        "informed_how": "informiert",
        "transferred": "übergeben",
        "closed": "ohne Übergabe beendet",
        "referrals": "Überweisungen",
        "accept": "Annehmen",
        "none_left": "Keine offenen Überweisungen.",
        "in_person": "persönlich",
    },
    "/en": {
        "module_ends": "Module ends in",
        "select": "Select",
        "selected": "Hand over or close the selected",
        "all": "Hand over or close all still open",
        "informed_on": "People without consent informed on",
        "informed_how": "informed",
        "transferred": "handed over",
        "closed": "closed without hand-over",
        "referrals": "Referrals",
        "accept": "Accept",
        "none_left": "No open referrals.",
        "in_person": "in person",
    },
}


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_coordination_hands_f6_over_and_the_receiving_side_accepts(
    page: Page,
    coordinator: User,
    municipality: Organisation,
    log_in_as: Callable[[User], None],
    prefix: str,
) -> None:
    words = WORDS[prefix]
    scenario = build(municipality)
    consenting = scenario.consenting.case.participant
    refusing = scenario.refusing.case.participant

    log_in_as(coordinator)
    page.goto(f"{prefix}/programme/{scenario.programme.pk}/bausteinenden/")
    expect(page.locator("h1")).to_contain_text(words["module_ends"])
    assert_no_axe_violations(page, f"the module ends ({prefix or 'de'})")
    page.get_by_role("link", name="F6").click()
    expect(page.get_by_role("rowheader", name=consenting.person_key)).to_be_visible()
    expect(page.get_by_text(consenting.family_name)).to_have_count(0)
    assert_no_axe_violations(page, f"the hand-over page ({prefix or 'de'})")

    # Case by case: the person who consented is handed over.
    page.get_by_label(f"{consenting.person_key}", exact=False).check()
    page.get_by_role("button", name=words["selected"]).click()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=consenting.person_key)
    )
    expect(row).to_contain_text(words["transferred"])

    # In bulk: the rest, who did not consent, after being told in person.
    page.get_by_label(words["informed_on"]).fill("2022-06-15")
    page.get_by_label(words["informed_how"], exact=True).select_option("in_person")
    page.get_by_role("button", name=words["all"]).click()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=refusing.person_key)
    )
    expect(row).to_contain_text(words["closed"])
    expect(row).to_contain_text(words["in_person"])
    assert_no_axe_violations(page, f"the hand-over page after the work ({prefix or 'de'})")
    assert set(HandOver.objects.values_list("result", flat=True)) == {"transferred", "closed"}

    # The city's case management receives the referral and accepts it.
    log_in_as(scenario.city_coach)
    page.goto(f"{prefix}/ueberweisungen/")
    expect(page.locator("h1")).to_contain_text(words["referrals"])
    expect(page.get_by_role("rowheader", name=consenting.person_key)).to_be_visible()
    assert_no_axe_violations(page, f"the referrals ({prefix or 'de'})")
    page.get_by_role("button", name=f"{words['accept']} {consenting.person_key}").click()
    expect(page.get_by_text(words["none_left"])).to_be_visible()
    assert_no_axe_violations(page, f"the referrals after answering ({prefix or 'de'})")
    assert Referral.objects.get().status == Referral.Status.ACCEPTED
    assert Case.objects.get(predecessor=scenario.consenting.case).status == Case.Status.ACTIVE
