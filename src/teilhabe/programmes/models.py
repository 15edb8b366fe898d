"""Programmes, their modules, offers, eligibility rules and the decisions that change them.

A programme is data: what was in force on a given day follows from the original set-up
plus the amendments of every decision taken up to that day (see ``selectors.programme_as_of``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from teilhabe.core.codes import ResidenceType
from teilhabe.core.days import validate_supported_day
from teilhabe.core.models import TimeStampedModel


class Programme(TimeStampedModel):
    code = models.SlugField(_("Kürzel"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": "municipality"},
    )
    starts_on = models.DateField(_("Beginn"), validators=[validate_supported_day])
    ends_on = models.DateField(
        _("ursprüngliches Ende"),
        validators=[validate_supported_day],
        help_text=_(
            "Das Ende laut erstem Beschluss; Verlängerungen sind Änderungen eines Beschlusses."
        ),
    )
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                name="programme_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CostBasis(models.TextChoices):
    STAFF_POSITIONS = "staff_positions", _("Personalstellen (VZÄ × Monate)")
    TEACHING_HOURS = "teaching_hours", _("Unterrichtsstunden (Pauschale je Stunde)")
    COURSE_FLAT_RATE = "course_flat_rate", _("Kurspauschalen")
    PROJECT_GRANT = "project_grant", _("Projektförderung")
    ACTUAL_COSTS = "actual_costs", _("tatsächliche Kosten")
    NOT_FUNDED_LOCALLY = "not_funded_locally", _("nicht kommunal finanziert")


class Module(TimeStampedModel):
    """A funding module (Förderbaustein), e.g. F1 Coaching."""

    CostBasis = CostBasis

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.CASCADE, related_name="modules"
    )
    code = models.CharField(_("Kürzel"), max_length=10)
    name = models.CharField(_("Name"), max_length=200)
    local_name = models.CharField(_("örtliche Bezeichnung"), max_length=200, blank=True)
    valid_from = models.DateField(_("gültig ab"), validators=[validate_supported_day])
    valid_until = models.DateField(
        _("ursprünglich gültig bis"),
        validators=[validate_supported_day],
        null=True,
        blank=True,
        help_text=_("Leer: bis zum Programmende. Ein vorzeitiges Ende beschließt eine Änderung."),
    )
    cost_basis = models.CharField(_("Kostenbasis"), max_length=30, choices=CostBasis.choices)
    unit_rate = models.DecimalField(
        _("Satz je Einheit (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("z. B. 37,50 € je Unterrichtsstunde"),
    )
    added_by = models.ForeignKey(
        "programmes.Amendment",
        verbose_name=_("aufgenommen durch"),
        on_delete=models.PROTECT,
        related_name="added_modules",
        help_text=_("die Einrichtung des Programms oder die Änderung, die den Baustein aufnimmt"),
    )
    counts_in_state_monitoring = models.BooleanField(
        _("zählt im Landesmonitoring"),
        default=True,
        help_text=_("Projekte des Innovationsfonds (F5) werden im Landesmonitoring nicht erfasst."),
    )

    class Meta:
        verbose_name = _("Förderbaustein")
        verbose_name_plural = _("Förderbausteine")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="module_code_unique_per_programme",
                violation_error_message=_("Dieses Kürzel gibt es im Programm schon."),
            ),
            models.CheckConstraint(
                name="module_valid_until_after_from",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                violation_error_message=_("„gültig bis“ darf nicht vor „gültig ab“ liegen."),
            ),
            models.CheckConstraint(
                name="module_unit_rate_not_negative",
                condition=Q(unit_rate__isnull=True) | Q(unit_rate__gte=0),
                violation_error_message=_("Der Satz je Einheit darf nicht negativ sein."),
            ),
            models.CheckConstraint(
                name="module_cost_basis_valid",
                condition=Q(cost_basis__in=CostBasis.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name or self.name}"

    def clean(self) -> None:
        if self.programme_id and self.valid_from and self.valid_from < self.programme.starts_on:
            raise ValidationError(
                {"valid_from": _("Ein Baustein kann nicht vor dem Programm beginnen.")}
            )


class Offer(TimeStampedModel):
    """Something a provider delivers under a module: a course run or a continuous service."""

    class Kind(models.TextChoices):
        COURSE_RUN = "course_run", _("Kursdurchgang")
        CONTINUOUS_SERVICE = "continuous_service", _("fortlaufendes Angebot")

    module = models.ForeignKey(
        Module, verbose_name=_("Förderbaustein"), on_delete=models.PROTECT, related_name="offers"
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("Beginn"), validators=[validate_supported_day])
    ends_on = models.DateField(
        _("Ende"), validators=[validate_supported_day], null=True, blank=True
    )
    places = models.PositiveIntegerField(_("Plätze"), null=True, blank=True)
    teaching_hours = models.PositiveIntegerField(_("Unterrichtsstunden"), null=True, blank=True)
    language = models.CharField(
        _("Unterrichtssprache"), max_length=20, default="de", help_text=_("Sprachcode, z. B. de")
    )
    location = models.CharField(_("Ort"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["module", "starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                name="offer_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
            models.CheckConstraint(
                name="offer_course_run_has_dates_and_places",
                condition=~Q(kind="course_run")
                | Q(ends_on__isnull=False, places__isnull=False, places__gt=0),
                violation_error_message=_(
                    "Ein Kursdurchgang braucht ein Ende und mindestens einen Platz."
                ),
            ),
            models.CheckConstraint(
                name="offer_kind_valid", condition=Q(kind__in=["course_run", "continuous_service"])
            ),
        ]
        indexes = [models.Index(fields=["provider", "starts_on"], name="offer_provider_start_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.provider_id and self.provider.kind != "provider":
            errors["provider"] = _("Angebote macht ein Träger.")
        if self.kind == self.Kind.COURSE_RUN:
            if not self.ends_on:
                errors["ends_on"] = _("Ein Kursdurchgang braucht ein Ende.")
            if not self.places:
                errors["places"] = _("Ein Kursdurchgang braucht mindestens einen Platz.")
        if errors:
            raise ValidationError(errors)


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Entwurf")
    CONDITIONAL = "conditional", _("beschlossen unter Vorbehalt")
    ADOPTED = "adopted", _("beschlossen")
    REVOKED = "revoked", _("aufgehoben")
    REJECTED = "rejected", _("nicht beschlossen")


# Decisions in these states are part of the record: a reading "as known on K" counts them
# from the day they became known. A revoked decision stays in the record; what it changed
# stops being in force on the day its revocation takes effect.
RECORDED_STATUSES = (DecisionStatus.ADOPTED, DecisionStatus.REVOKED)


class Decision(TimeStampedModel):
    """A dated decision of a council, committee or funder about one programme.

    It carries amendments; nothing about a programme changes except through one. Once adopted
    it is never edited: a later decision revokes or supersedes what it changed. ``sequence``
    orders a programme's decisions (not the order rows were inserted); ``known_from`` is the
    day from which the record holds it — the day it was adopted in Teilhabe (not before it was
    decided) or, for a decision taken subject to a condition, the day the condition was
    recorded as met. ``programme_as_of(..., known_on=K)`` counts only decisions known by K.
    """

    Status = DecisionStatus

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Programm"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("beschließende Stelle"),
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_("die Kommune oder der Fördermittelgeber"),
    )
    body = models.CharField(
        _("Gremium"), max_length=200, help_text=_("z. B. Rat der Stadt Köln, Bezirksregierung")
    )
    decided_on = models.DateField(_("beschlossen am"), validators=[validate_supported_day])
    reference = models.CharField(_("Aktenzeichen / Vorlage"), max_length=100)
    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(_("Beschlusstext"), blank=True)
    condition = models.CharField(
        _("Vorbehalt"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „vorbehaltlich des Zuwendungsbescheids“; leer: ohne Vorbehalt"),
    )
    condition_met_on = models.DateField(
        _("Vorbehalt erfüllt am"), validators=[validate_supported_day], null=True, blank=True
    )
    condition_evidence = models.CharField(_("Nachweis der Erfüllung"), max_length=300, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    sequence = models.PositiveIntegerField(
        _("laufende Nummer"), null=True, blank=True, editable=False
    )
    known_from = models.DateField(
        _("im Bestand seit"),
        validators=[validate_supported_day],
        null=True,
        blank=True,
        editable=False,
    )
    adopted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("eingetragen von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["programme", "sequence", "decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="decision_reference_unique",
                violation_error_message=_("Einen Beschluss mit diesem Aktenzeichen gibt es schon."),
            ),
            models.UniqueConstraint(
                fields=["programme", "sequence"],
                name="decision_sequence_unique_per_programme",
            ),
            models.CheckConstraint(
                name="decision_status_valid", condition=Q(status__in=DecisionStatus.values)
            ),
            # In the record means numbered and dated; a proposal or a decision waiting for
            # its condition is neither (it changes nothing yet).
            models.CheckConstraint(
                name="decision_recorded_has_sequence_and_day",
                condition=~Q(status__in=["adopted", "revoked"])
                | Q(sequence__isnull=False, known_from__isnull=False),
            ),
            models.CheckConstraint(
                name="decision_known_not_before_decided",
                condition=Q(known_from__isnull=True) | Q(known_from__gte=F("decided_on")),
            ),
            models.CheckConstraint(
                name="decision_conditional_names_condition",
                condition=~Q(status="conditional") | ~Q(condition=""),
            ),
        ]
        indexes = [models.Index(fields=["programme", "known_from"], name="decision_known_idx")]

    def __str__(self) -> str:
        return f"{self.body}, {self.decided_on:%d.%m.%Y}: {self.title}"

    @property
    def is_recorded(self) -> bool:
        return self.status in RECORDED_STATUSES


class EligibilityRule(TimeStampedModel):
    """Who may take part, from a date on. The newest rule whose start has passed is in force."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Programm"),
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
    )
    valid_from = models.DateField(_("gilt ab"), validators=[validate_supported_day])
    min_age = models.PositiveSmallIntegerField(_("Mindestalter bei Eintritt"), default=18)
    max_age = models.PositiveSmallIntegerField(
        _("Höchstalter bei Eintritt"), default=27, help_text=_("einschließlich")
    )
    main_group_statuses = models.JSONField(
        _("Aufenthaltsstatus der Hauptzielgruppe"), default=list, blank=True
    )
    special_case_statuses = models.JSONField(
        _("Aufenthaltsstatus des Sonderfalls"),
        default=list,
        blank=True,
        help_text=_("z. B. § 24 AufenthG für Geflüchtete aus der Ukraine"),
    )
    excluded_statuses = models.JSONField(
        _("Aufenthaltsstatus ohne Förderung"),
        default=list,
        blank=True,
        help_text=_(
            "weder Haupt- noch sekundäre Zielgruppe, z. B. § 24 AufenthG, bevor er Sonderfall wurde"
        ),
    )
    secondary_group_allowed = models.BooleanField(
        _("sekundäre Zielgruppe zugelassen"),
        default=True,
        help_text=_("nur nach Abstimmung mit dem Jobcenter (keine Doppelförderung)"),
    )
    excludes_state_reception = models.BooleanField(
        _("Ausschluss bei Wohnsitz in einer Landeseinrichtung"), default=True
    )
    place_of_residence = models.CharField(
        _("Wohnort"), max_length=100, blank=True, help_text=_("Leer: keine Vorgabe")
    )

    class Meta:
        verbose_name = _("Förderregel")
        verbose_name_plural = _("Förderregeln")
        ordering = ["programme", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "valid_from"],
                name="eligibilityrule_one_per_day",
                violation_error_message=_("Für diesen Tag gibt es schon eine Förderregel."),
            ),
            models.CheckConstraint(
                name="eligibilityrule_age_range",
                condition=Q(min_age__lte=F("max_age")),
                violation_error_message=_(
                    "Das Mindestalter darf nicht über dem Höchstalter liegen."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {_('ab')} {self.valid_from:%d.%m.%Y}"

    def clean(self) -> None:
        known = set(ResidenceType.values)
        errors: dict[str, StrOrPromise] = {}
        for field in ("main_group_statuses", "special_case_statuses", "excluded_statuses"):
            values = getattr(self, field)
            if not isinstance(values, list):
                errors[field] = _("Bitte eine Liste von Aufenthaltsstatus angeben.")
                continue
            unknown = sorted(set(values) - known)
            if unknown:
                errors[field] = _("Unbekannter Aufenthaltsstatus: %(codes)s") % {
                    "codes": ", ".join(unknown)
                }
        if not errors:
            admitted = set(self.main_group_statuses) | set(self.special_case_statuses)
            both = sorted(admitted & set(self.excluded_statuses))
            if both:
                errors["excluded_statuses"] = _(
                    "Zugelassen und ausgeschlossen zugleich: %(codes)s"
                ) % {"codes": ", ".join(both)}
        if errors:
            raise ValidationError(errors)


class AmendmentKind(models.TextChoices):
    SET_UP = "set_up", _("Programm einrichten")
    EXTEND_PROGRAMME = "extend_programme", _("Programmlaufzeit ändern")
    ADD_MODULE = "add_module", _("Baustein aufnehmen")
    END_MODULE = "end_module", _("Baustein beenden (mit Nachfolgeprogramm)")
    CHANGE_ELIGIBILITY = "change_eligibility", _("Förderregeln ändern")
    CHANGE_RATE = "change_rate", _("Satz je Einheit ändern")
    ADD_BUDGET = "add_budget", _("Haushaltsansätze beschließen")
    MOVE_BUDGET = "move_budget", _("Budget umschichten")
    FORWARD_FUNDS = "forward_funds", _("Weiterleitungsvertrag schließen")
    REVOKE = "revoke", _("frühere Änderung aufheben")


class Amendment(TimeStampedModel):
    """One change that a decision makes to a programme."""

    Kind = AmendmentKind

    decision = models.ForeignKey(
        Decision, verbose_name=_("Beschluss"), on_delete=models.CASCADE, related_name="amendments"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    # 0 on a new amendment: numbered after the decision's others when saved.
    position = models.PositiveSmallIntegerField(_("Nummer im Beschluss"), default=0)
    effective_on = models.DateField(_("wirksam ab"), validators=[validate_supported_day])
    new_end_date = models.DateField(
        _("neues Enddatum"),
        validators=[validate_supported_day],
        null=True,
        blank=True,
        help_text=_("neues Programmende bzw. letzter Tag des Bausteins"),
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Förderbaustein"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    successor_programme = models.ForeignKey(
        Programme,
        verbose_name=_("Nachfolgeprogramm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessor_amendments",
    )
    eligibility_rule = models.OneToOneField(
        EligibilityRule,
        verbose_name=_("neue Förderregel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
    )
    new_rate = models.DecimalField(
        _("neuer Satz je Einheit (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    revokes = models.ForeignKey(
        "self",
        verbose_name=_("hebt auf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_by",
    )
    summary = models.TextField(_("Zusammenfassung"), blank=True)

    class Meta:
        verbose_name = _("Änderung")
        verbose_name_plural = _("Änderungen")
        ordering = ["decision__sequence", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "position"], name="amendment_position_unique"
            ),
            models.CheckConstraint(
                name="amendment_set_up_has_end",
                condition=~Q(kind="set_up") | Q(new_end_date__isnull=False),
            ),
            models.CheckConstraint(
                name="amendment_rate_complete",
                condition=~Q(kind="change_rate")
                | Q(module__isnull=False, new_rate__isnull=False, new_rate__gte=0),
                violation_error_message=_("Eine Satzänderung nennt den Baustein und den Satz."),
            ),
            models.CheckConstraint(
                name="amendment_revocation_names_target",
                condition=Q(kind="revoke", revokes__isnull=False)
                | (~Q(kind="revoke") & Q(revokes__isnull=True)),
                violation_error_message=_(
                    "Eine Aufhebung nennt die Änderung, die sie aufhebt (und nur sie)."
                ),
            ),
            models.CheckConstraint(
                name="amendment_kind_valid", condition=Q(kind__in=AmendmentKind.values)
            ),
            models.CheckConstraint(
                name="amendment_extension_has_end",
                condition=~Q(kind="extend_programme") | Q(new_end_date__isnull=False),
                violation_error_message=_("Eine Laufzeitänderung braucht ein neues Enddatum."),
            ),
            models.CheckConstraint(
                name="amendment_module_end_complete",
                condition=~Q(kind="end_module")
                | Q(module__isnull=False, new_end_date__isnull=False),
                violation_error_message=_(
                    "Das Ende eines Bausteins braucht den Baustein und seinen letzten Tag."
                ),
            ),
            models.CheckConstraint(
                name="amendment_forwarding_names_module",
                condition=~Q(kind="forward_funds") | Q(module__isnull=False),
                violation_error_message=_(
                    "Ein Weiterleitungsvertrag nennt den Baustein, für den er gilt."
                ),
            ),
            models.CheckConstraint(
                name="amendment_eligibility_has_rule",
                condition=~Q(kind="change_eligibility") | Q(eligibility_rule__isnull=False),
                violation_error_message=_("Eine Änderung der Förderregeln braucht die neue Regel."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decision.decided_on:%d.%m.%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.position and self.decision_id:
            last = Amendment.objects.filter(decision_id=self.decision_id).aggregate(
                last=models.Max("position")
            )["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def is_retroactive(self) -> bool:
        """In force before the record held it: what was read and reported meanwhile changes.
        A proposal would be held from the day it is adopted, today at the earliest."""
        known = self.decision.known_from or max(self.decision.decided_on, timezone.localdate())
        return self.effective_on < known

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.module is not None
            and self.programme_id
            and self.module.programme_id != self.programme_id
        ):
            errors["module"] = _("Der Baustein gehört nicht zu diesem Programm.")
        if (
            self.kind == self.Kind.END_MODULE
            and self.module is not None
            and self.new_end_date
            and self.new_end_date < self.module.valid_from
        ):
            errors["new_end_date"] = _("Der Baustein kann nicht vor seinem Beginn enden.")
        if (
            self.kind == self.Kind.EXTEND_PROGRAMME
            and self.programme_id
            and self.new_end_date
            and self.new_end_date < self.programme.starts_on
        ):
            errors["new_end_date"] = _("Das Programm kann nicht vor seinem Beginn enden.")
        if (
            self.eligibility_rule is not None
            and self.eligibility_rule.valid_from != self.effective_on
        ):
            errors["effective_on"] = _(
                "Eine Förderregel gilt ab dem Tag, an dem die Änderung wirkt."
            )
        if self.successor_programme_id and self.successor_programme_id == self.programme_id:
            errors["successor_programme"] = _(
                "Ein Programm kann nicht sein eigener Nachfolger sein."
            )
        if errors:
            raise ValidationError(errors)


class ForwardingContract(TimeStampedModel):
    """A forwarding contract (Weiterleitungsvertrag, Nr. 12 VV zu § 44 LHO): the municipality
    forwards the grant to a provider for one module. It exists only through the amendment of
    a decision that concludes it (``added_by``); a revocation of that amendment ends it.
    A provider offers under a module only while it holds a contract for it in force."""

    added_by = models.ForeignKey(
        Amendment,
        verbose_name=_("geschlossen durch"),
        on_delete=models.PROTECT,
        related_name="forwarding_contracts",
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        related_name="forwarding_contracts",
        limit_choices_to={"kind": "provider"},
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Förderbaustein"),
        on_delete=models.PROTECT,
        related_name="forwarding_contracts",
    )
    reference = models.CharField(_("Vertragszeichen"), max_length=100)
    valid_from = models.DateField(_("gültig ab"), validators=[validate_supported_day])
    valid_until = models.DateField(
        _("gültig bis"),
        validators=[validate_supported_day],
        null=True,
        blank=True,
        help_text=_("Leer: solange der Baustein läuft."),
    )
    maximum_amount = models.DecimalField(
        _("Höchstbetrag (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leer: ohne Höchstbetrag im Vertrag."),
    )

    class Meta:
        verbose_name = _("Weiterleitungsvertrag")
        verbose_name_plural = _("Weiterleitungsverträge")
        ordering = ["module", "provider", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="forwardingcontract_until_after_from",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                violation_error_message=_("„gültig bis“ darf nicht vor „gültig ab“ liegen."),
            ),
            models.CheckConstraint(
                name="forwardingcontract_amount_positive",
                condition=Q(maximum_amount__isnull=True) | Q(maximum_amount__gt=0),
                violation_error_message=_("Der Höchstbetrag muss größer als null sein."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.provider} – {self.module.code}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.provider_id and self.provider.kind != "provider":
            errors["provider"] = _("Einen Weiterleitungsvertrag schließt ein Träger.")
        if self.module_id and self.valid_from and self.valid_from < self.module.valid_from:
            errors["valid_from"] = _("Der Vertrag kann nicht vor dem Baustein beginnen.")
        if errors:
            raise ValidationError(errors)
