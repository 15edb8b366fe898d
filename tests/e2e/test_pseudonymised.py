"""The coordination's pseudonymised list in the browser: readable, accessible, no names."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from tests.factories import CaseFactory, ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Teilnehmende in"), ("/en", "Participants in")]
)
def test_the_coordinator_reads_the_list_by_person_key(
    page: Page,
    coordinator: User,
    municipality: Organisation,
    provider_a: Organisation,
    log_in_as: Callable[[User], None],
    prefix: str,
    heading: str,
) -> None:
    programme = ProgrammeFactory(owner=municipality, name="Durchstarten Köln")
    case = CaseFactory(
        programme=programme,
        lead_provider=provider_a,
        participant__municipality=municipality,
        participant__family_name="Haddad",
    )
    log_in_as(coordinator)
    page.goto(f"{prefix}/programme/{programme.pk}/teilnehmende/")
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.get_by_role("rowheader", name=case.participant.person_key)).to_be_visible()
    expect(page.get_by_text("Haddad")).to_have_count(0)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
