"""The data-protection officer's page for access requests (Art. 15 GDPR)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.privacy.access_request import access_request_package, package_pdf
from teilhabe.privacy.forms import AccessRequestForm, ErasureForm
from teilhabe.privacy.selectors import deletion_records_for, participant_for_access_request
from teilhabe.privacy.services import erasure_carry_out


@login_required_htmx_aware
def access_request(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    _require_data_protection(request.user)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        participant = participant_for_access_request(
            user=request.user, person_key=form.cleaned_data["person_key"]
        )
        if participant is None:
            form.add_error(
                "person_key", _("Zu dieser Personenkennung gibt es in Ihrer Kommune niemanden.")
            )
        else:
            # The export is recorded only with a package that was handed out.
            with transaction.atomic():
                package = access_request_package(
                    acting_user=request.user, participant=participant, request=request
                )
                body: str | bytes
                if form.cleaned_data["output"] == "json":
                    body, content_type, suffix = package.as_json(), "application/json", "json"
                else:
                    body, content_type, suffix = package_pdf(package), "application/pdf", "pdf"
            response = HttpResponse(body, content_type=content_type)
            name = f"auskunft-{package.person_key}.{suffix}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "privacy/access_request.html", {"form": form})


def _require_data_protection(user: User) -> None:
    if not policy.handles_access_requests(user):
        raise PermissionDenied(_("Das ist Aufgabe des Datenschutzes der Kommune."))


@login_required_htmx_aware
def deletion_records(request: HttpRequest) -> HttpResponse:
    """The proof of every retention run and erasure: rule, categories, counts, time."""
    assert isinstance(request.user, User)
    _require_data_protection(request.user)
    page = Paginator(deletion_records_for(user=request.user), 50).get_page(request.GET.get("seite"))
    return render(request, "privacy/deletion_records.html", {"page": page})


@login_required_htmx_aware
def erasure(request: HttpRequest) -> HttpResponse:
    """Erasure on request: a dry run shows what would go; confirmed, it goes."""
    assert isinstance(request.user, User)
    _require_data_protection(request.user)
    form = ErasureForm(request.POST or None)
    record = None
    if request.method == "POST" and form.is_valid():
        participant = participant_for_access_request(
            user=request.user, person_key=form.cleaned_data["person_key"]
        )
        if participant is None:
            form.add_error(
                "person_key", _("Zu dieser Personenkennung gibt es in Ihrer Kommune niemanden.")
            )
        else:
            commit = request.POST.get("action") == "erase"
            if commit and not form.cleaned_data["confirmed"]:
                form.add_error(
                    "confirmed", _("Bitte bestätigen Sie, dass ein geprüfter Antrag vorliegt.")
                )
            else:
                try:
                    record = erasure_carry_out(
                        acting_user=request.user, participant=participant, commit=commit
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                if record is not None and commit:
                    messages.success(
                        request,
                        _("Die Daten der Person sind gelöscht; der Löschnachweis ist gespeichert."),
                    )
                    return redirect("privacy:deletion_records")
    return render(request, "privacy/erasure.html", {"form": form, "record": record})
