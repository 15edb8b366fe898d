"""Append-only by the database, and the chain that shows when someone got round it.

Run on SQLite and on PostgreSQL (DATABASE_URL): the triggers differ per database.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from teilhabe.accounts.models import User
from teilhabe.audit.database import drop_triggers, missing_triggers
from teilhabe.audit.models import AuditEvent, AuditSubject
from teilhabe.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(coach_a: User) -> list[AuditEvent]:
    """Five chained entries, each naming a person."""
    return [
        audit_record(action="read", actor=coach_a, subjects=[f"P-0000000{n}"]) for n in range(1, 6)
    ]


def refused(sql: str) -> bool:
    """Whether the database refuses the statement (inside a savepoint, so the test goes on)."""
    with (
        pytest.raises(DatabaseError, match="append-only") as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return refusal.value is not None


def run_verify() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", batch_size=2)
    return str(failure.value)


def test_the_triggers_are_in_place_after_migrating(db: None) -> None:
    assert missing_triggers(connection) == []


def test_the_orm_cannot_update_or_delete_an_entry(trail: list[AuditEvent]) -> None:
    event = trail[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(role="x")
    # An entry without subjects: the subjects' protecting foreign key would stop it first.
    bare = audit_record(action="login", actor=event.actor)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=bare.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        bare.delete()
    event.role = "x"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSubject.objects.filter(event=event).update(person_key="P-OTHER")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSubject.objects.filter(event=event).delete()
    event.refresh_from_db()
    assert event.role == "coach"


def test_raw_sql_cannot_update_or_delete_an_entry(trail: list[AuditEvent]) -> None:
    assert refused("UPDATE audit_auditevent SET details = '{}'")
    assert refused("DELETE FROM audit_auditevent")
    assert refused("UPDATE audit_auditsubject SET person_key = 'P-OTHER'")
    assert refused("DELETE FROM audit_auditsubject")
    assert AuditEvent.objects.count() == 5
    assert AuditSubject.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_truncating_the_trail_is_refused_on_postgresql(trail: list[AuditEvent]) -> None:
    assert refused("TRUNCATE audit_auditsubject")
    assert refused("TRUNCATE audit_auditevent CASCADE")


def test_an_intact_trail_verifies_with_its_count_and_last_hash(
    trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify", batch_size=2)
    assert capsys.readouterr().out.strip() == (
        f"Audit trail intact: 5 entries, last 5:{trail[-1].entry_hash}"
    )


def test_an_empty_trail_verifies(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "verify")
    assert "intact: 0 entries" in capsys.readouterr().out


# Each tampering case drops the triggers first, as someone with the database owner's rights
# could; the test's transaction restores them afterwards.


def test_verify_names_an_entry_that_was_changed(trail: list[AuditEvent]) -> None:
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_id = '999' WHERE sequence = 3",
        )
    message = run_verify()
    assert f"entry #3 (id {trail[2].pk}): content changed" in message
    assert "The 2 entries before it are intact" in message


def test_verify_names_an_entry_whose_subject_was_changed(trail: list[AuditEvent]) -> None:
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditsubject SET person_key = 'P-SOMEONE' WHERE event_id = %s",
            [trail[3].pk],
        )
    assert "entry #4" in run_verify()


def test_verify_names_the_gap_where_an_entry_was_deleted(trail: list[AuditEvent]) -> None:
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditsubject WHERE event_id = %s", [trail[1].pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk])
    assert "entry #3" in (message := run_verify())
    assert "entries #2 are missing (deleted)" in message


def test_verify_names_the_entry_after_an_inserted_one(trail: list[AuditEvent]) -> None:
    """The forger renumbers the entries behind the insert and gives the forged entry a valid
    hash; the old entry #2, now #3, still links to the entry before the forgery."""
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET sequence = sequence + 100 WHERE sequence >= 2")
        cursor.execute("UPDATE audit_auditevent SET sequence = sequence - 99 WHERE sequence > 100")
    forged = AuditEvent(
        sequence=2,
        occurred_at=trail[1].occurred_at,
        action="read",
        previous_hash=trail[0].entry_hash,
    )
    forged.entry_hash = forged.compute_hash([])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (sequence, occurred_at, role, action, object_type,"
            " object_id, details, fields, address_hash, previous_hash, entry_hash)"
            " VALUES (2, %s, '', 'read', '', '', '{}', '[]', '', %s, %s)",
            [forged.occurred_at, forged.previous_hash, forged.entry_hash],
        )
    message = run_verify()
    assert f"entry #3 (id {trail[1].pk}): does not link to the entry before it" in message


def test_verify_names_the_first_entry_out_of_its_place_when_two_are_swapped(
    trail: list[AuditEvent],
) -> None:
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET sequence = 100 WHERE sequence = 2")
        cursor.execute("UPDATE audit_auditevent SET sequence = 2 WHERE sequence = 3")
        cursor.execute("UPDATE audit_auditevent SET sequence = 3 WHERE sequence = 100")
    message = run_verify()
    assert f"entry #2 (id {trail[2].pk}): does not link" in message


def test_verify_fails_when_the_triggers_are_gone_even_if_the_chain_is_intact(
    trail: list[AuditEvent],
) -> None:
    drop_triggers(connection)
    assert "triggers that keep it append-only are missing" in run_verify()


def test_flush_refuses_to_erase_the_trail_in_production(
    trail: list[AuditEvent], settings: pytest.FixtureRequest
) -> None:
    settings.IS_PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_test_runners_flush_between_transactional_tests_may_empty_the_trail(
    trail: list[AuditEvent],
) -> None:
    """This test's own teardown flushes the database (DELETE on SQLite, TRUNCATE on
    PostgreSQL); the next test starting from an empty trail shows that it could."""
    assert AuditEvent.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_trail_starts_again_at_one(coach_a: User) -> None:
    assert audit_record(action="login", actor=coach_a).sequence == 1


def test_a_cut_off_tail_shows_against_an_entry_recorded_outside_the_database(
    trail: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = f"5:{trail[4].entry_hash}"
    call_command("audit", "verify", expect=recorded)
    assert "intact: 5 entries" in capsys.readouterr().out
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditsubject WHERE event_id = %s", [trail[4].pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 5")
    # The shortened chain is consistent in itself; the recorded entry shows the cut.
    with pytest.raises(CommandError, match="entry #5, recorded earlier, is gone"):
        call_command("audit", "verify", expect=recorded)


def test_an_expected_entry_must_be_given_as_number_and_hash(trail: list[AuditEvent]) -> None:
    with pytest.raises(CommandError, match="NUMBER:HASH"):
        call_command("audit", "verify", expect="5")
