"""A coach records a consent in the browser and withdraws it; the "who can see this data"
panel follows at once. axe finds nothing on any page on the way, in German and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from teilhabe.accounts.models import Organisation, User
from teilhabe.cases.models import Case
from teilhabe.core.codes import OutcomeType, ResidenceType
from teilhabe.participants.models import ParticipantFile
from tests.factories import CaseFactory, ConsentFactory, OutcomeFactory, ResidenceDocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


@dataclass(frozen=True)
class Words:
    """What the person reads and clicks, in one language."""

    prefix: str
    my_files: str
    who_can_see: str
    record: str
    purpose: str
    recipient: str
    identity: str
    outcomes: str
    save: str
    recorded: str
    withdraw: str
    confirm: str
    withdrawn: str
    check_input: str


GERMAN = Words(
    prefix="",
    my_files="Meine Akten",
    who_can_see="Wer kann diese Daten sehen?",
    record="Einwilligung erfassen",
    purpose="Zweck",
    recipient="Empfänger",
    identity="Name und Geburtsdatum",
    outcomes="Verbleib und Erfolge",
    save="Einwilligung speichern",
    recorded="Die Einwilligung ist erfasst.",
    withdraw="Widerrufen",
    confirm="Widerruf erfassen",
    withdrawn="Der Widerruf ist erfasst.",
    check_input="Bitte prüfen Sie Ihre Eingaben",
)
ENGLISH = Words(
    prefix="/en",
    my_files="My files",
    who_can_see="Who can see this data?",
    record="Record a consent",
    purpose="Purpose",
    recipient="Recipient",
    identity="Name and date of birth",
    outcomes="Outcomes and successes",
    save="Save consent",
    recorded="The consent is recorded.",
    withdraw="Withdraw",
    confirm="Record the withdrawal",
    withdrawn="The withdrawal is recorded.",
    check_input="Please check your entries",
)


@pytest.fixture
def file_a(provider_a: Organisation) -> ParticipantFile:
    case: Case = CaseFactory(
        lead_provider=provider_a,
        participant__municipality=provider_a.municipality,
        participant__given_names="Amina",
        participant__family_name="Haddad",
    )
    OutcomeFactory(case=case, outcome_type=OutcomeType.VOCATIONAL_TRAINING)
    file = ParticipantFile.objects.get(participant=case.participant, controller=provider_a)
    ResidenceDocumentFactory(file=file, residence_type=ResidenceType.TOLERATED)
    return file


@pytest.mark.parametrize("words", [GERMAN, ENGLISH], ids=["de", "en"])
def test_a_coach_records_a_consent_and_withdraws_it(
    page: Page,
    coach_a: User,
    provider_b: Organisation,
    file_a: ParticipantFile,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
    words: Words,
) -> None:
    key = file_a.participant.person_key
    lang = words.prefix.strip("/") or "de"
    log_in_as(coach_a)

    page.goto(f"{words.prefix}/akten/")
    expect(page.locator("h1")).to_have_text(words.my_files)
    page.screenshot(path=screenshot_dir / f"file-list-{lang}.png", full_page=True)
    assert_no_axe_violations(page, f"the file list ({lang})")
    page.get_by_role("link", name=key).click()

    audience = page.get_by_test_id("audience")
    expect(audience.get_by_role("heading", name=words.who_can_see)).to_be_visible()
    expect(audience.get_by_test_id("audience-line")).to_have_count(4)
    expect(audience.get_by_role("heading", name="Träger B")).to_have_count(0)
    page.screenshot(path=screenshot_dir / f"file-{lang}.png", full_page=True)
    assert_no_axe_violations(page, f"the file page ({lang})")

    page.get_by_role("link", name=words.record).click()
    expect(page.locator("h1")).to_have_text(words.record)
    assert_no_axe_violations(page, f"the consent form ({lang})")

    # Without categories the form says what is missing, next to the field.
    page.get_by_label(words.recipient).select_option(label="Träger B")
    page.get_by_role("button", name=words.save).click()
    expect(page.get_by_role("heading", name=words.check_input)).to_be_visible()
    expect(page.locator("#id_data_categories_error")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"consent-errors-{lang}.png", full_page=True)
    assert_no_axe_violations(page, f"the consent form with errors ({lang})")

    # The summary's link leads to the first box; the boxes work by keyboard.
    page.locator("#form-error-summary a").click()
    expect(page.get_by_label(words.identity)).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_label(words.outcomes).check()
    expect(page.get_by_label(words.identity)).to_be_checked()
    page.get_by_role("button", name=words.save).click()

    expect(page).to_have_url(re.compile(rf"{words.prefix}/akten/{file_a.pk}/$"))
    expect(page.get_by_text(words.recorded)).to_be_visible()
    shared = audience.get_by_test_id("audience-line").filter(
        has=page.get_by_role("heading", name="Träger B")
    )
    expect(audience.get_by_test_id("audience-line")).to_have_count(5)
    expect(shared).to_contain_text(f"{words.identity}, {words.outcomes}")
    page.screenshot(path=screenshot_dir / f"file-shared-{lang}.png", full_page=True)
    assert_no_axe_violations(page, f"the file page with a consent ({lang})")

    page.get_by_role("link", name=re.compile(rf"^{words.withdraw}")).click()
    expect(page.get_by_test_id("consent-summary")).to_contain_text("Träger B")
    page.screenshot(path=screenshot_dir / f"withdraw-{lang}.png", full_page=True)
    assert_no_axe_violations(page, f"the withdrawal confirmation ({lang})")
    page.get_by_role("button", name=words.confirm).focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"{words.prefix}/akten/{file_a.pk}/$"))
    expect(page.get_by_text(words.withdrawn)).to_be_visible()
    expect(audience.get_by_test_id("audience-line")).to_have_count(4)
    expect(audience.get_by_role("heading", name="Träger B")).to_have_count(0)
    expect(page.locator('[data-state="withdrawn"]')).to_have_count(1)
    assert_no_axe_violations(page, f"the file page after the withdrawal ({lang})")


@pytest.mark.parametrize(
    ("prefix", "not_shared"),
    [("", "Nicht mit Ihnen geteilt"), ("/en", "Not shared with you")],
    ids=["de", "en"],
)
def test_a_recipient_sees_only_what_was_shared_and_is_told_so(
    page: Page,
    coach_b: User,
    provider_b: Organisation,
    file_a: ParticipantFile,
    log_in_as: Callable[[User], None],
    screenshot_dir: Path,
    prefix: str,
    not_shared: str,
) -> None:
    ConsentFactory(file=file_a, recipient=provider_b, data_categories=["outcomes"])
    log_in_as(coach_b)
    page.goto(f"{prefix}/akten/")
    assert_no_axe_violations(page, f"the recipient's file list ({prefix or 'de'})")
    expect(page.get_by_text("Haddad")).to_have_count(0)
    page.get_by_role("link", name=file_a.participant.person_key).click()
    expect(page.get_by_test_id("not-shared")).to_contain_text(not_shared)
    expect(page.locator("[data-category]")).to_have_count(1)
    expect(page.locator('[data-category="outcomes"]')).to_be_visible()
    page.screenshot(
        path=screenshot_dir / f"file-recipient-{prefix.strip('/') or 'de'}.png", full_page=True
    )
    assert_no_axe_violations(page, f"the shared file page ({prefix or 'de'})")


def test_adding_a_residence_document_in_the_browser(
    page: Page,
    coach_a: User,
    file_a: ParticipantFile,
    log_in_as: Callable[[User], None],
) -> None:
    log_in_as(coach_a)
    page.goto(f"/akten/{file_a.pk}/")
    page.get_by_role("link", name="Aufenthaltsdokument hinzufügen").click()
    assert_no_axe_violations(page, "the residence document form")
    page.get_by_label("Aufenthaltsstatus").select_option(value=ResidenceType.TRAINING_TOLERATION)
    page.get_by_label("Gültig ab").fill("2022-08-01")
    page.get_by_label("Gültig bis").fill("2022-07-31")
    page.get_by_role("button", name="Dokument speichern").click()
    expect(page.get_by_role("heading", name="Bitte prüfen Sie Ihre Eingaben")).to_be_visible()
    assert_no_axe_violations(page, "the residence document form with errors")
    page.get_by_label("Gültig bis").fill("2025-07-31")
    page.get_by_role("button", name="Dokument speichern").click()
    expect(page.get_by_text("Das Aufenthaltsdokument ist hinzugefügt.")).to_be_visible()
    expect(page.locator('[data-category="residence"]')).to_contain_text("Ausbildungsduldung")
