"""Every write to case work: validated, atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.cases.models import (
    Case,
    CaseStatus,
    Contact,
    Enrolment,
    EnrolmentStatus,
    HandOver,
    ModuleParticipation,
    Outcome,
    ParticipationEnd,
    Referral,
    ReferralStatus,
    SupportGoal,
)
from teilhabe.core.codes import TargetGroup
from teilhabe.core.services import create_audited, raise_if_invalid, update_audited
from teilhabe.participants.models import Consent, DataCategory, Participant, ParticipantFile
from teilhabe.participants.services import transfer_by_consent
from teilhabe.programmes.eligibility import AgeException, evaluate_eligibility
from teilhabe.programmes.models import Amendment, AmendmentKind, Module, Offer, Programme
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
    if not policy.may_lead_cases_in(lead_provider, programme):
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
    return update_audited(
        case,
        fields=["status", "exit_date", "exit_reason"],
        acting_user=acting_user,
        organisation=case.lead_provider,
        subjects=_subjects(case),
    )


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
        _place_in_module(
            acting_user=acting_user,
            case=case,
            module=offer.module,
            on=enrolment.started_on or requested_on,
        )
    return enrolment


def _place_in_module(*, acting_user: User, case: Case, module: Module, on: dt.date) -> None:
    """An enrolment places the person in its offer's module: an open participation is kept,
    otherwise one begins on the day."""
    if ModuleParticipation.objects.filter(case=case, module=module, to_date__isnull=True).exists():
        return
    participation = ModuleParticipation(case=case, module=module, from_date=on)
    raise_if_invalid(("", participation, None))
    participation.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=participation,
        organisation=case.lead_provider,
        subjects=_subjects(case),
        details={"module": module.code, "via": "enrolment"},
    )


# Reasons that complete an offer; the others break it off.
_COMPLETING = frozenset(
    {
        ParticipationEnd.COMPLETED,
        ParticipationEnd.GOAL_REACHED,
        ParticipationEnd.TRANSFERRED,
        ParticipationEnd.MODULE_ENDED,
        ParticipationEnd.CASE_CLOSED,
    }
)


def _end_enrolment(enrolment: Enrolment, *, ended_on: dt.date, exit_reason: str) -> None:
    """End an open enrolment (not saved). A place on the waiting list is withdrawn on the
    day it was given up: never begun, it is neither an entry nor a dropout."""
    if enrolment.started_on is None:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.ended_on = max(ended_on, enrolment.requested_on)
    else:
        enrolment.status = (
            EnrolmentStatus.COMPLETED if exit_reason in _COMPLETING else EnrolmentStatus.DROPPED
        )
        enrolment.ended_on = max(ended_on, enrolment.started_on)
    enrolment.exit_reason = exit_reason


def enrolment_end(
    *, acting_user: User, enrolment: Enrolment, ended_on: dt.date, exit_reason: str
) -> Enrolment:
    """End a person's place in an offer, with the reason; the module participation stays
    (it ends on its own, see ``participation_end``)."""
    case = enrolment.case
    _require_case_work(acting_user, case)
    errors: dict[str, list[str]] = {}
    if enrolment.status not in (EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE):
        raise ValidationError({"__all__": [_("Diese Teilnahme ist schon beendet.")]})
    if exit_reason not in ParticipationEnd.values:
        errors["exit_reason"] = [_("Bitte einen Grund des Endes wählen.")]
    _end_enrolment(enrolment, ended_on=ended_on, exit_reason=exit_reason)
    return update_audited(
        enrolment,
        fields=["status", "started_on", "ended_on", "exit_reason"],
        acting_user=acting_user,
        organisation=case.lead_provider,
        subjects=_subjects(case),
        found=errors,
    )


def _outside_case(case: Case, day: dt.date) -> str | None:
    """Why a participation cannot begin or end on the day: it has not come yet, or the
    person had already left the programme."""
    if day > timezone.localdate():
        return _("Der %(day)s liegt in der Zukunft: erfasst wird, was schon begonnen hat.") % {
            "day": day.strftime("%d.%m.%Y")
        }
    if case.exit_date is not None and day > case.exit_date:
        return _("Der Fall endete am %(exit)s; danach gibt es keine Teilnahme.") % {
            "exit": case.exit_date.strftime("%d.%m.%Y")
        }
    return None


def participation_start(
    *, acting_user: User, case: Case, module: Module, from_date: dt.date
) -> ModuleParticipation:
    """A case joins a module without an offer (participation management at the city, say)."""
    _require_case_work(acting_user, case)
    errors: dict[str, list[str]] = {}
    if case.status == CaseStatus.CLOSED:
        errors["__all__"] = [_("Der Fall ist abgeschlossen.")]
    if module.programme_id != case.programme_id:
        errors["module"] = [_("Der Baustein gehört zu einem anderen Programm.")]
    elif from_date < case.entry_date:
        errors["from_date"] = [_("Die Teilnahme beginnt nicht vor dem Eintritt in das Programm.")]
    elif (outside := _outside_case(case, from_date)) is not None:
        errors["from_date"] = [outside]
    else:
        not_running = not_in_force_reason(programme=case.programme, on=from_date, module=module)
        if not_running is not None:
            errors["from_date"] = [not_running]
    participation = ModuleParticipation(case=case, module=module, from_date=from_date)
    return create_audited(
        participation,
        acting_user=acting_user,
        organisation=case.lead_provider,
        details={"module": module.code},
        found=errors,
        subjects=_subjects(case),
    )


def participation_end(
    *,
    acting_user: User,
    participation: ModuleParticipation,
    to_date: dt.date,
    exit_reason: str,
) -> ModuleParticipation:
    """A case leaves a module on a day the module ran, with the reason; the module's open
    enrolments end with it."""
    case = participation.case
    _require_case_work(acting_user, case)
    if participation.to_date is not None:
        raise ValidationError({"__all__": [_("Diese Teilnahme ist schon beendet.")]})
    errors: dict[str, list[str]] = {}
    not_running = not_in_force_reason(
        programme=case.programme, on=to_date, module=participation.module
    )
    if (outside := _outside_case(case, to_date)) is not None:
        errors["to_date"] = [outside]
    elif not_running is not None and to_date >= participation.from_date:
        errors["to_date"] = [not_running]
    participation.to_date = to_date
    participation.exit_reason = exit_reason
    with transaction.atomic():
        update_audited(
            participation,
            fields=["to_date", "exit_reason"],
            acting_user=acting_user,
            organisation=case.lead_provider,
            subjects=_subjects(case),
            found=errors,
        )
        _end_open_enrolments(
            acting_user=acting_user, participation=participation, exit_reason=exit_reason
        )
    return participation


def _end_open_enrolments(
    *, acting_user: User, participation: ModuleParticipation, exit_reason: str
) -> None:
    assert participation.to_date is not None
    case = participation.case
    for enrolment in Enrolment.objects.filter(
        case=case,
        offer__module=participation.module,
        status__in=[EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE],
    ):
        _end_enrolment(enrolment, ended_on=participation.to_date, exit_reason=exit_reason)
        raise_if_invalid(("", enrolment, None))
        enrolment.save(
            update_fields=["status", "started_on", "ended_on", "exit_reason", "updated_at"]
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=enrolment,
            organisation=case.lead_provider,
            subjects=_subjects(case),
            fields=["status", "ended_on", "exit_reason"],
        )


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


# --- Module end and hand-over --------------------------------------------------------------

DEFAULT_ANSWER_DAYS = 14


def _require_hand_over(user: User, amendment: Amendment) -> None:
    if not policy.prepares_hand_over(user, amendment.programme):
        raise PermissionDenied(_("Übergaben bereitet die Programmkoordination vor."))


def module_end_last_day(amendment: Amendment) -> dt.date:
    """The ended module's last day, as the amendment sets it."""
    return amendment.new_end_date or amendment.effective_on


