"""Cases with their eligibility snapshot, and the work in them: contacts, goals, outcomes,
follow-ups and referrals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from teilhabe.cases.models import Case, Contact, ParticipationEnd, SupportGoal
from teilhabe.core.codes import (
    OutcomeType,
    TargetGroup,
)
from teilhabe.demo.chance import weighted
from teilhabe.demo.rows.people import DocumentDraft, FileRow, ParticipantRow
from teilhabe.participants.models import Participant, ParticipantFile, ResidenceDocument
from teilhabe.programmes.eligibility import AgeException, evaluate_eligibility
from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import RuleBook


class CaseRow(NamedTuple):
    id: int
    participant_id: int
    programme_id: int
    lead_provider_id: int
    coach_id: int | None
    status: str
    entry_date: dt.date
    exit_date: dt.date | None
    exit_reason: str
    predecessor_id: int | None
    target_group: str
    eligibility_rule_id: int | None
    eligibility_explanation: list[dict[str, object]]
    no_double_funding_confirmed: bool
    age_exception_justification: str
    age_exception_approved_by_id: int | None


def case_row(
    *,
    id: int,
    participant: ParticipantRow,
    file: FileRow,
    documents: Iterable[DocumentDraft],
    programme: Programme,
    coach_id: int | None,
    entry: dt.date,
    exit_date: dt.date | None = None,
    exit_reason: str = "",
    predecessor_id: int | None = None,
    age_exception: AgeException | None = None,
    rule_book: RuleBook,
) -> CaseRow:
    """A case with the eligibility snapshot at entry, judged by the evaluator the case
    services use. ``rule_book`` is the programme's (``rule_book_for``), so that judging costs
    no query."""
    result = evaluate_eligibility(
        file=_as_judged(participant, file),
        programme=programme,
        on=entry,
        no_double_funding_confirmed=True,
        age_exception=age_exception,
        rule_book=rule_book,
        residence_documents=[
            ResidenceDocument(
                residence_type=d.residence_type, valid_from=d.valid_from, valid_until=d.valid_until
            )
            for d in documents
        ],
    )
    if not result.is_eligible:
        raise ValueError(
            f"demo data error: participant {participant.id} is not eligible on {entry}: "
            f"{result.as_snapshot()}"
        )
    category = result.category
    excepted = age_exception if category == TargetGroup.AGE_EXCEPTION else None
    return CaseRow(
        id=id,
        participant_id=participant.id,
        programme_id=programme.pk,
        lead_provider_id=file.controller_id,
        coach_id=coach_id,
        status=Case.Status.CLOSED if exit_date else Case.Status.ACTIVE,
        entry_date=entry,
        exit_date=exit_date,
        exit_reason=exit_reason if exit_date else "",
        predecessor_id=predecessor_id,
        target_group=category,
        eligibility_rule_id=result.rule.pk if result.rule else None,
        eligibility_explanation=result.as_snapshot(),
        no_double_funding_confirmed=category == TargetGroup.SECONDARY,
        age_exception_justification=excepted.justification if excepted else "",
        age_exception_approved_by_id=excepted.approved_by.pk if excepted else None,
    )


def _as_judged(participant: ParticipantRow, file: FileRow) -> ParticipantFile:
    """The file as the eligibility evaluator reads it, built from the rows in hand."""
    return ParticipantFile(
        id=file.id,
        participant=Participant(
            id=participant.id,
            date_of_birth=participant.date_of_birth,
            registered_on=participant.registered_on,
        ),
        city=file.city,
        lives_in_state_reception=file.lives_in_state_reception,
    )


CONTACT_KINDS = (
    (Contact.Kind.SESSION, 55),
    (Contact.Kind.PHONE, 25),
    (Contact.Kind.MESSAGE, 10),
    (Contact.Kind.OUTREACH, 5),
    (Contact.Kind.ACCOMPANIMENT, 5),
)

CONTACT_TOPICS = (
    (Contact.Topic.TRAINING, 30),
    (Contact.Topic.WORK, 20),
    (Contact.Topic.LANGUAGE, 15),
    (Contact.Topic.RESIDENCE, 12),
    (Contact.Topic.SCHOOL, 8),
    (Contact.Topic.HOUSING, 7),
    (Contact.Topic.EVERYDAY, 8),
)

CONTACT_NOTES: dict[str, tuple[str, ...]] = {
    Contact.Topic.TRAINING: (
        "Bewerbungsunterlagen überarbeitet, zwei Ausbildungsbetriebe herausgesucht.",
        "Vorstellungsgespräch vorbereitet.",
        "Praktikum im Handwerk besprochen.",
    ),
    Contact.Topic.WORK: (
        "Stellenangebote gesichtet, Lebenslauf aktualisiert.",
        "Beschäftigungserlaubnis bei der Ausländerbehörde besprochen.",
    ),
    Contact.Topic.LANGUAGE: (
        "Anmeldung zum Sprachkurs besprochen.",
        "Prüfungsvorbereitung B1 vereinbart.",
    ),
    Contact.Topic.RESIDENCE: (
        "Verlängerung der Duldung: Termin bei der Ausländerbehörde vorbereitet.",
        "Unterlagen für die Ausbildungsduldung zusammengestellt.",
    ),
    Contact.Topic.SCHOOL: ("Anmeldung zur Schulabschlussklasse besprochen.",),
    Contact.Topic.HOUSING: ("Wohnungssuche: Unterlagen für die Bewerbung zusammengestellt.",),
    Contact.Topic.EVERYDAY: ("Post vom Jobcenter gemeinsam gelesen.", "Kontoeröffnung begleitet."),
}


class ContactRow(NamedTuple):
    case_id: int
    occurred_on: dt.date
    kind: str
    topic: str
    duration_minutes: int
    note: str
    recorded_by_id: int | None


def contact_rows(
    rng: random.Random,
    *,
    case: CaseRow,
    start: dt.date,
    end: dt.date,
    gap_days: tuple[int, int] = (7, 35),
    limit: int = 40,
    with_notes: bool = True,
) -> list[ContactRow]:
    """Contacts of the case's coach, every few days or weeks from ``start`` to ``end``."""
    contacts: list[ContactRow] = []
    day = start
    while day <= end and len(contacts) < limit:
        topic = weighted(rng, CONTACT_TOPICS)
        kind = weighted(rng, CONTACT_KINDS)
        contacts.append(
            ContactRow(
                case.id,
                day,
                kind,
                topic,
                rng.choice((10, 15, 20, 30, 45, 60, 90))
                if kind != Contact.Kind.ACCOMPANIMENT
                else rng.choice((120, 180, 240)),
                rng.choice(CONTACT_NOTES[topic]) if with_notes else "",
                case.coach_id,
            )
        )
        day += dt.timedelta(days=rng.randint(*gap_days))
    return contacts


