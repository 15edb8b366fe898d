"""Finding the person an access request is about, within what the requester handles."""

from __future__ import annotations

from django.db.models import QuerySet

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.participants.models import Participant
from teilhabe.privacy.models import DeletionRecord


def participant_for_access_request(*, user: User, person_key: str) -> Participant | None:
    """The register entry with this key, if the user handles access requests for its city."""
    participant = (
        Participant.objects.select_related("municipality", "duplicate_of")
        .filter(person_key=person_key)
        .first()
    )
    if participant is None or not policy.handles_access_requests_for(user, participant):
        return None
    return participant


def deletion_records_for(*, user: User) -> QuerySet[DeletionRecord]:
    return DeletionRecord.objects.filter(policy.deletion_records_filter(user)).order_by(
        "-ran_at", "-pk"
    )


def same_person(participant: Participant) -> list[Participant]:
    """The register entries of one person: the original first, then its duplicates — all in
    the participant's own municipality (a link to another city's register counts for nothing)."""
    original = participant.duplicate_of or participant
    if original.municipality_id != participant.municipality_id:
        original = participant
    duplicates = Participant.objects.filter(
        duplicate_of=original, municipality_id=original.municipality_id
    ).order_by("pk")
    return [original, *duplicates]