def _check_module_end(amendment: Amendment, participation: ModuleParticipation) -> dt.date:
    """The last day of the module an adopted END_MODULE amendment ends, for a participation
    that was open on it and has not been handed over or closed yet."""
    errors: list[str] = []
    if amendment.kind != AmendmentKind.END_MODULE or amendment.module_id is None:
        raise ValidationError({"__all__": [_("Das ist kein Ende eines Bausteins.")]})
    if not amendment.decision.is_recorded:
        errors.append(_("Der Beschluss ist noch nicht gefasst."))
    if amendment.successor_programme_id is None:
        errors.append(_("Für diesen Baustein ist kein Nachfolgeprogramm beschlossen."))
    last_day = module_end_last_day(amendment)
    if participation.module_id != amendment.module_id:
        errors.append(_("Die Teilnahme gehört zu einem anderen Baustein."))
    elif ModuleParticipation.objects.filter(pk=participation.pk, hand_over__isnull=False).exists():
        errors.append(_("Für diese Teilnahme ist die Übergabe schon erfasst."))
    elif participation.from_date > last_day or (
        participation.to_date is not None and participation.to_date < last_day
    ):
        errors.append(_("Die Teilnahme lief am letzten Tag des Bausteins nicht mehr."))
    if errors:
        raise ValidationError({"__all__": errors})
    return last_day


