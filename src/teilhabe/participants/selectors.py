"""Reads of the register and of files, always scoped by ``accounts.policy`` and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.participants.models import (
    Consent,
    DataCategory,
    Participant,
    ParticipantFile,
    ResidenceDocument,
)
from teilhabe.programmes.models import Programme

if TYPE_CHECKING:
    from teilhabe.cases.models import Case


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
    # The user works cases where the file is kept (not: was shared every category).
    is_own: bool

    def shows(self, category: str) -> bool:
        return category in self.categories

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
    return FileView(file=file, categories=categories, is_own=policy.controls_file(user, file))


# --- The file pages ----------------------------------------------------------------------------

FILES_PER_PAGE = 25


@dataclass(frozen=True)
class FileRow:
    """One line of "Meine Akten": the file, and whether its person's name may be shown."""

    file: ParticipantFile
    shows_identity: bool


@dataclass(frozen=True)
class FileList:
    page: Page[ParticipantFile]
    rows: list[FileRow]


def files_list_for_user(
    *, user: User, page_number: int | str | None = 1, request: HttpRequest | None = None
) -> FileList:
    """The files a user may open, one page of them; the persons shown are one audit event."""
    files = (
        files_visible_to(user)
        .select_related("participant", "controller")
        .order_by("-opened_on", "-pk")
    )
    page = Paginator(files, FILES_PER_PAGE).get_page(page_number)
    rows = [
        FileRow(
            file=file,
            shows_identity=DataCategory.IDENTITY in policy.file_categories_for(user, file),
        )
        for file in page.object_list
    ]
    # One event per organisation whose files were shown, under that organisation: its own
    # auditor sees who listed its people, also when another provider read them by consent.
    by_controller: dict[int, list[FileRow]] = {}
    for row in rows:
        by_controller.setdefault(row.file.controller_id, []).append(row)
    for shown in by_controller.values():
        audit_record(
            action=AuditAction.READ,
            actor=user,
            organisation=shown[0].file.controller,
            request=request,
            subjects=[row.file.participant.person_key for row in shown],
            details={"list": "participant_files", "page": page.number},
        )
    return FileList(page=page, rows=rows)


@dataclass(frozen=True)
class ConsentLine:
    """A consent as the file page lists it: its categories in words and its state today."""

    consent: Consent
    category_labels: list[str]
    in_force: bool

    @property
    def state(self) -> str:
        if self.consent.withdrawn_on is not None:
            return "withdrawn"
        if self.consent.used_on is not None:
            return "used"
        return "in_force" if self.in_force else "expired"


def consent_line(consent: Consent) -> ConsentLine:
    order = list(DataCategory.values)
    codes = sorted((c for c in consent.data_categories if c in order), key=order.index)
    return ConsentLine(
        consent=consent,
        category_labels=[str(DataCategory(c).label) for c in codes],
        in_force=policy.consent_is_in_force(consent, on=timezone.localdate()),
    )


@dataclass(frozen=True)
class FilePage:
    """Everything the file page shows to one user: each part only where its category is open.

    The consents and the list of who can see the file are the controller's business: a
    recipient learns why they see what they see, not with whom else the person shares.
    """

    view: FileView
    residence_documents: list[ResidenceDocument]
    cases: list[Case]
    consents: list[ConsentLine]
    audience: list[policy.AccessLine]
    # Asked of the policy, not of the categories: a consent may name every category.
    controls: bool

    @property
    def file(self) -> ParticipantFile:
        return self.view.file

    @property
    def has_outcomes(self) -> bool:
        return any(case.outcomes.all() for case in self.cases)

    @property
    def opens(self) -> dict[str, bool]:
        """For templates: which categories are open, by code."""
        return {code: code in self.view.categories for code in DataCategory.values}

    @property
    def hidden_categories(self) -> list[str]:
        """The categories not open to the user, in words."""
        return [
            str(label) for code, label in DataCategory.choices if code not in self.view.categories
        ]

    @property
    def shown_categories(self) -> list[str]:
        return [str(label) for code, label in DataCategory.choices if code in self.view.categories]


def file_page_for_user(*, user: User, pk: int, request: HttpRequest | None = None) -> FilePage:
    """The file page: 404 for anyone who may not open the file; the read is audited."""
    from teilhabe.cases.selectors import cases_visible_to

    view = file_get_for_user(user=user, pk=pk, request=request)
    file = view.file
    documents = (
        list(file.residence_documents.order_by("-valid_from", "-pk"))
        if view.shows(DataCategory.RESIDENCE)
        else []
    )
    cases: list[Case] = []
    if view.categories & policy.CASE_CATEGORIES:
        cases = list(
            cases_visible_to(user)
            .filter(participant_id=file.participant_id, lead_provider_id=file.controller_id)
            .select_related("programme")
            .prefetch_related("goals", "outcomes")
            .order_by("-entry_date", "-pk")
        )
    controls = policy.controls_file(user, file)
    consents = (
        [
            consent_line(consent)
            for consent in file.consents.select_related(
                "recipient", "recipient_programme"
            ).order_by("-given_on", "-pk")
        ]
        if controls
        else []
    )
    audience = policy.file_audience(file) if controls else []
    return FilePage(
        view=view,
        residence_documents=documents,
        cases=cases,
        consents=consents,
        audience=audience,
        controls=controls,
    )


def file_get_for_controller(
    *, user: User, pk: int, request: HttpRequest | None = None
) -> ParticipantFile:
    """A file to write into: 404 where the user may not open it, 403 where they only read it."""
    view = file_get_for_user(user=user, pk=pk, request=request)
    if not policy.controls_file(user, view.file):
        raise PermissionDenied(_("Diese Akte führt eine andere Stelle."))
    return view.file


def consent_get_for_controller(
    *, user: User, file_pk: int, pk: int, request: HttpRequest | None = None
) -> ConsentLine:
    """A consent of a file the user controls (to withdraw it); 404 when it is not in that file."""
    file = file_get_for_controller(user=user, pk=file_pk, request=request)
    consent = file.consents.select_related("recipient", "recipient_programme").filter(pk=pk).first()
    if consent is None:
        raise Http404
    consent.file = file
    return consent_line(consent)


@dataclass(frozen=True)
class RecipientChoices:
    """Whom a file's controller can name in a consent: the municipality's coordination and
    its other organisations, and the municipality's programmes."""

    organisations: list[Organisation]
    programmes: list[Programme]


def consent_recipient_choices(*, file: ParticipantFile) -> RecipientChoices:
    municipality_id = file.participant.municipality_id
    organisations = (
        Organisation.objects.filter(Q(pk=municipality_id) | Q(municipality_id=municipality_id))
        .filter(is_active=True)
        .exclude(pk=file.controller_id)
        .order_by("kind", "name")
    )
    programmes = Programme.objects.filter(owner_id=municipality_id).order_by("name")
    return RecipientChoices(organisations=list(organisations), programmes=list(programmes))
