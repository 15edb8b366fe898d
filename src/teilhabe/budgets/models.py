"""Money: the funding notice, planned amounts per module, expenditures and reallocations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from teilhabe.core.days import validate_supported_day
from teilhabe.core.models import TimeStampedModel

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def to_cent(amount: Decimal) -> Decimal:
    """Money to the cent, half up (0.005 € → 0.01 €), as the funding authority rounds."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class FundingNotice(TimeStampedModel):
    """Zuwendungsbescheid: what the funder granted and how the costs are shared."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("Programm"),
        on_delete=models.PROTECT,
        related_name="funding_notices",
    )
    funder = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Fördermittelgeber"),
        on_delete=models.PROTECT,
        related_name="funding_notices",
        limit_choices_to={"kind": "funder"},
    )
    reference = models.CharField(_("Aktenzeichen"), max_length=100)
    issued_on = models.DateField(_("Bescheid vom"), validators=[validate_supported_day])
    period_start = models.DateField(
        _("Bewilligungszeitraum von"), validators=[validate_supported_day]
    )
    period_end = models.DateField(
        _("Bewilligungszeitraum bis"), validators=[validate_supported_day]
    )
    total_amount = models.DecimalField(
        _("zuwendungsfähige Gesamtausgaben (€)"), max_digits=12, decimal_places=2
    )
    state_share_percent = models.DecimalField(
        _("Landesanteil (%)"), max_digits=5, decimal_places=2, default=Decimal("80")
    )
    conditions = models.TextField(
        _("Auflagen und Nebenbestimmungen"),
        blank=True,
        help_text=_("z. B. Verwendungsnachweis bis 30.06. des Folgejahres"),
    )

    class Meta:
        verbose_name = _("Zuwendungsbescheid")
        verbose_name_plural = _("Zuwendungsbescheide")
        ordering = ["issued_on"]
        constraints = [
            models.CheckConstraint(
                name="fundingnotice_amount_not_negative",
                condition=Q(total_amount__gte=0),
                violation_error_message=_("Der Betrag darf nicht negativ sein."),
            ),
            models.CheckConstraint(
                name="fundingnotice_share_is_percentage",
                condition=Q(state_share_percent__gte=0, state_share_percent__lte=100),
                violation_error_message=_("Der Landesanteil liegt zwischen 0 und 100 %%."),
            ),
            models.CheckConstraint(
                name="fundingnotice_period_order",
                condition=Q(period_end__gte=F("period_start")),
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.issued_on:%d.%m.%Y})"

    @property
    def state_share(self) -> Decimal:
        """The state's part, rounded half up to the cent."""
        return to_cent(self.total_amount * self.state_share_percent / HUNDRED)

    @property
    def own_share(self) -> Decimal:
        """The municipality's part: what is left, so both parts add up to the total exactly."""
        return self.total_amount - self.state_share

    @property
    def own_share_percent(self) -> Decimal:
        return HUNDRED - self.state_share_percent