def _leave_module(
    *,
    acting_user: User,
    participation: ModuleParticipation,
    last_day: dt.date,
    reason: str,
    case_exit_reason: str,
) -> None:
    """Close the participation (and the module's open enrolments) on the module's last day;
    a case with nothing else open closes with it."""
    case = participation.case
    participation.to_date = last_day
    participation.exit_reason = reason
    raise_if_invalid(("", participation, None))
    participation.save(update_fields=["to_date", "exit_reason", "updated_at"])
    _end_open_enrolments(acting_user=acting_user, participation=participation, exit_reason=reason)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=participation,
        organisation=case.lead_provider,
        subjects=_subjects(case),
        fields=["to_date", "exit_reason"],
    )
    still_open = (
        ModuleParticipation.objects.filter(case=case, to_date__isnull=True).exists()
        or Enrolment.objects.filter(
            case=case, status__in=[EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE]
        ).exists()
    )
    if case.status != CaseStatus.CLOSED and not still_open:
        case.status = CaseStatus.CLOSED
        case.exit_date = max(last_day, case.entry_date)
        case.exit_reason = case_exit_reason
        raise_if_invalid(("", case, None))
        case.save(update_fields=["status", "exit_date", "exit_reason", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=case,
            organisation=case.lead_provider,
            subjects=_subjects(case),
            fields=["status", "exit_date", "exit_reason"],
        )


def _what_was_open(
    case: Case, *, consent: Consent, on: dt.date
) -> tuple[list[dict[str, str | None]], list[dict[str, str]], list[dict[str, str | None]]]:
    """Open goals (area and target date: the notes stay with the sender), deadlines, and the
    residence documents when the consent names them."""
    goals = [
        {
            "area": goal.area,
            "target_date": goal.target_date.isoformat() if goal.target_date else None,
        }
        for goal in SupportGoal.objects.filter(case=case, status=SupportGoal.Status.OPEN)
    ]
    deadlines = [
        {"what": "goal", "due_on": goal["target_date"]}
        for goal in goals
        if goal["target_date"] is not None and goal["target_date"] >= on.isoformat()
    ]
    documents: list[dict[str, str | None]] = []
    if DataCategory.RESIDENCE in consent.data_categories:
        for document in consent.file.residence_documents.order_by("valid_from"):
            documents.append(
                {
                    "residence_type": document.residence_type,
                    "valid_from": document.valid_from.isoformat(),
                    "valid_until": document.valid_until.isoformat()
                    if document.valid_until
                    else None,
                }
            )
            if document.valid_until is not None and document.valid_until >= on:
                deadlines.append({"what": "residence", "due_on": document.valid_until.isoformat()})
    deadlines.sort(key=lambda item: item["due_on"])
    return goals, deadlines, documents


def hand_over_transfer(
    *,
    acting_user: User,
    amendment: Amendment,
    participation: ModuleParticipation,
    receiving: Organisation | None = None,
    answer_within_days: int = DEFAULT_ANSWER_DAYS,
    on: dt.date | None = None,
) -> HandOver:
    """Hand a person of an ended module over to the successor programme, with their consent.

    In one transaction: the sending file is copied as the transfer consent allows (or, when
    the receiving side keeps it already, the consent is spent), a case opens on the receiving
    side from the day after the module's last day (linked to the sending case), the
    participation closes as "transferred", and a referral asks the receiving side to accept
    within ``answer_within_days``. Without a consent in force this refuses: close instead.
    """
    _require_hand_over(acting_user, amendment)
    day = on or timezone.localdate()
    last_day = _check_module_end(amendment, participation)
    case = participation.case
    successor = amendment.successor_programme
    assert successor is not None
    receiving = receiving or successor.owner
    consent = policy.transfer_consent_in_file(
        participant_id=case.participant_id,
        controller_id=case.lead_provider_id,
        programme_id=successor.pk,
        on=day,
    )
    errors: list[str] = []
    if consent is None:
        errors.append(
            _(
                "Die Person hat am %(day)s keine Einwilligung in die Übergabe an „%(name)s“ "
                "erteilt: die Teilnahme wird ohne Übergabe beendet."
            )
            % {"day": f"{day:%d.%m.%Y}", "name": successor.name}
        )
    if not policy.may_lead_cases_in(receiving, successor):
        errors.append(_("Diese Stelle führt keine Fälle in „%(name)s“.") % {"name": successor.name})
    entry = last_day + dt.timedelta(days=1)
    not_running = not_in_force_reason(programme=successor, on=entry)
    if not_running is not None:
        errors.append(not_running)
    if not 1 <= answer_within_days <= 90:
        errors.append(_("Die Antwortfrist liegt zwischen 1 und 90 Tagen."))
    if errors:
        raise ValidationError({"__all__": errors})
    assert consent is not None
    goals, deadlines, documents = _what_was_open(case, consent=consent, on=day)
    with transaction.atomic():
        target = transfer_by_consent(
            acting_user=acting_user,
            consent=consent,
            to=receiving,
            on=day,
            keeping_the_file=True,
        )
        age_exception = (
            AgeException(case.age_exception_justification, case.age_exception_approved_by)
            if case.age_exception_approved_by is not None
            else None
        )
        result = evaluate_eligibility(
            file=target,
            programme=successor,
            on=entry,
            no_double_funding_confirmed=case.no_double_funding_confirmed,
            age_exception=age_exception,
        )
        if not result.is_eligible:
            raise ValidationError(
                {
                    "__all__": [
                        _("Die Person ist am %(day)s in „%(name)s“ nicht förderfähig.")
                        % {"day": f"{entry:%d.%m.%Y}", "name": successor.name}
                    ]
                    + [c.explanation for c in result.criteria if not c.passed]
                }
            )
        successor_case = Case(
            participant=case.participant,
            programme=successor,
            lead_provider=receiving,
            status=CaseStatus.INTAKE,
            entry_date=entry,
            predecessor=case,
            target_group=result.category,
            eligibility_rule=result.rule,
            eligibility_explanation=result.as_snapshot(),
            no_double_funding_confirmed=case.no_double_funding_confirmed,
        )
        if result.category == TargetGroup.AGE_EXCEPTION and age_exception is not None:
            successor_case.age_exception_justification = age_exception.justification
            successor_case.age_exception_approved_by = age_exception.approved_by
        raise_if_invalid(("", successor_case, None))
        successor_case.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=successor_case,
            organisation=receiving,
            subjects=_subjects(case),
            details={"via": "hand_over", "predecessor": case.pk},
        )
        referral = Referral(
            case=case,
            from_provider=case.lead_provider,
            to_programme=successor,
            consent=consent,
            status=ReferralStatus.SENT,
            sent_on=day,
            due_on=day + dt.timedelta(days=answer_within_days),
            reason=_("Baustein %(code)s endet am %(day)s; Übergabe in „%(name)s“.")
            % {
                "code": participation.module.code,
                "day": f"{last_day:%d.%m.%Y}",
                "name": successor.name,
            },
        )
        raise_if_invalid(("", referral, None))
        referral.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=referral,
            organisation=case.lead_provider,
            subjects=_subjects(case),
            details={"to_programme": successor.pk, "to_organisation": receiving.pk},
        )
        _leave_module(
            acting_user=acting_user,
            participation=participation,
            last_day=last_day,
            reason=ParticipationEnd.TRANSFERRED,
            case_exit_reason=Case.ExitReason.TRANSFER_PROGRAMME,
        )
        hand_over = HandOver(
            participation=participation,
            ended_by=amendment,
            result=HandOver.Result.TRANSFERRED,
            recorded_on=day,
            from_organisation=case.lead_provider,
            to_organisation=receiving,
            to_programme=successor,
            consent=consent,
            successor_case=successor_case,
            referral=referral,
            open_goals=goals,
            deadlines=deadlines,
            documents=documents,
            recorded_by=acting_user,
        )
        raise_if_invalid(("", hand_over, None))
        hand_over.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=hand_over,
            organisation=amendment.programme.owner,
            subjects=_subjects(case),
            details={"result": hand_over.result},
        )
    return hand_over


