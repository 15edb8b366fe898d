"""The auditor's pages: the trail, filtered, and the same as CSV."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from teilhabe.accounts.models import User
from teilhabe.audit.forms import AuditFilterForm
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.selectors import (
    audit_events_export,
    audit_events_page,
    auditable_organisations,
)
from teilhabe.core.views import login_required_htmx_aware

# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _form(request: HttpRequest, user: User) -> AuditFilterForm:
    data = request.GET if any(name in request.GET for name in AuditFilterForm.base_fields) else None
    return AuditFilterForm(data, organisations=auditable_organisations(user))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
@login_required_htmx_aware
def events(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _form(request, user)
    page = audit_events_page(
        user=user,
        filters=form.filters(),
        page_number=request.GET.get("seite"),
        request=request,
    )
    query = request.GET.copy()
    query.pop("seite", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/events.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_rows(events: Iterable[AuditEvent]) -> Iterator[list[str]]:
    yield [
        _("Nr."),
        _("Zeitpunkt (UTC)"),
        _("Benutzername"),
        _("Organisation"),
        _("Rolle"),
        _("Vorgang"),
        _("Objekt"),
        _("betroffene Personen"),
        _("geänderte Felder"),
        _("Hashwert"),
    ]
    for event in events:
        yield [
            _cell(value)
            for value in (
                event.sequence,
                event.occurred_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                event.actor.username if event.actor else "",
                event.organisation.name if event.organisation else "",
                event.role,
                event.action,
                event.object_label(),
                " ".join(s.person_key for s in event.subjects.all()),
                " ".join(event.fields),
                event.entry_hash,
            )
        ]


@require_GET
@login_required
def events_csv(request: HttpRequest) -> StreamingHttpResponse:
    user = _user(request)
    events = audit_events_export(
        user=user,
        filters=_form(request, user).filters(),
        request=request,
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(events)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{stamp}.csv"'
    return response
