"""Setting up, checking and removing the second factor (an authenticator app)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from teilhabe.accounts.forms import THROTTLED_MESSAGE, CodeForm, EnrolmentCodeForm
from teilhabe.accounts.models import User
from teilhabe.accounts.selectors import (
    account_locked,
    recovery_codes_left,
    second_factor_required,
    totp_device_for,
)
from teilhabe.accounts.services import (
    login_failure_record,
    second_factor_remove,
    totp_enrolment_confirm,
    totp_enrolment_start,
)
from teilhabe.accounts.views.login import safe_next


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG markup: no data: URI, no script, no style attribute."""
    qr = segno.make(url, error="m")
    svg: str = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="teilhabe-qr")
    return svg


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    device = totp_device_for(user=user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "recovery_codes_left": recovery_codes_left(user=user) if device else 0,
            "required": second_factor_required(user=user),
        },
    )


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    next_url = safe_next(request, reverse("core:start"))
    if totp_device_for(user=user) is not None:
        return HttpResponseRedirect(reverse("accounts:two_factor"))
    device = totp_enrolment_start(user=user)
    status = 200
    if request.method == "POST":
        form = EnrolmentCodeForm(request.POST)
        if account_locked(user=user):
            login_failure_record(user=user, request=request, reason="throttled")
            form.is_valid()
            form.add_error(None, THROTTLED_MESSAGE)
            status = 429
        elif form.is_valid():
            try:
                codes = totp_enrolment_confirm(
                    user=user, code=form.cleaned_data["code"], request=request
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": next_url},
                )
    else:
        form = EnrolmentCodeForm()
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            # segno's markup is rectangles only: nothing anyone typed ends up in it as text.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # nosec B308 B703
            "secret": _grouped(secret),
            "required": second_factor_required(user=user),
        },
        status=status,
    )


@never_cache
@login_required
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if totp_device_for(user=user) is None:
        return HttpResponseRedirect(reverse("accounts:two_factor"))
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if account_locked(user=user):
            login_failure_record(user=user, request=request, reason="throttled")
            form.is_valid()
            form.add_error(None, THROTTLED_MESSAGE)
            status = 429
        elif form.is_valid():
            if second_factor_remove(user=user, code=form.cleaned_data["code"], request=request):
                messages.success(
                    request,
                    _("Der zweite Faktor ist entfernt. Sie können jetzt eine App neu einrichten."),
                )
                return HttpResponseRedirect(reverse("accounts:two_factor"))
            form.add_error(
                "code",
                _(
                    "Der Code stimmt nicht. Bitte versuchen Sie es mit dem Code, den die App gerade zeigt."
                ),
            )
    else:
        form = CodeForm()
    return render(request, "accounts/two_factor_remove.html", {"form": form}, status=status)
