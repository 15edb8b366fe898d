from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.participants.models import PERSON_KEY_ALPHABET, PERSON_KEY_LENGTH


class PersonKeyField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=_("Personenkennung"),
            help_text=_("Steht auf jedem Schreiben an die Person, z. B. P-7K3M9Q2X."),
            max_length=16,
        )

    def clean(self, value: object) -> str:
        key = str(super().clean(value)).strip().upper()
        body = key.removeprefix("P-")
        if len(body) != PERSON_KEY_LENGTH or any(c not in PERSON_KEY_ALPHABET for c in body):
            raise forms.ValidationError(
                _("Eine Personenkennung hat die Form P- und acht Zeichen, z. B. P-7K3M9Q2X.")
            )
        return "P-" + body


class ErasureForm(forms.Form):
    person_key = PersonKeyField()
    confirmed = forms.BooleanField(
        label=_("Die Person hat die Löschung beantragt; ich habe den Antrag geprüft"),
        required=False,
    )


class AccessRequestForm(forms.Form):
    FORMATS = (("pdf", _("PDF zum Aushändigen")), ("json", _("JSON, maschinenlesbar")))

    person_key = PersonKeyField()
    output = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="pdf")
