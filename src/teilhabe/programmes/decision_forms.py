"""The form for recording a decision: what it says of itself, and one small form per amendment.

Each amendment form knows its kind and turns its input into the service's ``NewAmendment``;
the service decides. Its refusals come back keyed ``amendment_N.field`` (or
``amendment_N.rule.field``, ``amendment_N.module.field`` ...) and are put next to the field
they concern, or at the top of that amendment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from teilhabe.accounts.models import Organisation
from teilhabe.core.codes import ResidenceType
from teilhabe.programmes.forms import date_field
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    CostBasis,
    EligibilityRule,
    Module,
)
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewBudgetLine,
    NewContract,
    NewEligibilityRule,
    NewModule,
    NewReallocation,
)
from teilhabe.programmes.timeline import Choices

BUDGET_ROWS = 3


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes whose field links (as from the error summary) go to the first box."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def _module_choices(choices: Choices, *, blank: Promise | str | None = None) -> list[Any]:
    options: list[Any] = [(str(m.pk), str(m)) for m in choices.modules]
    return [("", blank or _("Bitte wählen")), *options]


class DecisionForm(forms.Form):
    body = forms.CharField(
        label=_("Gremium"),
        max_length=200,
        help_text=_("z. B. Rat der Stadt Köln, Bezirksregierung"),
    )
    decided_on = date_field(_("beschlossen am"))
    reference = forms.CharField(label=_("Aktenzeichen / Vorlage"), max_length=100)
    title = forms.CharField(label=_("Titel"), max_length=300)
    text = forms.CharField(
        label=_("Beschlusstext"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    condition = forms.CharField(
        label=_("Vorbehalt"),
        max_length=300,
        required=False,
        help_text=_("z. B. „vorbehaltlich des Zuwendungsbescheids“; leer: ohne Vorbehalt"),
    )
    organisation = forms.ChoiceField(label=_("beschließende Stelle"))

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        owner = choices.programme.owner
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(owner.pk), owner.name)] + [
            (str(f.pk), f.name) for f in choices.funders
        ]
        field.initial = str(owner.pk)

    def draft(self) -> DecisionDraft:
        data = self.cleaned_data
        organisation = next(
            (f for f in self.choices.funders if str(f.pk) == data["organisation"]), None
        )
        return DecisionDraft(
            body=data["body"],
            decided_on=data["decided_on"],
            reference=data["reference"],
            title=data["title"],
            text=data["text"],
            condition=data["condition"],
            organisation=organisation,
        )


class AmendmentForm(forms.Form):
    kind: ClassVar[str]
    # Service keys (after ``amendment_N.``) that name a field of this form differently.
    service_fields: ClassVar[dict[str, str]] = {}
    # Prefixes of service keys for a part of the amendment whose fields this form repeats.
    service_prefixes: ClassVar[tuple[str, ...]] = ()

    effective_on = date_field(_("wirksam ab"))
    summary = forms.CharField(
        label=_("Zusammenfassung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        # The summary is the last thing to fill in.
        self.order_fields([n for n in self.fields if n != "summary"] + ["summary"])

    @property
    def title(self) -> str:
        return str(AmendmentKind(self.kind).label)

    def field_for(self, service_key: str) -> str | None:
        if service_key in self.service_fields:
            return self.service_fields[service_key]
        for prefix in self.service_prefixes:
            if service_key.startswith(prefix):
                service_key = service_key.removeprefix(prefix)
        return service_key if service_key in self.fields else None

    def amendment(self) -> NewAmendment:
        return NewAmendment(
            kind=self.kind,
            effective_on=self.cleaned_data["effective_on"],
            summary=self.cleaned_data["summary"],
            **self.specifics(),
        )

    def specifics(self) -> dict[str, Any]:
        return {}

    def current_values(self) -> dict[str, Any]:
        """What was entered, to show again unchanged (no errors) after adding or removing."""
        return {name: self[name].value() for name in self.fields}


class ExtendProgrammeForm(AmendmentForm):
    kind = AmendmentKind.EXTEND_PROGRAMME
    new_end_date = date_field(
        _("neues Programmende"), help_text=_("Der letzte Tag des Programms nach diesem Beschluss.")
    )

    def specifics(self) -> dict[str, Any]:
        return {"new_end_date": self.cleaned_data["new_end_date"]}


class ModuleChoiceForm(AmendmentForm):
    """An amendment about one existing module."""

    module = forms.ChoiceField(label=_("Förderbaustein"))

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        field = self.fields["module"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _module_choices(choices)

    def chosen_module(self) -> Module:
        module = self.choices.module(self.cleaned_data["module"])
        assert module is not None  # the choice field admits only the programme's modules
        return module


class EndModuleForm(ModuleChoiceForm):
    kind = AmendmentKind.END_MODULE
    new_end_date = date_field(_("letzter Tag des Bausteins"))
    successor_programme = forms.ChoiceField(
        label=_("Nachfolgeprogramm"),
        required=False,
        help_text=_("Das Programm, in das offene Fälle übergehen; leer: keines."),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        field = self.fields["successor_programme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("kein Nachfolgeprogramm"))] + [
            (str(p.pk), p.name) for p in choices.successors
        ]

    def specifics(self) -> dict[str, Any]:
        successor = next(
            (
                p
                for p in self.choices.successors
                if str(p.pk) == self.cleaned_data["successor_programme"]
            ),
            None,
        )
        return {
            "module": self.chosen_module(),
            "new_end_date": self.cleaned_data["new_end_date"],
            "successor_programme": successor,
        }


class ChangeRateForm(ModuleChoiceForm):
    kind = AmendmentKind.CHANGE_RATE
    new_rate = forms.DecimalField(
        label=_("neuer Satz je Einheit (€)"), min_value=Decimal("0"), decimal_places=2
    )

    def specifics(self) -> dict[str, Any]:
        return {"module": self.chosen_module(), "new_rate": self.cleaned_data["new_rate"]}


CONTRACT_FIELD_ORDER = (
    "effective_on",
    "provider",
    "module",
    "reference",
    "valid_from",
    "valid_until",
    "maximum_amount",
    "summary",
)


class ForwardFundsForm(ModuleChoiceForm):
    """A forwarding contract with a provider of the city for one module."""

    kind = AmendmentKind.FORWARD_FUNDS
    service_prefixes = ("contract.",)
    provider = forms.ChoiceField(label=_("Träger"))
    reference = forms.CharField(
        label=_("Vertragszeichen"), max_length=100, help_text=_("z. B. WV 2021/07")
    )
    valid_from = date_field(_("Vertrag gültig ab"))
    valid_until = date_field(
        _("Vertrag gültig bis"), required=False, help_text=_("Leer: solange der Baustein läuft.")
    )
    maximum_amount = forms.DecimalField(
        label=_("Höchstbetrag (€)"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        help_text=_("Leer: ohne Höchstbetrag im Vertrag."),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Bitte wählen"))] + [(str(p.pk), p.name) for p in choices.providers]
        self.order_fields(CONTRACT_FIELD_ORDER)

    def specifics(self) -> dict[str, Any]:
        data = self.cleaned_data
        provider = next(p for p in self.choices.providers if str(p.pk) == data["provider"])
        module = self.chosen_module()
        return {
            "module": module,
            "new_contract": NewContract(
                provider=provider,
                module=module,
                reference=data["reference"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                maximum_amount=data["maximum_amount"],
            ),
        }


def _statuses(label: StrPromise, help_text: StrPromise | str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        choices=ResidenceType.choices,
        widget=CheckboxGroup,
    )


class EligibilityFieldsMixin(forms.Form):
    min_age = forms.IntegerField(label=_("Mindestalter bei Eintritt"), min_value=0, max_value=99)
    max_age = forms.IntegerField(
        label=_("Höchstalter bei Eintritt"),
        min_value=0,
        max_value=99,
        help_text=_("einschließlich"),
    )
    main_group_statuses = _statuses(_("Aufenthaltsstatus der Hauptzielgruppe"))
    special_case_statuses = _statuses(
        _("Aufenthaltsstatus des Sonderfalls"),
        _("z. B. § 24 AufenthG für Geflüchtete aus der Ukraine"),
    )
    excluded_statuses = _statuses(
        _("Aufenthaltsstatus ohne Förderung"),
        _("weder Haupt- noch sekundäre Zielgruppe"),
    )
    secondary_group_allowed = forms.BooleanField(
        label=_("sekundäre Zielgruppe zugelassen"), required=False
    )
    excludes_state_reception = forms.BooleanField(
        label=_("Ausschluss bei Wohnsitz in einer Landeseinrichtung"), required=False
    )
    place_of_residence = forms.CharField(
        label=_("Wohnort"), max_length=100, required=False, help_text=_("Leer: keine Vorgabe")
    )

    def rule(self) -> NewEligibilityRule:
        data = self.cleaned_data
        return NewEligibilityRule(
            min_age=data["min_age"],
            max_age=data["max_age"],
            main_group_statuses=list(data["main_group_statuses"]),
            special_case_statuses=list(data["special_case_statuses"]),
            excluded_statuses=list(data["excluded_statuses"]),
            secondary_group_allowed=data["secondary_group_allowed"],
            excludes_state_reception=data["excludes_state_reception"],
            place_of_residence=data["place_of_residence"],
        )


def rule_initial(rule: EligibilityRule | None) -> dict[str, Any]:
    if rule is None:
        return {
            "min_age": 18,
            "max_age": 27,
            "secondary_group_allowed": True,
            "excludes_state_reception": True,
        }
    return {
        "min_age": rule.min_age,
        "max_age": rule.max_age,
        "main_group_statuses": list(rule.main_group_statuses),
        "special_case_statuses": list(rule.special_case_statuses),
        "excluded_statuses": list(rule.excluded_statuses),
        "secondary_group_allowed": rule.secondary_group_allowed,
        "excludes_state_reception": rule.excludes_state_reception,
        "place_of_residence": rule.place_of_residence,
    }


class ChangeEligibilityForm(AmendmentForm, EligibilityFieldsMixin):
    kind = AmendmentKind.CHANGE_ELIGIBILITY
    service_prefixes = ("rule.",)

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        if not kwargs.get("data") and not args and "initial" not in kwargs:
            kwargs["initial"] = rule_initial(choices.current_rule)
        super().__init__(*args, choices=choices, **kwargs)
        self.fields["effective_on"].help_text = _(
            "Förderregeln ändern sich nicht rückwirkend: frühestens am Tag des Beschlusses."
        )

    def specifics(self) -> dict[str, Any]:
        return {"eligibility_rule": self.rule()}


class ModuleFieldsMixin(forms.Form):
    code = forms.CharField(label=_("Kürzel"), max_length=10, help_text=_("z. B. F7"))
    name = forms.CharField(label=_("Name"), max_length=200)
    local_name = forms.CharField(label=_("örtliche Bezeichnung"), max_length=200, required=False)
    valid_from = date_field(_("gültig ab"))
    valid_until = date_field(
        _("gültig bis"), required=False, help_text=_("Leer: bis zum Programmende.")
    )
    cost_basis = forms.ChoiceField(label=_("Kostenbasis"), choices=CostBasis.choices)
    unit_rate = forms.DecimalField(
        label=_("Satz je Einheit (€)"),
        required=False,
        min_value=Decimal("0"),
        decimal_places=2,
        help_text=_("z. B. 37,50 € je Unterrichtsstunde"),
    )
    counts_in_state_monitoring = forms.BooleanField(
        label=_("zählt im Landesmonitoring"), required=False, initial=True
    )

    def new_module(self) -> NewModule:
        data = self.cleaned_data
        return NewModule(
            code=data["code"],
            name=data["name"],
            local_name=data["local_name"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            cost_basis=data["cost_basis"],
            unit_rate=data["unit_rate"],
            counts_in_state_monitoring=data["counts_in_state_monitoring"],
        )


class AddModuleForm(AmendmentForm, ModuleFieldsMixin):
    kind = AmendmentKind.ADD_MODULE
    service_prefixes = ("module.",)

    def specifics(self) -> dict[str, Any]:
        return {"new_module": self.new_module()}


class RowsMixin:
    """Up to ``BUDGET_ROWS`` rows of amounts; rows left empty are ignored."""

    cleaned_data: dict[str, Any]

    def row_errors(self, number: int, values: dict[str, Any]) -> None:
        missing = [name for name, value in values.items() if value in (None, "")]
        if missing and len(missing) < len(values):
            for name in missing:
                self.add_error(f"{name}_{number}", _("Bitte ergänzen Sie die Zeile."))  # type: ignore[attr-defined]


def _year_field(number: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Haushaltsjahr (Zeile %(number)s)") % {"number": number},
        required=False,
        min_value=2000,
        max_value=2100,
    )


def _amount_field(number: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Betrag in € (Zeile %(number)s)") % {"number": number},
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
    )


class AddBudgetForm(RowsMixin, AmendmentForm):
    kind = AmendmentKind.ADD_BUDGET

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        for number in range(1, BUDGET_ROWS + 1):
            self.fields[f"module_{number}"] = forms.ChoiceField(
                label=_("Baustein (Zeile %(number)s)") % {"number": number},
                required=False,
                choices=_module_choices(choices, blank="–"),
            )
            self.fields[f"year_{number}"] = _year_field(number)
            self.fields[f"amount_{number}"] = _amount_field(number)
        self.order_fields([n for n in self.fields if n != "summary"] + ["summary"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, BUDGET_ROWS + 1):
            self.row_errors(
                number,
                {
                    "module": data.get(f"module_{number}"),
                    "year": data.get(f"year_{number}"),
                    "amount": data.get(f"amount_{number}"),
                },
            )
        return data

    def specifics(self) -> dict[str, Any]:
        lines = []
        for number in range(1, BUDGET_ROWS + 1):
            module = self.choices.module(self.cleaned_data.get(f"module_{number}"))
            if module is None:
                continue
            lines.append(
                NewBudgetLine(
                    module=module,
                    budget_year=self.cleaned_data[f"year_{number}"],
                    planned_amount=self.cleaned_data[f"amount_{number}"],
                )
            )
        return {"budget_lines": tuple(lines)}


class MoveBudgetForm(RowsMixin, AmendmentForm):
    kind = AmendmentKind.MOVE_BUDGET

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        for number in range(1, BUDGET_ROWS + 1):
            self.fields[f"year_{number}"] = _year_field(number)
            self.fields[f"from_{number}"] = forms.ChoiceField(
                label=_("von Baustein (Zeile %(number)s)") % {"number": number},
                required=False,
                choices=_module_choices(choices, blank="–"),
            )
            self.fields[f"to_{number}"] = forms.ChoiceField(
                label=_("zu Baustein (Zeile %(number)s)") % {"number": number},
                required=False,
                choices=_module_choices(choices, blank="–"),
            )
            self.fields[f"amount_{number}"] = _amount_field(number)
        self.order_fields([n for n in self.fields if n != "summary"] + ["summary"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, BUDGET_ROWS + 1):
            self.row_errors(
                number,
                {
                    "year": data.get(f"year_{number}"),
                    "from": data.get(f"from_{number}"),
                    "to": data.get(f"to_{number}"),
                    "amount": data.get(f"amount_{number}"),
                },
            )
        return data

    def specifics(self) -> dict[str, Any]:
        moves = []
        for number in range(1, BUDGET_ROWS + 1):
            giving = self.choices.module(self.cleaned_data.get(f"from_{number}"))
            receiving = self.choices.module(self.cleaned_data.get(f"to_{number}"))
            if giving is None or receiving is None:
                continue
            moves.append(
                NewReallocation(
                    budget_year=self.cleaned_data[f"year_{number}"],
                    from_module=giving,
                    to_module=receiving,
                    amount=self.cleaned_data[f"amount_{number}"],
                )
            )
        return {"reallocations": tuple(moves)}


def _revocable_what(amendment: Amendment) -> str:
    """What sets one amendment apart from others of its kind in the revoke list: the
    contract's provider, module and sign, or the module it concerns (21 set-up contracts read
    "Weiterleitungsvertrag schließen" alike)."""
    contracts = list(amendment.forwarding_contracts.all())
    if contracts:
        return " – " + "; ".join(
            f"{c.provider.name}, {c.module.code}, {c.reference}" for c in contracts
        )
    if amendment.module is not None:
        return f" – {amendment.module.code}"
    return ""


class RevokeForm(AmendmentForm):
    kind = AmendmentKind.REVOKE
    revokes = forms.ChoiceField(
        label=_("aufgehobene Änderung"),
        help_text=_("Sie gilt bis zum Tag vor dem Wirksamwerden dieser Aufhebung."),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        field = self.fields["revokes"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Bitte wählen"))] + [
            (
                str(a.pk),
                _("%(reference)s (%(day)s) Nr. %(position)s: %(kind)s%(what)s")
                % {
                    "reference": a.decision.reference,
                    "day": date_format(a.decision.decided_on, "SHORT_DATE_FORMAT"),
                    "position": a.position,
                    "kind": a.get_kind_display(),
                    "what": _revocable_what(a),
                },
            )
            for a in choices.revocable
        ]

    def specifics(self) -> dict[str, Any]:
        target = next(
            a for a in self.choices.revocable if str(a.pk) == self.cleaned_data["revokes"]
        )
        return {"revokes": target}


AMENDMENT_FORMS: dict[str, type[AmendmentForm]] = {
    form.kind: form
    for form in (
        ExtendProgrammeForm,
        EndModuleForm,
        ChangeEligibilityForm,
        AddModuleForm,
        ChangeRateForm,
        AddBudgetForm,
        MoveBudgetForm,
        ForwardFundsForm,
        RevokeForm,
    )
}


def amendment_prefix(number: int) -> str:
    return f"amendment_{number}"


def add_service_errors(
    error: ValidationError, *, main: forms.Form, amendments: list[AmendmentForm]
) -> None:
    """Put each of a service's refusals next to its field (``amendment_N.`` picks the form)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            main.add_error(None, message)
        return
    for key, found in error.message_dict.items():
        head, _dot, rest = key.partition(".")
        form: forms.Form = main
        target: str | None = key if key in main.fields else None
        if head.startswith("amendment_") and head.removeprefix("amendment_").isdigit():
            number = int(head.removeprefix("amendment_"))
            if 1 <= number <= len(amendments):
                form = amendments[number - 1]
                target = amendments[number - 1].field_for(rest)
        for message in found:
            form.add_error(target, message)


