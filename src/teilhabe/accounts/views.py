"""Logging in and out, each recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from teilhabe.accounts.forms import ThrottledAuthenticationForm
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.selectors import failed_logins_from
from teilhabe.audit.services import audit_record

# Ten failures from one address within 15 minutes stop password checks from there for a
# while: enough for typos, too few for guessing.
LOGIN_FAILURE_LIMIT = 10
LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)


def _failure_reason(form: AuthenticationForm) -> str:
    """A code for why a login failed; never what was typed (it may be someone's name)."""
    if form.has_error("username", "required") or form.has_error("password", "required"):
        return "incomplete"
    if form.has_error("__all__", "inactive"):
        return "inactive"
    if form.has_error("__all__", "throttled"):
        return "throttled"
    return "invalid_credentials"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = ThrottledAuthenticationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            failures = failed_logins_from(
                ip_address=self.request.META.get("REMOTE_ADDR"), within=LOGIN_FAILURE_WINDOW
            )
            kwargs["throttled"] = failures >= LOGIN_FAILURE_LIMIT
        return kwargs

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(action=AuditAction.LOGIN, actor=form.get_user(), request=self.request)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            actor=None,
            request=self.request,
            details={"reason": _failure_reason(form)},
        )
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        response = super().post(request, *args, **kwargs)
        if isinstance(user, User):
            audit_record(action=AuditAction.LOGOUT, actor=user, request=request)
            messages.success(request, _("Sie sind abgemeldet."))
        return response