class BudgetLine(TimeStampedModel):
    """An amount a decision plans for one module in one budget year, for one provider or the
    city itself. A later decision may add to it (another line) or revoke it; what is planned
    for a module and year is the sum of the lines in force."""

    funding_notice = models.ForeignKey(
        FundingNotice,
        verbose_name=_("Zuwendungsbescheid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    module = models.ForeignKey(
        "programmes.Module",
        verbose_name=_("Förderbaustein"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    budget_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        help_text=_("Leer, wenn die Kommune den Baustein selbst umsetzt."),
    )
    planned_amount = models.DecimalField(_("Planansatz (€)"), max_digits=12, decimal_places=2)
    adopted_by = models.ForeignKey(
        "programmes.Amendment",
        verbose_name=_("beschlossen durch"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
        help_text=_(
            "die Einrichtung des Programms oder die Änderung (z. B. Verlängerung), "
            "mit der dieser Ansatz beschlossen wurde"
        ),
    )

    class Meta:
        verbose_name = _("Haushaltsansatz")
        verbose_name_plural = _("Haushaltsansätze")
        ordering = ["budget_year", "module"]
        constraints = [
            models.CheckConstraint(
                name="budgetline_amount_not_negative",
                condition=Q(planned_amount__gte=0),
                violation_error_message=_("Der Planansatz darf nicht negativ sein."),
            ),
            models.CheckConstraint(
                name="budgetline_year_plausible",
                condition=Q(budget_year__gte=2000, budget_year__lte=2100),
                violation_error_message=_("Das Haushaltsjahr liegt zwischen 2000 und 2100."),
            ),
        ]

    def __str__(self) -> str:
        who = self.provider or _("Kommune")
        return f"{self.module.code} {self.budget_year} · {who}"


class Expenditure(TimeStampedModel):
    class Category(models.TextChoices):
        STAFF = "staff", _("Personal")
        TEACHING_HOURS = "teaching_hours", _("Unterrichtsstunden")
        EXAM_FEES = "exam_fees", _("Prüfungsgebühren")
        TRAVEL = "travel", _("Fahrtkosten")
        CHILDCARE = "childcare", _("Kinderbetreuung")
        PROJECT_GRANT = "project_grant", _("Projektförderung")
        OTHER = "other", _("Sonstiges")

    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("Haushaltsansatz"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    spent_on = models.DateField(_("Datum"), validators=[validate_supported_day])
    category = models.CharField(_("Kostenart"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("Betrag (€)"), max_digits=12, decimal_places=2)
    quantity = models.DecimalField(
        _("Menge"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("z. B. Unterrichtsstunden oder VZÄ-Monate"),
    )
    receipt_reference = models.CharField(_("Belegnummer"), max_length=100, blank=True)
    offer = models.ForeignKey(
        "programmes.Offer",
        verbose_name=_("Kursdurchgang"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        help_text=_("Die Zahlung für einen Kursdurchgang löst dessen Bindung auf."),
    )

    class Meta:
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        ordering = ["spent_on"]
        constraints = [
            models.CheckConstraint(
                name="expenditure_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message=_("Eine Ausgabe ist größer als 0 €."),
            ),
            models.CheckConstraint(
                name="expenditure_quantity_not_negative",
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                violation_error_message=_("Die Menge darf nicht negativ sein."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on:%d.%m.%Y} {self.amount} €"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.budget_line_id
            and self.spent_on
            and self.spent_on.year != self.budget_line.budget_year
        ):
            errors["spent_on"] = _("Das Datum liegt nicht im Haushaltsjahr des Ansatzes.")
        if self.offer is not None and self.budget_line_id:
            if self.offer.module_id != self.budget_line.module_id:
                errors["offer"] = _("Der Kursdurchgang gehört zu einem anderen Baustein.")
            elif self.offer.kind != "course_run":
                errors["offer"] = _("Nur ein Kursdurchgang wird so bezahlt.")
        if errors:
            raise ValidationError(errors)


class Reallocation(TimeStampedModel):
    """Budgetumschichtung: money moved between modules in a budget year, adopted by a decision."""

    amendment = models.ForeignKey(
        "programmes.Amendment",
        verbose_name=_("Änderung"),
        on_delete=models.CASCADE,
        related_name="reallocations",
        limit_choices_to={"kind": "move_budget"},
    )
    budget_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    from_module = models.ForeignKey(
        "programmes.Module",
        verbose_name=_("von Baustein"),
        on_delete=models.PROTECT,
        related_name="reallocations_out",
    )
    to_module = models.ForeignKey(
        "programmes.Module",
        verbose_name=_("zu Baustein"),
        on_delete=models.PROTECT,
        related_name="reallocations_in",
    )
    amount = models.DecimalField(_("Betrag (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("Umschichtung")
        verbose_name_plural = _("Umschichtungen")
        ordering = ["budget_year", "pk"]
        constraints = [
            models.CheckConstraint(
                name="reallocation_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message=_("Der umgeschichtete Betrag ist größer als 0 €."),
            ),
            models.CheckConstraint(
                name="reallocation_between_two_modules",
                condition=~Q(from_module=F("to_module")),
                violation_error_message=_(
                    "Eine Umschichtung verbindet zwei verschiedene Bausteine."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.budget_year}: {self.from_module.code} → {self.to_module.code} {self.amount} €"
        )

    def clean(self) -> None:
        if self.amendment_id and self.amendment.kind != "move_budget":
            raise ValidationError(
                {"amendment": _("Nur eine Umschichtungs-Änderung trägt Beträge.")}
            )