# --- Setting a programme up ------------------------------------------------------------------

SET_UP_BUDGET_ROWS = 6


class SetUpForm(forms.Form):
    """The programme and the decision that sets it up."""

    owner = forms.ChoiceField(label=_("Kommune"))
    code = forms.SlugField(
        label=_("Kürzel"),
        max_length=40,
        help_text=_("für Adressen und Skripte, z. B. durchstarten"),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = date_field(_("Beginn"))
    ends_on = date_field(_("Ende"))
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Gremium"), max_length=200, help_text=_("z. B. Rat der Stadt Köln")
    )
    decided_on = date_field(_("beschlossen am"))
    reference = forms.CharField(label=_("Aktenzeichen / Vorlage"), max_length=100)
    title = forms.CharField(label=_("Titel des Beschlusses"), max_length=300)
    text = forms.CharField(
        label=_("Beschlusstext"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, municipalities: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m.pk), m.name) for m in municipalities]

    def chosen_owner(self) -> Organisation:
        return next(m for m in self.municipalities if str(m.pk) == self.cleaned_data["owner"])

    def draft(self) -> DecisionDraft:
        data = self.cleaned_data
        return DecisionDraft(
            body=data["body"],
            decided_on=data["decided_on"],
            reference=data["reference"],
            title=data["title"],
            text=data["text"],
        )


