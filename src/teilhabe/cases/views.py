"""Pages about cases. Thin: parse input, call a selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from teilhabe.accounts.models import User
from teilhabe.cases.selectors import pseudonymised_cases
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes.models import Programme


@login_required_htmx_aware
def programme_participants(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The coordination's view of a programme's people: by person key, never by name."""
    assert isinstance(request.user, User)
    programme = get_object_or_404(Programme.objects.select_related("owner"), pk=programme_id)
    listing = pseudonymised_cases(
        user=request.user,
        programme=programme,
        page_number=request.GET.get("seite", 1),
        request=request,
    )
    return render(
        request, "cases/programme_participants.html", {"programme": programme, "listing": listing}
    )
