"""The demo commands stay out of production and delete only what the demo created.

Apart from test_commands.py: these tests need a database without the Cologne scenario, which
test_commands.py keeps loaded for the whole module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from teilhabe import cli
from teilhabe.accounts.models import Organisation
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import audit_record
from teilhabe.demo.cologne.load import load_cologne
from teilhabe.participants.models import Participant
from teilhabe.programmes.models import Decision, Programme
from tests.factories import (
    DecisionFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

SRC = str(Path(__file__).resolve().parents[2] / "src")


# --- production ------------------------------------------------------------------------------

DEMO_COMMANDS = [["demo", "--no-serve"], ["load_cologne"], ["generate", "--participants", "10"]]


@pytest.mark.parametrize("command", DEMO_COMMANDS, ids=lambda c: c[0])
def test_a_demo_command_refuses_the_production_environment(
    settings: Settings, command: list[str]
) -> None:
    settings.ENVIRONMENT = "production"
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="Produktion"):
        call_command(*command, stdout=StringIO())
    assert not Organisation.objects.exists()


def test_a_demo_command_in_production_exits_with_a_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEILHABE_")}
    env.update(
        PYTHONPATH=SRC,
        TEILHABE_ENVIRONMENT="production",
        TEILHABE_SECRET_KEY="x" * 40,
        TEILHABE_VAR_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "from teilhabe.cli import main; main()", "load_cologne"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: ")
    assert "Produktion" in result.stderr
    assert "TEILHABE_ENVIRONMENT=development" in result.stderr


@pytest.mark.parametrize("command", ["demo", "load_cologne", "generate"])
def test_teilhabe_runs_demo_commands_in_development_without_debug_pages(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.delenv("TEILHABE_ENVIRONMENT", raising=False)
    monkeypatch.delenv("TEILHABE_DEBUG", raising=False)
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: None)
    cli.main(["teilhabe", command])
    assert os.environ["TEILHABE_ENVIRONMENT"] == "development"
    assert "TEILHABE_DEBUG" not in os.environ


def test_teilhabe_leaves_a_chosen_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEILHABE_ENVIRONMENT", "production")
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: None)
    cli.main(["teilhabe", "demo"])
    assert os.environ["TEILHABE_ENVIRONMENT"] == "production"


# --- what a reset may delete -----------------------------------------------------------------


@pytest.fixture
def real_cologne() -> Organisation:
    """A real tenant that happens to carry the demo city's name, with a person and a decision."""
    city = MunicipalityFactory(name="Stadt Köln")
    ParticipantFactory(municipality=city, given_names="Echte", family_name="Person")
    DecisionFactory(programme=ProgrammeFactory(owner=city))
    return city


def test_a_reset_leaves_a_real_tenant_of_the_same_name_alone(real_cologne: Organisation) -> None:
    with pytest.raises(CommandError, match="Stadt Köln"):
        call_command("load_cologne", "--reset", stdout=StringIO())
    assert Participant.objects.filter(municipality=real_cologne).count() == 1
    # The real programme's set-up decision and the decision taken on it.
    assert Decision.objects.filter(organisation=real_cologne).count() == 2


def test_the_demo_does_not_load_into_a_real_tenant_of_the_same_name(
    real_cologne: Organisation,
) -> None:
    with pytest.raises(CommandError, match="nicht von der Demo angelegt"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert list(Programme.objects.values_list("owner", flat=True)) == [real_cologne.pk]
    assert Participant.objects.count() == 1


def test_a_reset_keeps_the_audit_trail() -> None:
    load_cologne()
    city = Organisation.objects.get(name="Stadt Köln")
    person = Participant.objects.filter(municipality=city).first()
    assert person is not None
    event = audit_record(action=AuditEvent.Action.READ, actor=None, obj=person, organisation=city)
    before = AuditEvent.objects.count()
    load_cologne(reset=True)
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert not Participant.objects.filter(pk=person.pk).exists()
