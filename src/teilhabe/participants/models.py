"""People in the programme: the municipality's register and each organisation's file.

The **register** (``Participant``) is owned by the municipality's coordination and holds the
least that matching, assignment and reporting need: a pseudonymous person key, names, date of
birth, gender and the contact given at registration. Everything an organisation records about
the person — residence documents, schooling, languages, where they live, the consents it
collected — is in that organisation's **file** (``ParticipantFile``) and nobody else's. The
organisation is the file's controller (Art. 4 No. 7 GDPR); another party sees named categories
of it only through a consent the controller recorded (see ``accounts.policy``).
"""

from __future__ import annotations

import datetime as dt
import secrets

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


# Crockford's base32 without I, L, O, U: keys are read aloud and typed from paper.
PERSON_KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PERSON_KEY_LENGTH = 8


def new_person_key() -> str:
    """A random pseudonym: it says nothing about the person and is not derived from them."""
    return "P-" + "".join(secrets.choice(PERSON_KEY_ALPHABET) for _ in range(PERSON_KEY_LENGTH))


class Participant(TimeStampedModel):
    """A person in the municipality's register (controller: the coordination)."""

    person_key = models.CharField(
        _("Personenkennung"),
        max_length=16,
        unique=True,
        default=new_person_key,
        editable=False,
        help_text=_("Pseudonym für Auswertungen und das Protokoll; sagt nichts über die Person."),
    )
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
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
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
        if self.duplicate_of is not None:
            if self.pk and self.duplicate_of_id == self.pk:
                errors["duplicate_of"] = _("Eine Person kann keine Dublette von sich selbst sein.")
            elif self.duplicate_of.duplicate_of_id:
                errors["duplicate_of"] = _(
                    "Bitte mit dem Original verknüpfen, nicht mit einer Dublette."
                )
            elif self.municipality_id and self.duplicate_of.municipality_id != self.municipality_id:
                # Each city keeps its own register; a link across would open one city's
                # people to the other's data protection.
                errors["duplicate_of"] = _("Dubletten gibt es nur im Register derselben Kommune.")
        if errors:
            raise ValidationError(errors)


