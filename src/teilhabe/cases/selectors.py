"""Reads of case data, always scoped to what the user may see (see ``accounts.policy``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.cases.models import Case


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
