"""A programme's decisions: the list, one decision with its preview, and what the coordination
does with a proposal (adopt, reject) or a decision waiting for its condition.

Thin: the policy says who may see what (404 for those who may not read the programme), the
services decide what may be written (they refuse anyone but the owning coordination).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teilhabe.accounts import policy
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes import services
from teilhabe.programmes.decision_forms import (
    AMENDMENT_FORMS,
    AmendmentForm,
    DecisionForm,
    add_service_errors,
    amendment_prefix,
)
from teilhabe.programmes.forms import ConditionMetForm
from teilhabe.programmes.models import AmendmentKind, Decision, DecisionStatus, Programme
from teilhabe.programmes.preview import decision_preview
from teilhabe.programmes.timeline import Choices, decision_form_choices, decisions_of
from teilhabe.programmes.views.common import (
    ErrorSource,
    decision_for_reader,
    programme_for_reader,
    user_of,
)


@login_required_htmx_aware
@require_http_methods(["GET"])
def decision_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_reader(request, programme_id)
    may_change = policy.may_change_programme(user_of(request), programme)
    return render(
        request,
        "programmes/decision_list.html",
        {
            "programme": programme,
            "decisions": decisions_of(programme=programme, with_drafts=may_change),
            "may_change": may_change,
        },
    )


def _render_detail(
    request: HttpRequest,
    programme: Programme,
    decision: Decision,
    *,
    errors: list[str] | None = None,
    condition_form: ConditionMetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = user_of(request)
    may_change = policy.may_change_programme(user, programme)
    if condition_form is None and decision.status == DecisionStatus.CONDITIONAL:
        condition_form = ConditionMetForm(initial={"condition_met_on": timezone.localdate()})
    amendments = list(
        decision.amendments.select_related(
            "module", "successor_programme", "eligibility_rule", "revokes__decision"
        )
        .prefetch_related("revoked_by__decision", "added_modules")
        .order_by("position")
    )
    return render(
        request,
        "programmes/decision_detail.html",
        {
            "programme": programme,
            "decision": decision,
            "amendments": amendments,
            "preview": decision_preview(decision),
            # Counts of cases are exact figures: only for those who see them (the coordination).
            "shows_counts": policy.sees_exact_figures_of(user, programme.owner),
            "may_change": may_change,
            "errors": errors or [],
            "condition_form": condition_form if may_change else None,
        },
        status=status,
    )


@login_required_htmx_aware
@require_http_methods(["GET"])
def decision_detail(request: HttpRequest, programme_id: int, decision_id: int) -> HttpResponse:
    programme = programme_for_reader(request, programme_id)
    decision = decision_for_reader(request, programme, decision_id)
    return _render_detail(request, programme, decision)


def _messages_of(error: ValidationError) -> list[str]:
    """A service's refusal in sentences; an amendment's problem names the amendment."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for key, found in error.message_dict.items():
        number = key.split(".", 1)[0].removeprefix("amendment_") if "amendment_" in key else ""
        for message in found:
            lines.append(
                _("Änderung %(number)s: %(message)s") % {"number": number, "message": message}
                if number.isdigit()
                else message
            )
    return lines


def _act(request: HttpRequest, programme_id: int, decision_id: int, action: str) -> HttpResponse:
    programme = programme_for_reader(request, programme_id)
    decision = decision_for_reader(request, programme, decision_id)
    user = user_of(request)
    if not policy.may_change_programme(user, programme):
        raise PermissionDenied
    try:
        if action == "adopt":
            decision = services.decision_adopt(acting_user=user, decision=decision)
            if decision.status == DecisionStatus.CONDITIONAL:
                text = _(
                    "Der Beschluss ist unter Vorbehalt erfasst. Er gilt, sobald der Vorbehalt "
                    "als erfüllt eingetragen ist."
                )
            else:
                text = _("Der Beschluss ist beschlossen und gilt ab heute im Bestand.")
        else:
            decision = services.decision_reject(acting_user=user, decision=decision)
            text = _("Der Entwurf ist als nicht beschlossen abgelegt.")
    except ValidationError as error:
        return _render_detail(request, programme, decision, errors=_messages_of(error))
    messages.success(request, text)
    return redirect("programmes:decision_detail", programme.pk, decision.pk)


@login_required_htmx_aware
@require_POST
def decision_adopt(request: HttpRequest, programme_id: int, decision_id: int) -> HttpResponse:
    return _act(request, programme_id, decision_id, "adopt")


@login_required_htmx_aware
@require_POST
def decision_reject(request: HttpRequest, programme_id: int, decision_id: int) -> HttpResponse:
    return _act(request, programme_id, decision_id, "reject")


