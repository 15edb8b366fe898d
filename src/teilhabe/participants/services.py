"""Every write to the register and to files: validated completely, in one transaction,
permission-checked through ``accounts.policy``, audited with the person as data subject."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.core.services import raise_if_invalid
from teilhabe.participants.models import (
    TRANSFERABLE_CATEGORIES,
    Consent,
    ConsentPurpose,
    DataCategory,
    Participant,
    ParticipantFile,
    ResidenceDocument,
)

REGISTER_FIELDS = frozenset(
    {
        "given_names",
        "family_name",
        "given_names_original",
        "family_name_original",
        "date_of_birth",
        "gender",
        "phone",
        "email",
        "registered_on",
    }
)
FILE_FIELDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    DataCategory.CONTACT: ("postal_code", "city", "lives_in_state_reception"),
    DataCategory.EDUCATION: ("nationality", "languages", "schooling", "german_level"),
}
FILE_FIELDS = frozenset(f for fields in FILE_FIELDS_BY_CATEGORY.values() for f in fields)


def _check_fields(given: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def _residence_document(
    *,
    file: ParticipantFile,
    residence_type: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    employment: str | None,
) -> ResidenceDocument:
    return ResidenceDocument(
        file=file,
        residence_type=residence_type,
        valid_from=valid_from,
        valid_until=valid_until,
        **({"employment": employment} if employment else {}),
    )


def participant_register(
    *,
    acting_user: User,
    municipality: Organisation,
    file_controller: Organisation | None = None,
    residence_type: str | None = None,
    residence_valid_from: dt.date | None = None,
    residence_valid_until: dt.date | None = None,
    employment: str | None = None,
    file_fields: dict[str, Any] | None = None,
    **fields: Any,
) -> Participant:
    """Put a person in the municipality's register.

    A provider registering a walk-in (``file_controller``: its own organisation) opens its
    file at the same time, with the residence document that eligibility depends on.
    """
    if not policy.may_register_in(acting_user, municipality):
        raise PermissionDenied(_("Sie arbeiten nicht in dieser Kommune."))
    if file_controller is not None and not policy.does_case_work_at(acting_user, file_controller):
        raise PermissionDenied(_("Akten legen Sie nur für Ihre eigene Organisation an."))
    _check_fields(fields, REGISTER_FIELDS, "register")
    _check_fields(file_fields or {}, FILE_FIELDS, "file")

    participant = Participant(municipality=municipality, **fields)
    checks: list[tuple[str, Any, list[str] | None]] = [("", participant, None)]
    file = document = None
    if file_controller is not None:
        file = ParticipantFile(
            participant=participant, controller=file_controller, **(file_fields or {})
        )
        checks.append(("", file, ["participant"]))
        if residence_type is not None and residence_valid_from is not None:
            document = _residence_document(
                file=file,
                residence_type=residence_type,
                valid_from=residence_valid_from,
                valid_until=residence_valid_until,
                employment=employment,
            )
            checks.append(("residence_", document, ["file"]))
    raise_if_invalid(*checks)
    with transaction.atomic():
        participant.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=participant,
            subjects=[participant.person_key],
            organisation=municipality,
            fields=sorted(fields),
        )
        if file is not None:
            file.participant = participant
            file.save()
            if document is not None:
                document.file = file
                document.save()
            audit_record(
                action=AuditAction.CREATE,
                actor=acting_user,
                obj=file,
                subjects=[participant.person_key],
                organisation=file_controller,
                fields=sorted(file_fields or {}),
            )
    return participant


def file_open(
    *,
    acting_user: User,
    participant: Participant,
    controller: Organisation,
    **fields: Any,
) -> ParticipantFile:
    """The coordination assigns a registered person to an organisation, which gets a file."""
    if not policy.may_assign(acting_user, participant):
        raise PermissionDenied(_("Personen weist die Programmkoordination ihrer Kommune zu."))
    _check_fields(fields, FILE_FIELDS, "file")
    file = ParticipantFile(participant=participant, controller=controller, **fields)
    raise_if_invalid(("", file, None))
    with transaction.atomic():
        file.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=file,
            subjects=[participant.person_key],
            organisation=controller,
            fields=sorted(fields),
        )
    return file


def _require_controller(user: User, file: ParticipantFile) -> None:
    if not policy.controls_file(user, file):
        raise PermissionDenied(_("Diese Akte führt eine andere Stelle."))


def residence_document_add(
    *,
    acting_user: User,
    file: ParticipantFile,
    residence_type: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    employment: str | None = None,
) -> ResidenceDocument:
    """Add the next entry of the file's residence history. Earlier entries stay: the history is the record."""
    _require_controller(acting_user, file)
    document = _residence_document(
        file=file,
        residence_type=residence_type,
        valid_from=valid_from,
        valid_until=valid_until,
        employment=employment,
    )
    raise_if_invalid(("", document, None))
    with transaction.atomic():
        document.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=document,
            subjects=[file.participant.person_key],
            organisation=file.controller,
            fields=["residence_type", "valid_from", "valid_until", "employment"],
        )
    return document


