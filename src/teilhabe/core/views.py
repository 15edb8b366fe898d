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
from teilhabe.core.forms import AsOfForm
from teilhabe.core.selectors import start_page_for


def _is_htmx_partial(request: HttpRequest) -> bool:
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
    if "stand" in request.GET:
        form = AsOfForm(request.GET, today=today)
    else:
        form = AsOfForm(initial={"stand": today}, today=today)
    assert isinstance(request.user, User)
    page = start_page_for(user=request.user, as_of=form.as_of)
    partial = _is_htmx_partial(request)
    context = {"page": page, "form": form, "today": today, "partial": partial}
    template = "core/_as_of_region.html" if partial else "core/start.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
