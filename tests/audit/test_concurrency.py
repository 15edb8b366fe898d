"""Writers that meet keep one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import audit_record, audit_record_many
from teilhabe.audit.verification import verify_chain


@pytest.mark.django_db
def test_writers_taking_turns_keep_the_chain(coach_a: User, coach_b: User) -> None:
    for _ in range(3):
        audit_record(action="read", actor=coach_a, subjects=["P-1"])
        audit_record_many(records=[{"action": "read", "actor": coach_b}] * 2)
    report = verify_chain(batch_size=4)
    assert (report.ok, report.entries) == (True, 9)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQLite test database lives in one process's memory; its writers are serialised "
    "by BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_keep_one_unbroken_chain(coach_a: User) -> None:
    threads, per_thread = 4, 15
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                audit_record(action="read", actor=coach_a, subjects=["P-1", "P-2"])
        except BaseException as error:  # collected and re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert AuditEvent.objects.count() == threads * per_thread
    report = verify_chain()
    assert (report.ok, report.entries) == (True, threads * per_thread)