def consent_record(
    *,
    acting_user: User,
    file: ParticipantFile,
    purpose: str,
    data_categories: list[str],
    given_on: dt.date,
    recipient: Organisation | None = None,
    recipient_programme: Any = None,
    expires_on: dt.date | None = None,
    evidence: str = Consent.Evidence.WRITTEN,
    form_version: str = "",
    language: str = "",
) -> Consent:
    """Record a consent in the file of the organisation that will share (the controller)."""
    _require_controller(acting_user, file)
    found: dict[str, list[str]] = {}
    if given_on > timezone.localdate():
        found["given_on"] = [_("Eine Einwilligung wird erfasst, wenn sie erteilt ist.")]
    if recipient is not None and recipient.kind == Organisation.Kind.FUNDER:
        found["recipient"] = [_("Fördermittelgeber erhalten keine Daten zu Personen.")]
    consent = Consent(
        file=file,
        purpose=purpose,
        recipient=recipient,
        recipient_programme=recipient_programme,
        data_categories=list(data_categories),
        given_on=given_on,
        expires_on=expires_on,
        evidence=evidence,
        form_version=form_version.strip(),
        language=language.strip(),
        recorded_by=acting_user,
    )
    raise_if_invalid(("", consent, None), found=found)
    with transaction.atomic():
        consent.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=consent,
            subjects=[file.participant.person_key],
            organisation=file.controller,
            details={"purpose": purpose, "categories": sorted(data_categories)},
        )
    return consent


def consent_withdraw(
    *, acting_user: User, consent: Consent, withdrawn_on: dt.date | None = None
) -> Consent:
    """Record a withdrawal. It takes effect on its day, so access ends at once."""
    _require_controller(acting_user, consent.file)
    day = withdrawn_on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError({"__all__": [_("Diese Einwilligung ist schon widerrufen.")]})
    if day > timezone.localdate():
        raise ValidationError(
            {"withdrawn_on": [_("Ein Widerruf gilt ab sofort; ein Tag in der Zukunft geht nicht.")]}
        )
    consent.withdrawn_on = day
    raise_if_invalid(("", consent, None))
    with transaction.atomic():
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=consent,
            subjects=[consent.file.participant.person_key],
            organisation=consent.file.controller,
            fields=["withdrawn_on"],
        )
    return consent


def file_transfer(
    *, acting_user: User, consent: Consent, to: Organisation, on: dt.date | None = None
) -> ParticipantFile:
    """Copy the categories a transfer consent names into the receiving organisation's file.

    Only the sending controller does this, once: the consent is spent by it. The receiver is
    the organisation the consent names, or — for a consent naming a programme — the
    organisation that runs the person's case in it (its owner or one of the owner's providers).
    """
    _require_controller(acting_user, consent.file)
    return transfer_by_consent(acting_user=acting_user, consent=consent, to=to, on=on)


def transfer_by_consent(
    *,
    acting_user: User,
    consent: Consent,
    to: Organisation,
    on: dt.date | None = None,
    keeping_the_file: bool = False,
) -> ParticipantFile:
    """The transfer itself; callers have checked who may make it happen (the sending
    controller in ``file_transfer``, the coordination for a module's hand-over).

    ``keeping_the_file``: the receiving side is the sending controller itself (the city hands
    a person from a module it ran to a successor programme it runs): nothing is copied, the
    consent to the new purpose is spent and the file serves the new case.
    """
    source = consent.file
    day = on or timezone.localdate()
    errors: list[str] = []
    if consent.purpose != ConsentPurpose.TRANSFER:
        errors.append(_("Das ist keine Einwilligung zur Übergabe."))
    if consent.used_on is not None:
        errors.append(_("Diese Einwilligung wurde für eine Übergabe schon verwendet."))
    elif not policy.consent_is_in_force(consent, on=day):
        errors.append(_("Die Einwilligung gilt an diesem Tag nicht."))
    if consent.recipient_id is not None and to.pk != consent.recipient_id:
        errors.append(_("Die Einwilligung nennt einen anderen Empfänger."))
    if consent.recipient_programme is not None and not policy.takes_over_in_programme(
        to, participant=source.participant, programme=consent.recipient_programme
    ):
        errors.append(
            _(
                "Diese Organisation übernimmt die Person nicht im genannten Programm: "
                "übergeben wird an den Träger des Programms oder an die Stelle, der die "
                "Programmkoordination die Person zugewiesen hat."
            )
        )
    if to.pk == source.controller_id and not keeping_the_file:
        errors.append(_("Eine Stelle übergibt nicht an sich selbst."))
    if errors:
        raise ValidationError({"__all__": errors})
    if to.pk == source.controller_id:
        with transaction.atomic():
            consent.used_on = day
            consent.save(update_fields=["used_on", "updated_at"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=acting_user,
                obj=consent,
                subjects=[source.participant.person_key],
                organisation=source.controller,
                fields=["used_on"],
                details={"via": "hand_over", "file_kept": source.pk},
            )
        return source

    categories = set(consent.data_categories) & TRANSFERABLE_CATEGORIES
    copied = {
        field: getattr(source, field)
        for category in categories
        for field in FILE_FIELDS_BY_CATEGORY.get(category, ())
    }
    with transaction.atomic():
        target, created = ParticipantFile.objects.get_or_create(
            participant=source.participant, controller=to, defaults={"opened_on": day, **copied}
        )
        if not created and copied:
            for field, value in copied.items():
                setattr(target, field, value)
            raise_if_invalid(("", target, None))
            target.save(update_fields=[*copied, "updated_at"])
        if DataCategory.RESIDENCE in categories:
            ResidenceDocument.objects.bulk_create(
                ResidenceDocument(
                    file=target,
                    residence_type=d.residence_type,
                    valid_from=d.valid_from,
                    valid_until=d.valid_until,
                    employment=d.employment,
                )
                for d in source.residence_documents.all()
            )
        consent.used_on = day
        consent.save(update_fields=["used_on", "updated_at"])
        audit_record(
            action=AuditAction.EXPORT,
            actor=acting_user,
            obj=consent,
            subjects=[source.participant.person_key],
            organisation=source.controller,
            details={"to_organisation": to.pk, "categories": sorted(categories)},
        )
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=acting_user,
            obj=target,
            subjects=[source.participant.person_key],
            organisation=to,
            fields=sorted(copied),
            details={"via": "transfer", "consent": consent.pk},
        )
    return target
