"""Forms of the case pages (hand-over, module participation): input only; the services decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teilhabe.cases.models import HandOver, ParticipationEnd
from teilhabe.cases.selectors import ParticipationLine, ParticipationSection
from teilhabe.cases.services import DEFAULT_ANSWER_DAYS
from teilhabe.participants.forms import _date_field, add_service_errors
from teilhabe.programmes.models import Module


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


Data = Mapping[str, Any] | None


def _auto_id(kind: str, pk: int) -> str:
    # Several cases and open participations share the file page: their fields need own ids.
    return f"{kind}-{pk}-%s"


class ParticipationDayForm(forms.Form):
    """The day a participation begins: the start form offers the modules in force on it."""

    tag = _date_field(_("Beginn am"))

    def __init__(self, data: Data = None, *, case_id: int, **kwargs: Any) -> None:
        super().__init__(data, auto_id=_auto_id("beginn", case_id), **kwargs)


class ParticipationStartForm(forms.Form):
    """A module of the case's programme; the page offers those in force on the chosen day,
    and the service says why another day does not fit."""

    module = forms.ModelChoiceField(
        label=_("Baustein"), queryset=Module.objects.none(), empty_label=_("Bitte wählen")
    )

    def __init__(self, data: Data = None, *, section: ParticipationSection) -> None:
        super().__init__(data, auto_id=_auto_id("baustein", section.case.pk))
        module = self.fields["module"]
        module.queryset = Module.objects.filter(programme_id=section.case.programme_id)  # type: ignore[attr-defined]
        module.widget.choices = [
            ("", _("Bitte wählen")),
            *((m.pk, str(m)) for m in section.modules),
        ]


# A transfer, or its closing without consent, is the hand-over's work (it keeps a record).
ENDED_BY_CASE_WORK = [
    (reason.value, reason.label)
    for reason in ParticipationEnd
    if reason not in (ParticipationEnd.TRANSFERRED, ParticipationEnd.CLOSED_WITHOUT_CONSENT)
]


class ParticipationEndForm(forms.Form):
    to_date = _date_field(_("Ende am"))
    exit_reason = forms.ChoiceField(
        label=_("Grund des Endes"), choices=[("", _("Bitte wählen")), *ENDED_BY_CASE_WORK]
    )

    def __init__(self, data: Data = None, *, participation_id: int) -> None:
        super().__init__(data, auto_id=_auto_id("ende", participation_id))


@dataclass(frozen=True)
class Problem:
    text: str
    # The id of the field it concerns, for the link from the summary; None: the whole form.
    field_id: str | None = None


@dataclass
class ParticipationPanel:
    """One case's participations with the forms to begin and end them; at most one form is
    bound (the one just sent), and its problems are listed above the forms."""

    section: ParticipationSection
    day_form: ParticipationDayForm
    start_form: ParticipationStartForm
    end_forms: dict[int, ParticipationEndForm] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Set after a "show the modules of this day": the module list is where to go on.
    focus_modules: bool = False

    @property
    def end_rows(self) -> list[tuple[ParticipationLine, ParticipationEndForm]]:
        return [(line, self.end_forms[line.participation.pk]) for line in self.section.open_lines]


def participation_panel(
    section: ParticipationSection,
    *,
    day_form: ParticipationDayForm | None = None,
    start_form: ParticipationStartForm | None = None,
    ended: tuple[int, ParticipationEndForm] | None = None,
    focus_modules: bool = False,
) -> ParticipationPanel:
    case_id = section.case.pk
    day_form = day_form or ParticipationDayForm(initial={"tag": section.day}, case_id=case_id)
    start_form = start_form or ParticipationStartForm(section=section)
    end_forms = {
        line.participation.pk: ParticipationEndForm(participation_id=line.participation.pk)
        for line in section.open_lines
    }
    # A participation that has ended meanwhile has no form left: its problems stand alone.
    gone: list[Problem] = []
    if ended is not None and ended[0] in end_forms:
        end_forms[ended[0]] = ended[1]
    elif ended is not None:
        gone = [Problem(str(text)) for texts in ended[1].errors.values() for text in texts]
    if focus_modules:
        start_form.fields["module"].widget.attrs["autofocus"] = True
    problems = [
        Problem(str(text), form[name].id_for_label if name != "__all__" else None)
        for form in (day_form, start_form, *end_forms.values())
        if form.is_bound
        for name, texts in form.errors.items()
        for text in texts
    ] + gone
    return ParticipationPanel(
        section=section,
        day_form=day_form,
        start_form=start_form,
        end_forms=end_forms,
        problems=problems,
        focus_modules=focus_modules,
    )


def put_service_errors(
    error: ValidationError, *, day_form: forms.Form | None, form: forms.Form
) -> None:
    """What a service refused about the day of beginning belongs to the day field (the start
    form carries the day hidden); everything else to the form sent."""
    if day_form is not None and hasattr(error, "error_dict") and "from_date" in error.error_dict:
        for message in error.message_dict["from_date"]:
            day_form.add_error("tag", message)
        error = ValidationError(
            {key: value for key, value in error.error_dict.items() if key != "from_date"}
        )
        if not error.error_dict:
            return
    add_service_errors(form, error)


def chosen_day(form: ParticipationDayForm, default: dt.date) -> dt.date:
    return form.cleaned_data["tag"] if form.is_valid() else default
