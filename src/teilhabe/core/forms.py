from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from teilhabe.core.selectors import EARLIEST_DAY, LATEST_DAY


class AsOfForm(forms.Form):
    """The day the start page reads the programmes as of ("Stand am")."""

    stand = forms.DateField(
        label=_("Stand am"),
        required=False,
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

    def clean_stand(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("stand")
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise ValidationError(
                _("Bitte wählen Sie einen Tag zwischen dem %(earliest)s und dem %(latest)s."),
                code="out_of_range",
                params={
                    "earliest": date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT"),
                    "latest": date_format(LATEST_DAY, "SHORT_DATE_FORMAT"),
                },
            )
        return day

    @property
    def as_of(self) -> dt.date:
        """The chosen day, or today when none or an invalid one was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data["stand"]:
            day: dt.date = self.cleaned_data["stand"]
            return day
        return self.today
