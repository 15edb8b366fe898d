"""Reads of participants, always scoped to the user and audited."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.services import audit_record
from teilhabe.participants.models import Participant


def participants_visible_to(user: User) -> QuerySet[Participant]:
    return Participant.objects.filter(pk__in=_visible_case_participant_ids(user))


def _visible_case_participant_ids(user: User) -> QuerySet:
    from teilhabe.cases.models import Case

    return Case.objects.filter(policy.visible_case_filter(user)).values("participant_id")


def participant_get_for_user(
    *, user: User, pk: int, request: HttpRequest | None = None
) -> Participant:
    """One participant the user may see, with the read written to the audit trail."""
    participant = participants_visible_to(user).filter(pk=pk).first()
    if participant is None:
        raise Http404
    audit_record(action="read", actor=user, obj=participant, request=request)
    return participant
