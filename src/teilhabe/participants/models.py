"""People in the programme, their residence documents and their consents."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from teilhabe.core.codes import (
    EmploymentPermission,
    Gender,
    GermanLevel,
    ResidenceType,
    SchoolingLevel,
)
from teilhabe.core.models import TimeStampedModel

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


class Participant(TimeStampedModel):
    municipality = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        related_name="participants",
        limit_choices_to={"kind": "municipality"},
    )
    given_names = models.CharField(_("Vorname(n)"), max_length=150)
    family_name = models.CharField(_("Familienname"), max_length=150)
    given_names_original = models.CharField(
        _("Vorname(n) in Originalschrift"), max_length=150, blank=True
    )
    family_name_original = models.CharField(
        _("Familienname in Originalschrift"), max_length=150, blank=True
    )
    date_of_birth = models.DateField(_("Geburtsdatum"))
    gender = models.CharField(
        _("Geschlecht"), max_length=20, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    nationality = models.CharField(
        _("Staatsangehörigkeit"),
        max_length=3,
        help_text=_("ISO-3166-Code, z. B. SY; XX für staatenlos oder ungeklärt"),
    )
    languages = models.JSONField(
        _("Sprachen"), default=list, blank=True, help_text=_("Sprachcodes, z. B. ar, prs, ti")
    )
    schooling = models.CharField(
        _("Schulbildung (ISCED)"),
        max_length=10,
        choices=SchoolingLevel.choices,
        default=SchoolingLevel.UNKNOWN,
    )
    german_level = models.CharField(
        _("Deutschkenntnisse (GER)"),
        max_length=10,
        choices=GermanLevel.choices,
        default=GermanLevel.NONE,
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Wohnort"), max_length=100, blank=True)
    lives_in_state_reception = models.BooleanField(
        _("wohnt in einer Landeseinrichtung"), default=False
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("Dublette von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text=_("Dieselbe Person, doppelt registriert. Sie wird nur einmal gezählt."),
    )
    registered_on = models.DateField(_("registriert am"), default=timezone.localdate)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["family_name", "given_names"]
        constraints = [
            models.CheckConstraint(
                name="participant_birth_date_plausible",
                condition=Q(date_of_birth__gte=EARLIEST_BIRTH_DATE)
                & Q(date_of_birth__lte=F("registered_on")),
                violation_error_message=_("Das Geburtsdatum liegt in der Zukunft oder vor 1900."),
            ),
            models.CheckConstraint(
                name="participant_not_own_duplicate",
                condition=~Q(duplicate_of=F("pk")),
                violation_error_message=_("Eine Person kann keine Dublette von sich selbst sein."),
            ),
            models.CheckConstraint(
                name="participant_gender_valid", condition=Q(gender__in=Gender.values)
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "family_name"], name="participant_muni_name_idx"),
            models.Index(fields=["date_of_birth"], name="participant_dob_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = _("Das Geburtsdatum darf nicht in der Zukunft liegen.")
        elif self.date_of_birth and self.date_of_birth < EARLIEST_BIRTH_DATE:
            errors["date_of_birth"] = _("Bitte ein Geburtsdatum nach 1900 angeben.")
        if self.nationality and not (self.nationality.isalpha() and self.nationality.isupper()):
            errors["nationality"] = _("Bitte einen Ländercode in Großbuchstaben angeben, z. B. SY.")
        if not isinstance(self.languages, list):
            errors["languages"] = _("Bitte eine Liste von Sprachcodes angeben.")
        if self.duplicate_of is not None:
            if self.pk and self.duplicate_of_id == self.pk:
                errors["duplicate_of"] = _("Eine Person kann keine Dublette von sich selbst sein.")
            elif self.duplicate_of.duplicate_of_id:
                errors["duplicate_of"] = _(
                    "Bitte mit dem Original verknüpfen, nicht mit einer Dublette."
                )
        if errors:
            raise ValidationError(errors)


class ResidenceDocument(TimeStampedModel):
    """One entry in a person's residence history (Duldung, Gestattung, § 24 …)."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("Teilnehmende Person"),
        on_delete=models.CASCADE,
        related_name="residence_documents",
    )
    residence_type = models.CharField(
        _("Aufenthaltsstatus"), max_length=30, choices=ResidenceType.choices
    )
    valid_from = models.DateField(_("gültig ab"))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    employment = models.CharField(
        _("Erwerbstätigkeit"),
        max_length=20,
        choices=EmploymentPermission.choices,
        default=EmploymentPermission.ON_PERMISSION,
    )

    class Meta:
        verbose_name = _("Aufenthaltsdokument")
        verbose_name_plural = _("Aufenthaltsdokumente")
        ordering = ["participant", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="residencedocument_type_valid",
                condition=Q(residence_type__in=ResidenceType.values),
                violation_error_message=_("Unbekannter Aufenthaltsstatus."),
            ),
            models.CheckConstraint(
                name="residencedocument_employment_valid",
                condition=Q(employment__in=EmploymentPermission.values),
            ),
            models.CheckConstraint(
                name="residencedocument_validity_order",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                violation_error_message=_("„gültig bis“ darf nicht vor „gültig ab“ liegen."),
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "valid_from"], name="residence_participant_idx"),
            models.Index(fields=["valid_until"], name="residence_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_residence_type_display()} ({self.valid_from:%d.%m.%Y})"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ConsentPurpose(models.TextChoices):
    CASE_SHARING = "case_sharing", _("Fallinhalte mit einer anderen Organisation teilen")
    TRANSFER = "transfer", _("Übergabe an einen anderen Träger oder ein anderes Programm")
    COORDINATION_DETAILS = (
        "coordination_details",
        _("Einsicht der Programmkoordination in Fallinhalte"),
    )
    CONTACT = "contact", _("Kontaktaufnahme per Telefon, SMS oder E-Mail")


class Consent(TimeStampedModel):
    """Einwilligung: what a person agreed to share, with whom, for how long."""

    Purpose = ConsentPurpose

    class DataCategory(models.TextChoices):
        IDENTITY = "identity", _("Name und Geburtsdatum")
        CONTACT = "contact", _("Kontaktdaten")
        RESIDENCE = "residence", _("Aufenthaltsstatus")
        EDUCATION = "education", _("Schule, Ausbildung, Sprache")
        CASE_NOTES = "case_notes", _("Beratungsinhalte und Förderplan")
        OUTCOMES = "outcomes", _("Verbleib und Erfolge")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("Teilnehmende Person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("Zweck"), max_length=30, choices=Purpose.choices)
    recipient = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Empfänger"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_received",
    )
    recipient_programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("Empfangendes Programm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_received",
    )
    data_categories = models.JSONField(_("Datenkategorien"), default=list)
    given_on = models.DateField(_("erteilt am"))
    expires_on = models.DateField(_("gültig bis"), null=True, blank=True)
    withdrawn_on = models.DateField(_("widerrufen am"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["participant", "-given_on"]
        constraints = [
            models.CheckConstraint(
                name="consent_purpose_valid", condition=Q(purpose__in=ConsentPurpose.values)
            ),
            models.CheckConstraint(
                name="consent_has_recipient",
                condition=Q(recipient__isnull=False) | Q(recipient_programme__isnull=False),
                violation_error_message=_("Eine Einwilligung nennt einen Empfänger."),
            ),
            models.CheckConstraint(
                name="consent_expires_after_given",
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("given_on")),
                violation_error_message=_("Das Ablaufdatum darf nicht vor der Erteilung liegen."),
            ),
            models.CheckConstraint(
                name="consent_withdrawn_after_given",
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                violation_error_message=_("Ein Widerruf kann nicht vor der Erteilung liegen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    def clean(self) -> None:
        if not isinstance(self.data_categories, list) or not self.data_categories:
            raise ValidationError(
                {"data_categories": _("Bitte mindestens eine Datenkategorie wählen.")}
            )
        unknown = sorted(set(self.data_categories) - set(self.DataCategory.values))
        if unknown:
            raise ValidationError(
                {
                    "data_categories": _("Unbekannte Datenkategorie: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )
