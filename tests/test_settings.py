"""The settings fail loudly on bad configuration instead of guessing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("TEILHABE_") and k != "DATABASE_URL"
    }
    clean.update({"PYTHONPATH": SRC, "TEILHABE_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import teilhabe.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _load_settings(tmp_path)
    assert result.returncode != 0
    assert "TEILHABE_SECRET_KEY is required in production" in result.stderr


def test_a_short_secret_key_is_refused(tmp_path: Path) -> None:
    result = _load_settings(tmp_path, TEILHABE_SECRET_KEY="short")
    assert "at least 32 characters" in result.stderr


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    first = _load_settings(tmp_path, TEILHABE_ENVIRONMENT="development")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    _load_settings(tmp_path, TEILHABE_ENVIRONMENT="development")
    assert key_file.read_text() == key


def test_sqlite_is_the_default_database(tmp_path: Path) -> None:
    result = _load_settings(tmp_path, TEILHABE_ENVIRONMENT="development")
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    result = _load_settings(
        tmp_path,
        TEILHABE_ENVIRONMENT="development",
        DATABASE_URL="postgres://root@127.0.0.1:5432/x",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_database_url_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    result = _load_settings(
        tmp_path, TEILHABE_ENVIRONMENT="development", DATABASE_URL="mysql://x/y"
    )
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DEBUG", "maybe"), ("SESSION_AGE_SECONDS", "eight hours")]
)
def test_a_malformed_value_is_refused_with_its_name(tmp_path: Path, name: str, value: str) -> None:
    result = _load_settings(
        tmp_path, TEILHABE_ENVIRONMENT="development", **{f"TEILHABE_{name}": value}
    )
    assert result.returncode != 0
    assert f"TEILHABE_{name}" in result.stderr


def test_an_unknown_environment_is_refused(tmp_path: Path) -> None:
    result = _load_settings(tmp_path, TEILHABE_ENVIRONMENT="staging")
    assert "must be development, test or production" in result.stderr
