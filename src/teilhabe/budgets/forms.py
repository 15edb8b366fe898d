"""Forms of the budget pages. They check the shape of the input; the services decide."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Expenditure
from teilhabe.budgets.reallocation import Move
from teilhabe.programmes.forms import date_field
from teilhabe.programmes.models import Module, Offer, Programme

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ExpenditureForm(forms.Form):
    budget_line = forms.ModelChoiceField(
        label=_("Haushaltsansatz"), queryset=BudgetLine.objects.none(), empty_label=None
    )
    spent_on = date_field(_("Datum"))
    category = forms.ChoiceField(label=_("Kostenart"), choices=Expenditure.Category.choices)
    quantity = forms.DecimalField(
        label=_("Menge"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "Unterrichtsstunden, VZÄ-Monate oder Kurse: ohne Betrag rechnet Teilhabe mit dem "
            "Satz des Bausteins, der an dem Tag galt."
        ),
    )
    amount = forms.DecimalField(
        label=_("Betrag (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leer lassen, wenn die Menge den Betrag ergibt."),
    )
    receipt_reference = forms.CharField(label=_("Belegnummer"), required=False, max_length=100)
    offer = forms.ModelChoiceField(
        label=_("bezahlt den Kursdurchgang"),
        queryset=Offer.objects.none(),
        required=False,
        empty_label=_("– keiner –"),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = BudgetLine.objects.filter(module__programme=programme).select_related(
            "module", "provider"
        )
        self.fields["budget_line"].queryset = lines  # type: ignore[attr-defined]
        self.fields["offer"].queryset = Offer.objects.filter(  # type: ignore[attr-defined]
            module__programme=programme, kind=Offer.Kind.COURSE_RUN
        ).select_related("module")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Ausgabenliste (CSV oder XLSX)"),
        help_text=_(
            "Spalten: Baustein, Haushaltsjahr, Träger (leer für die Kommune), Datum, Kostenart, "
            "Betrag oder Menge, Beleg; wahlweise Kursdurchgang (sein Titel), den die Zahlung "
            "begleicht. Die erste Zeile nennt die Spalten."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Laden Sie eine CSV- oder XLSX-Datei hoch."))
        return upload


class FundingNoticeForm(forms.Form):
    funder = forms.ModelChoiceField(
        label=_("Fördermittelgeber"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.FUNDER, is_active=True),
    )
    reference = forms.CharField(label=_("Aktenzeichen"), max_length=100)
    issued_on = date_field(_("Bescheid vom"))
    period_start = date_field(_("Bewilligungszeitraum von"))
    period_end = date_field(_("Bewilligungszeitraum bis"))
    total_amount = forms.DecimalField(
        label=_("zuwendungsfähige Gesamtausgaben (€)"), max_digits=12, decimal_places=2
    )
    state_share_percent = forms.DecimalField(
        label=_("Landesanteil (%)"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("80"),
        help_text=_(
            "Der Landesanteil wird kaufmännisch auf den Cent gerundet; der Eigenanteil ist "
            "der Rest."
        ),
    )
    conditions = forms.CharField(
        label=_("Auflagen und Nebenbestimmungen"), required=False, widget=forms.Textarea
    )


class ReallocationDayForm(forms.Form):
    """Which budget year to reallocate in, read on which day (the suggestion follows both)."""

    jahr = forms.TypedChoiceField(label=_("Haushaltsjahr"), coerce=int)
    stand = date_field(
        _("Stand am"),
        required=False,
        help_text=_("Ausgaben, Bindungen und Wartelisten bis zu diesem Tag."),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["jahr"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(year), str(year)) for year in years]

    def chosen(self, default_year: int, default_day: dt.date) -> tuple[int, dt.date]:
        if not (self.is_bound and self.is_valid()):
            return default_year, default_day
        return self.cleaned_data["jahr"], self.cleaned_data["stand"] or default_day


class MoneyField(forms.DecimalField):
    """An amount as people write it: 1.000,50 (German) or 1,000.50 (English) as well as 1000,50."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            thousands = re.escape(get_format("THOUSAND_SEPARATOR"))
            decimal = re.escape(get_format("DECIMAL_SEPARATOR"))
            value = value.strip().removesuffix("€").strip()
            if re.fullmatch(rf"-?\d{{1,3}}({thousands}\d{{3}})+({decimal}\d*)?", value):
                value = re.sub(thousands, "", value)
        result: Decimal | None = super().to_python(value)
        return result


class MoveForm(forms.Form):
    """One row of a reallocation: from which module to which, how much."""

    from_module = forms.ChoiceField(label=_("von Baustein"), required=False)
    to_module = forms.ChoiceField(label=_("zu Baustein"), required=False)
    amount = MoneyField(label=_("Betrag (€)"), required=False, localize=True)

    def __init__(self, *args: Any, modules: list[Module], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modules = {str(m.pk): m for m in modules}
        options = [("", "–"), *((str(m.pk), str(m)) for m in modules)]
        for name in ("from_module", "to_module"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(n) not in (None, "") for n in ("from_module", "to_module", "amount")):
            for name in ("from_module", "to_module", "amount"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Bitte ausfüllen."))
        return data

    def move(self, budget_year: int) -> Move | None:
        """The row as a move; None for an empty or invalid row."""
        if not self.is_valid() or self.cleaned_data.get("DELETE"):
            return None
        data = self.cleaned_data
        if not data.get("from_module"):
            return None
        return Move(
            budget_year=budget_year,
            from_module=self.modules[data["from_module"]],
            to_module=self.modules[data["to_module"]],
            amount=data["amount"],
        )


MoveFormSet = forms.formset_factory(MoveForm, extra=0, can_delete=True, max_num=50)


class ProposalForm(forms.Form):
    effective_on = date_field(_("wirksam ab"))
