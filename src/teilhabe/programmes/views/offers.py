"""Offers and course runs of a programme: those in force on a day, each with the forwarding
contract it runs under and the decision behind that, and the form that sets a new one up.

Offers are operational records: the coordination of the owning city sets them up for any of
its providers, a provider's management for its own (the same check as ``offer_create``).
Everyone else who reads the programme is refused; others cannot tell it exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teilhabe.accounts.models import Organisation
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes import services
from teilhabe.programmes.forms import OfferForm
from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import ProgrammeNotDecided, offers_in_force, programme_as_of
from teilhabe.programmes.views.common import (
    ErrorSource,
    may_set_up_offers,
    programme_for_reader,
    providers_for,
    reading_form,
    user_of,
)


def _programme_and_providers(
    request: HttpRequest, programme_id: int
) -> tuple[Programme, list[Organisation]]:
    programme = programme_for_reader(request, programme_id)
    if not may_set_up_offers(user_of(request), programme):
        raise PermissionDenied
    providers = providers_for(user_of(request), programme)
    return programme, providers


@login_required_htmx_aware
@require_http_methods(["GET"])
def offer_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, providers = _programme_and_providers(request, programme_id)
    today = timezone.localdate()
    form = reading_form(request, today)
    shown = {p.pk for p in providers}
    not_decided = ""
    rows = []
    contracts = []
    try:
        state = programme_as_of(programme=programme, as_of=form.as_of, known_on=form.known_on)
    except ProgrammeNotDecided as error:
        not_decided = str(error)
    else:
        rows = [(o, c) for o, c in offers_in_force(state) if o.provider_id in shown]
        contracts = [c for c in state.contracts if c.contract.provider_id in shown]
    return render(
        request,
        "programmes/offers.html",
        {
            "programme": programme,
            "form": form,
            "as_of": form.as_of,
            "known_on": form.known_on,
            "rows": rows,
            "contracts": contracts,
            "not_decided": not_decided,
        },
    )


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, providers = _programme_and_providers(request, programme_id)
    modules = list(programme.modules.order_by("code"))
    if request.method == "GET":
        form = OfferForm(providers=providers, modules=modules)
    else:
        form = OfferForm(request.POST, providers=providers, modules=modules)
        if form.is_valid():
            provider, module, fields = form.chosen()
            try:
                offer = services.offer_create(
                    acting_user=user_of(request), module=module, provider=provider, **fields
                )
            except ValidationError as error:
                for field, found in error.message_dict.items():
                    for message in found:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request, _("Das Angebot „%(title)s“ ist angelegt.") % {"title": offer.title}
                )
                listing = reverse("programmes:offers", args=[programme.pk])
                return redirect(f"{listing}?stand={offer.starts_on.isoformat()}")
    return render(
        request,
        "programmes/offer_form.html",
        {
            "programme": programme,
            "form": form,
            "error_forms": [ErrorSource(form)],
            "has_errors": form.is_bound and bool(form.errors),
        },
    )