@login_required_htmx_aware
@require_POST
def decision_condition_met(
    request: HttpRequest, programme_id: int, decision_id: int
) -> HttpResponse:
    programme = programme_for_reader(request, programme_id)
    decision = decision_for_reader(request, programme, decision_id)
    user = user_of(request)
    if not policy.may_change_programme(user, programme):
        raise PermissionDenied
    form = ConditionMetForm(request.POST)
    if form.is_valid():
        try:
            services.decision_condition_met(
                acting_user=user,
                decision=decision,
                met_on=form.cleaned_data["condition_met_on"],
                evidence=form.cleaned_data["condition_evidence"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, found in error.message_dict.items():
                    for message in found:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("Der Vorbehalt ist erfüllt; der Beschluss gilt."))
            return redirect("programmes:decision_detail", programme.pk, decision.pk)
    return _render_detail(request, programme, decision, condition_form=form)


def _amendment_forms(
    kinds: list[str],
    choices: Choices,
    *,
    data: QueryDict | None = None,
    initial: list[dict[str, Any]] | None = None,
) -> list[AmendmentForm]:
    forms_ = []
    for number, kind in enumerate(kinds, start=1):
        form_class = AMENDMENT_FORMS[kind]
        prefix = amendment_prefix(number)
        if data is not None:
            forms_.append(form_class(data, prefix=prefix, choices=choices))
        elif initial is not None and number <= len(initial):
            forms_.append(form_class(prefix=prefix, choices=choices, initial=initial[number - 1]))
        else:
            forms_.append(form_class(prefix=prefix, choices=choices))
    return forms_


def _kinds(value: str) -> list[str]:
    return [kind for kind in value.split(",") if kind in AMENDMENT_FORMS]


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Record a decision with its amendments, as a proposal; its preview comes next.

    Adding or removing an amendment posts the form and shows it again with what was entered,
    so it works without JavaScript; only "save" validates and calls the service.
    """
    programme = programme_for_reader(request, programme_id)
    user = user_of(request)
    if not policy.may_change_programme(user, programme):
        raise PermissionDenied
    today = timezone.localdate()
    choices = decision_form_choices(programme=programme, today=today)
    action = request.POST.get("action", "save")
    if request.method == "GET":
        kinds = _kinds(request.GET.get("art", ""))
        form = DecisionForm(choices=choices, initial={"decided_on": today})
        amendments = _amendment_forms(kinds, choices)
    elif action in ("add", "remove"):
        kinds = _kinds(request.POST.get("kinds", ""))
        posted = _amendment_forms(kinds, choices, data=request.POST)
        values = [f.current_values() for f in posted]
        if action == "add" and request.POST.get("add_kind") in AMENDMENT_FORMS:
            kinds.append(request.POST["add_kind"])
        elif action == "remove" and request.POST.get("remove", "").isdigit():
            index = int(request.POST["remove"]) - 1
            if 0 <= index < len(kinds):
                del kinds[index]
                del values[index]
        bound = DecisionForm(request.POST, choices=choices)
        form = DecisionForm(
            choices=choices, initial={name: bound[name].value() for name in bound.fields}
        )
        amendments = _amendment_forms(kinds, choices, initial=values)
        if action == "add" and amendments:
            # The page comes back from the top: the focus goes on to the new amendment
            # (found by a newcomer walk: 18 tab stops back down to it).
            first = next(iter(amendments[-1].visible_fields()), None)
            if first is not None:
                first.field.widget.attrs["autofocus"] = True
    else:
        kinds = _kinds(request.POST.get("kinds", ""))
        form = DecisionForm(request.POST, choices=choices)
        amendments = _amendment_forms(kinds, choices, data=request.POST)
        # Every form validated, so that every error shows at once.
        amendments_valid = [f.is_valid() for f in amendments]
        if form.is_valid() and all(amendments_valid):
            try:
                decision = services.decision_propose(
                    acting_user=user,
                    programme=programme,
                    decision=form.draft(),
                    amendments=[f.amendment() for f in amendments],
                )
            except ValidationError as error:
                add_service_errors(error, main=form, amendments=amendments)
            else:
                messages.success(
                    request,
                    _(
                        "Der Entwurf ist gespeichert. Prüfen Sie die Vorschau und beschließen Sie ihn."
                    ),
                )
                return redirect("programmes:decision_detail", programme.pk, decision.pk)
    sources = [ErrorSource(form)] + [
        ErrorSource(f, _("Änderung %(number)s") % {"number": n}, f.prefix or "")
        for n, f in enumerate(amendments, start=1)
    ]
    return render(
        request,
        "programmes/decision_form.html",
        {
            "programme": programme,
            "form": form,
            "amendments": amendments,
            "kinds": ",".join(kinds),
            "kind_choices": [(kind, AmendmentKind(kind).label) for kind in AMENDMENT_FORMS],
            "error_forms": sources,
            "has_errors": any(s.form.is_bound and s.form.errors for s in sources),
        },
    )
