"""The chain migration applies to a database that already holds events from before it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teilhabe.audit.verification import verify_chain

BEFORE = [("audit", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_events_from_before_the_chain_are_numbered_hashed_and_chained(db: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent"
            " (occurred_at, action, object_type, object_id, details, ip_address) VALUES"
            " ('2026-11-01 10:00:00+00:00', 'login', '', '', '{}', '10.0.0.1'),"
            " ('2026-11-01 10:01:00+00:00', 'read', 'cases.case', '4', '{\"via\": \"admin\"}', NULL)"
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    report = verify_chain()
    assert (report.ok, report.entries) == (True, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequence, address_hash FROM audit_auditevent ORDER BY sequence")
        rows = cursor.fetchall()
    assert [r[0] for r in rows] == [1, 2]
    assert len(rows[0][1]) == 32
    assert rows[1][1] == ""
