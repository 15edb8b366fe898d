"""In the browser: setting up the second factor and logging in with it, inviting a coach,
ending a coach's access, resetting a password; axe on every page, German and English."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from teilhabe.accounts.models import Membership, Organisation, Role, User
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "Lange-Passphrase-fuer-Teilhabe-7"
LANGUAGES = [pytest.param("", id="de"), pytest.param("/en", id="en")]
TEXT = {
    "": {
        "welcome": "Willkommen",
        "coach_at_a": "Sie arbeiten als Jobcoach bei Träger A.",
        "invited": "Die Einladung ist an",
        "ended": "Die Person ist ab sofort abgemeldet.",
        "login": "Bei Teilhabe anmelden",
        "enrol": "Zweiten Faktor einrichten",
        "codes": "Der zweite Faktor ist eingerichtet",
        "code_step": "Zweiter Schritt: Code eingeben",
        "reset_done": "Ihr Passwort ist geändert",
    },
    "/en": {
        "welcome": "Welcome",
        "coach_at_a": "You work as Job coach at Träger A.",
        "invited": "The invitation has been sent to",
        "ended": "The person is logged out as of now.",
        "login": "Log in to Teilhabe",
        "enrol": "Set up the second factor",
        "codes": "The second factor is set up",
        "code_step": "Second step: enter the code",
        "reset_done": "Your password has been changed",
    },
}


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"axe on {what}:\n{results.generate_report()}"


@pytest.fixture
def browser_errors(page: Page) -> list[str]:
    """Console errors, e.g. content blocked by the security policy; must stay empty."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def second_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def provider_admin_a(provider_a: Organisation) -> User:
    user = UserFactory(username="leitung_a", email="leitung@traeger-a.example")
    MembershipFactory(user=user, organisation=provider_a, role=Role.PROVIDER_ADMIN)
    return user


def submit(page: Page) -> None:
    page.locator("main form button[type=submit]").first.click()


