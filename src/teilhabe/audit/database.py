"""The database's part in keeping the trail append-only: triggers, and the one way round them.

Both tables refuse UPDATE and DELETE by trigger on PostgreSQL and SQLite, whoever asks: the
ORM, the admin, a shell, raw SQL. The only exception is wiping a whole database outside
production with ``teilhabe flush`` (which the test runner uses between browser tests):
``erasure_for_flush()`` permits it for that one command. PostgreSQL's TRUNCATE fires no row
triggers, so a statement trigger refuses it unless the same permission is set for the
session. See docs/decisions/0006-append-only-audit-trail.md.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("audit_auditevent", "audit_auditsubject")
SQLITE_PERMISSION_FUNCTION = "teilhabe_audit_erasure_permitted"
POSTGRES_PERMISSION_SETTING = "teilhabe.audit_erasure"
REFUSAL = "the audit trail is append-only"

_erasure_permitted: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "teilhabe_audit_erasure_permitted", default=False
)


def _sqlite_triggers(table: str) -> list[tuple[str, str]]:
    return [
        (
            f"{table}_no_update",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE on {table} refused'); END",
        ),
        (
            # The function exists only on connections that Django opened; anywhere else
            # (the sqlite3 shell) the DELETE fails with "no such function": refused as well.
            f"{table}_no_delete",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {SQLITE_PERMISSION_FUNCTION}() "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE on {table} refused'); END",
        ),
    ]


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION teilhabe_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('{POSTGRES_PERMISSION_SETTING}', true), '') = 'permitted' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{REFUSAL}: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def _postgres_triggers(table: str) -> list[tuple[str, str]]:
    return [
        (
            f"{table}_append_only",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION teilhabe_audit_refuse_change()",
        ),
        (
            f"{table}_no_truncate",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION teilhabe_audit_refuse_change()",
        ),
    ]


def trigger_names(vendor: str) -> list[str]:
    make = _postgres_triggers if vendor == "postgresql" else _sqlite_triggers
    return [name for table in TABLES for name, _ in make(table)]


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers where they are missing (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in TABLES:
                for name, sql in _postgres_triggers(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                    cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for _name, sql in _sqlite_triggers(table):
                    cursor.execute(sql)


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                for name, _sql in _postgres_triggers(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS teilhabe_audit_refuse_change()")
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for name, _sql in _sqlite_triggers(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The triggers that should guard the trail but are not there."""
    expected = trigger_names(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s)",
                [expected],
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Connected to ``connection_created``: the SQLite triggers ask this function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_PERMISSION_FUNCTION, 0, lambda: int(_erasure_permitted.get())
        )


@contextmanager
def erasure_for_flush(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let a flush of the whole database remove the trail too. Only ``flush`` calls this."""
    token = _erasure_permitted.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET {POSTGRES_PERMISSION_SETTING} = 'permitted'")
        yield
    finally:
        _erasure_permitted.reset(token)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"RESET {POSTGRES_PERMISSION_SETTING}")
