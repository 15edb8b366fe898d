"""Writing the audit trail. Every service that reads or changes personal data calls this."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditEvent


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: User | AnonymousUser | None,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    subjects: Iterable[str] = (),
    fields: Iterable[str] = (),
) -> AuditEvent:
    recorded = dict(details or {})
    if subjects:
        recorded["subjects"] = list(subjects)
    if fields:
        recorded["fields"] = list(fields)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=recorded,
        ip_address=_client_ip(request),
    )


def audit_record_reads(
    *,
    actor: User,
    objects: list[models.Model],
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> None:
    """One event per record read, written in one statement (lists read many records at once)."""
    ip = _client_ip(request)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=AuditEvent.Action.READ,
            actor=actor,
            organisation=organisation,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            ip_address=ip,
        )
        for obj in objects
    )
