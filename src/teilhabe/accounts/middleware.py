"""Until the second factor is passed, a session reaches only the pages that pass it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from teilhabe.accounts.selectors import has_second_factor, second_factor_missing

# Pages a half-logged-in session may open: the code step, enrolment, logout, language.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:login_code",
        "accounts:two_factor_enrol",
        "accounts:logout",
        "set_language",
    }
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not second_factor_missing(request=request):
            return None
        step = (
            "accounts:login_code"
            if has_second_factor(user=request.user)  # type: ignore[arg-type]
            else "accounts:two_factor_enrol"
        )
        target = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
