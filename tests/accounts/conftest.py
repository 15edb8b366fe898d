"""Helpers for the tests of logging in, the second factor and staff accounts."""

from __future__ import annotations

import time
from typing import Any as SettingsWrapper

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Organisation, Role, User
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def log_in_verified(client: Client, user: User) -> TOTPDevice:
    """A session that passed password and second factor."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first() or enrolled_device(
        user
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def require_2fa(settings: SettingsWrapper) -> None:
    settings.TEILHABE_REQUIRE_2FA = True


@pytest.fixture
def provider_admin_a(provider_a: Organisation) -> User:
    user = UserFactory(username="leitung_a", email="leitung@traeger-a.example")
    MembershipFactory(user=user, organisation=provider_a, role=Role.PROVIDER_ADMIN)
    return user
