"""Row builders shared by the Cologne scenario and the synthetic generator.

Everything here builds rows from a ``random.Random`` so that a fixed seed gives the same
data: unsaved model instances for the set-up, named tuples for the many rows about people,
written by ``BulkWriter``. Rows built here satisfy the models' check constraints;
eligibility snapshots come from the same evaluator that the case services use, so a demo
case explains itself like a real one.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.query import QuerySet
from django.utils import timezone

from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    SupportGoal,
)
from teilhabe.core.codes import (
    EmploymentPermission,
    Gender,
    GermanLevel,
    OutcomeType,
    ResidenceType,
    SchoolingLevel,
    TargetGroup,
)
from teilhabe.demo.names import COLOGNE_DISTRICTS, Name, NameGroup
from teilhabe.participants.models import Participant, ResidenceDocument
from teilhabe.programmes.eligibility import AgeException, evaluate_eligibility
from teilhabe.programmes.models import CostBasis, EligibilityRule, Module, Offer, Programme
from teilhabe.programmes.selectors import RuleBook

M = TypeVar("M", bound=models.Model)
DAY = dt.timedelta(days=1)
CENT = Decimal("0.01")

MAIN_GROUP_STATUSES: tuple[str, ...] = (
    ResidenceType.ASYLUM_SEEKER,
    ResidenceType.TOLERATED,
    ResidenceType.TOLERATED_UNCLEAR_IDENTITY,
    ResidenceType.TRAINING_TOLERATION,
    ResidenceType.EMPLOYMENT_TOLERATION,
)

EMPLOYMENT_BY_STATUS: dict[str, str] = {
    ResidenceType.ASYLUM_SEEKER: EmploymentPermission.ON_PERMISSION,
    ResidenceType.TOLERATED: EmploymentPermission.ON_PERMISSION,
    ResidenceType.TOLERATED_UNCLEAR_IDENTITY: EmploymentPermission.FORBIDDEN,
    ResidenceType.TRAINING_TOLERATION: EmploymentPermission.PERMITTED,
    ResidenceType.EMPLOYMENT_TOLERATION: EmploymentPermission.PERMITTED,
    ResidenceType.WELL_INTEGRATED_YOUTH: EmploymentPermission.PERMITTED,
    ResidenceType.TEMPORARY_PROTECTION: EmploymentPermission.PERMITTED,
    ResidenceType.FICTION_CERTIFICATE: EmploymentPermission.ON_PERMISSION,
    ResidenceType.OTHER: EmploymentPermission.PERMITTED,
}

# How long one document of a status is usually issued for, in days (renewals follow).
VALIDITY_DAYS: dict[str, tuple[int, int]] = {
    ResidenceType.ASYLUM_SEEKER: (180, 365),
    ResidenceType.TOLERATED: (150, 365),
    ResidenceType.TOLERATED_UNCLEAR_IDENTITY: (90, 180),
    ResidenceType.TRAINING_TOLERATION: (700, 1100),
    ResidenceType.EMPLOYMENT_TOLERATION: (700, 900),
    ResidenceType.WELL_INTEGRATED_YOUTH: (700, 1100),
    ResidenceType.TEMPORARY_PROTECTION: (360, 720),
    ResidenceType.FICTION_CERTIFICATE: (60, 120),
    ResidenceType.OTHER: (700, 1100),
}


# --- The Durchstarten module set-up, shared by Cologne and the synthetic programmes --------


@dataclass(frozen=True)
class ModuleSpec:
    code: str
    name: str
    local_name: str
    cost_basis: str
    unit_rate: Decimal | None = None
    counts_in_state_monitoring: bool = True


DURCHSTARTEN_MODULES: tuple[ModuleSpec, ...] = (
    ModuleSpec("F1", "Coaching", "Jobcoaching", CostBasis.STAFF_POSITIONS),
    ModuleSpec(
        "F2",
        "Berufsbezogene Qualifizierung und/oder Sprachförderung",
        "Berufsbezogene Sprachkurse (BAMF)",
        CostBasis.NOT_FUNDED_LOCALLY,
    ),
    ModuleSpec(
        "F3",
        "Nachholen des Hauptschulabschlusses",
        "Schulabschlussklasse 9/10A mit Sprachförderung",
        CostBasis.COURSE_FLAT_RATE,
    ),
    ModuleSpec(
        "F4",
        "Schul-, ausbildungs- und berufsvorbereitende Kurse; Jugendintegrationskurse",
        "Innovative Kurse und BAMF-Jugendintegrationskurse",
        CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    ),
    ModuleSpec(
        "F5",
        "Innovationsfonds",
        "Gastro 8.0 und Kultur mobil",
        CostBasis.PROJECT_GRANT,
        counts_in_state_monitoring=False,
    ),
    ModuleSpec("F6", "Teilhabemanagement", "Gemeinsam klappt's", CostBasis.STAFF_POSITIONS),
)


def module_rows(programme: Programme, *, valid_from: dt.date) -> list[Module]:
    return [
        Module(
            programme=programme,
            code=spec.code,
            name=spec.name,
            local_name=spec.local_name,
            valid_from=valid_from,
            cost_basis=spec.cost_basis,
            unit_rate=spec.unit_rate,
            counts_in_state_monitoring=spec.counts_in_state_monitoring,
        )
        for spec in DURCHSTARTEN_MODULES
    ]


def eligibility_rule_row(
    programme: Programme,
    *,
    valid_from: dt.date,
    place_of_residence: str,
    special_case_statuses: Sequence[str] = (),
) -> EligibilityRule:
    return EligibilityRule(
        programme=programme,
        valid_from=valid_from,
        min_age=18,
        max_age=27,
        main_group_statuses=list(MAIN_GROUP_STATUSES),
        special_case_statuses=list(special_case_statuses),
        secondary_group_allowed=True,
        excludes_state_reception=True,
        place_of_residence=place_of_residence,
    )


@dataclass(frozen=True)
class CourseSpec:
    title: str
    duration_days: int
    weekdays: tuple[int, ...]
    hours_per_session: Decimal
    places: int
    language: str = "de"


def course_runs(
    *,
    module: Module,
    provider: Any,
    spec: CourseSpec,
    starts: Iterable[dt.date],
    location: str,
) -> list[Offer]:
    runs = []
    for number, start in enumerate(starts, start=1):
        end = start + dt.timedelta(days=spec.duration_days)
        sessions = len(session_days(start, end, spec.weekdays))
        runs.append(
            Offer(
                module=module,
                provider=provider,
                title=f"{spec.title} – Durchgang {number}",
                kind=Offer.Kind.COURSE_RUN,
                starts_on=start,
                ends_on=end,
                places=spec.places,
                teaching_hours=int(sessions * spec.hours_per_session),
                language=spec.language,
                location=location,
            )
        )
    return runs


def run_starts(
    rng: random.Random, *, first: dt.date, last: dt.date, every_days: int
) -> list[dt.date]:
    """Start dates of repeated course runs, a little irregular as real schedules are."""
    starts = []
    day = first
    while day <= last:
        starts.append(day)
        day += dt.timedelta(days=every_days + rng.randint(0, 14))
    return starts


def session_days(start: dt.date, end: dt.date, weekdays: Iterable[int]) -> list[dt.date]:
    wanted = set(weekdays)
    days = []
    day = start
    while day <= end:
        if day.weekday() in wanted:
            days.append(day)
        day += DAY
    return days


# --- People ------------------------------------------------------------------------------


def weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def birth_date_for_age(rng: random.Random, *, age: int, on: dt.date) -> dt.date:
    """A date of birth at which a person is exactly ``age`` years old on ``on``."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + DAY
    return random_day(rng, earliest, latest)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class DocumentDraft:
    residence_type: str
    valid_from: dt.date
    valid_until: dt.date | None


