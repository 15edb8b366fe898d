"""The audit trail: who read or changed which record of whom, when, from where.

The trail is append-only twice over: database triggers refuse UPDATE and DELETE (see
``audit.database``), and each entry carries the hash of the one before it, so that
``teilhabe audit verify`` finds a change made after the triggers were dropped
(docs/decisions/0006-append-only-audit-trail.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Role


class AuditAction(models.TextChoices):
    READ = "read", _("gelesen")
    CREATE = "create", _("angelegt")
    UPDATE = "update", _("geändert")
    DELETE = "delete", _("gelöscht")
    EXPORT = "export", _("exportiert")
    LOGIN = "login", _("angemeldet")
    LOGIN_FAILED = "login_failed", _("Anmeldung fehlgeschlagen")
    LOGOUT = "logout", _("abgemeldet")


# The first entry links to this instead of a previous hash.
GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    Action = AuditAction

    sequence = models.PositiveBigIntegerField(
        _("laufende Nummer"),
        unique=True,
        help_text=_("Lückenlos aufsteigend; eine Lücke heißt, dass ein Eintrag fehlt."),
    )
    occurred_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handelnde Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer bei Vorgängen des Systems (z. B. Demo-Daten, nächtliche Läufe)."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(
        _("Rolle"),
        max_length=100,
        blank=True,
        help_text=_("Die Rolle(n) der handelnden Person in der Organisation."),
    )
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    # Type and id instead of a generic foreign key: events must outlive the records they name.
    object_type = models.CharField(_("Objektart"), max_length=100, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    # Never names or other personal data: field names and codes only.
    details = models.JSONField(_("Einzelheiten"), default=dict, blank=True)
    fields = models.JSONField(
        _("geänderte Felder"),
        default=list,
        blank=True,
        help_text=_("Nur die Namen der Felder, nie ihr Inhalt."),
    )
    # A keyed hash: the same address gives the same value (for throttling and for spotting
    # a pattern), but the address itself cannot be read back from the trail.
    address_hash = models.CharField(_("Adresse (Hashwert)"), max_length=64, blank=True)
    previous_hash = models.CharField(_("Hashwert des vorigen Eintrags"), max_length=64)
    entry_hash = models.CharField(_("Hashwert"), max_length=64)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time_idx"),
            models.Index(fields=["organisation", "occurred_at"], name="audit_org_time_idx"),
            models.Index(
                fields=["action", "address_hash", "occurred_at"], name="audit_address_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="auditevent_action_valid",
                condition=models.Q(action__in=AuditAction.values),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.occurred_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}#{self.object_id}"

    def role_labels(self) -> str:
        """The stored role code(s) in words of the active language."""
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.role.split(",") if code)

    def object_label(self) -> str:
        if not self.object_type:
            return ""
        return f"{self.object_type}#{self.object_id}" if self.object_id else self.object_type

    def canonical_content(self, subject_keys: Iterable[str]) -> dict[str, Any]:
        """Everything the entry says, as plain JSON values; the entry hash covers all of it."""
        return {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor_id,
            "organisation": self.organisation_id,
            "role": self.role,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "details": self.details,
            "fields": self.fields,
            "address_hash": self.address_hash,
            "subjects": sorted(set(subject_keys)),
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self, subject_keys: Iterable[str]) -> str:
        return entry_hash_of(self.canonical_content(subject_keys))


def entry_hash_of(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditSubject(models.Model):
    """A person an event concerns, by pseudonymous person key; a list read names many."""

    event = models.ForeignKey(
        AuditEvent,
        verbose_name=_("Protokolleintrag"),
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    person_key = models.CharField(_("Personenschlüssel"), max_length=32, db_index=True)

    class Meta:
        verbose_name = _("betroffene Person")
        verbose_name_plural = _("betroffene Personen")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person_key"], name="auditsubject_once_per_event"
            ),
        ]

    def __str__(self) -> str:
        return self.person_key
