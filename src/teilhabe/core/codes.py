"""Code lists shared by several apps.

They are the vocabulary of the programme (residence statuses, outcome types, language
levels …). Keeping them in one module lets eligibility, cases and reports agree on the
same codes without importing each other's models.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceType(models.TextChoices):
    ASYLUM_SEEKER = "gestattung", _("Aufenthaltsgestattung (§ 55 AsylG)")
    TOLERATED = "duldung", _("Duldung (§ 60a AufenthG)")
    TOLERATED_UNCLEAR_IDENTITY = (
        "duldung_60b",
        _("Duldung für Personen mit ungeklärter Identität (§ 60b AufenthG)"),
    )
    TRAINING_TOLERATION = "duldung_60c", _("Ausbildungsduldung (§ 60c AufenthG)")
    EMPLOYMENT_TOLERATION = "duldung_60d", _("Beschäftigungsduldung (§ 60d AufenthG)")
    OPPORTUNITY_RESIDENCE = "chancen_104c", _("Chancen-Aufenthaltsrecht (§ 104c AufenthG)")
    WELL_INTEGRATED_YOUTH = (
        "jugendliche_25a",
        _("Aufenthaltserlaubnis für gut integrierte Jugendliche (§ 25a AufenthG)"),
    )
    TEMPORARY_PROTECTION = "schutz_24", _("Vorübergehender Schutz (§ 24 AufenthG)")
    FICTION_CERTIFICATE = "fiktion", _("Fiktionsbescheinigung (§ 81 AufenthG)")
    TRAINING_PERMIT = (
        "ausbildung_16a_16g",
        _("Aufenthaltserlaubnis zur Ausbildung (§ 16a / § 16g AufenthG)"),
    )
    SKILLED_WORKER_TOLERATED = (
        "beschaeftigung_19d",
        _("Aufenthaltserlaubnis für qualifizierte Geduldete (§ 19d AufenthG)"),
    )
    OTHER = "other", _("Anderer Aufenthaltsstatus")


class EmploymentPermission(models.TextChoices):
    PERMITTED = "permitted", _("Erwerbstätigkeit gestattet")
    ON_PERMISSION = "on_permission", _("Beschäftigung nur mit Erlaubnis der Ausländerbehörde")
    FORBIDDEN = "forbidden", _("Erwerbstätigkeit nicht gestattet")


class TargetGroup(models.TextChoices):
    MAIN = "main", _("Hauptzielgruppe")
    SECONDARY = "secondary", _("Sekundäre Zielgruppe")
    SPECIAL_CASE = "special_case", _("Sonderfall (Ukraine, § 24 AufenthG)")
    AGE_EXCEPTION = "age_exception", _("Ausnahme von der Altersgrenze")
    NOT_ELIGIBLE = "not_eligible", _("Nicht förderfähig")


class Gender(models.TextChoices):
    FEMALE = "female", _("weiblich")
    MALE = "male", _("männlich")
    DIVERSE = "diverse", _("divers")
    UNSPECIFIED = "unspecified", _("keine Angabe")


class GermanLevel(models.TextChoices):
    NONE = "none", _("keine Deutschkenntnisse")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class SchoolingLevel(models.TextChoices):
    """ISCED 2011 levels, as the state monitoring asks for them."""

    UNKNOWN = "unknown", _("unbekannt")
    ISCED_0 = "0", _("ISCED 0 – keine formale Schulbildung")
    ISCED_1 = "1", _("ISCED 1 – Grundschule")
    ISCED_2 = "2", _("ISCED 2 – Sekundarstufe I")
    ISCED_3 = "3", _("ISCED 3 – Sekundarstufe II")
    ISCED_4 = "4", _("ISCED 4 – postsekundär, nicht tertiär")
    ISCED_5_PLUS = "5+", _("ISCED 5 oder höher – tertiäre Bildung")


class OutcomeType(models.TextChoices):
    VOCATIONAL_TRAINING = "vocational_training", _("Beginn einer Berufsausbildung")
    EMPLOYMENT = "employment", _("Sozialversicherungspflichtige Beschäftigung")
    SCHOOL_CERTIFICATE = "school_certificate", _("Schulabschluss")
    LANGUAGE_CERTIFICATE = "language_certificate", _("Sprachzertifikat")
    OTHER_PROGRAMME = "other_programme", _("Wechsel in ein anderes Programm")
    BENEFITS_INDEPENDENCE = (
        "benefits_independence",
        _("Unabhängigkeit von Leistungen nach dem AsylbLG"),
    )


# What the council and the funder count as a "success" (Erfolg): placement into training or
# work, up to independence from asylum-seeker benefits. Certificates and transfers are
# recorded outcomes but not successes.
SUCCESS_OUTCOME_TYPES: frozenset[str] = frozenset(
    {
        OutcomeType.VOCATIONAL_TRAINING,
        OutcomeType.EMPLOYMENT,
        OutcomeType.BENEFITS_INDEPENDENCE,
    }
)
