"""Forms of the hand-over pages: input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.cases.models import HandOver
from teilhabe.cases.services import DEFAULT_ANSWER_DAYS


class HandOverForm(forms.Form):
    """Hand over the chosen people (or everyone still open): with consent a transfer, without
    it a closing, for which the day and way the person was told are needed."""

    participations = forms.TypedMultipleChoiceField(label=_("Personen"), coerce=int, required=False)
    informed_on = forms.DateField(
        label=_("Personen ohne Einwilligung informiert am"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Nur für Personen ohne Einwilligung: ihre Teilnahme endet ohne Übergabe."),
    )
    informed_how = forms.ChoiceField(
        label=_("informiert"),
        required=False,
        choices=[("", "–"), *HandOver.Informed.choices],
    )
    answer_within_days = forms.IntegerField(
        label=_("Antwortfrist der aufnehmenden Stelle (Tage)"),
        min_value=1,
        max_value=90,
        initial=DEFAULT_ANSWER_DAYS,
    )

    def __init__(self, *args: object, open_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["participations"].choices = [(pk, str(pk)) for pk in open_ids]  # type: ignore[attr-defined]
        self.open_ids = open_ids

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("informed_on")) != bool(data.get("informed_how")):
            raise forms.ValidationError(
                _("Bitte Tag und Art der Information angeben, oder beides leer lassen.")
            )
        return data
