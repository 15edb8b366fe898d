"""Reads of case data, always scoped to what the user may see (see ``accounts.policy``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.cases.models import Attendance, Case, Contact, Enrolment, Outcome
from teilhabe.core.codes import Gender, OutcomeType
from teilhabe.programmes.eligibility import age_on
from teilhabe.programmes.models import Programme


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(policy.visible_case_filter(user))


def case_get_for_user(*, user: User, pk: int, request: HttpRequest | None = None) -> Case:
    """One case, or 404 when it does not exist *or* the user may not see it (no existence leak)."""
    case = (
        cases_visible_to(user)
        .select_related("participant", "programme", "lead_provider", "coach")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=case,
        subjects=[case.participant.person_key],
        organisation=case.lead_provider,
        request=request,
    )
    return case


AGE_GROUPS: tuple[tuple[int, int, StrOrPromise], ...] = (
    (0, 17, _("unter 18")),
    (18, 20, "18–20"),
    (21, 24, "21–24"),
    (25, 27, "25–27"),
)


def age_group(age: int) -> StrOrPromise:
    """Age in bands wide enough that, with gender and dates, it does not point to one person."""
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return _("über 27")


@dataclass(frozen=True)
class PseudonymisedCase:
    """What the coordination sees of a person in its programme: no name, no case content."""

    person_key: str
    age_group: StrOrPromise
    gender: StrOrPromise
    modules: tuple[str, ...]
    entry_date: dt.date
    exit_date: dt.date | None
    hours: Decimal
    outcomes: tuple[StrOrPromise, ...]


@dataclass(frozen=True)
class PseudonymisedPage:
    rows: list[PseudonymisedCase]
    page: Page[int]  # the case ids of the page, for its navigation


def pseudonymised_cases(
    *,
    user: User,
    programme: Programme,
    page_number: int | str = 1,
    per_page: int = 50,
    request: HttpRequest | None = None,
) -> PseudonymisedPage:
    """One page of a programme's cases by person key, for its coordination; audited as a list read.

    Hours are attendance hours in courses plus the time of coaching contacts.
    """
    if not policy.sees_programme_pseudonymised(user, programme.owner_id):
        raise Http404
    # Page through the ids alone, then read the page's cases with their people: sorting the
    # joined wide rows to skip to a middle page cost 92 ms on 10,000 cases, the ids 8 ms
    # (benchmarks/RESULTS.md).
    ordered_ids = (
        Case.objects.filter(programme=programme)
        .order_by("entry_date", "pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ordered_ids, per_page).get_page(page_number)
    ids = list(page.object_list)
    by_id = Case.objects.select_related("participant").in_bulk(ids)
    shown = [by_id[pk] for pk in ids]
    modules: dict[int, set[str]] = {}
    for case_id, code in (
        Enrolment.objects.filter(case_id__in=ids)
        .values_list("case_id", "offer__module__code")
        .distinct()
    ):
        modules.setdefault(case_id, set()).add(code)
    attended = dict(
        Attendance.objects.filter(enrolment__case_id__in=ids)
        .values("enrolment__case_id")
        .annotate(total=Sum("hours"))
        .values_list("enrolment__case_id", "total")
    )
    counselled = dict(
        Contact.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(total=Sum("duration_minutes"))
        .values_list("case_id", "total")
    )
    outcomes: dict[int, list[str]] = {}
    for case_id, outcome_type in Outcome.objects.filter(case_id__in=ids).values_list(
        "case_id", "outcome_type"
    ):
        outcomes.setdefault(case_id, []).append(outcome_type)
    rows = [
        PseudonymisedCase(
            person_key=case.participant.person_key,
            age_group=age_group(age_on(case.participant.date_of_birth, case.entry_date)),
            gender=Gender(case.participant.gender).label,
            modules=tuple(sorted(modules.get(case.pk, ()))),
            entry_date=case.entry_date,
            exit_date=case.exit_date,
            hours=(attended.get(case.pk) or Decimal(0))
            + (Decimal(counselled.get(case.pk) or 0) / 60).quantize(Decimal("0.01")),
            outcomes=tuple(OutcomeType(o).label for o in sorted(outcomes.get(case.pk, ()))),
        )
        for case in shown
    ]
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=programme,
        organisation=programme.owner,
        subjects=[row.person_key for row in rows],
        request=request,
        details={"view": "pseudonymised_cases", "page": page.number},
    )
    return PseudonymisedPage(rows=rows, page=page)