def document_chain(
    rng: random.Random, *, segments: Sequence[tuple[str, dt.date]], until: dt.date
) -> list[DocumentDraft]:
    """Documents covering each status segment without gaps, renewed until after ``until``.

    ``segments`` are (status, first day) in order; a status holds until the next one starts.
    """
    drafts: list[DocumentDraft] = []
    for index, (status, start) in enumerate(segments):
        last = segments[index + 1][1] - DAY if index + 1 < len(segments) else None
        low, high = VALIDITY_DAYS[status]
        day = start
        while True:
            end = day + dt.timedelta(days=rng.randint(low, high))
            if last is not None and end >= last:
                drafts.append(DocumentDraft(status, day, last))
                break
            drafts.append(DocumentDraft(status, day, end))
            if last is None and end > until:
                break
            day = end + DAY
    return drafts


class DocumentRow(NamedTuple):
    participant_id: int
    residence_type: str
    valid_from: dt.date
    valid_until: dt.date | None
    employment: str


def document_rows(participant_id: int, drafts: Iterable[DocumentDraft]) -> list[DocumentRow]:
    return [
        DocumentRow(
            participant_id,
            d.residence_type,
            d.valid_from,
            d.valid_until,
            EMPLOYMENT_BY_STATUS[d.residence_type],
        )
        for d in drafts
    ]


