"""The app's own error pages: KERN-UX, German and English, nothing about the inside."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

SRC = str(Path(__file__).resolve().parents[2] / "src")
INSIDE = ("Traceback", "urlpatterns", "URLconf", "Django", "DEBUG", "settings")

pytestmark = pytest.mark.django_db


def assert_our_page(html: str, *texts: str) -> None:
    assert 'class="kern-heading-large"' in html
    assert "vendor/kern-ux/kern.min.css" in html
    for text in texts:
        assert text in html
    for inside in INSIDE:
        assert inside not in html


def test_an_unknown_address_shows_the_apps_page_in_german(client: Client) -> None:
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_our_page(html, '<html lang="de"', "Seite nicht gefunden", "Zur Startseite")


def test_an_unknown_address_under_en_shows_the_apps_page_in_english(client: Client) -> None:
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_our_page(html, '<html lang="en"', "Page not found", 'href="/en/"')


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("de", ["Ein Fehler ist aufgetreten", "Fehler 500"]),
        ("en", ["An error occurred", "Error 500"]),
    ],
)
def test_a_server_error_shows_the_apps_page(language: str, texts: list[str]) -> None:
    with translation.override(language):
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_our_page(response.content.decode(), *texts)


def test_a_refused_page_shows_the_apps_page() -> None:
    request = RequestFactory().get("/")
    response = defaults.permission_denied(request, PermissionDenied("intern: Fall 17"))
    assert response.status_code == 403
    assert_our_page(response.content.decode(), "Kein Zugriff")
    assert "Fall 17" not in response.content.decode()


def test_a_bad_request_shows_the_apps_page() -> None:
    response = defaults.bad_request(RequestFactory().get("/"), Exception("intern"))
    assert response.status_code == 400
    assert_our_page(response.content.decode(), "Anfrage nicht verständlich")


@pytest.mark.parametrize(
    ("prefix", "text"), [("", "Formular nicht gesendet"), ("/en", "Form not sent")]
)
def test_a_form_without_its_security_token_shows_the_apps_page(prefix: str, text: str) -> None:
    client = Client(enforce_csrf_checks=True)
    login = reverse("accounts:login").removeprefix("/en")
    response = client.post(f"{prefix}{login}", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_our_page(response.content.decode(), text)


def test_static_files_are_served_with_debug_off(client: Client) -> None:
    # The demo runs without debug pages; WhiteNoise serves the files from the apps' folders.
    from django.conf import settings

    assert not settings.DEBUG
    response = client.get("/static/vendor/kern-ux/kern.min.css")
    assert response.status_code == 200


# What `teilhabe demo` sets up, in a process of its own: the 404 a visitor gets.
_DEMO_404 = """
from teilhabe.cli import prepare_environment
prepare_environment(["teilhabe", "demo"])
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/gibt-es-nicht/", HTTP_HOST="127.0.0.1")
print(settings.DEBUG, response.status_code)
print(response.content.decode())
"""


def test_the_demo_shows_the_apps_404_page_not_the_debug_page(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEILHABE_")}
    env.pop("DATABASE_URL", None)
    env.update(PYTHONPATH=SRC, TEILHABE_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", _DEMO_404], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    first, html = result.stdout.split("\n", 1)
    assert first == "False 404"
    assert_our_page(html, "Seite nicht gefunden")