class ParticipantFile(TimeStampedModel):
    """Akte: what one organisation records about a person. That organisation is its controller."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("Teilnehmende Person"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    controller = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("verantwortliche Stelle"),
        help_text=_("Der Träger (oder die Kommune), der diese Akte führt."),
        on_delete=models.PROTECT,
        related_name="participant_files",
    )
    opened_on = models.DateField(_("angelegt am"), default=timezone.localdate)
    nationality = models.CharField(
        _("Staatsangehörigkeit"),
        max_length=3,
        blank=True,
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
    postal_code = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Wohnort"), max_length=100, blank=True)
    lives_in_state_reception = models.BooleanField(
        _("wohnt in einer Landeseinrichtung"), default=False
    )

    class Meta:
        verbose_name = _("Akte")
        verbose_name_plural = _("Akten")
        ordering = ["participant", "controller"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "controller"],
                name="participantfile_one_per_controller",
                violation_error_message=_("Diese Stelle führt für die Person schon eine Akte."),
            ),
        ]
        indexes = [
            models.Index(fields=["controller", "participant"], name="file_controller_idx"),
        ]

    def __str__(self) -> str:
        return f"{_('Akte')} {self.participant.person_key} · {self.controller}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.nationality and not (self.nationality.isalpha() and self.nationality.isupper()):
            errors["nationality"] = _("Bitte einen Ländercode in Großbuchstaben angeben, z. B. SY.")
        if not isinstance(self.languages, list):
            errors["languages"] = _("Bitte eine Liste von Sprachcodes angeben.")
        if self.controller_id and self.participant_id:
            controller = self.controller
            home = controller.municipality_id or controller.pk
            if controller.kind == "funder" or home != self.participant.municipality_id:
                errors["controller"] = _(
                    "Akten führen Träger und die Kommune, in der die Person registriert ist."
                )
        if errors:
            raise ValidationError(errors)


class ResidenceDocument(TimeStampedModel):
    """One entry in a person's residence history (Duldung, Gestattung, § 24 …)."""

    file = models.ForeignKey(
        ParticipantFile,
        verbose_name=_("Akte"),
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
        ordering = ["file", "valid_from"]
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
            models.Index(fields=["file", "valid_from"], name="residence_file_idx"),
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


class DataCategory(models.TextChoices):
    """What a consent can name. Each part of a file belongs to exactly one category."""

    IDENTITY = "identity", _("Name und Geburtsdatum")
    CONTACT = "contact", _("Kontaktdaten")
    RESIDENCE = "residence", _("Aufenthaltsstatus")
    EDUCATION = "education", _("Schule, Ausbildung, Sprache")
    CASE_NOTES = "case_notes", _("Beratungsinhalte und Förderplan")
    OUTCOMES = "outcomes", _("Verbleib und Erfolge")


# A transfer copies what a file holds; the sender's case notes and outcomes stay with the
# sender (the receiving organisation starts its own plan and records its own outcomes).
TRANSFERABLE_CATEGORIES = frozenset(
    {DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.RESIDENCE, DataCategory.EDUCATION}
)


class ConsentEvidence(models.TextChoices):
    WRITTEN = "written", _("schriftlich unterschrieben")
    ELECTRONIC = "electronic", _("elektronisch bestätigt")
    ORAL = "oral", _("mündlich, mit Vermerk")


class Consent(TimeStampedModel):
    """Einwilligung, recorded in the file of the organisation that shares (the controller).

    It names a purpose, one recipient (an organisation or a programme), the data categories
    and the days it is in force. It opens only the file it was recorded in, only to that
    recipient, only those categories, only on those days. A transfer consent opens nothing
    by itself: it allows one copy, and once ``used_on`` is set it is spent.
    """

    Purpose = ConsentPurpose
    DataCategory = DataCategory
    Evidence = ConsentEvidence

    file = models.ForeignKey(
        ParticipantFile,
        verbose_name=_("Akte"),
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
    used_on = models.DateField(
        _("Übergabe ausgeführt am"),
        null=True,
        blank=True,
        help_text=_("Eine Übergabe-Einwilligung gilt für eine Übergabe."),
    )
    evidence = models.CharField(
        _("Form der Einwilligung"),
        max_length=20,
        choices=Evidence.choices,
        default=Evidence.WRITTEN,
    )
    form_version = models.CharField(
        _("Formularfassung"), max_length=40, blank=True, help_text=_("z. B. EW-2022-03")
    )
    language = models.CharField(
        _("Sprache des Formulars"), max_length=10, blank=True, help_text=_("Sprachcode, z. B. ar")
    )
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
        ordering = ["file", "-given_on"]
        constraints = [
            models.CheckConstraint(
                name="consent_purpose_valid", condition=Q(purpose__in=ConsentPurpose.values)
            ),
            models.CheckConstraint(
                name="consent_evidence_valid", condition=Q(evidence__in=ConsentEvidence.values)
            ),
            models.CheckConstraint(
                name="consent_one_recipient",
                condition=Q(recipient__isnull=False, recipient_programme__isnull=True)
                | Q(recipient__isnull=True, recipient_programme__isnull=False),
                violation_error_message=_(
                    "Eine Einwilligung nennt genau einen Empfänger: eine Organisation oder ein Programm."
                ),
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
            models.CheckConstraint(
                name="consent_used_only_for_transfer",
                condition=Q(used_on__isnull=True)
                | (Q(purpose="transfer") & Q(used_on__gte=F("given_on"))),
                violation_error_message=_(
                    "Nur eine Übergabe-Einwilligung wird verbraucht, und nicht vor ihrer Erteilung."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "purpose"], name="consent_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        categories = self.data_categories
        if not isinstance(categories, list) or not categories:
            errors["data_categories"] = _("Bitte mindestens eine Datenkategorie wählen.")
        else:
            unknown = sorted(set(map(str, categories)) - set(DataCategory.values))
            if unknown:
                errors["data_categories"] = _("Unbekannte Datenkategorie: %(codes)s") % {
                    "codes": ", ".join(unknown)
                }
            elif self.purpose == ConsentPurpose.TRANSFER and not set(categories) <= set(
                TRANSFERABLE_CATEGORIES
            ):
                errors["data_categories"] = _(
                    "Übergeben werden Name, Kontakt, Aufenthalt und Bildung; Beratungsinhalte "
                    "und Erfolge bleiben beim abgebenden Träger."
                )
        if self.file_id and self.recipient_id:
            controller = self.file.controller
            if self.purpose == ConsentPurpose.CONTACT:
                if self.recipient_id != controller.pk:
                    errors["recipient"] = _(
                        "Eine Einwilligung zur Kontaktaufnahme gilt für die Stelle, die sie erfasst."
                    )
            elif self.recipient_id == controller.pk:
                errors["recipient"] = _(
                    "Eine Stelle kann nicht in ihre eigene Akte einwilligen lassen: bitte den "
                    "Empfänger angeben, mit dem geteilt wird."
                )
            elif self.purpose == ConsentPurpose.COORDINATION_DETAILS and (
                self.recipient_id != self.file.participant.municipality_id
            ):
                errors["recipient"] = _(
                    "Empfänger ist hier die Programmkoordination der Kommune der Person."
                )
        if self.purpose in (ConsentPurpose.CONTACT, ConsentPurpose.COORDINATION_DETAILS) and (
            self.recipient_programme_id
        ):
            errors["recipient_programme"] = _("Für diesen Zweck ist eine Organisation Empfänger.")
        if errors:
            raise ValidationError(errors)
