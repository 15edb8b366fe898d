"""Security headers Django 5.2 does not set itself, and the one door for proxy headers."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Everything comes from our own origin: KERN-UX, its fonts and htmx are vendored, and no
# template carries inline script or style. KERN's icons are data: SVGs inside its CSS.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class TrustedProxyMiddleware:
    """Take scheme and client address from the reverse proxy, and only from it.

    ``X-Forwarded-Proto`` and ``X-Forwarded-For`` are plain request headers: any client can
    send them. They are believed only when the request comes directly from an address in
    ``settings.TRUSTED_PROXIES``; from anyone else they are removed before any other code
    sees them. The client address is the right-most address in ``X-Forwarded-For`` that is
    not itself a trusted proxy (proxies append the peer they saw; what a client wrote in
    front of that cannot be told from forgery). It replaces ``REMOTE_ADDR``, so the login
    throttle and the audit trail need to know nothing about proxies.
    """

    FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = [ipaddress.ip_network(net) for net in settings.TRUSTED_PROXIES]

    def _is_proxy(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if self._is_proxy(meta.get("REMOTE_ADDR", "")):
            meta["REMOTE_ADDR"] = self._client_address(meta)
        else:
            for header in self.FORWARDED:
                meta.pop(header, None)
        return self.get_response(request)

    def _client_address(self, meta: dict[str, Any]) -> str:
        client = meta["REMOTE_ADDR"]
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed(hops):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                break
            client = hop
            if not self._is_proxy(hop):
                break
        return client