def hand_over_close(
    *,
    acting_user: User,
    amendment: Amendment,
    participation: ModuleParticipation,
    informed_on: dt.date,
    informed_how: str,
    on: dt.date | None = None,
) -> HandOver:
    """Close a participation of an ended module without a hand-over (no consent): with the
    reason, and the day and way the person was told."""
    _require_hand_over(acting_user, amendment)
    day = on or timezone.localdate()
    last_day = _check_module_end(amendment, participation)
    successor = amendment.successor_programme
    assert successor is not None
    case = participation.case
    errors: dict[str, list[str]] = {}
    if informed_how not in HandOver.Informed.values:
        errors["informed_how"] = [_("Bitte angeben, wie die Person informiert wurde.")]
    if informed_on > max(day, timezone.localdate()):
        errors["informed_on"] = [_("Das Datum liegt in der Zukunft.")]
    hand_over = HandOver(
        participation=participation,
        ended_by=amendment,
        result=HandOver.Result.CLOSED,
        recorded_on=day,
        from_organisation=case.lead_provider,
        to_programme=successor,
        informed_on=informed_on,
        informed_how=informed_how,
        recorded_by=acting_user,
    )
    raise_if_invalid(("", hand_over, ["participation"]), found=errors)
    with transaction.atomic():
        _leave_module(
            acting_user=acting_user,
            participation=participation,
            last_day=last_day,
            reason=ParticipationEnd.CLOSED_WITHOUT_CONSENT,
            case_exit_reason=Case.ExitReason.MODULE_ENDED,
        )
        hand_over.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=hand_over,
            organisation=amendment.programme.owner,
            subjects=_subjects(case),
            details={"result": hand_over.result, "informed_how": informed_how},
        )
    return hand_over


