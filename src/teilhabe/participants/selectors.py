"""Reads of the register and of files, always scoped by ``accounts.policy`` and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.participants.models import DataCategory, Participant, ParticipantFile


def participants_visible_to(user: User) -> QuerySet[Participant]:
    """People whose names the user may read (see ``policy.register_identity_filter``)."""
    return Participant.objects.filter(policy.register_identity_filter(user))


def participant_get_for_user(
    *, user: User, pk: int, request: HttpRequest | None = None
) -> Participant:
    """One person the user may see by name, with the read written to the audit trail."""
    participant = participants_visible_to(user).filter(pk=pk).first()
    if participant is None:
        raise Http404
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=participant,
        subjects=[participant.person_key],
        request=request,
    )
    return participant


def files_visible_to(user: User) -> QuerySet[ParticipantFile]:
    return ParticipantFile.objects.filter(policy.visible_file_filter(user))


@dataclass(frozen=True)
class FileView:
    """A file as one user may read it: the record and the categories open to them."""

    file: ParticipantFile
    categories: frozenset[str]

    def shows(self, category: str) -> bool:
        return category in self.categories

    @property
    def is_own(self) -> bool:
        return self.categories == policy.ALL_CATEGORIES

    @property
    def shows_identity(self) -> bool:
        return self.shows(DataCategory.IDENTITY)


def file_get_for_user(*, user: User, pk: int, request: HttpRequest | None = None) -> FileView:
    """One file, or 404 when it does not exist *or* the user may not open it (no existence leak)."""
    file = (
        files_visible_to(user)
        .select_related("participant", "participant__municipality", "controller")
        .filter(pk=pk)
        .first()
    )
    if file is None:
        raise Http404
    categories = policy.file_categories_for(user, file)
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=file,
        subjects=[file.participant.person_key],
        organisation=file.controller,
        request=request,
        details={"categories": sorted(categories)},
    )
    return FileView(file=file, categories=categories)
