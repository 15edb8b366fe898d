"""The coordination's report pages on a programme: the usage evaluation, the council paper.

Both show aggregates only; no person appears. Exact figures: only the owning city's
coordination reads them (``policy.reads_programme_evaluation``); everyone else gets 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes.models import Programme
from teilhabe.reports.chart import bar_chart
from teilhabe.reports.evaluation import council_paper, first_year, usage_evaluation
from teilhabe.reports.forms import PaperDayForm, PeriodForm

CHART_SERIES = ("active", "successes")


def _programme_for_evaluation(request: HttpRequest, programme_id: int) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("owner"), pk=programme_id)
    assert isinstance(request.user, User)
    if not policy.reads_programme_evaluation(request.user, programme):
        raise Http404
    return programme


@login_required_htmx_aware
@require_http_methods(["GET"])
def evaluation(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme_for_evaluation(request, programme_id)
    default = first_year(programme)
    asked = "von" in request.GET or "bis" in request.GET
    form = PeriodForm(request.GET if asked else None, default=default)
    if not asked:
        form = PeriodForm(initial={"von": default[0], "bis": default[1]}, default=default)
    start, end = form.period
    result = usage_evaluation(programme, start, end)
    chart = bar_chart(
        [
            (
                str(row.module),
                {"active": row.usage.active, "successes": row.usage.successes},
            )
            for row in result.modules
        ],
        CHART_SERIES,
    )
    return render(
        request,
        "reports/evaluation.html",
        {
            "programme": programme,
            "form": form,
            "evaluation": result,
            "chart": chart,
            "is_default": (start, end) == default,
        },
    )


@login_required_htmx_aware
@require_http_methods(["GET"])
def council_paper_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme_for_evaluation(request, programme_id)
    today = timezone.localdate()
    asked = "stand" in request.GET
    form = PaperDayForm(request.GET if asked else None, today=today)
    if not asked:
        form = PaperDayForm(initial={"stand": today}, today=today)
    paper = council_paper(programme, as_of=form.day)
    return render(
        request,
        "reports/council_paper.html",
        {"programme": programme, "form": form, "paper": paper},
    )
