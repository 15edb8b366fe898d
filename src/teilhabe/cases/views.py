"""Pages about cases. Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.cases.forms import (
    HandOverForm,
    ParticipationDayForm,
    ParticipationEndForm,
    ParticipationPanel,
    ParticipationStartForm,
    chosen_day,
    participation_panel,
    put_service_errors,
)
from teilhabe.cases.models import Case
from teilhabe.cases.selectors import (
    HandOverState,
    ParticipationSection,
    case_get_for_case_work,
    module_end_report,
    module_ends_with_successor,
    participation_of_case,
    participation_sections,
    participations_for_hand_over,
    pseudonymised_cases,
    referral_for_answer,
    referral_tasks,
)
from teilhabe.cases.services import (
    hand_over_bulk,
    participation_end,
    participation_start,
    referral_answer,
)
from teilhabe.core.views import is_htmx_partial, login_required_htmx_aware
from teilhabe.programmes.models import Amendment, AmendmentKind, Programme


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required_htmx_aware
def programme_participants(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The coordination's view of a programme's people: by person key, never by name."""
    programme = get_object_or_404(Programme.objects.select_related("owner"), pk=programme_id)
    listing = pseudonymised_cases(
        user=_user(request),
        programme=programme,
        page_number=request.GET.get("seite", 1),
        request=request,
    )
    return render(
        request,
        "cases/programme_participants.html",
        {
            "programme": programme,
            "listing": listing,
            "module_ends": module_ends_with_successor(programme),
        },
    )


def _programme_for_hand_over(request: HttpRequest, programme_id: int) -> Programme:
    """The programme, for its coordination only; everyone else cannot tell it exists."""
    programme = get_object_or_404(Programme.objects.select_related("owner"), pk=programme_id)
    if not policy.prepares_hand_over(_user(request), programme):
        raise Http404
    return programme


@login_required_htmx_aware
def module_ends(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme's module ends with a successor: where the coordination hands people over."""
    programme = _programme_for_hand_over(request, programme_id)
    return render(
        request,
        "cases/module_ends.html",
        {"programme": programme, "module_ends": module_ends_with_successor(programme)},
    )


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, programme_id: int, amendment_id: int) -> HttpResponse:
    """Per person of an ended module: consent, state, and the transfer or closing, chosen
    people at a time or all still open at once."""
    programme = _programme_for_hand_over(request, programme_id)
    amendment = get_object_or_404(
        Amendment.objects.select_related("module", "successor_programme", "decision", "programme"),
        pk=amendment_id,
        programme=programme,
        kind=AmendmentKind.END_MODULE,
        successor_programme__isnull=False,
    )
    user = _user(request)
    report = module_end_report(user=user, amendment=amendment, request=request)
    open_ids = [row.participation.pk for row in report.rows if row.state == HandOverState.OPEN]
    form = HandOverForm(request.POST or None, open_ids=open_ids)
    if request.method == "POST" and form.is_valid():
        chosen = (
            open_ids if request.POST.get("action") == "all" else form.cleaned_data["participations"]
        )
        if not chosen:
            form.add_error("participations", _("Bitte mindestens eine Person auswählen."))
        else:
            result = hand_over_bulk(
                acting_user=user,
                amendment=amendment,
                participations=participations_for_hand_over(
                    user=user, amendment=amendment, ids=chosen
                ),
                informed_on=form.cleaned_data["informed_on"],
                informed_how=form.cleaned_data["informed_how"],
                answer_within_days=form.cleaned_data["answer_within_days"],
            )
            if result.done:
                messages.success(
                    request,
                    _("%(count)s Personen bearbeitet: übergeben oder ohne Übergabe beendet.")
                    % {"count": len(result.done)},
                )
            for key, reasons in result.left.items():
                messages.warning(request, f"{key}: {' '.join(reasons)}")
            return redirect("cases:hand_over", programme_id=programme.pk, amendment_id=amendment.pk)
    return render(
        request,
        "cases/hand_over.html",
        {"programme": programme, "amendment": amendment, "report": report, "form": form},
    )


