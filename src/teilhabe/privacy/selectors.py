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
