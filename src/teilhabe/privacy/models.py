"""Retention and erasure: how long each kind of data is kept, what holds it, and the proof."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import TimeStampedModel


class RetentionCategory(models.TextChoices):
    """What a retention rule removes. Funding-audit facts — person key, entry, exit, modules,
    hours, outcomes — are no category here: they stay as long as the proof of use needs them."""

    CASE_NOTES = "case_notes", _("Beratungsinhalte (Notizen, Ziele, Belege, Anlässe)")
    CONTACT = "contact", _("Kontaktdaten und Wohnort")
    RESIDENCE = "residence", _("Aufenthaltsdokumente")
    EDUCATION = "education", _("Schule, Sprache, Staatsangehörigkeit")
    IDENTITY = "identity", _("Name und genaues Geburtsdatum")


class RetentionRule(TimeStampedModel):
    """Data of one category is removed this many months after the person's last exit."""

    Category = RetentionCategory

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("Programm"),
        on_delete=models.CASCADE,
        related_name="retention_rules",
    )
    category = models.CharField(_("Datenkategorie"), max_length=20, choices=Category.choices)
    months_after_exit = models.PositiveSmallIntegerField(_("Monate nach dem Austritt"))

    class Meta:
        verbose_name = _("Löschregel")
        verbose_name_plural = _("Löschregeln")
        ordering = ["programme", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category"],
                name="retentionrule_one_per_category",
                violation_error_message=_("Für diese Kategorie gibt es schon eine Regel."),
            ),
            models.CheckConstraint(
                name="retentionrule_category_valid",
                condition=Q(category__in=RetentionCategory.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.months_after_exit}"


class ProofOfUse(TimeStampedModel):
    """Until when the funding-audit facts of a programme must be kept (Verwendungsnachweis)."""

    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("Programm"),
        on_delete=models.CASCADE,
        related_name="proof_of_use",
    )
    keep_facts_until = models.DateField(_("Förderdaten aufbewahren bis"))
    basis = models.CharField(
        _("Grundlage"), max_length=200, help_text=_("z. B. Nr. 6.9 ANBest-P, Zuwendungsbescheid")
    )

    class Meta:
        verbose_name = _("Aufbewahrung für den Verwendungsnachweis")
        verbose_name_plural = _("Aufbewahrungen für den Verwendungsnachweis")

    def __str__(self) -> str:
        return f"{self.programme} · {self.keep_facts_until:%d.%m.%Y}"


class LegalHold(TimeStampedModel):
    """While a hold is in place (a court case, an audit), nothing of the person is removed."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("Teilnehmende Person"),
        on_delete=models.CASCADE,
        related_name="legal_holds",
    )
    reason = models.CharField(_("Grund"), max_length=200)
    placed_on = models.DateField(_("seit"))
    lifted_on = models.DateField(_("aufgehoben am"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("veranlasst von"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Sperre gegen Löschung")
        verbose_name_plural = _("Sperren gegen Löschung")
        constraints = [
            models.CheckConstraint(
                name="legalhold_lifted_after_placed",
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("placed_on")),
                violation_error_message=_("Eine Sperre endet nicht vor ihrem Beginn."),
            )
        ]

    def __str__(self) -> str:
        return f"{_('Sperre')} {self.placed_on:%d.%m.%Y}"


# What the counts of a deletion record count, in words.
COUNTED = {
    "contact_notes": _("Kontaktnotizen"),
    "support_goals": _("Ziele im Förderplan"),
    "outcome_evidence": _("Belege zu Erfolgen"),
    "follow_up_notes": _("Notizen zu Nachfragen"),
    "referral_reasons": _("Anlässe von Überweisungen"),
    "files": _("Akten"),
    "residence_documents": _("Aufenthaltsdokumente"),
    "register_entries": _("Registereinträge"),
}


class DeletionRecord(models.Model):
    """The proof of a retention run or an erasure: rule, categories, counts, time — no personal data."""

    class Kind(models.TextChoices):
        RETENTION = "retention", _("Löschlauf nach Fristen")
        ERASURE = "erasure", _("Löschung auf Antrag")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ran_at = models.DateTimeField(_("Zeitpunkt"))
    as_of = models.DateField(_("Stichtag"))
    committed = models.BooleanField(
        _("ausgeführt"), help_text=_("Nein: Probelauf, es wurde nichts gelöscht.")
    )
    programme_code = models.CharField(_("Programm"), max_length=40, blank=True)
    rule = models.CharField(_("Regel"), max_length=200, blank=True)
    categories = models.JSONField(_("Kategorien"), default=list)
    counts = models.JSONField(_("Anzahl je Art"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handelnde Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Löschnachweis")
        verbose_name_plural = _("Löschnachweise")
        ordering = ["-ran_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="deletionrecord_kind_valid", condition=Q(kind__in=["retention", "erasure"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ran_at:%Y-%m-%d %H:%M}"

    def count_lines(self) -> list[tuple[str, int]]:
        """The counts in words: "Kontaktnotizen: 12" (an erasure's keys carry their category)."""
        lines = []
        for key, count in self.counts.items():
            category, _dot, counted = key.rpartition(".")
            label = str(COUNTED.get(counted, counted))
            if category in RetentionCategory.values:
                label = f"{RetentionCategory(category).label} – {label}"
            lines.append((label, count))
        return lines