def log_in_with_password(page: Page, prefix: str, username: str, password: str) -> None:
    page.goto(f"{prefix}/konto/anmelden/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    submit(page)


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key (base32, as printed on the page)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def link_in_last_mail(live_server: LiveServer) -> str:
    match = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(0).replace(live_server.url, "")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_setting_up_the_second_factor_and_logging_in_with_it(
    page: Page,
    coach_a: User,
    settings: Any,
    browser_errors: list[str],
    screenshot_dir: Path,
    prefix: str,
) -> None:
    settings.TEILHABE_REQUIRE_2FA = True
    text = TEXT[prefix]
    log_in_with_password(page, prefix, "coach_a", PASSWORD)
    expect(page).to_have_url(re.compile(r"/konto/zwei-faktor/einrichten/"))
    expect(page.locator("h1")).to_have_text(text["enrol"])
    expect(page.locator(".teilhabe-qr-wrapper svg")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"enrol{prefix.replace('/', '-')}.png", full_page=True)
    assert_no_axe_violations(page, f"the enrolment page ({prefix or 'de'})")

    # Trying to go elsewhere first leads back here.
    page.goto(f"{prefix}/")
    expect(page).to_have_url(re.compile(r"/konto/zwei-faktor/einrichten/"))

    secret = page.get_by_test_id("totp-secret").inner_text()
    page.locator("#id_code").fill("000000")
    submit(page)
    expect(page.locator("#id_code_error")).to_be_visible()
    assert_no_axe_violations(page, f"the enrolment page with a wrong code ({prefix or 'de'})")

    # django-otp refuses any code for a second after a wrong one (its own throttle).
    page.wait_for_timeout(1500)
    page.locator("#id_code").fill(code_from_secret(secret))
    submit(page)
    expect(page.locator("h1")).to_have_text(text["codes"])
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    assert_no_axe_violations(page, f"the recovery codes ({prefix or 'de'})")
    page.locator("main a.kern-btn").click()
    expect(page.locator("h1")).to_contain_text(text["welcome"])

    page.locator("header form[action*=abmelden] button").click()
    expect(page.locator("h1")).to_have_text(text["login"])
    log_in_with_password(page, prefix, "coach_a", PASSWORD)
    expect(page.locator("h1")).to_have_text(text["code_step"])
    assert_no_axe_violations(page, f"the code step ({prefix or 'de'})")
    page.locator("#id_code").fill(code_from_secret(secret, steps_ahead=1))
    submit(page)
    expect(page.locator("h1")).to_contain_text(text["welcome"])

    page.goto(f"{prefix}/konto/zwei-faktor/")
    expect(page.get_by_test_id("two-factor-status")).to_be_visible()
    assert_no_axe_violations(page, f"the second factor status ({prefix or 'de'})")
    page.goto(f"{prefix}/konto/zwei-faktor/entfernen/")
    assert_no_axe_violations(page, f"removing the second factor ({prefix or 'de'})")
    assert browser_errors == []


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_inviting_a_coach(
    page: Page,
    second_page: Page,
    provider_admin_a: User,
    log_in_as: Callable[[User], None],
    live_server: LiveServer,
    settings: Any,
    screenshot_dir: Path,
    prefix: str,
) -> None:
    text = TEXT[prefix]
    log_in_as(provider_admin_a)
    page.goto(f"{prefix}/konto/mitarbeitende/")
    assert_no_axe_violations(page, f"the staff list ({prefix or 'de'})")
    page.locator("main a.kern-btn--primary").click()
    expect(page).to_have_url(re.compile(r"/konto/mitarbeitende/einladen/$"))
    assert_no_axe_violations(page, f"the invitation form ({prefix or 'de'})")

    page.locator("#id_first_name").fill("Nora")
    page.locator("#id_last_name").fill("Schmidt")
    page.locator("#id_email").fill("nora at example")
    submit(page)
    expect(page.locator("#id_email_error")).to_be_visible()
    assert_no_axe_violations(page, f"the invitation form with an error ({prefix or 'de'})")
    page.locator("#id_email").fill("nora.schmidt@traeger-a.example")
    submit(page)
    expect(page.get_by_text(text["invited"])).to_be_visible()
    expect(page.get_by_text("nora.schmidt@traeger-a.example", exact=False).first).to_be_visible()
    page.screenshot(path=screenshot_dir / f"staff{prefix.replace('/', '-')}.png", full_page=True)
    assert_no_axe_violations(page, f"the staff list with an invitation ({prefix or 'de'})")

    # The invited person: a link by mail, a username and password, then the second factor.
    settings.TEILHABE_REQUIRE_2FA = True
    invitee = second_page
    invitee.goto(link_in_last_mail(live_server))
    assert_no_axe_violations(invitee, "the invitation page")
    invitee.locator("#id_username").fill("nora")
    invitee.locator("#id_password").fill("12345678")
    invitee.locator("#id_password_again").fill("12345678")
    submit(invitee)
    expect(invitee.locator("#id_password_error")).to_be_visible()
    assert_no_axe_violations(invitee, "the invitation page with a weak password")
    invitee.locator("#id_password").fill(NEW_PASSWORD)
    invitee.locator("#id_password_again").fill(NEW_PASSWORD)
    submit(invitee)
    expect(invitee).to_have_url(re.compile(r"/konto/zwei-faktor/einrichten/"))
    invitee.screenshot(path=screenshot_dir / f"invited-enrol{prefix.replace('/', '-')}.png")
    assert Membership.objects.get(user__username="nora").role == Role.COACH


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_ending_a_coachs_access(
    page: Page,
    second_page: Page,
    provider_admin_a: User,
    coach_a: User,
    log_in_as: Callable[[User], None],
    live_server: LiveServer,
    prefix: str,
) -> None:
    text = TEXT[prefix]
    log_in_with_password(second_page, prefix, "coach_a", PASSWORD)
    expect(second_page.get_by_text(text["coach_at_a"])).to_be_visible()

    log_in_as(provider_admin_a)
    page.goto(f"{prefix}/konto/mitarbeitende/")
    page.get_by_test_id("member-coach_a").locator("a[href*=beenden]").click()
    expect(page).to_have_url(re.compile(r"/beenden/$"))
    assert_no_axe_violations(page, f"the confirmation to end access ({prefix or 'de'})")
    submit(page)
    expect(page.get_by_text(text["ended"])).to_be_visible()
    assert_no_axe_violations(page, f"the staff list after ending access ({prefix or 'de'})")

    second_page.reload()
    expect(second_page).to_have_url(re.compile(r"/konto/anmelden/\?next="))
    log_in_with_password(second_page, prefix, "coach_a", PASSWORD)
    expect(second_page.locator("#form-error-summary")).to_be_visible()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_resetting_a_forgotten_password(
    page: Page, coach_a: User, live_server: LiveServer, prefix: str
) -> None:
    coach_a.email = "jana.becker@traeger-a.example"
    coach_a.save()
    page.goto(f"{prefix}/konto/anmelden/")
    page.locator("main a[href*=vergessen]").click()
    assert_no_axe_violations(page, f"the password reset form ({prefix or 'de'})")
    page.locator("#id_email").fill("jana.becker@traeger-a.example")
    submit(page)
    expect(page).to_have_url(re.compile(r"/konto/passwort/vergessen/gesendet/$"))
    assert_no_axe_violations(page, f"the page after asking for a link ({prefix or 'de'})")

    page.goto(link_in_last_mail(live_server))
    expect(page.locator("#id_new_password1")).to_be_visible()
    assert_no_axe_violations(page, f"the new password form ({prefix or 'de'})")
    page.locator("#id_new_password1").fill("kurz")
    page.locator("#id_new_password2").fill("kurz")
    submit(page)
    expect(page.locator(".kern-error").first).to_be_visible()
    assert_no_axe_violations(page, f"the new password form with an error ({prefix or 'de'})")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    expect(page.locator("h1")).to_have_text(TEXT[prefix]["reset_done"])
    assert_no_axe_violations(page, f"the page after the reset ({prefix or 'de'})")

    log_in_with_password(page, prefix, "coach_a", NEW_PASSWORD)
    expect(page.locator("h1")).to_contain_text(TEXT[prefix]["welcome"])
