from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from teilhabe.accounts.models import User
from teilhabe.core.forms import AsOfForm, PeriodForm
from teilhabe.core.selectors import (
    reading_periods_only,
    reporting_periods_for,
    start_page_for,
)


def is_htmx_partial(request: HttpRequest) -> bool:
    # A history restore needs the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


View = Callable[..., HttpResponse]


def login_required_htmx_aware(view: View) -> View:
    """Like login_required; an htmx request whose session ended gets a full-page redirect.

    Otherwise htmx would follow the redirect itself and swap the whole login page into
    the fragment it asked for.
    """
    protected = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(request.get_full_path())["Location"]
            return response
        return protected(request, *args, **kwargs)

    return wrapper


@login_required_htmx_aware
def start(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    assert isinstance(request.user, User)
    form: AsOfForm | PeriodForm
    if reading_periods_only(user=request.user):
        periods = reporting_periods_for(user=request.user, today=today)
        if "zeitraum" in request.GET or "stand" in request.GET:
            form = PeriodForm(request.GET, periods=periods)
        else:
            form = PeriodForm(periods=periods)
        period = form.period
        asked_for_day = form.asked_for_day
        if not form.errors:
            # The list shows the period that is shown, also when a day pointed to it.
            form = PeriodForm(initial={"zeitraum": period.key if period else ""}, periods=periods)
        as_of = period.closes_on if period else today
    else:
        if "stand" in request.GET:
            form = AsOfForm(request.GET, today=today)
        else:
            form = AsOfForm(initial={"stand": today}, today=today)
        period = asked_for_day = None
        as_of = form.as_of
    page = start_page_for(user=request.user, as_of=as_of, today=today)
    partial = is_htmx_partial(request)
    context = {
        "page": page,
        "form": form,
        "by_period": isinstance(form, PeriodForm),
        "period": period,
        "asked_for_day": asked_for_day,
        "today": today,
        "partial": partial,
    }
    template = "core/_as_of_region.html" if partial else "core/start.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
