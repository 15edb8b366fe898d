"""Forms of the report pages: the period of an evaluation, the day of a council paper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teilhabe.programmes.forms import date_field


class PeriodForm(forms.Form):
    """The period an evaluation covers; both days are part of it."""

    von = date_field(_("Zeitraum von"), required=False)
    bis = date_field(_("Zeitraum bis"), required=False)

    def __init__(self, *args: Any, default: tuple[dt.date, dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            raise ValidationError(
                {"bis": _("Das Ende des Zeitraums darf nicht vor seinem Beginn liegen.")}
            )
        return cleaned

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period; the default for a day left empty or any invalid input."""
        if self.is_bound and self.is_valid():
            start = self.cleaned_data["von"] or self.default[0]
            end = self.cleaned_data["bis"] or self.default[1]
            if start <= end:
                return start, end
        return self.default


class PaperDayForm(forms.Form):
    stand = date_field(_("Stand am"), required=False, help_text=_("Der Tag der Vorlage."))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    @property
    def day(self) -> dt.date:
        if self.is_bound and self.is_valid() and self.cleaned_data["stand"]:
            day: dt.date = self.cleaned_data["stand"]
            return day
        return self.today
