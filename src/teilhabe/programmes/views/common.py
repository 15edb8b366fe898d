"""What every programme page does first: who asks, and may they see this programme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.programmes.forms import ReadingForm
from teilhabe.programmes.models import Decision, Programme


def reading_form(request: HttpRequest, today: dt.date) -> ReadingForm:
    """The as-of picker: the days asked for, or today and today."""
    if "stand" in request.GET or "bekannt" in request.GET:
        return ReadingForm(request.GET, today=today)
    return ReadingForm(initial={"stand": today, "bekannt": today}, today=today)


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def programme_for_reader(request: HttpRequest, programme_id: int) -> Programme:
    """The programme, for someone who may read it; everyone else cannot tell it exists."""
    programme = get_object_or_404(Programme.objects.select_related("owner"), pk=programme_id)
    if not policy.may_read_programme(user_of(request), programme):
        raise Http404
    return programme


def decision_for_reader(request: HttpRequest, programme: Programme, decision_id: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related("programme__owner", "organisation", "adopted_by"),
        pk=decision_id,
        programme=programme,
    )
    if not policy.may_see_decision(user_of(request), decision):
        raise Http404
    return decision


def providers_for(user: User, programme: Programme) -> list[Organisation]:
    """The city's providers whose offers the user sets up (the check of ``offer_create``)."""
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, municipality_id=programme.owner_id, is_active=True
    ).order_by("name")
    if policy.is_coordinator_of(user, programme.owner):
        return list(providers)
    return [p for p in providers if policy.has_role(user, Role.PROVIDER_ADMIN, p)]


def may_set_up_offers(user: User, programme: Programme) -> bool:
    """The coordination (even before the city has providers) or a provider's management."""
    return policy.is_coordinator_of(user, programme.owner) or bool(providers_for(user, programme))


@dataclass(frozen=True)
class ErrorSource:
    """One form of a page with several, for the error summary: its errors link to its fields."""

    form: forms.Form
    title: str = ""
    anchor: str = ""
