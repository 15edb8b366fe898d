"""The budget pages of a programme: the overview, booking an expenditure, importing a list."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from teilhabe.accounts import policy
from teilhabe.budgets import services
from teilhabe.budgets.forms import (
    ExpenditureForm,
    FundingNoticeForm,
    ImportForm,
    MoveFormSet,
    ProposalForm,
    ReallocationDayForm,
)
from teilhabe.budgets.reallocation import (
    Move,
    Suggestion,
    reallocation_errors,
    suggest_reallocation,
    what_if,
)
from teilhabe.budgets.selectors import budget_overview
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes.decision_forms import DecisionForm
from teilhabe.programmes.forms import ReadingForm
from teilhabe.programmes.models import Module, Programme
from teilhabe.programmes.selectors import ProgrammeNotDecided, programme_as_of
from teilhabe.programmes.timeline import decision_form_choices
from teilhabe.programmes.views.common import ErrorSource, programme_for_reader, user_of

PENDING_IMPORT = "budgets.pending_import"
ROWS_PREFIX = "row"


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
    asked = "stand" in request.GET or "bekannt" in request.GET
    form = ReadingForm(request.GET if asked else None, today=today)
    if not asked:
        form = ReadingForm(initial={"stand": today, "bekannt": today}, today=today)
    as_of, known_on = form.as_of, form.known_on
    try:
        reading = budget_overview(programme=programme, as_of=as_of, known_on=known_on)
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
            "known_on": known_on if known_on != today else None,
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


def _programme_for_reallocation(request: HttpRequest, programme_id: int) -> Programme:
    """The owning coordination: it manages the budget and reads the exact evaluation the
    suggestion is built on; other readers of the programme get 403, everyone else 404."""
    programme = programme_for_reader(request, programme_id)
    user = user_of(request)
    if not (
        policy.may_book_expenditures(user, programme)
        and policy.reads_programme_evaluation(user, programme)
    ):
        raise PermissionDenied
    return programme


def _add_row(data: QueryDict) -> QueryDict:
    data = data.copy()
    key = f"{ROWS_PREFIX}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    return data


def _move_rows(
    request: HttpRequest,
    suggestion: Suggestion,
    modules: list[Module],
    action: str,
    checks: forms.Form,
) -> tuple[forms.BaseFormSet, list[Move]]:
    """The rows as shown (prefilled with the suggestion, or as posted) and their moves."""
    if request.method == "GET":
        rows = MoveFormSet(
            prefix=ROWS_PREFIX,
            form_kwargs={"modules": modules},
            initial=[
                {"from_module": m.from_module.pk, "to_module": m.to_module.pk, "amount": m.amount}
                for m in suggestion.moves
            ],
        )
        rows.extra = 0 if suggestion.moves else 1
        return rows, suggestion.moves
    data = _add_row(request.POST) if action == "add" else request.POST
    rows = MoveFormSet(data, prefix=ROWS_PREFIX, form_kwargs={"modules": modules})
    if not rows.is_valid() and rows.non_form_errors():
        checks.add_error(None, rows.non_form_errors())
    year = suggestion.budget_year
    return rows, [m for m in (f.move(year) for f in rows.forms) if m is not None]


def _add_move_errors(
    rows: forms.BaseFormSet,
    moves: list[Move],
    budget_year: int,
    checks: forms.Form,
    errors: dict[str, list[str]],
) -> None:
    """Each problem next to its row (``N.field``: the N-th move), the others for the whole."""
    posted = rows.is_bound
    # The rows that made a move, in the order of ``moves`` (all listed before any error).
    move_rows = [f for f in rows.forms if posted and f.move(budget_year) is not None]
    for key, found in errors.items():
        head, _dot, field = key.partition(".")
        for message in found:
            if head.isdigit() and posted:
                move_rows[int(head)].add_error(field, message)
            elif head.isdigit():  # the suggestion itself, before any row is posted
                checks.add_error(None, f"{moves[int(head)].from_module.code}: {message}")
            else:
                checks.add_error(None, message)


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def reallocation(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The suggestion as editable rows, the budget before and after them, and the proposal.

    "Vorschau" (and, with JavaScript, every change via htmx) shows the rows' effect;
    "Zeile hinzufügen" adds an empty row; "Als Beschlussentwurf anlegen" checks everything
    and enters the proposed decision, or shows every problem and saves nothing.
    """
    programme = _programme_for_reallocation(request, programme_id)
    user = user_of(request)
    today = timezone.localdate()
    try:
        ends_on = programme_as_of(programme=programme, as_of=today).ends_on
    except ProgrammeNotDecided as error:
        return render(
            request,
            "budgets/reallocation.html",
            {"programme": programme, "not_decided": str(error)},
        )
    default_day = min(max(today, programme.starts_on), ends_on)
    years = list(range(programme.starts_on.year, ends_on.year + 1))
    params = request.POST if request.method == "POST" else request.GET
    day_form = ReallocationDayForm(params if "jahr" in params else None, years=years)
    budget_year, as_of = day_form.chosen(default_day.year, default_day)
    as_of = min(max(as_of, programme.starts_on), ends_on)
    if not day_form.is_bound:
        day_form = ReallocationDayForm(initial={"jahr": budget_year, "stand": as_of}, years=years)
    overview = budget_overview(programme=programme, as_of=as_of)
    suggestion = suggest_reallocation(programme, budget_year, as_of, overview=overview)
    modules = [m.module for m in overview.state.modules]
    choices = decision_form_choices(programme=programme, today=today)
    action = request.POST.get("action", "preview")
    # Problems of the whole reallocation (not of one row), for the error summary.
    checks = forms.Form(data={})
    rows, moves = _move_rows(request, suggestion, modules, action, checks)
    _add_move_errors(
        rows,
        moves,
        budget_year,
        checks,
        reallocation_errors(
            programme=programme, overview=overview, budget_year=budget_year, moves=moves
        ),
    )
    draft_initial = {
        "decided_on": today,
        "title": _("Umschichtung im Haushaltsjahr %(year)s") % {"year": budget_year},
    }
    if action == "propose":
        decision_form = DecisionForm(request.POST, choices=choices)
        proposal_form = ProposalForm(request.POST)
        valid = [decision_form.is_valid(), proposal_form.is_valid()]
        if all(valid) and not checks.errors and not any(f.errors for f in rows.forms):
            try:
                decision = services.reallocation_propose(
                    acting_user=user,
                    programme=programme,
                    as_of=as_of,
                    budget_year=budget_year,
                    moves=moves,
                    decision=decision_form.draft(),
                    effective_on=proposal_form.cleaned_data["effective_on"],
                )
            except ValidationError as error:
                for message in error.messages:
                    checks.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "Der Entwurf ist gespeichert. Prüfen Sie die Vorschau und beschließen Sie ihn."
                    ),
                )
                return redirect("programmes:decision_detail", programme.pk, decision.pk)
    elif request.method == "POST":
        bound = DecisionForm(request.POST, choices=choices)
        decision_form = DecisionForm(
            choices=choices, initial={name: bound[name].value() for name in bound.fields}
        )
        proposal_form = ProposalForm(initial={"effective_on": request.POST.get("effective_on")})
    else:
        decision_form = DecisionForm(choices=choices, initial=draft_initial)
        proposal_form = ProposalForm(initial={"effective_on": as_of})
    result = what_if(overview, moves)
    sources = [
        ErrorSource(checks),
        *(
            ErrorSource(f, _("Zeile %(number)s") % {"number": n}, f"row-{n}")
            for n, f in enumerate(rows.forms, start=1)
        ),
        ErrorSource(decision_form),
        ErrorSource(proposal_form),
    ]
    return render(
        request,
        "budgets/reallocation.html",
        {
            "programme": programme,
            "day_form": day_form,
            "budget_year": budget_year,
            "as_of": as_of,
            "suggestion": suggestion,
            "rows": rows,
            "overview": overview,
            "what_if": result,
            "year": result.of_year(budget_year),
            "year_label": _("Summe %(year)s") % {"year": budget_year},
            "move_count": len(moves),
            "moved": sum((m.amount for m in moves), Decimal("0")),
            "decision_form": decision_form,
            "proposal_form": proposal_form,
            "error_forms": sources,
            "has_errors": any(s.form.errors for s in sources),
        },
    )