@dataclass
class PersonDraft:
    group: NameGroup
    gender: str
    given: Name
    family: Name
    nationality: str
    languages: list[str]
    date_of_birth: dt.date
    registered_on: dt.date
    district: tuple[str, str]
    schooling: str
    german_level: str
    documents: list[DocumentDraft] = field(default_factory=list)


SCHOOLING = (
    (SchoolingLevel.ISCED_0, 8),
    (SchoolingLevel.ISCED_1, 22),
    (SchoolingLevel.ISCED_2, 35),
    (SchoolingLevel.ISCED_3, 20),
    (SchoolingLevel.ISCED_4, 3),
    (SchoolingLevel.ISCED_5_PLUS, 4),
    (SchoolingLevel.UNKNOWN, 8),
)
GERMAN = (
    (GermanLevel.NONE, 8),
    (GermanLevel.A1, 25),
    (GermanLevel.A2, 32),
    (GermanLevel.B1, 25),
    (GermanLevel.B2, 8),
    (GermanLevel.C1, 2),
)


def draw_person(
    rng: random.Random,
    *,
    group: NameGroup,
    age_at_entry: int,
    entry: dt.date,
    female_share: float = 0.32,
    gender: str | None = None,
) -> PersonDraft:
    if gender is None:
        roll = rng.random()
        gender = (
            Gender.FEMALE
            if roll < female_share
            else Gender.DIVERSE
            if roll > 0.995
            else Gender.MALE
        )
    given_pool = group.female if gender == Gender.FEMALE else group.male
    languages = [group.languages[0]]
    if len(group.languages) > 1 and rng.random() < 0.4:
        languages.append(rng.choice(group.languages[1:]))
    if rng.random() < 0.3:
        languages.append("en")
    german = weighted(rng, GERMAN)
    if group.code == "ukrainian" and german in (GermanLevel.B1, GermanLevel.B2, GermanLevel.C1):
        german = GermanLevel.A1
    return PersonDraft(
        group=group,
        gender=gender,
        given=rng.choice(given_pool),
        family=rng.choice(group.family),
        nationality=weighted(rng, group.nationalities),
        languages=languages,
        date_of_birth=birth_date_for_age(rng, age=age_at_entry, on=entry),
        registered_on=entry - dt.timedelta(days=rng.randint(3, 45)),
        district=rng.choice(COLOGNE_DISTRICTS),
        schooling=weighted(rng, SCHOOLING),
        german_level=german,
    )


class ParticipantRow(NamedTuple):
    id: int
    municipality_id: int
    given_names: str
    family_name: str
    given_names_original: str
    family_name_original: str
    date_of_birth: dt.date
    gender: str
    nationality: str
    languages: list[str]
    schooling: str
    german_level: str
    phone: str
    email: str
    postal_code: str
    city: str
    lives_in_state_reception: bool
    duplicate_of_id: int | None
    registered_on: dt.date


