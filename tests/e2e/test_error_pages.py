"""The app's error page in the browser: readable, accessible, in both languages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading", "link"),
    [
        ("/gibt-es-nicht/", "Seite nicht gefunden", "Zur Startseite"),
        ("/en/does-not-exist/", "Page not found", "To the start page"),
    ],
)
def test_a_lost_visitor_finds_the_way_back(page: Page, path: str, heading: str, link: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name=link)).to_be_visible()
    # The stylesheet arrived: KERN's font is in use.
    assert "Fira Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
