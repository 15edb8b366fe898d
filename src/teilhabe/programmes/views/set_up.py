"""Setting a programme up: the programme, the decision that creates it, its modules, its first
eligibility rule and budget lines — all through ``programme_set_up``, all or nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teilhabe.accounts import policy
from teilhabe.core.views import login_required_htmx_aware
from teilhabe.programmes import services
from teilhabe.programmes.decision_forms import (
    FirstRuleForm,
    NewModuleForm,
    SetUpBudgetForm,
    SetUpForm,
    add_set_up_errors,
    rule_initial,
)
from teilhabe.programmes.views.common import ErrorSource, user_of

MAX_MODULES = 12


def _module_forms(
    count: int, data: QueryDict | None = None, initial: list[dict[str, Any]] | None = None
) -> list[NewModuleForm]:
    forms_ = []
    for number in range(1, count + 1):
        prefix = f"module_{number}"
        if data is not None:
            forms_.append(NewModuleForm(data, prefix=prefix))
        elif initial is not None and number <= len(initial):
            forms_.append(NewModuleForm(prefix=prefix, initial=initial[number - 1]))
        else:
            forms_.append(NewModuleForm(prefix=prefix))
    return forms_


@login_required_htmx_aware
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipalities = policy.municipalities_user_sets_up_programmes_for(user)
    if not municipalities:
        raise PermissionDenied
    today = timezone.localdate()
    action = request.POST.get("action", "save")
    count = request.POST.get("modules", "1")
    modules_count = min(int(count) if count.isdigit() else 1, MAX_MODULES)
    if request.method == "GET":
        form = SetUpForm(municipalities=municipalities, initial={"decided_on": today})
        modules = _module_forms(1)
        rule = FirstRuleForm(prefix="rule", initial=rule_initial(None))
        budget = SetUpBudgetForm(prefix="budget")
        modules_count = 1
    elif action == "add_module":
        values = [f.current_values() for f in _module_forms(modules_count, request.POST)]
        bound = SetUpForm(request.POST, municipalities=municipalities)
        form = SetUpForm(
            municipalities=municipalities,
            initial={name: bound[name].value() for name in bound.fields},
        )
        modules_count = min(modules_count + 1, MAX_MODULES)
        modules = _module_forms(modules_count, initial=values)
        bound_rule = FirstRuleForm(request.POST, prefix="rule")
        rule = FirstRuleForm(
            prefix="rule", initial={n: bound_rule[n].value() for n in bound_rule.fields}
        )
        bound_budget = SetUpBudgetForm(request.POST, prefix="budget")
        budget = SetUpBudgetForm(
            prefix="budget", initial={n: bound_budget[n].value() for n in bound_budget.fields}
        )
    else:
        form = SetUpForm(request.POST, municipalities=municipalities)
        modules = _module_forms(modules_count, request.POST)
        rule = FirstRuleForm(request.POST, prefix="rule")
        budget = SetUpBudgetForm(request.POST, prefix="budget")
        results = [f.is_valid() for f in (form, *modules, rule, budget)]
        if all(results):
            try:
                programme = services.programme_set_up(
                    acting_user=user,
                    owner=form.chosen_owner(),
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    description=form.cleaned_data["description"],
                    decision=form.draft(),
                    modules=[m.new_module() for m in modules],
                    eligibility_rule=rule.rule(),
                    budget_lines=budget.lines(),
                )
            except ValidationError as error:
                add_set_up_errors(error, main=form, modules=modules, rule=rule, budget=budget)
            else:
                messages.success(request, _("Das Programm ist eingerichtet."))
                return redirect("programmes:detail", programme.pk)
    sources = [
        ErrorSource(form),
        *(
            ErrorSource(m, _("Baustein %(number)s") % {"number": n}, m.prefix or "")
            for n, m in enumerate(modules, start=1)
        ),
        ErrorSource(rule, _("Förderregel"), "rule"),
        ErrorSource(budget, _("Budget"), "budget"),
    ]
    return render(
        request,
        "programmes/set_up.html",
        {
            "form": form,
            "modules": modules,
            "modules_count": modules_count,
            "rule": rule,
            "budget": budget,
            "error_forms": sources,
            "has_errors": any(s.form.is_bound and s.form.errors for s in sources),
            "may_add_module": modules_count < MAX_MODULES,
        },
    )