def participant_row(
    draft: PersonDraft,
    *,
    id: int,
    municipality_id: int,
    city: str = "Köln",
    given: str | None = None,
    family: str | None = None,
    registered_on: dt.date | None = None,
    duplicate_of_id: int | None = None,
    serial: int = 0,
) -> ParticipantRow:
    # The original script is kept only for groups that write in another script.
    given_latin = given or draft.given.latin
    family_latin = family or draft.family.latin
    slug = f"{given_latin}.{family_latin}".lower().replace(" ", "").replace("-", "")
    ascii_slug = slug.encode("ascii", "ignore").decode() or "person"
    return ParticipantRow(
        id=id,
        municipality_id=municipality_id,
        given_names=given_latin,
        family_name=family_latin,
        given_names_original=draft.given.original,
        family_name_original=draft.family.original,
        date_of_birth=draft.date_of_birth,
        gender=draft.gender,
        nationality=draft.nationality,
        languages=list(draft.languages),
        schooling=draft.schooling,
        german_level=draft.german_level,
        phone=f"+49 1578 {serial % 10_000_000:07d}",
        email=f"{ascii_slug}.{serial}@example.org",
        postal_code=draft.district[1],
        city=city,
        lives_in_state_reception=False,
        duplicate_of_id=duplicate_of_id,
        registered_on=registered_on or draft.registered_on,
    )


# --- Cases ---------------------------------------------------------------------------------


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
    documents: Iterable[DocumentDraft],
    programme: Programme,
    provider_id: int,
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
        participant=_as_judged(participant, documents),
        programme=programme,
        on=entry,
        no_double_funding_confirmed=True,
        age_exception=age_exception,
        rule_book=rule_book,
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
        lead_provider_id=provider_id,
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


def _as_judged(row: ParticipantRow, documents: Iterable[DocumentDraft]) -> Participant:
    """The participant as the eligibility evaluator reads it, built from the rows in hand.

    The evaluator reads documents through ``residence_documents.all()``, which serves a
    prefetched list without a query. Here that list is filled from the drafts instead of
    reading back hundreds of thousands of rows that were just written.
    """
    participant = Participant(
        id=row.id,
        date_of_birth=row.date_of_birth,
        city=row.city,
        lives_in_state_reception=row.lives_in_state_reception,
        registered_on=row.registered_on,
    )
    # Django fills these three private attributes when it prefetches; so does this.
    prefetched: QuerySet[ResidenceDocument] = QuerySet(model=ResidenceDocument)
    prefetched._result_cache = [
        ResidenceDocument(
            participant=participant,
            residence_type=d.residence_type,
            valid_from=d.valid_from,
            valid_until=d.valid_until,
        )
        for d in documents
    ]
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    participant._prefetched_objects_cache = {"residence_documents": prefetched}  # type: ignore[attr-defined]
    return participant


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


class EnrolmentRow(NamedTuple):
    id: int
    case_id: int
    offer_id: int
    status: str
    requested_on: dt.date
    started_on: dt.date | None
    ended_on: dt.date | None


def enrolment_row(
    *,
    id: int,
    case_id: int,
    offer_id: int,
    requested_on: dt.date,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    dropped: bool = False,
) -> EnrolmentRow:
    if started_on is None:
        status = Enrolment.Status.WAITING
    elif ended_on is None:
        status = Enrolment.Status.ACTIVE
    else:
        status = Enrolment.Status.DROPPED if dropped else Enrolment.Status.COMPLETED
    return EnrolmentRow(id, case_id, offer_id, status, requested_on, started_on, ended_on)


class AttendanceRow(NamedTuple):
    enrolment_id: int
    session_date: dt.date
    status: str
    hours: Decimal


NO_HOURS = Decimal("0")


