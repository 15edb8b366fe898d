"""Reads of the audit trail: the login throttle's counter and the auditor's pages.

Reading the trail is itself audited: the auditor's list as a read, the CSV as an export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.audit.models import AuditAction, AuditEvent, AuditSubject
from teilhabe.audit.services import address_hash, audit_record

PAGE_SIZE = 50
EXPORT_CHUNK = 2000


def failed_logins_from(*, ip_address: str | None, within: dt.timedelta) -> int:
    """How often logging in failed from this address lately; the trail is the counter."""
    if not ip_address:
        return 0
    return AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED,
        address_hash=address_hash(ip_address),
        occurred_at__gte=timezone.now() - within,
    ).count()


def events_visible_to(user: User) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(policy.visible_audit_event_filter(user))


def auditable_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=policy.audited_organisation_ids(user)).order_by(
        "name"
    )


# --- The auditor's list and export. ---


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""
    username: str = ""
    organisation: Organisation | None = None
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def used(self) -> list[str]:
        """The names of the filters in use (for the audit of the read; never their values)."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in ("", None)]


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(user: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = events_visible_to(user)
    if filters.person:
        events = events.filter(
            Exists(AuditSubject.objects.filter(event_id=OuterRef("pk"), person_key=filters.person))
        )
    if filters.username:
        events = events.filter(actor__username=filters.username)
    if filters.organisation is not None:
        events = events.filter(organisation=filters.organisation)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.since:
        events = events.filter(occurred_at__gte=_start_of(filters.since))
    if filters.until:
        events = events.filter(occurred_at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    return events.select_related("actor", "organisation").prefetch_related("subjects")


def _require_auditor(user: User) -> None:
    if not policy.is_auditor(user):
        raise PermissionDenied


def _audit_own_read(
    *,
    user: User,
    action: AuditAction,
    filters: AuditFilters,
    subjects: list[str],
    request: HttpRequest | None,
) -> None:
    # Reading the trail concerns every person it shows: the read is recorded as theirs too.
    auditor_at = sorted(policy.auditor_organisation_ids(user))
    audit_record(
        action=action,
        actor=user,
        subjects=sorted(set(subjects) | ({filters.person} if filters.person else set())),
        organisation=Organisation.objects.get(pk=auditor_at[0]) if len(auditor_at) == 1 else None,
        role=Role.AUDITOR,
        request=request,
        details={"view": "audit_trail", "filters": filters.used()},
    )


def audit_events_page(
    *, user: User, filters: AuditFilters, page_number: int | str | None, request: HttpRequest
) -> Page:
    """One page of the trail the user audits, newest first (read audited)."""
    _require_auditor(user)
    page = Paginator(_filtered(user, filters).order_by("-sequence"), PAGE_SIZE).get_page(
        page_number
    )
    # Fetched now, so that the page does not list the read recorded below.
    page.object_list = list(page.object_list)
    shown = [s.person_key for event in page.object_list for s in event.subjects.all()]
    _audit_own_read(
        user=user, action=AuditAction.READ, filters=filters, subjects=shown, request=request
    )
    return page


def audit_events_export(
    *, user: User, filters: AuditFilters, request: HttpRequest
) -> Iterator[AuditEvent]:
    """Every matching event, newest first, fetched in chunks (export audited up front)."""
    _require_auditor(user)
    events = _filtered(user, filters).order_by("-sequence")
    exported = list(
        AuditSubject.objects.filter(event__in=events.values("pk"))
        .values_list("person_key", flat=True)
        .distinct()
    )
    _audit_own_read(
        user=user, action=AuditAction.EXPORT, filters=filters, subjects=exported, request=request
    )
    return events.iterator(chunk_size=EXPORT_CHUNK)
