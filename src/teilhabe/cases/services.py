"""Every write to case work: validated, atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.cases.models import Case, CaseStatus, Contact, Enrolment, EnrolmentStatus, Outcome
from teilhabe.core.codes import TargetGroup
from teilhabe.core.services import create_audited, raise_if_invalid
from teilhabe.participants.models import Participant, ParticipantFile
from teilhabe.programmes.eligibility import AgeException, evaluate_eligibility
from teilhabe.programmes.models import Offer, Programme
from teilhabe.programmes.selectors import not_in_force_reason


def _require_case_work(user: User, case: Case) -> None:
    if not policy.does_case_work_at(user, case.lead_provider):
        raise PermissionDenied(_("Diesen Fall führt ein anderer Träger."))


def _subjects(case: Case) -> list[str]:
    return [case.participant.person_key]


def case_open(
    *,
    acting_user: User,
    participant: Participant,
    programme: Programme,
    lead_provider: Organisation,
    entry_date: dt.date,
    coach: User | None = None,
    no_double_funding_confirmed: bool = False,
    age_exception: AgeException | None = None,
) -> Case:
    """Open a case after checking eligibility on the entry date; the result is kept as a snapshot.

    Eligibility is judged from the lead organisation's own file on the person: a case is part
    of that file.
    """
    if not policy.does_case_work_at(acting_user, lead_provider):
        raise PermissionDenied(_("Fälle eröffnen Jobcoaches oder die Leitung des Trägers."))
    file = (
        ParticipantFile.objects.filter(participant=participant, controller=lead_provider)
        .prefetch_related("residence_documents")
        .first()
    )
    if file is None:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Für diese Person führt der Träger noch keine Akte; sie entsteht mit der "
                        "Zuweisung durch die Programmkoordination oder einer Übergabe."
                    )
                ]
            }
        )
    not_running = not_in_force_reason(programme=programme, on=entry_date)
    if not_running is not None:
        raise ValidationError({"entry_date": [not_running]})
    errors: dict[str, list[str]] = {}
    if participant.municipality_id != programme.owner_id:
        errors["programme"] = [_("Die Person ist in einer anderen Kommune registriert.")]
    if lead_provider.municipality_id != programme.owner_id:
        errors["lead_provider"] = [_("Der Träger arbeitet nicht in der Kommune dieses Programms.")]
    if coach is not None and not policy.does_case_work_at(coach, lead_provider):
        errors["coach"] = [_("Der Jobcoach arbeitet nicht bei diesem Träger.")]

    result = evaluate_eligibility(
        file=file,
        programme=programme,
        on=entry_date,
        no_double_funding_confirmed=no_double_funding_confirmed,
        age_exception=age_exception,
    )
    if not result.is_eligible:
        errors["__all__"] = [
            _("Die Person ist am %(day)s nicht förderfähig.") % {"day": f"{entry_date:%d.%m.%Y}"}
        ] + [criterion.explanation for criterion in result.criteria if not criterion.passed]
        raise ValidationError(errors)

    case = Case(
        participant=participant,
        programme=programme,
        lead_provider=lead_provider,
        coach=coach,
        status=CaseStatus.ACTIVE,
        entry_date=entry_date,
        target_group=result.category,
        eligibility_rule=result.rule,
        eligibility_explanation=result.as_snapshot(),
        no_double_funding_confirmed=no_double_funding_confirmed,
    )
    if result.category == TargetGroup.AGE_EXCEPTION and age_exception is not None:
        case.age_exception_justification = age_exception.justification.strip()
        case.age_exception_approved_by = age_exception.approved_by
    return create_audited(
        case,
        acting_user=acting_user,
        organisation=lead_provider,
        details={"target_group": result.category},
        found=errors,
        subjects=[participant.person_key],
    )


def case_close(*, acting_user: User, case: Case, exit_date: dt.date, exit_reason: str) -> Case:
    _require_case_work(acting_user, case)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"__all__": [_("Der Fall ist schon abgeschlossen.")]})
    case.status = CaseStatus.CLOSED
    case.exit_date = exit_date
    case.exit_reason = exit_reason
    raise_if_invalid(("", case, None))
    with transaction.atomic():
        case.save(update_fields=["status", "exit_date", "exit_reason", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=case,
            organisation=case.lead_provider,
            subjects=_subjects(case),
            fields=["status", "exit_date", "exit_reason"],
        )
    return case


def contact_record(
    *,
    acting_user: User,
    case: Case,
    occurred_on: dt.date,
    kind: str,
    topic: str,
    duration_minutes: int,
    note: str = "",
) -> Contact:
    _require_case_work(acting_user, case)
    contact = Contact(
        case=case,
        occurred_on=occurred_on,
        kind=kind,
        topic=topic,
        duration_minutes=duration_minutes,
        note=note,
        recorded_by=acting_user,
    )
    errors: dict[str, list[str]] = {}
    if occurred_on < case.entry_date:
        errors["occurred_on"] = [_("Der Kontakt liegt vor dem Eintritt in das Programm.")]
    return create_audited(
        contact,
        acting_user=acting_user,
        organisation=case.lead_provider,
        found=errors,
        subjects=_subjects(case),
    )


def enrolment_create(
    *, acting_user: User, case: Case, offer: Offer, requested_on: dt.date
) -> Enrolment:
    """Put a person on an offer: a place if one is free, the waiting list otherwise."""
    _require_case_work(acting_user, case)
    errors: dict[str, list[str]] = {}
    if offer.module.programme_id != case.programme_id:
        errors["offer"] = [_("Das Angebot gehört zu einem anderen Programm.")]
    else:
        # The person takes part from the later of the request and the offer's start.
        not_running = not_in_force_reason(
            programme=case.programme, on=max(requested_on, offer.starts_on), module=offer.module
        )
        if not_running is not None:
            errors["offer"] = [not_running]
    with transaction.atomic():
        # Lock the offer so that two coaches cannot both take its last place.
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        taken = offer.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()
        has_place = offer.places is None or taken < offer.places
        enrolment = Enrolment(
            case=case,
            offer=offer,
            requested_on=requested_on,
            status=EnrolmentStatus.ACTIVE if has_place else EnrolmentStatus.WAITING,
            started_on=max(requested_on, offer.starts_on) if has_place else None,
        )
        raise_if_invalid(("", enrolment, None), found=errors)
        enrolment.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=enrolment,
            organisation=case.lead_provider,
            subjects=_subjects(case),
            details={"status": enrolment.status},
        )
    return enrolment


def outcome_record(
    *,
    acting_user: User,
    case: Case,
    outcome_type: str,
    achieved_on: dt.date,
    evidence_note: str = "",
    verified_on: dt.date | None = None,
) -> Outcome:
    _require_case_work(acting_user, case)
    outcome = Outcome(
        case=case,
        outcome_type=outcome_type,
        achieved_on=achieved_on,
        evidence_note=evidence_note,
        verified_on=verified_on,
        verified_by=acting_user if verified_on else None,
    )
    errors: dict[str, list[str]] = {}
    if achieved_on < case.entry_date:
        errors["achieved_on"] = [_("Der Verbleib liegt vor dem Eintritt in das Programm.")]
    else:
        not_running = not_in_force_reason(programme=case.programme, on=achieved_on)
        if not_running is not None:
            errors["achieved_on"] = [not_running]
    return create_audited(
        outcome,
        acting_user=acting_user,
        organisation=case.lead_provider,
        details={"outcome_type": outcome_type},
        found=errors,
        subjects=_subjects(case),
    )
