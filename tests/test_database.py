"""The embedded database: SQLite in WAL mode under var/, created by migrate on a bare machine."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection


def test_a_fresh_var_directory_gets_a_wal_mode_sqlite_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"TEILHABE_ENVIRONMENT": "development", "TEILHABE_VAR_DIR": str(tmp_path)})
    subprocess.run(
        [sys.executable, "-m", "teilhabe.cli", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    database = tmp_path / "teilhabe.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cases_case", "participants_participant", "programmes_amendment"} <= tables


@pytest.mark.django_db
def test_foreign_keys_are_enforced_on_every_connection() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL has a JIT compiler")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
