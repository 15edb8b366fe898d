"""The budget pages of a programme: the overview, booking an expenditure, importing a list."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from teilhabe.accounts import policy
from teilhabe.budgets import services
from teilhabe.budgets.forms import (
    BudgetDayForm,
    ExpenditureForm,
    FundingNoticeForm,
    ImportForm,
)
from teilhabe.budgets.selectors import budget_overview
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import ProgrammeNotDecided
from teilhabe.programmes.views.common import programme_for_reader, user_of

PENDING_IMPORT = "budgets.pending_import"


def _programme_for_booking(request: HttpRequest, programme_id: int) -> Programme:
    programme = programme_for_reader(request, programme_id)
    if not policy.may_book_expenditures(user_of(request), programme):
        raise PermissionDenied
    return programme


@login_required_htmx_aware
@require_http_methods(["GET"])
def overview(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_reader(request, programme_id)
    user = user_of(request)
    view = policy.budget_view_for(user, programme)
    if view == policy.BudgetView.NONE:
        raise PermissionDenied
    today = timezone.localdate()
    form = BudgetDayForm(request.GET if "stand" in request.GET else None)
    as_of = form.day(today)
    if not form.is_bound:
        form = BudgetDayForm(initial={"stand": today})
    try:
        reading = budget_overview(programme=programme, as_of=as_of)
        not_decided = ""
    except ProgrammeNotDecided as error:
        reading, not_decided = None, str(error)
    return render(
        request,
        "budgets/overview.html",
        {
            "programme": programme,
            "overview": reading,
            "not_decided": not_decided,
            "as_of": as_of,
            "form": form,
            "details": view == policy.BudgetView.DETAILS,
            "may_book": policy.may_book_expenditures(user, programme),
        },
    )


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def expenditure_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme_for_booking(request, programme_id)
    form = ExpenditureForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expenditure = services.expenditure_record(
                acting_user=user_of(request),
                budget_line=data["budget_line"],
                spent_on=data["spent_on"],
                category=data["category"],
                amount=data["amount"],
                quantity=data["quantity"],
                receipt_reference=data["receipt_reference"],
                offer=data["offer"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Die Ausgabe über %(amount)s € ist gebucht.")
                % {"amount": _money(expenditure.amount)},
            )
            return redirect("budgets:overview", programme.pk)
    return render(request, "budgets/expenditure_form.html", {"programme": programme, "form": form})


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme_for_booking(request, programme_id)
    form = FundingNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.funding_notice_create(
                acting_user=user_of(request), programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Der Zuwendungsbescheid %(reference)s ist erfasst.")
                % {"reference": notice.reference},
            )
            return redirect("budgets:overview", programme.pk)
    return render(request, "budgets/notice_form.html", {"programme": programme, "form": form})


def _money(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def expenditure_import(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Upload → dry run with every row's problems → confirm: the same file is booked, all
    rows or none. Between the two steps the file waits in the session."""
    programme = _programme_for_booking(request, programme_id)
    user = user_of(request)
    report = None
    form = ImportForm()
    if request.method == "POST" and "book" in request.POST:
        pending = request.session.pop(PENDING_IMPORT, None)
        if not pending or pending.get("programme") != programme.pk:
            messages.error(request, _("Laden Sie die Datei erneut hoch und prüfen Sie sie."))
            return redirect("budgets:import", programme.pk)
        report = services.expenditures_import(
            acting_user=user,
            programme=programme,
            file=io.BytesIO(base64.b64decode(pending["data"])),
            name=pending["name"],
            dry_run=False,
        )
        if report.saved:
            messages.success(
                request,
                ngettext(
                    "%(count)d Ausgabe über %(total)s € ist gebucht.",
                    "%(count)d Ausgaben über %(total)s € sind gebucht.",
                    report.saved,
                )
                % {"count": report.saved, "total": _money(report.total)},
            )
            return redirect("budgets:overview", programme.pk)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            report = services.expenditures_import(
                acting_user=user,
                programme=programme,
                file=io.BytesIO(data),
                name=upload.name,
                dry_run=True,
            )
            if report.ok:
                request.session[PENDING_IMPORT] = {
                    "programme": programme.pk,
                    "name": upload.name,
                    "data": base64.b64encode(data).decode("ascii"),
                }
            form = ImportForm()
    return render(
        request,
        "budgets/import.html",
        {"programme": programme, "form": form, "report": report},
    )
