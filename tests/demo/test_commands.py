"""The demo commands print what they do (safety: test_demo_safety.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from teilhabe.accounts.models import User
from teilhabe.demo.cologne.load import LoadResult
from teilhabe.demo.logins import DEMO_PASSWORD, PERSONAS

pytestmark = pytest.mark.django_db


def test_demo_without_serving_prepares_everything_and_prints_the_logins(
    cologne: LoadResult,
) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "Datenbank wird migriert" in text
    assert "war schon geladen" in text
    for persona in PERSONAS:
        assert persona.username in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000/" in text
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert not admin.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="coach.lernhaus").check_password(DEMO_PASSWORD)


def test_demo_logins_are_created_only_once(cologne: LoadResult) -> None:
    call_command("demo", "--no-serve", stdout=StringIO())
    count = User.objects.count()
    call_command("demo", "--no-serve", stdout=StringIO())
    assert User.objects.count() == count


def test_load_cologne_says_so_when_the_scenario_is_there(cologne: LoadResult) -> None:
    out = StringIO()
    call_command("load_cologne", stdout=out)
    assert "schon geladen" in out.getvalue()
