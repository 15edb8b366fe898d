"""Two-factor login: TOTP with recovery codes, mandatory for staff when the setting says so."""

from __future__ import annotations

import re
from typing import Any as SettingsWrapper

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Organisation, User
from teilhabe.accounts.selectors import second_factor_required
from teilhabe.audit.models import AuditAction, AuditEvent
from tests.accounts.conftest import PASSWORD, enrolled_device, log_in_verified, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("require_2fa")

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
ENROL = reverse("accounts:two_factor_enrol")
STATUS = reverse("accounts:two_factor")
REMOVE = reverse("accounts:two_factor_remove")
START = reverse("core:start")


def _password_step(client: Client, username: str) -> str:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def test_staff_without_a_device_are_sent_to_enrolment_after_the_password(
    client: Client, coach_a: User
) -> None:
    assert _password_step(client, "coach_a") == f"{ENROL}?next=%2F"
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.details == {"second_factor": "pending"}


@pytest.mark.parametrize("path", ["/", "/en/", "/admin/", reverse("accounts:staff_list"), STATUS])
def test_until_enrolled_staff_reach_nothing_but_enrolment(
    client: Client, coach_a: User, path: str
) -> None:
    client.force_login(coach_a)
    response = client.get(path)
    assert response.status_code == 302
    assert f"{ENROL}?next=" in response["Location"]


def test_an_htmx_request_before_the_second_factor_gets_a_full_page_redirect(
    client: Client, coach_a: User
) -> None:
    client.force_login(coach_a)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(ENROL)


def test_the_enrolment_page_shows_an_inline_qr_code_and_the_secret(
    client: Client, coach_a: User
) -> None:
    client.force_login(coach_a)
    response = client.get(ENROL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg width="' in html
    assert 'role="img"' in html
    assert "data:image" not in html
    assert "<img" not in html
    device = TOTPDevice.objects.get(user=coach_a)
    assert not device.confirmed
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32
    # A reload keeps the same secret, so a half-finished set-up still works.
    assert client.get(ENROL).content.decode().count(secret.group(1)) == 1
    assert TOTPDevice.objects.filter(user=coach_a).count() == 1


def test_confirming_with_a_code_enrols_and_shows_ten_recovery_codes_once(
    client: Client, coach_a: User
) -> None:
    client.force_login(coach_a)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=coach_a)
    response = client.post(f"{ENROL}?next=/en/", {"code": totp_code(device), "next": "/en/"})
    html = response.content.decode()
    assert response.status_code == 200
    codes = StaticToken.objects.filter(device__user=coach_a).values_list("token", flat=True)
    assert len(codes) == 10
    for code in codes:
        assert code in html
    assert 'href="/en/"' in html
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.actor == coach_a
    assert event.object_type == "otp_totp.totpdevice"
    assert event.details == {"event": "second_factor_enrolled"}
    # The session passed the second factor; the codes are not shown again.
    assert client.get(START).status_code == 200
    assert client.get(ENROL)["Location"] == STATUS
    assert codes[0] not in client.get(STATUS).content.decode()


def test_a_wrong_enrolment_code_is_explained_next_to_the_field_and_audited(
    client: Client, coach_a: User
) -> None:
    client.force_login(coach_a)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    html = response.content.decode()
    assert "Der Code stimmt nicht." in html
    assert 'id="id_code_error"' in html
    assert not TOTPDevice.objects.get(user=coach_a).confirmed
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (event.actor, event.details) == (coach_a, {"reason": "wrong_enrolment_code"})