GOALS: tuple[tuple[str, str], ...] = (
    (SupportGoal.Area.LANGUAGE, "Deutsch auf Niveau B1 mit Zertifikat"),
    (SupportGoal.Area.TRAINING, "Ausbildungsplatz zum nächsten Ausbildungsjahr"),
    (SupportGoal.Area.WORK, "Sozialversicherungspflichtige Beschäftigung finden"),
    (SupportGoal.Area.SCHOOL, "Hauptschulabschluss nachholen"),
    (SupportGoal.Area.RESIDENCE, "Aufenthalt sichern (Ausbildungsduldung oder § 25a)"),
    (SupportGoal.Area.EVERYDAY, "Termine bei Behörden selbstständig wahrnehmen"),
)


class GoalRow(NamedTuple):
    case_id: int
    area: str
    description: str
    target_date: dt.date
    status: str
    closed_on: dt.date | None


def goal_rows(
    rng: random.Random, *, case_id: int, start: dt.date, end: dt.date | None, achieved: bool
) -> list[GoalRow]:
    goals = []
    for area, description in rng.sample(GOALS, k=rng.randint(1, 3)):
        target = start + dt.timedelta(days=rng.randint(90, 365))
        if end is None:
            status, closed_on = SupportGoal.Status.OPEN, None
        else:
            status = (
                SupportGoal.Status.ACHIEVED
                if achieved or rng.random() < 0.4
                else SupportGoal.Status.DROPPED
            )
            closed_on = end
        goals.append(GoalRow(case_id, area, description, target, status, closed_on))
    return goals


SUCCESS_TYPES = (
    (OutcomeType.VOCATIONAL_TRAINING, 55),
    (OutcomeType.EMPLOYMENT, 35),
    (OutcomeType.BENEFITS_INDEPENDENCE, 10),
)

EVIDENCE: dict[str, str] = {
    OutcomeType.VOCATIONAL_TRAINING: "Ausbildungsvertrag liegt vor (Kopie in der Akte).",
    OutcomeType.EMPLOYMENT: "Arbeitsvertrag liegt vor; sozialversicherungspflichtig.",
    OutcomeType.BENEFITS_INDEPENDENCE: "Einstellungsbescheid nach dem AsylbLG liegt vor.",
    OutcomeType.SCHOOL_CERTIFICATE: "Abschlusszeugnis in Kopie.",
    OutcomeType.LANGUAGE_CERTIFICATE: "Zertifikat der Sprachprüfung in Kopie.",
    OutcomeType.OTHER_PROGRAMME: "Übergabe mit Einwilligung dokumentiert.",
}


class OutcomeRow(NamedTuple):
    id: int
    case_id: int
    outcome_type: str
    achieved_on: dt.date
    verified_on: dt.date | None
    verified_by_id: int | None
    evidence_note: str


