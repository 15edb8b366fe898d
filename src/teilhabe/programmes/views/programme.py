"""The programme page: the programme as of a day, as known on another, with its timeline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from teilhabe.accounts import policy
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes.timeline import programme_page
from teilhabe.programmes.views.common import (
    may_set_up_offers,
    programme_for_reader,
    reading_form,
    user_of,
)


@login_required_htmx_aware
@require_http_methods(["GET"])
def detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_reader(request, programme_id)
    today = timezone.localdate()
    form = reading_form(request, today)
    page = programme_page(
        programme=programme, as_of=form.as_of, known_on=form.known_on, today=today
    )
    known_param = "" if form.known_on == today else form.known_on.isoformat()
    # The sub-pages that read a day with the same parameters open on the chosen one.
    day_query = f"stand={form.as_of.isoformat()}"
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "page": page,
            "form": form,
            "may_change": policy.may_change_programme(user_of(request), programme),
            "may_set_up_offers": may_set_up_offers(user_of(request), programme),
            "sees_budget": policy.budget_view_for(user_of(request), programme)
            != policy.BudgetView.NONE,
            "may_evaluate": policy.reads_programme_evaluation(user_of(request), programme),
            "known_param": known_param,
            "day_query": day_query,
            "reading_query": f"{day_query}&bekannt={known_param}" if known_param else day_query,
        },
    )
