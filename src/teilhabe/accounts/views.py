"""Logging in and out, each recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record


def _failure_reason(form: AuthenticationForm) -> str:
    """A code for why a login failed; never what was typed (it may be someone's name)."""
    if form.has_error("username", "required") or form.has_error("password", "required"):
        return "incomplete"
    if form.has_error("__all__", "inactive"):
        return "inactive"
    return "invalid_credentials"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

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
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        response = super().post(request, *args, **kwargs)
        if isinstance(user, User):
            audit_record(action=AuditAction.LOGOUT, actor=user, request=request)
            messages.success(request, _("Sie sind abgemeldet."))
        return response
