"""Forms of the programme pages. They check the shape of the input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.core.days import EARLIEST_DAY, LATEST_DAY, validate_supported_day
from teilhabe.programmes.models import Module, Offer

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERRORS = {"invalid": _("Bitte geben Sie ein gültiges Datum ein, zum Beispiel 17.03.2022.")}


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        validators=[validate_supported_day],
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()},
        ),
        error_messages=DATE_ERRORS,
    )


class ReadingForm(forms.Form):
    """The day the programme is read as of ("Stand am") and as known on ("Kenntnisstand")."""

    stand = date_field(
        _("Stand am"),
        required=False,
        help_text=_("Was an diesem Tag galt."),
    )
    bekannt = date_field(
        _("Kenntnisstand am"),
        required=False,
        help_text=_(
            "Welche Beschlüsse an diesem Tag im Bestand waren; leer: heute. So lässt sich "
            "nachvollziehen, was ein früherer Bericht zeigte."
        ),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def _day(self, name: str) -> dt.date:
        """The chosen day, or today when none or an invalid one was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data[name]:
            day: dt.date = self.cleaned_data[name]
            return day
        return self.today

    @property
    def as_of(self) -> dt.date:
        return self._day("stand")

    @property
    def known_on(self) -> dt.date:
        return self._day("bekannt")


class ConditionMetForm(forms.Form):
    """That the condition of a decision is met: on which day, shown by what."""

    condition_met_on = date_field(_("Vorbehalt erfüllt am"))
    condition_evidence = forms.CharField(
        label=_("Nachweis der Erfüllung"),
        max_length=300,
        help_text=_("z. B. Zuwendungsbescheid der Bezirksregierung vom 01.04.2022"),
    )


class OfferForm(forms.Form):
    """An offer or course run of a provider under a module; ``offer_create`` decides."""

    provider = forms.ChoiceField(label=_("Träger"))
    module = forms.ChoiceField(label=_("Förderbaustein"))
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=Offer.Kind.choices)
    starts_on = date_field(
        _("Beginn"), help_text=_("An diesem Tag braucht der Träger einen Weiterleitungsvertrag.")
    )
    ends_on = date_field(_("Ende"), required=False, help_text=_("Für einen Kursdurchgang nötig."))
    places = forms.IntegerField(label=_("Plätze"), required=False, min_value=1)
    teaching_hours = forms.IntegerField(label=_("Unterrichtsstunden"), required=False, min_value=0)
    language = forms.CharField(
        label=_("Unterrichtssprache"),
        max_length=20,
        initial="de",
        help_text=_("Sprachcode, z. B. de"),
    )
    location = forms.CharField(label=_("Ort"), max_length=200, required=False)

    def __init__(
        self, *args: Any, providers: list[Organisation], modules: list[Module], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.providers = providers
        self.modules = modules
        for name, options in (("provider", providers), ("module", modules)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Bitte wählen"))] + [(str(o.pk), str(o)) for o in options]

    def chosen(self) -> tuple[Organisation, Module, dict[str, Any]]:
        """The provider, the module and the offer's own fields."""
        data = dict(self.cleaned_data)
        provider_pk, module_pk = data.pop("provider"), data.pop("module")
        provider = next(p for p in self.providers if str(p.pk) == provider_pk)
        module = next(m for m in self.modules if str(m.pk) == module_pk)
        return provider, module, data
