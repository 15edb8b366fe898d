"""Forms of the file pages. They check the shape of the input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.core.codes import EmploymentPermission, ResidenceType
from teilhabe.participants.models import ConsentEvidence, ConsentPurpose, DataCategory
from teilhabe.participants.selectors import RecipientChoices
from teilhabe.programmes.models import Programme

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERRORS = {"invalid": _("Bitte geben Sie ein gültiges Datum ein, zum Beispiel 17.03.2022.")}
# A consent to be contacted is the controller's own business, not a way of sharing.
SHARING_PURPOSES = [
    (p.value, p.label)
    for p in (
        ConsentPurpose.CASE_SHARING,
        ConsentPurpose.COORDINATION_DETAILS,
        ConsentPurpose.TRANSFER,
    )
]
ORGANISATION_PREFIX = "organisation-"
PROGRAMME_PREFIX = "programme-"


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes whose field links (as from the error summary) go to the first box."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Zweck"), choices=SHARING_PURPOSES)
    recipient = forms.ChoiceField(
        label=_("Empfänger"),
        help_text=_(
            "Eine Organisation der Kommune oder ein Programm: dann sehen die Träger, die die "
            "Person in diesem Programm begleiten, die genannten Angaben."
        ),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Geteilte Angaben"),
        help_text=_("Nur diese Teile der Akte sieht der Empfänger."),
        choices=DataCategory.choices,
        widget=CheckboxGroup,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Datenkategorie.")},
    )
    given_on = _date_field(_("Erteilt am"))
    expires_on = _date_field(
        _("Gültig bis"),
        required=False,
        help_text=_("Letzter Tag, an dem die Einwilligung gilt. Leer lassen: bis zum Widerruf."),
    )
    evidence = forms.ChoiceField(label=_("Form der Einwilligung"), choices=ConsentEvidence.choices)
    form_version = forms.CharField(
        label=_("Formularfassung"),
        max_length=40,
        required=False,
        help_text=_("Die Fassung des unterschriebenen Formulars, z. B. EW-2022-03."),
    )
    language = forms.CharField(
        label=_("Sprache des Formulars"),
        max_length=10,
        required=False,
        help_text=_("Sprachcode, z. B. de, ar, fa, uk."),
    )

    def __init__(self, *args: Any, recipients: RecipientChoices, today: dt.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recipients = recipients

        def organisations(kind: str) -> list[tuple[str, str]]:
            return [
                (f"{ORGANISATION_PREFIX}{o.pk}", o.name)
                for o in recipients.organisations
                if o.kind == kind
            ]

        groups = [
            (_("Programmkoordination"), organisations(Organisation.Kind.MUNICIPALITY)),
            (_("Träger"), organisations(Organisation.Kind.PROVIDER)),
            (
                _("Programme"),
                [(f"{PROGRAMME_PREFIX}{p.pk}", p.name) for p in recipients.programmes],
            ),
        ]
        choices: list[Any] = [("", _("Bitte wählen"))]
        choices += [(label, options) for label, options in groups if options]
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ChoiceField)
        recipient.choices = choices
        self.fields["given_on"].initial = today
        self.fields["evidence"].initial = ConsentEvidence.WRITTEN

    def clean_recipient(self) -> Organisation | Programme:
        value: str = self.cleaned_data["recipient"]
        if value.startswith(ORGANISATION_PREFIX):
            key = value.removeprefix(ORGANISATION_PREFIX)
            for organisation in self.recipients.organisations:
                if str(organisation.pk) == key:
                    return organisation
        elif value.startswith(PROGRAMME_PREFIX):
            key = value.removeprefix(PROGRAMME_PREFIX)
            for programme in self.recipients.programmes:
                if str(programme.pk) == key:
                    return programme
        raise ValidationError(_("Bitte wählen Sie einen Empfänger aus der Liste."))

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        recipient = data["recipient"]
        return {
            "purpose": data["purpose"],
            "recipient": recipient if isinstance(recipient, Organisation) else None,
            "recipient_programme": recipient if isinstance(recipient, Programme) else None,
            "data_categories": list(data["data_categories"]),
            "given_on": data["given_on"],
            "expires_on": data["expires_on"],
            "evidence": data["evidence"],
            "form_version": data["form_version"],
            "language": data["language"],
        }


class ResidenceDocumentForm(forms.Form):
    residence_type = forms.ChoiceField(
        label=_("Aufenthaltsstatus"),
        choices=[("", _("Bitte wählen")), *ResidenceType.choices],
    )
    valid_from = _date_field(_("Gültig ab"))
    valid_until = _date_field(
        _("Gültig bis"), required=False, help_text=_("Leer lassen, wenn kein Ende eingetragen ist.")
    )
    employment = forms.ChoiceField(
        label=_("Erwerbstätigkeit"),
        choices=EmploymentPermission.choices,
        initial=EmploymentPermission.ON_PERMISSION,
    )

    def service_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# Where a service's error about a model field belongs on the page.
SERVICE_FIELD_FOR = {"recipient_programme": "recipient"}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put what a service refused next to the field it concerns, or above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target: str | None = SERVICE_FIELD_FOR.get(field, field)
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