def attendance_rows(
    rng: random.Random,
    *,
    enrolment_id: int,
    start: dt.date,
    end: dt.date,
    weekdays: Iterable[int],
    hours: Decimal,
    present_share: float = 0.86,
) -> list[AttendanceRow]:
    rows = []
    for day in session_days(start, end, weekdays):
        roll = rng.random()
        if roll < present_share:
            status, spent = Attendance.Status.PRESENT, hours
        elif roll < present_share + 0.08:
            status, spent = Attendance.Status.EXCUSED, NO_HOURS
        else:
            status, spent = Attendance.Status.ABSENT, NO_HOURS
        rows.append(AttendanceRow(enrolment_id, day, status, spent))
    return rows


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


class ConsentRow(NamedTuple):
    id: int
    participant_id: int
    purpose: str
    recipient_id: int | None
    recipient_programme_id: int | None
    data_categories: list[str]
    given_on: dt.date
    expires_on: dt.date | None
    withdrawn_on: dt.date | None
    recorded_by_id: int | None


def consent_row(
    *,
    id: int,
    participant_id: int,
    purpose: str,
    given_on: dt.date,
    recipient_id: int | None = None,
    recipient_programme_id: int | None = None,
    categories: Sequence[str] = ("identity", "contact"),
    recorded_by_id: int | None = None,
) -> ConsentRow:
    return ConsentRow(
        id=id,
        participant_id=participant_id,
        purpose=purpose,
        recipient_id=recipient_id,
        recipient_programme_id=recipient_programme_id,
        data_categories=list(categories),
        given_on=given_on,
        expires_on=None,
        withdrawn_on=None,
        recorded_by_id=recorded_by_id,
    )


class ReferralRow(NamedTuple):
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


# --- Money ---------------------------------------------------------------------------------


def split_amount(total: Decimal, weights: Sequence[float]) -> list[Decimal]:
    """Split ``total`` by ``weights`` into cents that add up exactly to ``total``."""
    whole = sum(weights)
    parts = [
        (total * Decimal(str(w / whole))).quantize(CENT, rounding=ROUND_HALF_UP)
        for w in weights[:-1]
    ]
    parts.append(total - sum(parts, Decimal("0")))
    return parts


# --- Writing -------------------------------------------------------------------------------


class BulkWriter:
    """Writes demo data in bulk and counts the rows per model.

    Set-up objects (programmes, offers, budget lines …) are model instances saved with
    ``bulk_create``. The many rows about people are named tuples whose fields are the
    model's attributes (``case_id`` …): on PostgreSQL they go in with COPY, elsewhere as
    model instances through ``bulk_create``. Rows that others point to get their ids from
    ``new_id`` before they are written, so a case's contacts can be built without a round
    trip. Every row still passes the database's constraints.
    """

    def __init__(self, *, batch_size: int = 5000, using: str = DEFAULT_DB_ALIAS) -> None:
        self.batch_size = batch_size
        self.connection = connections[using]
        self.counts: Counter[str] = Counter()
        self.started = time.perf_counter()
        self._free_ids: dict[type[models.Model], deque[int]] = defaultdict(deque)
        self._reserved_up_to: dict[str, int] = {}

    def save(self, objects: Sequence[M]) -> list[M]:
        if not objects:
            return []
        model = type(objects[0])
        created = model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.counts[model._meta.label] += len(created)
        return created

    def new_id(self, model: type[models.Model]) -> int:
        """An id for a new row of ``model``, valid until the transaction ends."""
        free = self._free_ids[model]
        if not free:
            free.extend(self._reserve_ids(model, self.batch_size))
            transaction.on_commit(self._forget_ids, using=self.connection.alias)
        return free.popleft()

    def _forget_ids(self) -> None:
        self._free_ids.clear()
        self._reserved_up_to.clear()

    def write(self, model: type[models.Model], rows: Sequence[tuple[Any, ...]]) -> None:
        """Write rows of one model; each row a named tuple of that model's attributes."""
        if not rows:
            return
        names: tuple[str, ...] = rows[0]._fields  # type: ignore[attr-defined]
        if self.connection.vendor == "postgresql":
            self._copy(model, names, rows)
        else:
            model._default_manager.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in rows],
                batch_size=self.batch_size,
            )
        self.counts[model._meta.label] += len(rows)

    def _copy(
        self, model: type[models.Model], names: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_attname[name] for name in names]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        # auto_now(_add) is filled by ``save()``; COPY must be given the time itself.
        stamps = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
        ]
        now = (timezone.now(),) * len(stamps)
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(_column(f)) for f in fields + stamps)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i])
                    row = tuple(values)
                copy.write_row((*row, *now))

    def _reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        assert model._meta.pk is not None
        pk = _column(model._meta.pk)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite has no sequence to draw from: the next free ids after the highest one
            # used or handed out. The write lock of the (IMMEDIATE) transaction keeps them
            # free until they are written.
            if not self.connection.in_atomic_block:
                raise RuntimeError("reserve ids only inside a transaction")
            quote = self.connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            known = cursor.fetchone()
            first = max(highest, known[0] if known else 0, self._reserved_up_to.get(table, 0)) + 1
        self._reserved_up_to[table] = first + count - 1
        return list(range(first, first + count))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _column(field: models.Field[Any, Any]) -> str:
    if not field.column:
        raise ValueError(f"{field} has no column")
    return field.column


