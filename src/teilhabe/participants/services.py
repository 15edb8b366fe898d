"""Every write to participants: validated completely, in one transaction, permission-checked, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.core.services import create_audited, raise_if_invalid
from teilhabe.participants.models import Consent, Participant, ResidenceDocument

PARTICIPANT_FIELDS = frozenset(
    {
        "given_names",
        "family_name",
        "given_names_original",
        "family_name_original",
        "date_of_birth",
        "gender",
        "nationality",
        "languages",
        "schooling",
        "german_level",
        "phone",
        "email",
        "postal_code",
        "city",
        "lives_in_state_reception",
        "registered_on",
    }
)


def participant_register(
    *,
    acting_user: User,
    municipality: Organisation,
    residence_type: str,
    residence_valid_from: dt.date,
    residence_valid_until: dt.date | None = None,
    employment: str | None = None,
    **fields: Any,
) -> Participant:
    """Register a person together with the residence document that eligibility depends on."""
    if not policy.works_in_municipality(acting_user, municipality):
        raise PermissionDenied(_("Sie arbeiten nicht in dieser Kommune."))
    unknown = set(fields) - PARTICIPANT_FIELDS
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")

    participant = Participant(municipality=municipality, **fields)
    document = ResidenceDocument(
        participant=participant,
        residence_type=residence_type,
        valid_from=residence_valid_from,
        valid_until=residence_valid_until,
        **({"employment": employment} if employment else {}),
    )
    raise_if_invalid(("", participant, None), ("residence_", document, ["participant"]))
    with transaction.atomic():
        participant.save()
        document.participant = participant
        document.save()
        audit_record(action=AuditAction.CREATE, actor=acting_user, obj=participant)
    return participant


def residence_document_add(
    *,
    acting_user: User,
    participant: Participant,
    residence_type: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    employment: str | None = None,
) -> ResidenceDocument:
    """Add the next entry of the residence history. Earlier entries stay: the history is the record."""
    _require_case_worker_for(acting_user, participant)
    document = ResidenceDocument(
        participant=participant,
        residence_type=residence_type,
        valid_from=valid_from,
        valid_until=valid_until,
        **({"employment": employment} if employment else {}),
    )
    raise_if_invalid(("", document, None))
    with transaction.atomic():
        document.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=participant,
            details={"added": "residence_document", "residence_type": residence_type},
        )
    return document


def consent_record(
    *,
    acting_user: User,
    participant: Participant,
    purpose: str,
    data_categories: list[str],
    given_on: dt.date,
    recipient: Organisation | None = None,
    recipient_programme: Any = None,
    expires_on: dt.date | None = None,
) -> Consent:
    _require_case_worker_for(acting_user, participant)
    consent = Consent(
        participant=participant,
        purpose=purpose,
        recipient=recipient,
        recipient_programme=recipient_programme,
        data_categories=data_categories,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=acting_user,
    )
    return create_audited(
        consent,
        acting_user=acting_user,
        details={"purpose": purpose, "participant": participant.pk},
    )


def consent_withdraw(*, acting_user: User, consent: Consent, withdrawn_on: dt.date) -> Consent:
    _require_case_worker_for(acting_user, consent.participant)
    consent.withdrawn_on = withdrawn_on
    raise_if_invalid(("", consent, None))
    with transaction.atomic():
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=consent,
            details={"withdrawn_on": withdrawn_on.isoformat()},
        )
    return consent


def _require_case_worker_for(user: User, participant: Participant) -> None:
    from teilhabe.cases.models import Case

    provider_ids = policy.organisation_ids_with_role(user, policy.CASE_WORK_ROLES)
    if not Case.objects.filter(participant=participant, lead_provider_id__in=provider_ids).exists():
        raise PermissionDenied(_("Diese Person wird nicht von Ihrem Träger begleitet."))