def outcome_row(
    rng: random.Random,
    *,
    id: int,
    case: CaseRow,
    outcome_type: str,
    achieved_on: dt.date,
    verify_until: dt.date | None = None,
) -> OutcomeRow:
    """An outcome of the case, verified by its coach a few days later."""
    verified_on = achieved_on + dt.timedelta(days=rng.randint(3, 30))
    if verify_until is not None and verified_on > verify_until:
        verified_on = max(achieved_on, verify_until)
    return OutcomeRow(
        id, case.id, outcome_type, achieved_on, verified_on, case.coach_id, EVIDENCE[outcome_type]
    )


class FollowUpRow(NamedTuple):
    outcome_id: int
    due_on: dt.date
    checked_on: dt.date | None
    still_in_place: bool | None
    note: str


def follow_up_rows(
    rng: random.Random, *, outcome_id: int, exit_date: dt.date, checked_until: dt.date
) -> list[FollowUpRow]:
    rows = []
    for weeks in (4, 26):
        due = exit_date + dt.timedelta(weeks=weeks)
        if due <= checked_until:
            still = rng.random() < 0.88
            rows.append(
                FollowUpRow(
                    outcome_id,
                    due,
                    due + dt.timedelta(days=rng.randint(0, 10)),
                    still,
                    "" if still else "Ausbildung abgebrochen; neue Beratung angeboten.",
                )
            )
        else:
            rows.append(FollowUpRow(outcome_id, due, None, None, ""))
    return rows


class ReferralRow(NamedTuple):
    id: int
    case_id: int
    from_provider_id: int
    to_provider_id: int | None
    to_programme_id: int | None
    consent_id: int | None
    status: str
    sent_on: dt.date
    due_on: dt.date
    answered_on: dt.date | None
    reason: str


class ParticipationRow(NamedTuple):
    id: int
    case_id: int
    module_id: int
    from_date: dt.date
    to_date: dt.date | None
    exit_reason: str


# The reason a participation in the module a case was led in ends with the case.
PARTICIPATION_END_BY_CASE_EXIT: dict[str, str] = {
    Case.ExitReason.GOAL_REACHED: ParticipationEnd.GOAL_REACHED,
    Case.ExitReason.TRANSFER_PROGRAMME: ParticipationEnd.TRANSFERRED,
    Case.ExitReason.MODULE_ENDED: ParticipationEnd.CLOSED_WITHOUT_CONSENT,
    Case.ExitReason.DROPPED_OUT: ParticipationEnd.DROPPED_OUT,
    Case.ExitReason.NO_CONTACT: ParticipationEnd.NO_CONTACT,
    Case.ExitReason.MOVED_AWAY: ParticipationEnd.MOVED_AWAY,
    Case.ExitReason.PROGRAMME_ENDED: ParticipationEnd.MODULE_ENDED,
}


def participation_rows(
    new_id: Callable[[], int],
    *,
    enrolments: Iterable[tuple[int, int, dt.date, dt.date | None, str]],
    exits: dict[int, dt.date | None],
) -> list[ParticipationRow]:
    """Participations as the enrolments imply them (as the migration derives them): per case
    and module, overlapping or adjacent enrolments make one span from the first start to the
    last end. ``enrolments``: (case id, module id, start, end, reason); ``exits``: the case's
    exit day, which ends a span still open."""
    spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for case_id, module_id, start, end, reason in enrolments:
        spans[(case_id, module_id)].append((start, end, reason))
    rows = []
    for (case_id, module_id), items in sorted(spans.items()):
        items.sort(key=lambda item: item[0])
        merged: list[list[Any]] = []
        for start, end, reason in items:
            last = merged[-1] if merged else None
            if last is not None and (last[1] is None or start <= last[1] + dt.timedelta(days=1)):
                if last[1] is not None and (end is None or end > last[1]):
                    last[1], last[2] = end, reason
                continue
            merged.append([start, end, reason])
        exit_date = exits.get(case_id)
        for start, end, reason in merged:
            if end is None and exit_date is not None:
                end, reason = max(exit_date, start), ParticipationEnd.CASE_CLOSED
            rows.append(
                ParticipationRow(
                    new_id(),
                    case_id,
                    module_id,
                    start,
                    end,
                    (reason or ParticipationEnd.OTHER) if end is not None else "",
                )
            )
    return rows


class HandOverRow(NamedTuple):
    participation_id: int
    ended_by_id: int
    result: str
    recorded_on: dt.date
    from_organisation_id: int
    to_organisation_id: int | None
    to_programme_id: int
    consent_id: int | None
    successor_case_id: int | None
    referral_id: int | None
    open_goals: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    informed_on: dt.date | None
    informed_how: str
    recorded_by_id: int | None
