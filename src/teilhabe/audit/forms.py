"""The auditor's filters for the trail. The form only validates; the selector decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.audit.models import AuditAction
from teilhabe.audit.selectors import AuditFilters

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
INVALID_DATE = _("Bitte geben Sie ein gültiges Datum ein, zum Beispiel 17.03.2022.")


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Personenkennung"),
        help_text=_("Zum Beispiel P-7K3M9Q2X"),
        required=False,
        max_length=32,
    )
    benutzer = forms.CharField(label=_("Benutzername"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    vorgang = forms.ChoiceField(label=_("Vorgang"), required=False)
    von = forms.DateField(
        label=_("von (Tag)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"invalid": INVALID_DATE},
    )
    bis = forms.DateField(
        label=_("bis (Tag, einschließlich)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"invalid": INVALID_DATE},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        choice = self.fields["vorgang"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("alle")), *AuditAction.choices]

    def clean_person(self) -> str:
        key: str = self.cleaned_data["person"]
        return key.strip().upper()

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        since, until = cleaned.get("von"), cleaned.get("bis")
        if since and until and since > until:
            raise ValidationError(
                {"bis": _("Der letzte Tag liegt vor dem ersten. Bitte tauschen Sie die Tage.")}
            )
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters to apply; none when the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            person=data["person"],
            username=data["benutzer"].strip(),
            organisation=data["organisation"],
            action=data["vorgang"],
            since=data["von"],
            until=data["bis"],
        )
