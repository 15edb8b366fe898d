from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teilhabe.core.days import EARLIEST_DAY, LATEST_DAY, validate_supported_day
from teilhabe.reports.periods import ReportingPeriod, latest_closed_by, period_by_key


class AsOfForm(forms.Form):
    """The day the start page reads the programmes as of ("Stand am")."""

    stand = forms.DateField(
        label=_("Stand am"),
        required=False,
        validators=[validate_supported_day],
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={
                "type": "date",
                "min": EARLIEST_DAY.isoformat(),
                "max": LATEST_DAY.isoformat(),
            },
        ),
        error_messages={
            "invalid": _("Bitte geben Sie ein gültiges Datum ein, zum Beispiel 17.03.2022."),
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["stand"].help_text = _(
            "Die Seite zeigt das Programm so, wie es an diesem Tag beschlossen war."
        )

    @property
    def as_of(self) -> dt.date:
        """The chosen day, or today when none or an invalid one was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data["stand"]:
            day: dt.date = self.cleaned_data["stand"]
            return day
        return self.today


class PeriodForm(forms.Form):
    """The reporting period a funder reads the figures for ("Berichtszeitraum").

    A funder never gets figures for a day of their choosing: a ``stand`` in the address
    (an old link, or a guess) is answered with the last period that closed by that day.
    """

    zeitraum = forms.ChoiceField(
        label=_("Berichtszeitraum"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Bitte wählen Sie einen abgeschlossenen Berichtszeitraum aus der Liste."
            ),
        },
    )
    # Read, never shown: a day asked for is only a pointer to the period that closed by then.
    stand = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, periods: list[ReportingPeriod], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        field = self.fields["zeitraum"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(period.key, period.label) for period in reversed(periods)]
        field.help_text = _(
            "Zahlen gibt es zum Ende jedes abgeschlossenen Quartals und Jahres, "
            "gezählt seit Programmbeginn."
        )

    def clean_stand(self) -> dt.date | None:
        try:
            day: dt.date | None = AsOfForm.base_fields["stand"].to_python(
                self.cleaned_data.get("stand")
            )
        except ValidationError:
            return None
        return day

    @property
    def latest(self) -> ReportingPeriod | None:
        return self.periods[-1] if self.periods else None

    @property
    def asked_for_day(self) -> dt.date | None:
        """A day given instead of a period: it is never shown as such."""
        if self.is_bound and self.is_valid() and not self.cleaned_data["zeitraum"]:
            day: dt.date | None = self.cleaned_data["stand"]
            return day
        return None

    @property
    def period(self) -> ReportingPeriod | None:
        """The chosen period; for a day, the last one closed by then; otherwise the latest."""
        if not self.is_bound or not self.is_valid():
            return self.latest
        key = self.cleaned_data["zeitraum"]
        if key:
            return period_by_key(self.periods, key)
        day = self.asked_for_day
        if day is not None:
            return latest_closed_by(self.periods, day) or self.latest
        return self.latest