def test_logging_in_with_a_device_asks_for_the_code_and_audits_each_step(
    client: Client, coach_a: User
) -> None:
    device = enrolled_device(coach_a)
    location = _password_step(client, "coach_a")
    assert location == f"{CODE}?next=%2F"
    assert client.get(START)["Location"].startswith(f"{CODE}?next=")
    page = client.get(location).content.decode()
    assert 'autocomplete="one-time-code"' in page

    response = client.post(location, {"code": totp_code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(START).status_code == 200
    steps = [e.details for e in AuditEvent.objects.filter(action=AuditAction.LOGIN)]
    assert sorted(d["second_factor"] for d in steps) == ["pending", "totp"]


def test_a_wrong_code_is_refused_and_counted_against_the_account(
    client: Client, coach_a: User
) -> None:
    enrolled_device(coach_a)
    _password_step(client, "coach_a")
    response = client.post(CODE, {"code": "123456"})
    assert "Der Code stimmt nicht." in response.content.decode()
    assert client.get(START).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (event.actor, event.details) == (coach_a, {"reason": "wrong_code"})


def test_ten_wrong_codes_lock_the_account(client: Client, coach_a: User) -> None:
    device = enrolled_device(coach_a)
    _password_step(client, "coach_a")
    for _attempt in range(10):
        client.post(CODE, {"code": "123456"})
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(CODE, {"code": totp_code(device)})
    assert response.status_code == 429
    assert client.get(START).status_code == 302


def test_a_recovery_code_works_once(client: Client, coach_a: User) -> None:
    enrolled_device(coach_a)
    static = StaticDevice.objects.create(user=coach_a, name="Codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    StaticToken.objects.create(device=static, token="efgh6789")
    _password_step(client, "coach_a")
    response = client.post(CODE, {"code": "ABCD 2345"}, follow=True)
    assert response.redirect_chain[-1][0] == START
    assert "Es bleibt noch 1 Code." in response.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).first()
    assert event is not None
    assert event.details == {"second_factor": "recovery_code"}

    client.post(reverse("accounts:logout"))
    _password_step(client, "coach_a")
    static.refresh_from_db()
    static.throttling_failure_count = 0
    static.save()
    response = client.post(CODE, {"code": "abcd2345"})
    assert response.status_code == 200
    assert client.get(START).status_code == 302


def test_the_demo_personas_log_in_with_the_password_alone(client: Client, coach_a: User) -> None:
    coach_a.password_only_demo_login = True
    coach_a.save()
    assert _password_step(client, "coach_a") == START
    assert client.get(START).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.details == {"second_factor": "demo_exempt"}


def test_the_login_page_says_that_demo_personas_need_no_second_factor(
    client: Client, coach_a: User, settings: SettingsWrapper
) -> None:
    assert "ohne zweiten Faktor" not in client.get(LOGIN).content.decode()
    coach_a.password_only_demo_login = True
    coach_a.save()
    assert "ohne zweiten Faktor" in client.get(LOGIN).content.decode()
    settings.IS_PRODUCTION = True
    assert "ohne zweiten Faktor" not in client.get(LOGIN).content.decode()


def test_production_ignores_the_demo_flag(
    client: Client, coach_a: User, settings: SettingsWrapper
) -> None:
    coach_a.password_only_demo_login = True
    coach_a.save()
    settings.IS_PRODUCTION = True
    assert second_factor_required(user=coach_a)
    assert _password_step(client, "coach_a") == f"{ENROL}?next=%2F"
    assert client.get(START).status_code == 302


def test_without_the_setting_nobody_is_asked_for_a_second_factor(
    client: Client, coach_a: User, settings: SettingsWrapper
) -> None:
    settings.TEILHABE_REQUIRE_2FA = False
    assert _password_step(client, "coach_a") == START


def test_an_account_without_any_role_is_not_asked_for_a_second_factor(
    client: Client, db: None
) -> None:
    UserFactory(username="no_role")
    assert _password_step(client, "no_role") == START


def test_users_see_their_own_status(client: Client, coach_a: User) -> None:
    log_in_verified(client, coach_a)
    html = client.get(STATUS).content.decode()
    assert "Eingerichtet" in html
    assert "0 Codes übrig" in html


def test_removing_the_second_factor_needs_a_current_code(client: Client, coach_a: User) -> None:
    device = log_in_verified(client, coach_a)
    response = client.post(REMOVE, {"code": "000000"})
    assert "Der Code stimmt nicht." in response.content.decode()
    assert TOTPDevice.objects.filter(user=coach_a).exists()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(REMOVE, {"code": totp_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coach_a).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert (event.actor, event.details) == (coach_a, {"event": "second_factor_removed"})
    # The session is no longer verified: with 2FA required, re-enrolment comes next.
    assert client.get(START)["Location"].startswith(ENROL)


def test_an_unverified_superuser_does_not_reach_the_admin(
    client: Client, municipality: Organisation
) -> None:
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    enrolled_device(root)
    client.force_login(root)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(CODE)


def test_a_verified_superuser_reaches_the_admin(client: Client, municipality: Organisation) -> None:
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    log_in_verified(client, root)
    assert client.get("/admin/").status_code == 200


def test_where_it_is_not_mandatory_someone_who_set_it_up_is_still_asked(
    client: Client, coach_a: User, settings: SettingsWrapper
) -> None:
    settings.TEILHABE_REQUIRE_2FA = False
    device = enrolled_device(coach_a)
    assert _password_step(client, "coach_a") == f"{CODE}?next=%2F"
    assert client.get(START)["Location"].startswith(CODE)  # no way round the code step
    client.post(CODE, {"code": totp_code(device)})
    assert client.get(START).status_code == 200
