"""Writing the audit trail. Every service that reads or changes personal data calls this.

Entries form a hash chain (each names the hash of the one before), so writing one means
reading the last entry and appending after it without another writer slipping in between:
on PostgreSQL a transaction-level advisory lock serialises the writers; on SQLite the
IMMEDIATE transaction mode (settings.py) takes the database's write lock when the
transaction begins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from teilhabe.accounts.models import Organisation, User
from teilhabe.accounts.policy import active_memberships
from teilhabe.audit.models import GENESIS_HASH, AuditAction, AuditEvent, AuditSubject

# pg_advisory_xact_lock takes a bigint; any constant that no other part of the app uses.
CHAIN_LOCK_KEY = 0x7E11_4AB3_A0D1_7001
ADDRESS_HASH_SALT = "teilhabe.audit.address"
ADDRESS_HASH_LENGTH = 32


def address_hash(ip: str | None) -> str:
    """A keyed hash of a client address: comparable, but not reversible without SECRET_KEY."""
    if not ip:
        return ""
    return salted_hmac(ADDRESS_HASH_SALT, ip, algorithm="sha256").hexdigest()[:ADDRESS_HASH_LENGTH]


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _authenticated(actor: User | AnonymousUser | None) -> User | None:
    if actor is not None and actor.is_authenticated and isinstance(actor, User):
        return actor
    return None


def _organisation_and_role(
    actor: User | None, organisation: Organisation | None, role: str
) -> tuple[Organisation | None, str]:
    """Fill in what the caller left out: the organisation when the actor has just one, the
    actor's role(s) there."""
    if actor is None:
        return organisation, role
    memberships = active_memberships(actor)
    if organisation is None:
        organisations = {m.organisation_id: m.organisation for m in memberships}
        if len(organisations) == 1:
            organisation = next(iter(organisations.values()))
    if not role and organisation is not None:
        role = ",".join(
            sorted({m.role for m in memberships if m.organisation_id == organisation.pk})
        )
    return organisation, role


@dataclass(frozen=True)
class _Draft:
    """One entry to append, before it has a place in the chain."""

    event: AuditEvent
    subjects: tuple[str, ...]


def _subject_keys(subjects: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({str(key) for key in subjects if key}))


def _append(drafts: Sequence[_Draft]) -> list[AuditEvent]:
    """Chain the drafts after the last entry and write them (events, then their subjects).

    No savepoint inside a caller's transaction: if writing the trail fails, the caller's
    work must not be committed without it."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        sequence = last["sequence"] if last else 0
        previous = last["entry_hash"] if last else GENESIS_HASH
        events = []
        for draft in drafts:
            sequence += 1
            event = draft.event
            event.sequence = sequence
            event.previous_hash = previous
            event.entry_hash = event.compute_hash(draft.subjects)
            previous = event.entry_hash
            events.append(event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events)
        if not all(e.pk for e in events):
            # SQLite before 3.35 and some backends return no ids from bulk_create.
            by_sequence = dict(
                AuditEvent.objects.filter(sequence__in=[e.sequence for e in events]).values_list(
                    "sequence", "pk"
                )
            )
            for e in events:
                e.pk = by_sequence[e.sequence]
        AuditSubject.objects.bulk_create(
            AuditSubject(event=event, person_key=key)
            for event, draft in zip(events, drafts, strict=True)
            for key in draft.subjects
        )
    return events


def _draft(
    *,
    action: AuditAction | str,
    actor: User | AnonymousUser | None,
    object_type: str,
    object_id: str,
    subjects: Iterable[str],
    organisation: Organisation | None,
    role: str,
    request: HttpRequest | None,
    details: dict[str, Any] | None,
    fields: Iterable[str],
) -> _Draft:
    user = _authenticated(actor)
    organisation, role = _organisation_and_role(user, organisation, role)
    event = AuditEvent(
        occurred_at=timezone.now(),
        action=AuditAction(action).value,
        actor=user,
        organisation=organisation,
        role=role,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
        fields=sorted(set(fields)),
        address_hash=address_hash(_client_ip(request)),
    )
    return _Draft(event=event, subjects=_subject_keys(subjects))


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | AnonymousUser | None,
    obj: models.Model | None = None,
    subjects: Iterable[str] = (),
    organisation: Organisation | None = None,
    role: str = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. ``subjects`` are the person keys of the people it concerns;
    ``fields`` the names (never the contents) of the fields that changed."""
    draft = _draft(
        action=action,
        actor=actor,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        subjects=subjects,
        organisation=organisation,
        role=role,
        request=request,
        details=details,
        fields=fields,
    )
    return _append([draft])[0]


def audit_record_reads(
    *,
    actor: User,
    objects: Sequence[models.Model],
    subjects: Iterable[str] = (),
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent | None:
    """One event for a list read: the objects' ids in the details, every person shown as a
    subject. Nothing shown, nothing recorded."""
    if not objects:
        return None
    types = sorted({obj._meta.label_lower for obj in objects})
    draft = _draft(
        action=AuditAction.READ,
        actor=actor,
        object_type=types[0] if len(types) == 1 else "",
        object_id="",
        subjects=subjects,
        organisation=organisation,
        role="",
        request=request,
        details={
            "list": True,
            "objects": [f"{obj._meta.label_lower}#{obj.pk}" for obj in objects]
            if len(types) > 1
            else [str(obj.pk) for obj in objects],
        },
        fields=(),
    )
    return _append([draft])[0]


def audit_record_many(*, records: Sequence[dict[str, Any]]) -> list[AuditEvent]:
    """Several events in one transaction and two statements, chained in the given order.
    Each record takes the keyword arguments of ``audit_record``."""
    drafts = []
    for record in records:
        obj: models.Model | None = record.get("obj")
        drafts.append(
            _draft(
                action=record["action"],
                actor=record.get("actor"),
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                subjects=record.get("subjects", ()),
                organisation=record.get("organisation"),
                role=record.get("role", ""),
                request=record.get("request"),
                details=record.get("details"),
                fields=record.get("fields", ()),
            )
        )
    return _append(drafts) if drafts else []
