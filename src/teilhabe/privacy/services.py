"""Retention runs and erasure on request. Dry runs unless told to commit; each run leaves a
DeletionRecord (rule, categories, counts, time) and never a name."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record
from teilhabe.cases.models import (
    Case,
    Contact,
    HandOver,
    Outcome,
    OutcomeFollowUp,
    Referral,
    SupportGoal,
)
from teilhabe.core.codes import GermanLevel, SchoolingLevel
from teilhabe.participants.models import Participant, ParticipantFile, ResidenceDocument
from teilhabe.privacy.models import DeletionRecord, LegalHold, RetentionCategory, RetentionRule
from teilhabe.privacy.selectors import same_person

# What stands in for a removed name: the register row stays (person key, funding facts).
ANONYMISED = "—"


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier, for a negative number); a day the month
    does not have becomes its last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_before(day: dt.date, months: int) -> dt.date:
    return months_after(day, -months)


def _person(prefix: str = "") -> Coalesce:
    """Who a register entry is: a duplicate registration is the same person as its original."""
    return Coalesce(F(f"{prefix}duplicate_of_id"), F(f"{prefix}id"))


def _holds_in_place(on: dt.date) -> QuerySet[LegalHold]:
    """Holds placed by that day and not lifted by it: one definition for retention and erasure."""
    return LegalHold.objects.filter(placed_on__lte=on).filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=on)
    )


def _on_hold(on: dt.date) -> Exists:
    """A hold in place that day on any register entry of the person (outer ``person``)."""
    return Exists(
        _holds_in_place(on)
        .annotate(person=_person("participant__"))
        .filter(person=OuterRef("person"))
    )


def _cases_of(files: QuerySet[ParticipantFile]) -> QuerySet[Case]:
    """The cases kept in these files (a case belongs to its lead organisation's file)."""
    return Case.objects.filter(
        Exists(
            files.filter(
                participant_id=OuterRef("participant_id"),
                controller_id=OuterRef("lead_provider_id"),
            )
        )
    )


def due_files(*, rule: RetentionRule, on: dt.date) -> QuerySet[ParticipantFile]:
    """Files whose data of the rule's category is due on that day.

    Case notes are due when every case of the file in the rule's programme ended at least
    the rule's months ago; data of the file itself when every case in the file did. A
    person under a legal hold keeps everything.
    """
    cutoff = months_before(on, rule.months_after_exit)
    in_file = Case.objects.filter(
        participant_id=OuterRef("participant_id"), lead_provider_id=OuterRef("controller_id")
    )
    in_programme = in_file.filter(programme_id=rule.programme_id)
    considered = in_programme if rule.category == RetentionCategory.CASE_NOTES else in_file
    not_yet = considered.filter(Q(exit_date__isnull=True) | Q(exit_date__gt=cutoff))
    return (
        ParticipantFile.objects.annotate(person=_person("participant__"))
        .filter(Exists(in_programme))
        .exclude(Exists(not_yet))
        .exclude(_on_hold(on))
    )


def _remove_case_notes(
    files: QuerySet[ParticipantFile], programme_id: int | None
) -> dict[str, int]:
    cases = _cases_of(files)
    if programme_id is not None:
        cases = cases.filter(programme_id=programme_id)
    targets: list[tuple[str, QuerySet, str]] = [
        ("contact_notes", Contact.objects.filter(case__in=cases), "note"),
        ("support_goals", SupportGoal.objects.filter(case__in=cases), "description"),
        ("outcome_evidence", Outcome.objects.filter(case__in=cases), "evidence_note"),
        ("follow_up_notes", OutcomeFollowUp.objects.filter(outcome__case__in=cases), "note"),
        ("referral_reasons", Referral.objects.filter(case__in=cases), "reason"),
    ]
    counts = {}
    for name, rows, field in targets:
        filled = rows.exclude(**{field: ""})
        counts[name] = filled.update(**{field: ""})
    return counts


def _remove_contact(files: QuerySet[ParticipantFile]) -> dict[str, int]:
    filled = files.exclude(postal_code="", city="")
    return {"files": filled.update(postal_code="", city="")}


def _remove_residence(files: QuerySet[ParticipantFile]) -> dict[str, int]:
    # A hand-over lists the residence documents its transfer consent named, with their ends.
    hand_overs = HandOver.objects.filter(consent__file__in=files).exclude(
        documents=[], deadlines=[]
    )
    counts = {"residence_documents": ResidenceDocument.objects.filter(file__in=files).delete()[0]}
    cleared = hand_overs.update(documents=[], deadlines=[])
    if cleared:
        counts["hand_over_documents"] = cleared
    return counts


def _remove_education(files: QuerySet[ParticipantFile]) -> dict[str, int]:
    cleared = Q(
        nationality="",
        languages=[],
        schooling=SchoolingLevel.UNKNOWN,
        german_level=GermanLevel.NONE,
    )
    filled = files.exclude(cleared)
    return {
        "files": filled.update(
            nationality="",
            languages=[],
            schooling=SchoolingLevel.UNKNOWN,
            german_level=GermanLevel.NONE,
        )
    }


def _remove_identity(people: QuerySet[Participant]) -> dict[str, int]:
    named = people.exclude(family_name=ANONYMISED)
    changed = 0
    # The birth year stays (age groups in the funding figures); the exact day goes.
    for person in named.only("pk", "date_of_birth"):
        changed += Participant.objects.filter(pk=person.pk).update(
            given_names=ANONYMISED,
            family_name=ANONYMISED,
            given_names_original="",
            family_name_original="",
            phone="",
            email="",
            date_of_birth=dt.date(person.date_of_birth.year, 7, 1)
            if person.date_of_birth.month >= 7
            else dt.date(person.date_of_birth.year, 1, 1),
        )
    return {"register_entries": changed}


def _identity_due(*, rule: RetentionRule, on: dt.date) -> QuerySet[Participant]:
    """People with a case in the programme whose cases — under every registration of theirs,
    in every programme — all ended long enough ago, and whom no organisation took on since."""
    cutoff = months_before(on, rule.months_after_exit)
    cases = Case.objects.annotate(person=_person("participant__")).filter(person=OuterRef("person"))
    files = ParticipantFile.objects.annotate(person=_person("participant__")).filter(
        person=OuterRef("person")
    )
    return (
        Participant.objects.annotate(person=_person())
        .filter(Exists(cases.filter(programme_id=rule.programme_id)))
        .exclude(Exists(cases.filter(Q(exit_date__isnull=True) | Q(exit_date__gt=cutoff))))
        .exclude(Exists(files.filter(opened_on__gt=cutoff)))
        .exclude(_on_hold(on))
    )


REMOVERS: dict[str, Callable[[QuerySet[ParticipantFile]], dict[str, int]]] = {
    RetentionCategory.CONTACT: _remove_contact,
    RetentionCategory.RESIDENCE: _remove_residence,
    RetentionCategory.EDUCATION: _remove_education,
}


def _apply_rule(rule: RetentionRule, *, on: dt.date) -> dict[str, int]:
    if rule.category == RetentionCategory.IDENTITY:
        return _remove_identity(_identity_due(rule=rule, on=on))
    files = due_files(rule=rule, on=on)
    if rule.category == RetentionCategory.CASE_NOTES:
        return _remove_case_notes(files, rule.programme_id)
    return REMOVERS[rule.category](files)


@contextmanager
def _kept_only_if(commit: bool) -> Iterator[None]:
    """A dry run does exactly what the commit would — so its counts are the commit's — and
    then rolls its changes back."""
    with transaction.atomic():
        yield
        if not commit:
            transaction.set_rollback(True)


def retention_run(
    *, on: dt.date | None = None, commit: bool = False, acting_user: User | None = None
) -> list[DeletionRecord]:
    """Apply every retention rule as of ``on`` (today). Without ``commit`` nothing changes but
    the records of the dry run, which say what would be removed."""
    day = on or timezone.localdate()
    rules = list(
        RetentionRule.objects.select_related("programme").order_by("programme__code", "category")
    )
    records = []
    with transaction.atomic():
        with _kept_only_if(commit):
            results = [(rule, _apply_rule(rule, on=day)) for rule in rules]
        for rule, counts in results:
            record = DeletionRecord.objects.create(
                kind=DeletionRecord.Kind.RETENTION,
                municipality_id=rule.programme.owner_id,
                ran_at=timezone.now(),
                as_of=day,
                committed=commit,
                programme_code=rule.programme.code,
                rule=_("%(category)s: %(months)s Monate nach dem Austritt")
                % {"category": rule.get_category_display(), "months": rule.months_after_exit},
                categories=[rule.category],
                counts=counts,
                actor=acting_user,
            )
            records.append(record)
            if commit:
                audit_record(
                    action=AuditAction.DELETE,
                    actor=acting_user,
                    obj=record,
                    details={"counts": counts, "category": rule.category},
                )
    return records


def erasure_carry_out(
    *, acting_user: User, participant: Participant, commit: bool = False, on: dt.date | None = None
) -> DeletionRecord:
    """Erase a person's data on request, where no duty to keep stands against it.

    Everything of the five categories goes, in every file and the register; the person key
    and the funding-audit facts (entry, exit, modules, hours, outcomes) stay while the proof
    of use must be kept. A legal hold stops the erasure.
    """
    if not policy.handles_access_requests_for(acting_user, participant):
        raise PermissionDenied(_("Löschanträge bearbeitet der Datenschutz der Kommune."))
    day = on or timezone.localdate()
    group = same_person(participant)
    original = group[0]
    people = Participant.objects.filter(pk__in=[p.pk for p in group])
    if _holds_in_place(day).filter(participant__in=people).exists():
        raise ValidationError(
            {"__all__": [_("Für diese Person besteht eine Sperre gegen Löschung.")]}
        )
    files = ParticipantFile.objects.filter(participant__in=people)
    with transaction.atomic():
        with _kept_only_if(commit):
            counts = {
                **{f"case_notes.{k}": v for k, v in _remove_case_notes(files, None).items()},
                **{f"contact.{k}": v for k, v in _remove_contact(files).items()},
                **{f"residence.{k}": v for k, v in _remove_residence(files).items()},
                **{f"education.{k}": v for k, v in _remove_education(files).items()},
                **{f"identity.{k}": v for k, v in _remove_identity(people).items()},
            }
        record = DeletionRecord.objects.create(
            kind=DeletionRecord.Kind.ERASURE,
            municipality_id=original.municipality_id,
            ran_at=timezone.now(),
            as_of=day,
            committed=commit,
            rule=_("Antrag nach Art. 17 DSGVO; Förderdaten bleiben für den Verwendungsnachweis."),
            categories=list(RetentionCategory.values),
            counts=counts,
            actor=acting_user,
        )
        audit_record(
            action=AuditAction.DELETE if commit else AuditAction.READ,
            actor=acting_user,
            obj=record,
            subjects=[p.person_key for p in people],
            organisation=original.municipality,
            details={"erasure": "committed" if commit else "dry_run"},
        )
    return record