class NewModuleForm(ModuleFieldsMixin):
    def field_for(self, service_key: str) -> str | None:
        key = service_key.removeprefix("module.")
        return key if key in self.fields else None

    def current_values(self) -> dict[str, Any]:
        return {name: self[name].value() for name in self.fields}


class FirstRuleForm(EligibilityFieldsMixin):
    def field_for(self, service_key: str) -> str | None:
        key = service_key.removeprefix("rule.")
        return key if key in self.fields else None


class SetUpBudgetForm(RowsMixin, forms.Form):
    """Budget lines of the set-up: a module (by its code, as entered above), a year, an amount."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, SET_UP_BUDGET_ROWS + 1):
            self.fields[f"module_{number}"] = forms.CharField(
                label=_("Kürzel des Bausteins (Zeile %(number)s)") % {"number": number},
                required=False,
                max_length=10,
            )
            self.fields[f"year_{number}"] = _year_field(number)
            self.fields[f"amount_{number}"] = _amount_field(number)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, SET_UP_BUDGET_ROWS + 1):
            self.row_errors(
                number,
                {
                    "module": data.get(f"module_{number}"),
                    "year": data.get(f"year_{number}"),
                    "amount": data.get(f"amount_{number}"),
                },
            )
        return data

    def lines(self) -> list[NewBudgetLine]:
        return [
            NewBudgetLine(
                module=self.cleaned_data[f"module_{number}"],
                budget_year=self.cleaned_data[f"year_{number}"],
                planned_amount=self.cleaned_data[f"amount_{number}"],
            )
            for number in range(1, SET_UP_BUDGET_ROWS + 1)
            if self.cleaned_data.get(f"module_{number}")
        ]


def add_set_up_errors(
    error: ValidationError,
    *,
    main: SetUpForm,
    modules: list[NewModuleForm],
    rule: FirstRuleForm,
    budget: SetUpBudgetForm,
) -> None:
    """``programme_set_up`` numbers its amendments: 1 the set-up (with the budget lines), then
    one per module, then the first rule."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            main.add_error(None, message)
        return
    for key, found in error.message_dict.items():
        head, _dot, rest = key.partition(".")
        form: forms.Form = main
        target: str | None = key if key in main.fields else None
        number = head.removeprefix("amendment_")
        if head.startswith("amendment_") and number.isdigit():
            index = int(number)
            target = None
            if index == 1:
                form = budget
            elif 2 <= index <= len(modules) + 1:
                form = modules[index - 2]
                target = modules[index - 2].field_for(rest)
            else:
                form = rule
                target = rule.field_for(rest)
        for message in found:
            form.add_error(target, message)
