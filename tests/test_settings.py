"""The settings fail loudly on bad configuration instead of guessing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _clean_env(tmp_path: Path, **env: str) -> dict[str, str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("TEILHABE_") and k != "DATABASE_URL"
    }
    clean.update({"PYTHONPATH": SRC, "TEILHABE_VAR_DIR": str(tmp_path / "var"), **env})
    return clean


def _run(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import teilhabe.settings as s\n" + code],
        env=_clean_env(tmp_path, **env),
        capture_output=True,
        text=True,
        check=False,
    )


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return _run(tmp_path, "print(s.DATABASES['default']['ENGINE'])", **env)


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


def test_production_refuses_debug_mode(tmp_path: Path) -> None:
    result = _load_settings(
        tmp_path,
        TEILHABE_ENVIRONMENT="production",
        TEILHABE_SECRET_KEY="x" * 40,
        TEILHABE_DEBUG="true",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "TEILHABE_DEBUG" in result.stderr


def test_debug_without_an_environment_means_development(tmp_path: Path) -> None:
    result = _run(tmp_path, "print(s.ENVIRONMENT, s.DEBUG)", TEILHABE_DEBUG="true")
    assert result.stdout.split() == ["development", "True"]


def test_proxy_headers_are_not_trusted_without_a_configured_proxy(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))",
        TEILHABE_ENVIRONMENT="production",
        TEILHABE_SECRET_KEY="x" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_a_configured_proxy_is_trusted_for_the_scheme(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "print(s.SECURE_PROXY_SSL_HEADER, s.TRUSTED_PROXIES)",
        TEILHABE_ENVIRONMENT="production",
        TEILHABE_SECRET_KEY="x" * 40,
        TEILHABE_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/24",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https') ['127.0.0.1/32', '10.0.0.0/24']"
    )


def test_a_malformed_trusted_proxy_is_refused_with_its_name(tmp_path: Path) -> None:
    result = _load_settings(
        tmp_path, TEILHABE_ENVIRONMENT="development", TEILHABE_TRUSTED_PROXIES="proxy.local"
    )
    assert result.returncode != 0
    assert "TEILHABE_TRUSTED_PROXIES" in result.stderr


# Writes a row so that SQLite creates its write-ahead log and shared-memory files.
_TOUCH_DATABASE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (id integer)")
    cursor.execute("INSERT INTO probe VALUES (1)")
    import os
    print(sorted(os.listdir(s.VAR_DIR)))
"""


def _mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_a_fresh_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    result = _run(tmp_path, _TOUCH_DATABASE, TEILHABE_ENVIRONMENT="development")
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    assert "teilhabe.sqlite3-wal" in result.stdout
    modes = {
        name: _mode(var / name)
        for name in ("teilhabe.sqlite3", "teilhabe.sqlite3-wal", "teilhabe.sqlite3-shm")
        if (var / name).exists()
    }
    assert modes == dict.fromkeys(modes, "0o600")
    assert "teilhabe.sqlite3" in modes
    assert _mode(var) == "0o700"


def test_a_database_left_readable_by_an_older_version_is_tightened(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    database = var / "teilhabe.sqlite3"
    database.touch()
    database.chmod(0o644)
    result = _load_settings(tmp_path, TEILHABE_ENVIRONMENT="development")
    assert result.returncode == 0, result.stderr
    assert _mode(database) == "0o600"
    assert _mode(var) == "0o700"
    assert _mode(var / "secret_key") == "0o600"


def test_the_command_names_a_missing_setting_without_a_traceback(tmp_path: Path) -> None:
    """Found by a newcomer walk: `teilhabe programme show …` without TEILHABE_ENVIRONMENT
    printed a full Django traceback around the one line that says what to set."""
    result = subprocess.run(
        [sys.executable, "-c", "from teilhabe.cli import main; main()", "programme", "show", "x"],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("teilhabe: TEILHABE_SECRET_KEY is required in production")
    assert "Traceback" not in result.stderr
