"""The person's file pages: "Meine Akten", one file, and the controller's forms.

Thin: the selectors decide what the user may see (404 where they may not open a file), the
services decide what may be written (403 where the user does not keep the file).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teilhabe.accounts.models import User
from teilhabe.cases.forms import participation_panel
from teilhabe.cases.selectors import participation_sections
from teilhabe.participants import selectors, services
from teilhabe.participants.forms import ConsentForm, ResidenceDocumentForm, add_service_errors


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET"])
def file_list(request: HttpRequest) -> HttpResponse:
    listing = selectors.files_list_for_user(
        user=_user(request), page_number=request.GET.get("seite", 1), request=request
    )
    return render(request, "participants/file_list.html", {"listing": listing})


@login_required
@require_http_methods(["GET"])
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    page = selectors.file_page_for_user(user=user, pk=pk, request=request)
    today = timezone.localdate()
    # The cases' module participations, for those the user works on (read with the file).
    panels = [
        participation_panel(section)
        for section in participation_sections(
            user=user, cases=page.cases, day=today, file_id=page.file.pk
        )
    ]
    return render(
        request,
        "participants/file_detail.html",
        {"page": page, "today": today, "participation_panels": panels},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    file = selectors.file_get_for_controller(user=user, pk=pk, request=request)
    recipients = selectors.consent_recipient_choices(file=file)
    today = timezone.localdate()
    form = ConsentForm(request.POST or None, recipients=recipients, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(acting_user=user, file=file, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Einwilligung ist erfasst."))
            return redirect("participants:file_detail", pk=file.pk)
    return render(request, "participants/consent_form.html", {"file": file, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    user = _user(request)
    line = selectors.consent_get_for_controller(
        user=user, file_pk=pk, pk=consent_pk, request=request
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.consent_withdraw(acting_user=user, consent=line.consent)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _(
                    "Der Widerruf ist erfasst. Ab heute sieht der Empfänger diese Angaben nicht mehr."
                ),
            )
            return redirect("participants:file_detail", pk=pk)
    return render(
        request,
        "participants/consent_withdraw.html",
        {"file": line.consent.file, "line": line, "consent": line.consent, "errors": errors},
    )


@login_required
@require_http_methods(["GET", "POST"])
def residence_document_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    file = selectors.file_get_for_controller(user=user, pk=pk, request=request)
    form = ResidenceDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.residence_document_add(acting_user=user, file=file, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Das Aufenthaltsdokument ist hinzugefügt."))
            return redirect("participants:file_detail", pk=file.pk)
    return render(
        request, "participants/residence_document_form.html", {"file": file, "form": form}
    )