@dataclass(frozen=True)
class BulkResult:
    done: list[HandOver]
    # person key -> why it was left for case-by-case work
    left: dict[str, list[str]]


def hand_over_bulk(
    *,
    acting_user: User,
    amendment: Amendment,
    participations: Iterable[ModuleParticipation],
    informed_on: dt.date | None = None,
    informed_how: str = "",
    answer_within_days: int = DEFAULT_ANSWER_DAYS,
    on: dt.date | None = None,
) -> BulkResult:
    """Transfer everyone with a consent; close the others when the day and way they were
    told is given (else leave them). Each person is one transaction: one refusal does not
    undo the others; the refusals are returned by person key."""
    _require_hand_over(acting_user, amendment)
    day = on or timezone.localdate()
    successor_id = amendment.successor_programme_id
    done: list[HandOver] = []
    left: dict[str, list[str]] = {}
    for participation in participations:
        case = participation.case
        key = case.participant.person_key
        has_consent = (
            successor_id is not None
            and policy.transfer_consent_in_file(
                participant_id=case.participant_id,
                controller_id=case.lead_provider_id,
                programme_id=successor_id,
                on=day,
            )
            is not None
        )
        try:
            if has_consent:
                done.append(
                    hand_over_transfer(
                        acting_user=acting_user,
                        amendment=amendment,
                        participation=participation,
                        answer_within_days=answer_within_days,
                        on=day,
                    )
                )
            elif informed_on is not None and informed_how:
                done.append(
                    hand_over_close(
                        acting_user=acting_user,
                        amendment=amendment,
                        participation=participation,
                        informed_on=informed_on,
                        informed_how=informed_how,
                        on=day,
                    )
                )
            else:
                left[key] = [_("ohne Einwilligung: Information der Person fehlt")]
        except ValidationError as error:
            left[key] = list(error.messages)
    return BulkResult(done=done, left=left)


def referral_answer(
    *, acting_user: User, referral: Referral, accept: bool, on: dt.date | None = None
) -> Referral:
    """The receiving side accepts or declines a referral. For a hand-over the new case
    becomes active, or (declined) closes on the day."""
    hand_over = HandOver.objects.filter(referral=referral).select_related("successor_case").first()
    if not policy.answers_referral(
        acting_user,
        to_provider_id=referral.to_provider_id,
        to_organisation_id=hand_over.to_organisation_id if hand_over else None,
    ):
        raise PermissionDenied(_("Diese Überweisung beantwortet die aufnehmende Stelle."))
    if referral.status != ReferralStatus.SENT:
        raise ValidationError({"__all__": [_("Diese Überweisung ist schon beantwortet.")]})
    day = on or timezone.localdate()
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.answered_on = day
    subjects = _subjects(referral.case)
    with transaction.atomic():
        update_audited(
            referral,
            fields=["status", "answered_on"],
            acting_user=acting_user,
            organisation=hand_over.to_organisation if hand_over else referral.to_provider,
            subjects=subjects,
        )
        successor = hand_over.successor_case if hand_over else None
        if successor is not None and successor.status == CaseStatus.INTAKE:
            if accept:
                successor.status = CaseStatus.ACTIVE
            else:
                successor.status = CaseStatus.CLOSED
                successor.exit_date = max(day, successor.entry_date)
                successor.exit_reason = Case.ExitReason.OTHER
            raise_if_invalid(("", successor, None))
            successor.save(update_fields=["status", "exit_date", "exit_reason", "updated_at"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=acting_user,
                obj=successor,
                organisation=successor.lead_provider,
                subjects=subjects,
                fields=["status", "exit_date", "exit_reason"],
            )
    return referral
