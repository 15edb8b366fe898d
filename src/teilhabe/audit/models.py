"""The audit trail: who read or changed which record, when, from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("gelesen")
    CREATE = "create", _("angelegt")
    UPDATE = "update", _("geändert")
    DELETE = "delete", _("gelöscht")
    EXPORT = "export", _("exportiert")
    LOGIN = "login", _("angemeldet")
    LOGIN_FAILED = "login_failed", _("Anmeldung fehlgeschlagen")
    LOGOUT = "logout", _("abgemeldet")


class AuditEvent(models.Model):
    Action = AuditAction

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
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    # Type and id instead of a generic foreign key: events must outlive the records they name.
    object_type = models.CharField(_("Objektart"), max_length=100, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    # Never names or other personal data: field names and codes only.
    details = models.JSONField(_("Einzelheiten"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="auditevent_action_valid",
                condition=models.Q(action__in=AuditAction.values),
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}#{self.object_id}"
