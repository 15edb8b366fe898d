"""The coordination sets up a course run under a provider's forwarding contract in the
browser, is told next to the field when the provider has none, and axe finds nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.programmes.models import Programme
from tests.core.scenario import build_programme
from tests.e2e.test_decisions import assert_no_axe_violations
from tests.factories import OfferFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


def test_setting_up_a_course_run_under_a_contract(
    page: Page,
    coordinator: User,
    programme: Programme,
    provider_a: Organisation,
    provider_b: Organisation,
    log_in_as: Callable[[User], None],
) -> None:
    f2 = programme.modules.get(code="F2")
    OfferFactory(module=f2, provider=provider_a, title="Deutsch B1 bei A")
    log_in_as(coordinator)
    page.goto(f"/programme/{programme.pk}/angebote/?stand=2021-03-01")
    expect(page.get_by_test_id("offers")).to_contain_text("Deutsch B1 bei A")
    assert_no_axe_violations(page, "the offers page")

    page.get_by_role("link", name="Angebot oder Kursdurchgang anlegen").click()
    assert_no_axe_violations(page, "the offer form")
    page.get_by_label("Träger").select_option(label=provider_b.name)
    page.get_by_label("Förderbaustein").select_option(str(f2.pk))
    page.get_by_label("Titel").fill("Deutsch A2")
    page.get_by_label("Beginn").fill("2021-09-01")
    page.get_by_label("Ende", exact=True).fill("2021-12-15")
    page.get_by_label("Plätze").fill("12")
    page.get_by_role("button", name="Angebot anlegen").click()
    expect(page.locator("#id_provider_error")).to_contain_text("keinen Weiterleitungsvertrag")
    assert_no_axe_violations(page, "the offer form with errors")

    page.get_by_label("Träger").select_option(label=provider_a.name)
    page.get_by_role("button", name="Angebot anlegen").click()
    expect(page.get_by_test_id("offers")).to_contain_text("Deutsch A2")
