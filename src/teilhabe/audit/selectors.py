"""Reads of the audit trail that the application itself needs (not the auditor's views)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from teilhabe.audit.models import AuditAction, AuditEvent


def failed_logins_from(*, ip_address: str | None, within: dt.timedelta) -> int:
    """How often logging in failed from this address lately; the trail is the counter."""
    if not ip_address:
        return 0
    return AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED,
        ip_address=ip_address,
        occurred_at__gte=timezone.now() - within,
    ).count()
