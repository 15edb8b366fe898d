from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings

from teilhabe.core.middleware import TrustedProxyMiddleware


@pytest.mark.django_db
def test_every_page_forbids_foreign_scripts_framing_and_sensors(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


PROXY = "10.0.0.2"
FORGED = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}


@pytest.fixture
def behind_https_proxy(settings: Settings) -> Settings:
    """Production's HTTPS settings with the proxy at PROXY trusted."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = [f"{PROXY}/32"]
    return settings


@pytest.mark.django_db
def test_a_client_cannot_claim_https_by_sending_x_forwarded_proto(
    behind_https_proxy: Settings, client: Client
) -> None:
    response = client.get(reverse("accounts:login"), REMOTE_ADDR="203.0.113.9", **FORGED)
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_the_trusted_proxy_may_say_that_the_request_came_by_https(
    behind_https_proxy: Settings, client: Client
) -> None:
    response = client.get(reverse("accounts:login"), REMOTE_ADDR=PROXY, **FORGED)
    assert response.status_code == 200


def _seen_by_the_app(settings: Settings, proxies: list[str], **meta: str) -> HttpRequest:
    settings.TRUSTED_PROXIES = proxies
    seen: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse()

    TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))
    return seen[0]


def test_without_a_configured_proxy_forwarded_headers_are_dropped(
    settings: Settings,
) -> None:
    request = _seen_by_the_app(settings, [], REMOTE_ADDR="203.0.113.9", **FORGED)
    assert request.META["REMOTE_ADDR"] == "203.0.113.9"
    assert "HTTP_X_FORWARDED_PROTO" not in request.META
    assert "HTTP_X_FORWARDED_FOR" not in request.META


def test_the_client_address_comes_from_the_trusted_proxy(settings: Settings) -> None:
    request = _seen_by_the_app(
        settings, ["10.0.0.0/24"], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert request.META["REMOTE_ADDR"] == "198.51.100.7"


def test_addresses_a_client_wrote_in_front_of_the_proxys_entry_are_ignored(
    settings: Settings,
) -> None:
    # The client sent "X-Forwarded-For: 192.0.2.1"; the proxy appended the address it saw.
    request = _seen_by_the_app(
        settings,
        ["10.0.0.0/24"],
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7, 10.0.0.3",
    )
    assert request.META["REMOTE_ADDR"] == "198.51.100.7"


def test_garbage_in_x_forwarded_for_leaves_the_last_good_address(
    settings: Settings,
) -> None:
    request = _seen_by_the_app(
        settings, ["10.0.0.0/24"], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>"
    )
    assert request.META["REMOTE_ADDR"] == PROXY