# --- Planning helpers shared by the scenario and the generator ----------------------------

UKRAINE_ARRIVALS_FROM = dt.date(2022, 2, 28)
TEMPORARY_PROTECTION_FROM = dt.date(2022, 3, 17)

STATUS_AT_ENTRY = (
    (ResidenceType.ASYLUM_SEEKER, 50),
    (ResidenceType.TOLERATED, 33),
    (ResidenceType.TOLERATED_UNCLEAR_IDENTITY, 4),
    (ResidenceType.EMPLOYMENT_TOLERATION, 2),
    (ResidenceType.WELL_INTEGRATED_YOUTH, 5),
    (ResidenceType.OTHER, 6),
)


def status_segments(
    rng: random.Random,
    *,
    status: str,
    entry: dt.date,
    date_of_birth: dt.date,
    success_on: dt.date | None = None,
    success_type: str | None = None,
) -> list[tuple[str, dt.date]]:
    """A plausible residence history: (status, first day) segments with ``status`` in force
    on ``entry`` and at most one change afterwards."""
    if status == ResidenceType.TEMPORARY_PROTECTION:
        # Fiktionsbescheinigung on arrival, § 24 from the day the city admitted it at the
        # earliest; entry comes after both.
        arrival = random_day(rng, UKRAINE_ARRIVALS_FROM, entry - dt.timedelta(days=10))
        issued = random_day(rng, max(TEMPORARY_PROTECTION_FROM, arrival + 7 * DAY), entry)
        return [(ResidenceType.FICTION_CERTIFICATE, arrival), (status, issued)]

    earliest_arrival = max(_years_before(date_of_birth, -14), entry - 1400 * DAY)
    arrival = random_day(rng, earliest_arrival, entry - 120 * DAY)
    segments: list[tuple[str, dt.date]] = [(ResidenceType.ASYLUM_SEEKER, arrival)]
    if status != ResidenceType.ASYLUM_SEEKER:
        changed = random_day(rng, arrival + 60 * DAY, entry - 30 * DAY)
        if status == ResidenceType.EMPLOYMENT_TOLERATION:
            segments.append((ResidenceType.TOLERATED, changed))
            changed = random_day(rng, changed + DAY, entry - DAY)
        segments.append((status, changed))

    later: tuple[str, dt.date] | None = None
    if (
        success_on
        and success_type == OutcomeType.VOCATIONAL_TRAINING
        and status in (ResidenceType.TOLERATED, ResidenceType.TOLERATED_UNCLEAR_IDENTITY)
    ):
        later = (ResidenceType.TRAINING_TOLERATION, success_on)
    else:
        roll = rng.random()
        change_on = entry + dt.timedelta(days=rng.randint(60, 500))
        if status == ResidenceType.ASYLUM_SEEKER and roll < 0.3:
            later = (ResidenceType.TOLERATED, change_on)
        elif status == ResidenceType.ASYLUM_SEEKER and roll < 0.42:
            later = (ResidenceType.OTHER, change_on)
        elif status == ResidenceType.TOLERATED and roll < 0.12:
            later = (ResidenceType.WELL_INTEGRATED_YOUTH, change_on)
    if later:
        segments.append(later)
    return segments


