"""The auditor in the browser: from the start page to the trail, filtering by keyboard, the
CSV download; axe finds nothing in German or English."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.audit.services import audit_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


@pytest.fixture
def trail(coach_a: User, coach_b: User) -> None:
    audit_record(action="read", actor=coach_a, subjects=["P-7K3M9Q2X"])
    audit_record(action="update", actor=coach_b, subjects=["P-4H8N2W6R"], fields=["status"])


def test_the_auditor_filters_the_trail_by_person_with_the_keyboard_and_downloads_it(
    page: Page,
    auditor: User,
    trail: None,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
) -> None:
    log_in_as(auditor)
    page.goto("/")
    page.get_by_role("link", name="Protokoll ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll")
    expect(page.locator("#results-count")).to_contain_text("2 Einträge, die neuesten zuerst.")
    assert_no_axe_violations(page, "the audit trail (de)")

    page.get_by_label("Personenkennung").focus()
    page.keyboard.type("P-7K3M9Q2X")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"person=P-7K3M9Q2X"))
    # The coach's read, and the auditor's own read of the first page, which showed this person.
    expect(page.locator("#results-count")).to_contain_text("2 Einträge, die neuesten zuerst.")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("auditor")
    expect(rows.last).to_contain_text("P-7K3M9Q2X")
    expect(rows.last).to_contain_text("coach_a")
    page.screenshot(path=screenshot_dir / "audit-trail-de.png", full_page=True)
    assert_no_axe_violations(page, "the filtered audit trail (de)")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Diese Einträge als CSV herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("protokoll-")
    content = Path(download.path()).read_text(encoding="utf-8")
    lines = [line for line in content.splitlines()[1:] if line.strip()]
    assert len(lines) >= 2
    assert all("P-7K3M9Q2X" in line for line in lines)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=auditor).count() == 1


def test_the_trail_in_english_with_an_invalid_day_explained(
    page: Page, auditor: User, trail: None, log_in_as: Callable[[User], None], screenshot_dir: Path
) -> None:
    log_in_as(auditor)
    page.goto("/en/protokoll/?von=2026-03-02&bis=2026-03-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_text("The last day is before the first.").first).to_be_visible()
    expect(page.get_by_text("Because the filters are invalid, the list shows all")).to_be_visible()
    page.screenshot(path=screenshot_dir / "audit-trail-en.png", full_page=True)
    assert_no_axe_violations(page, "the audit trail with an error (en)")

    page.goto("/en/protokoll/")
    expect(page.locator("#results-count")).to_contain_text("entries, newest first.")
    assert_no_axe_violations(page, "the audit trail (en)")
