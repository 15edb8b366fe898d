"""The Django admin behind the app's own door.

Its login page would be a second login without the throttle, the second factor and the
audit, so it only sends visitors to the app's login. Only active superusers who passed the
second factor (where it is required) get in; staff flags and model permissions are not
enough, because the admin shows records the app's policy would not.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class TeilhabeAdminSite(admin.AdminSite):
    site_header = _("Teilhabe – Verwaltung")
    site_title = _("Teilhabe – Verwaltung")
    index_title = _("Einstellungen")

    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: this module is loaded while the app registry is still filling.
        from teilhabe.accounts.selectors import second_factor_missing

        user = request.user
        return bool(
            user.is_active and user.is_superuser and not second_factor_missing(request=request)
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            # Logged in, but not allowed here: sending them to the login would loop.
            raise PermissionDenied
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("accounts:login"))


class TeilhabeAdminConfig(AdminConfig):
    default_site = "teilhabe.accounts.admin_site.TeilhabeAdminSite"