@dataclass
class CourseBooking:
    """A place in a course run: the enrolment and what its attendance rows need."""

    enrolment: EnrolmentRow
    offer: Offer
    spec: CourseSpec
    case: CaseRow


class CourseBook:
    """Hands out places in course runs, so that no run is overbooked."""

    def __init__(self, runs: Iterable[tuple[Offer, CourseSpec]]) -> None:
        self.runs = sorted(runs, key=lambda r: r[0].starts_on)
        self.taken: Counter[int] = Counter()

    def find(
        self,
        rng: random.Random,
        *,
        earliest: dt.date,
        latest: dt.date,
        provider: Any = None,
    ) -> tuple[Offer, CourseSpec] | None:
        free = [
            (offer, spec)
            for offer, spec in self.runs
            if earliest <= offer.starts_on <= latest
            and self.taken[id(offer)] < (offer.places or 0)
            and (provider is None or offer.provider is provider)
        ]
        if not free:
            return None
        choice = rng.choice(free[:3])
        self.taken[id(choice[0])] += 1
        return choice


def book_course(
    rng: random.Random,
    *,
    enrolment_id: int,
    case: CaseRow,
    run: tuple[Offer, CourseSpec],
    entry: dt.date,
    leaves_on: dt.date | None,
    late_join_share: float = 0.15,
) -> CourseBooking:
    """An enrolment in a course run for a case that ends on ``leaves_on`` (None: open)."""
    offer, spec = run
    assert offer.ends_on is not None
    started: dt.date | None = None
    ended: dt.date | None = None
    dropped = False
    if leaves_on is None and offer.starts_on > SCENARIO_TODAY:
        # A run that starts after "today": on the waiting list.
        requested = max(entry, min(SCENARIO_TODAY, offer.starts_on - 60 * DAY))
    else:
        started = offer.starts_on
        if rng.random() < late_join_share:
            started = min(started + dt.timedelta(days=rng.randint(7, 70)), offer.ends_on)
        if leaves_on is not None:
            started = min(started, leaves_on)
        requested = max(entry, offer.starts_on - dt.timedelta(days=rng.randint(7, 40)))
        requested = min(requested, started)
        dropped = rng.random() < 0.1
        if leaves_on is not None and leaves_on < offer.ends_on:
            ended = leaves_on
            dropped = True
        elif dropped:
            ended = random_day(rng, started, offer.ends_on)
        else:
            ended = offer.ends_on
        if ended is not None and leaves_on is None and ended > SCENARIO_TODAY:
            ended = None
    enrolment = enrolment_row(
        id=enrolment_id,
        case_id=case.id,
        offer_id=offer.pk,
        requested_on=requested,
        started_on=started,
        ended_on=ended,
        dropped=dropped,
    )
    return CourseBooking(enrolment=enrolment, offer=offer, spec=spec, case=case)


# Dates after this day are the future in every demo data set: open enrolments stay active.
SCENARIO_TODAY = dt.date(2026, 11, 16)


def attendance_for(
    rng: random.Random, bookings: Iterable[CourseBooking], *, until: dt.date = SCENARIO_TODAY
) -> list[AttendanceRow]:
    rows: list[AttendanceRow] = []
    for booking in bookings:
        enrolment = booking.enrolment
        if enrolment.started_on is None:
            continue
        end = min(enrolment.ended_on or until, until)
        rows.extend(
            attendance_rows(
                rng,
                enrolment_id=enrolment.id,
                start=enrolment.started_on,
                end=end,
                weekdays=booking.spec.weekdays,
                hours=booking.spec.hours_per_session,
            )
        )
    return rows
