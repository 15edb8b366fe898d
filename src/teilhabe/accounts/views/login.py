"""Logging in and out: password, then the second factor; each step in the audit trail."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teilhabe.accounts.forms import THROTTLED_MESSAGE, CodeForm, ThrottledAuthenticationForm
from teilhabe.accounts.models import User
from teilhabe.accounts.selectors import (
    account_locked,
    demo_logins_exist,
    has_second_factor,
    second_factor_missing,
)
from teilhabe.accounts.services import (
    login_failure_record,
    login_record,
    logout_record,
    second_factor_after_password,
    second_factor_verify,
)


def _failure_reason(form: ThrottledAuthenticationForm) -> str:
    """A code for why a login failed; never what was typed (it may be someone's name)."""
    if form.has_error("username", "required") or form.has_error("password", "required"):
        return "incomplete"
    if form.has_error("__all__", "inactive"):
        return "inactive"
    if form.has_error("__all__", "throttled"):
        return "throttled"
    return "invalid_credentials"


def safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def second_factor_step_url(user: User, next_url: str) -> str:
    step = "accounts:login_code" if has_second_factor(user=user) else "accounts:two_factor_enrol"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins_exist()
        return context

    def form_valid(self, form: ThrottledAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        status = second_factor_after_password(user=user, request=self.request)
        login_record(user=user, request=self.request, second_factor=status)
        if status == "pending":
            return HttpResponseRedirect(second_factor_step_url(user, self.get_success_url()))
        return response

    def form_invalid(self, form: ThrottledAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        login_failure_record(
            user=form.target_user, request=self.request, reason=_failure_reason(form)
        )
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


@login_required
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    user = request.user
    assert isinstance(user, User)
    next_url = safe_next(request, reverse("core:start"))
    if not second_factor_missing(request=request):
        return HttpResponseRedirect(next_url)
    if not has_second_factor(user=user):
        return HttpResponseRedirect(second_factor_step_url(user, next_url))
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if account_locked(user=user):
            login_failure_record(user=user, request=request, reason="throttled")
            form.is_valid()
            form.add_error(None, THROTTLED_MESSAGE)
            status = 429
        elif form.is_valid():
            verified = second_factor_verify(
                user=user, code=form.cleaned_data["code"], request=request
            )
            if verified is not None:
                if verified.kind == "recovery_code":
                    messages.warning(
                        request,
                        ngettext(
                            "Sie haben sich mit einem Wiederherstellungscode angemeldet; er gilt jetzt nicht mehr. Es bleibt noch %(count)d Code.",
                            "Sie haben sich mit einem Wiederherstellungscode angemeldet; er gilt jetzt nicht mehr. Es bleiben noch %(count)d Codes.",
                            verified.recovery_codes_left,
                        )
                        % {"count": verified.recovery_codes_left},
                    )
                return HttpResponseRedirect(next_url)
            form.add_error(
                "code",
                _(
                    "Der Code stimmt nicht. Bitte versuchen Sie es mit dem Code, den die App gerade zeigt."
                ),
            )
    else:
        form = CodeForm()
    return render(
        request, "accounts/login_code.html", {"form": form, "next": next_url}, status=status
    )


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Read before logging out: afterwards the session no longer names the user.
        user = request.user if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if isinstance(user, User):
            logout_record(user=user, request=request)
            messages.success(request, _("Sie sind abgemeldet."))
        return response
