"""The demo's logins: personas with the published password and no second factor, and a
superuser whose password is generated per installation and printed once."""

from __future__ import annotations

from io import StringIO

import pytest

from teilhabe.accounts.models import User
from teilhabe.demo import logins
from teilhabe.demo.management.commands.demo import Command
from tests.factories import FunderFactory, MunicipalityFactory, ProviderFactory


@pytest.fixture
def demo_organisations(db: None) -> None:
    city = MunicipalityFactory(name=logins.CITY)
    FunderFactory(name=logins.DISTRICT_GOVERNMENT)
    ProviderFactory(name=logins.PROVIDER_A, municipality=city)
    ProviderFactory(name=logins.PROVIDER_B, municipality=city)


def test_the_superuser_gets_a_generated_password_that_is_returned_once(
    demo_organisations: None,
) -> None:
    first = logins.ensure_demo_logins()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert first.admin.new_password
    assert len(first.admin.new_password) >= 20
    assert admin.check_password(first.admin.new_password)
    assert not admin.check_password(logins.DEMO_PASSWORD)
    assert not admin.password_only_demo_login
    assert first.admin.new_password not in admin.password

    again = logins.ensure_demo_logins()
    assert again.admin.new_password is None
    admin.refresh_from_db()
    assert admin.check_password(first.admin.new_password)


def test_every_installation_gets_another_superuser_password(demo_organisations: None) -> None:
    first = logins.ensure_demo_logins().admin.new_password
    User.objects.filter(username="admin").delete()
    assert logins.ensure_demo_logins().admin.new_password != first


def test_the_personas_keep_the_published_password_and_log_in_without_a_second_factor(
    demo_organisations: None,
) -> None:
    result = logins.ensure_demo_logins()
    for row in result.personas:
        user = User.objects.get(username=row.username)
        assert user.check_password(logins.DEMO_PASSWORD)
        assert user.password_only_demo_login


def test_personas_of_an_older_demo_get_the_flag(demo_organisations: None) -> None:
    logins.ensure_demo_logins()
    User.objects.update(password_only_demo_login=False)
    logins.ensure_demo_logins()
    assert User.objects.filter(password_only_demo_login=True).count() == len(logins.PERSONAS)


def test_the_demo_command_prints_the_superuser_password_only_when_it_was_created(
    demo_organisations: None,
) -> None:
    first = logins.ensure_demo_logins()
    out = StringIO()
    Command(stdout=out).print_logins(first)
    text = out.getvalue()
    assert first.admin.new_password is not None
    assert first.admin.new_password in text
    assert logins.DEMO_PASSWORD in text

    out = StringIO()
    Command(stdout=out).print_logins(logins.ensure_demo_logins())
    text = out.getvalue()
    assert first.admin.new_password not in text
    assert "teilhabe changepassword admin" in text