@login_required_htmx_aware
def referrals(request: HttpRequest) -> HttpResponse:
    """Referrals sent or received and not yet answered; overdue ones first."""
    tasks = referral_tasks(user=_user(request), request=request)
    return render(request, "cases/referrals.html", {"tasks": tasks})


@login_required_htmx_aware
@require_POST
def referral_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiving side accepts or declines."""
    user = _user(request)
    referral = referral_for_answer(user=user, pk=pk)
    accept = request.POST.get("answer") == "accept"
    try:
        referral_answer(acting_user=user, referral=referral, accept=accept)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Die Überweisung ist angenommen.") if accept else _("Die Überweisung ist abgelehnt."),
        )
    return redirect("cases:referrals")


# --- Module participation: a section of the file page, and its forms --------------------------


def _section(user: User, case: Case, day: dt.date) -> ParticipationSection:
    return participation_sections(user=user, cases=[case], day=day)[0]


def _participations_response(
    request: HttpRequest, panel: ParticipationPanel, notice: str = ""
) -> HttpResponse:
    """The case's participations: htmx swaps the section, without JavaScript a page of its own
    shows it (with what was refused)."""
    partial = is_htmx_partial(request)
    template = "cases/_participations.html" if partial else "cases/participations.html"
    response = render(request, template, {"panel": panel, "notice": notice})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _done(request: HttpRequest, section: ParticipationSection, notice: str) -> HttpResponse:
    """Done: htmx gets the section with the news, a plain form post the file page."""
    if is_htmx_partial(request):
        return _participations_response(request, participation_panel(section), notice)
    messages.success(request, notice)
    url = reverse("participants:file_detail", kwargs={"pk": section.file_id})
    return redirect(f"{url}#participations-{section.case.pk}")


@login_required_htmx_aware
@require_GET
def case_participations(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's module participations, offering the modules in force on the chosen day
    (``tag``, default today)."""
    user = _user(request)
    case = case_get_for_case_work(user=user, pk=case_id, request=request)
    today = timezone.localdate()
    if "tag" not in request.GET:
        return _participations_response(request, participation_panel(_section(user, case, today)))
    day_form = ParticipationDayForm(request.GET, case_id=case.pk)
    section = _section(user, case, chosen_day(day_form, today))
    panel = participation_panel(section, day_form=day_form, focus_modules=True)
    return _participations_response(request, panel)


@login_required_htmx_aware
@require_POST
def participation_start_view(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = case_get_for_case_work(user=user, pk=case_id, request=request)
    today = timezone.localdate()
    day_form = ParticipationDayForm(request.POST, case_id=case.pk)
    day = chosen_day(day_form, today)
    section = _section(user, case, day)
    form = ParticipationStartForm(request.POST, section=section)
    if day_form.is_valid() and form.is_valid():
        module = form.cleaned_data["module"]
        try:
            participation_start(acting_user=user, case=case, module=module, from_date=day)
        except ValidationError as error:
            put_service_errors(error, day_form=day_form, form=form)
        else:
            notice = _("Die Teilnahme an %(module)s beginnt am %(day)s.") % {
                "module": module.code,
                "day": day.strftime("%d.%m.%Y"),
            }
            return _done(request, _section(user, case, day), notice)
    panel = participation_panel(section, day_form=day_form, start_form=form)
    return _participations_response(request, panel)


@login_required_htmx_aware
@require_POST
def participation_end_view(
    request: HttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    user = _user(request)
    case = case_get_for_case_work(user=user, pk=case_id, request=request)
    participation = participation_of_case(case=case, pk=participation_id)
    form = ParticipationEndForm(request.POST, participation_id=participation.pk)
    if form.is_valid():
        try:
            participation_end(acting_user=user, participation=participation, **form.cleaned_data)
        except ValidationError as error:
            put_service_errors(error, day_form=None, form=form)
        else:
            notice = _("Die Teilnahme an %(module)s endet am %(day)s.") % {
                "module": participation.module.code,
                "day": form.cleaned_data["to_date"].strftime("%d.%m.%Y"),
            }
            return _done(request, _section(user, case, timezone.localdate()), notice)
    # Read again: a refused end must not show as if it had been saved.
    section = _section(user, case, timezone.localdate())
    return _participations_response(
        request, participation_panel(section, ended=(participation.pk, form))
    )
