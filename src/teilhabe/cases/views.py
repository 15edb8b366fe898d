"""Pages about cases. Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.cases.forms import HandOverForm
from teilhabe.cases.selectors import (
    HandOverState,
    module_end_report,
    module_ends_with_successor,
    participations_for_hand_over,
    pseudonymised_cases,
    referral_for_answer,
    referral_tasks,
)
from teilhabe.cases.services import hand_over_bulk, referral_answer
from teilhabe.core.views import login_required_htmx_aware
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
