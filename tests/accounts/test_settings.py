"""The settings for mail and the second factor: safe by default, SMTP from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")
SHOWN = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "TEILHABE_REQUIRE_2FA",
]


def _settings(tmp_path: Path, **env: str) -> dict[str, object]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("TEILHABE_") and k != "DATABASE_URL"
    }
    clean.update({"PYTHONPATH": SRC, "TEILHABE_VAR_DIR": str(tmp_path / "var"), **env})
    script = (
        "import json, teilhabe.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {SHOWN!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_development_prints_mail_to_the_console_and_requires_the_second_factor(
    tmp_path: Path,
) -> None:
    loaded = _settings(tmp_path, TEILHABE_ENVIRONMENT="development")
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["TEILHABE_REQUIRE_2FA"] is True


def test_production_sends_mail_by_smtp_as_configured(tmp_path: Path) -> None:
    loaded = _settings(
        tmp_path,
        TEILHABE_SECRET_KEY="x" * 40,
        TEILHABE_EMAIL_HOST="mail.stadt.example",
        TEILHABE_EMAIL_PORT="465",
        TEILHABE_EMAIL_HOST_USER="teilhabe",
        TEILHABE_DEFAULT_FROM_EMAIL="Teilhabe <teilhabe@stadt.example>",
    )
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("mail.stadt.example", 465)
    assert loaded["EMAIL_HOST_USER"] == "teilhabe"
    assert loaded["EMAIL_USE_TLS"] is True
    assert loaded["DEFAULT_FROM_EMAIL"] == "Teilhabe <teilhabe@stadt.example>"
    assert loaded["TEILHABE_REQUIRE_2FA"] is True


def test_tests_keep_mail_in_memory(tmp_path: Path) -> None:
    loaded = _settings(tmp_path, TEILHABE_ENVIRONMENT="test", TEILHABE_SECRET_KEY="x" * 40)
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"


def test_the_second_factor_can_be_switched_off_explicitly(tmp_path: Path) -> None:
    loaded = _settings(tmp_path, TEILHABE_ENVIRONMENT="development", TEILHABE_REQUIRE_2FA="no")
    assert loaded["TEILHABE_REQUIRE_2FA"] is False
