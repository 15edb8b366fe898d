"""Row builders shared by the Cologne scenario and the synthetic generator.

Everything here builds *unsaved* model instances from a ``random.Random`` so that a fixed
seed gives the same data, and writes them with ``bulk_create`` in batches. Rows built here
satisfy the models' check constraints; eligibility snapshots come from the same evaluator
that the case services use, so a demo case explains itself like a real one.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db import models

from teilhabe.accounts.models import User
from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    Outcome,
    OutcomeFollowUp,
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
from teilhabe.participants.models import Consent, Participant, ResidenceDocument
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


def document_rows(
    participant: Participant, drafts: Iterable[DocumentDraft]
) -> list[ResidenceDocument]:
    return [
        ResidenceDocument(
            participant=participant,
            residence_type=d.residence_type,
            valid_from=d.valid_from,
            valid_until=d.valid_until,
            employment=EMPLOYMENT_BY_STATUS[d.residence_type],
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


def participant_row(
    draft: PersonDraft,
    *,
    municipality: Any,
    city: str = "Köln",
    given: str | None = None,
    family: str | None = None,
    registered_on: dt.date | None = None,
    duplicate_of: Participant | None = None,
    serial: int = 0,
) -> Participant:
    # The original script is kept only for groups that write in another script.
    given_latin = given or draft.given.latin
    family_latin = family or draft.family.latin
    slug = f"{given_latin}.{family_latin}".lower().replace(" ", "").replace("-", "")
    ascii_slug = slug.encode("ascii", "ignore").decode() or "person"
    return Participant(
        municipality=municipality,
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
        duplicate_of=duplicate_of,
        registered_on=registered_on or draft.registered_on,
    )


# --- Cases ---------------------------------------------------------------------------------


def case_row(
    *,
    participant: Participant,
    programme: Programme,
    provider: Any,
    coach: User | None,
    entry: dt.date,
    exit_date: dt.date | None = None,
    exit_reason: str = "",
    predecessor: Case | None = None,
    age_exception: AgeException | None = None,
    rule_book: RuleBook,
) -> Case:
    """A case with the eligibility snapshot at entry. ``participant`` must have its documents
    prefetched (``prefetch_related("residence_documents")``) and ``rule_book`` is the
    programme's (``rule_book_for``), so that evaluating costs no query at all."""
    result = evaluate_eligibility(
        participant=participant,
        programme=programme,
        on=entry,
        no_double_funding_confirmed=True,
        age_exception=age_exception,
        rule_book=rule_book,
    )
    if not result.is_eligible:
        raise ValueError(
            f"demo data error: participant {participant.pk} is not eligible on {entry}: "
            f"{result.as_snapshot()}"
        )
    category = result.category
    return Case(
        participant=participant,
        programme=programme,
        lead_provider=provider,
        coach=coach,
        status=Case.Status.CLOSED if exit_date else Case.Status.ACTIVE,
        entry_date=entry,
        exit_date=exit_date,
        exit_reason=exit_reason if exit_date else "",
        predecessor=predecessor,
        target_group=category,
        eligibility_rule=result.rule,
        eligibility_explanation=result.as_snapshot(),
        no_double_funding_confirmed=category == TargetGroup.SECONDARY,
        age_exception_justification=(
            age_exception.justification
            if age_exception and category == TargetGroup.AGE_EXCEPTION
            else ""
        ),
        age_exception_approved_by=(
            age_exception.approved_by
            if age_exception and category == TargetGroup.AGE_EXCEPTION
            else None
        ),
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


def contact_rows(
    rng: random.Random,
    *,
    case: Case,
    start: dt.date,
    end: dt.date,
    recorded_by: User | None,
    gap_days: tuple[int, int] = (7, 35),
    limit: int = 40,
    with_notes: bool = True,
) -> list[Contact]:
    contacts: list[Contact] = []
    day = start
    while day <= end and len(contacts) < limit:
        topic = weighted(rng, CONTACT_TOPICS)
        kind = weighted(rng, CONTACT_KINDS)
        contacts.append(
            Contact(
                case=case,
                occurred_on=day,
                kind=kind,
                topic=topic,
                duration_minutes=rng.choice((10, 15, 20, 30, 45, 60, 90))
                if kind != Contact.Kind.ACCOMPANIMENT
                else rng.choice((120, 180, 240)),
                note=rng.choice(CONTACT_NOTES[topic]) if with_notes else "",
                recorded_by=recorded_by,
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


def goal_rows(
    rng: random.Random, *, case: Case, start: dt.date, end: dt.date | None, achieved: bool
) -> list[SupportGoal]:
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
        goals.append(
            SupportGoal(
                case=case,
                area=area,
                description=description,
                target_date=target,
                status=status,
                closed_on=closed_on,
            )
        )
    return goals


def enrolment_row(
    *,
    case: Case,
    offer: Offer,
    requested_on: dt.date,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    dropped: bool = False,
) -> Enrolment:
    if started_on is None:
        status = Enrolment.Status.WAITING
    elif ended_on is None:
        status = Enrolment.Status.ACTIVE
    else:
        status = Enrolment.Status.DROPPED if dropped else Enrolment.Status.COMPLETED
    return Enrolment(
        case=case,
        offer=offer,
        status=status,
        requested_on=requested_on,
        started_on=started_on,
        ended_on=ended_on,
    )


def attendance_rows(
    rng: random.Random,
    *,
    enrolment: Enrolment,
    start: dt.date,
    end: dt.date,
    weekdays: Iterable[int],
    hours: Decimal,
    present_share: float = 0.86,
) -> list[Attendance]:
    rows = []
    for day in session_days(start, end, weekdays):
        roll = rng.random()
        if roll < present_share:
            status, spent = Attendance.Status.PRESENT, hours
        elif roll < present_share + 0.08:
            status, spent = Attendance.Status.EXCUSED, Decimal("0")
        else:
            status, spent = Attendance.Status.ABSENT, Decimal("0")
        rows.append(Attendance(enrolment=enrolment, session_date=day, status=status, hours=spent))
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


def outcome_row(
    rng: random.Random,
    *,
    case: Case,
    outcome_type: str,
    achieved_on: dt.date,
    verified_by: User | None,
    verify_until: dt.date | None = None,
) -> Outcome:
    verified_on = achieved_on + dt.timedelta(days=rng.randint(3, 30))
    if verify_until is not None and verified_on > verify_until:
        verified_on = max(achieved_on, verify_until)
    return Outcome(
        case=case,
        outcome_type=outcome_type,
        achieved_on=achieved_on,
        verified_on=verified_on,
        verified_by=verified_by,
        evidence_note=EVIDENCE[outcome_type],
    )


def follow_up_rows(
    rng: random.Random, *, outcome: Outcome, exit_date: dt.date, checked_until: dt.date
) -> list[OutcomeFollowUp]:
    rows = []
    for weeks in (4, 26):
        due = exit_date + dt.timedelta(weeks=weeks)
        if due <= checked_until:
            still = rng.random() < 0.88
            rows.append(
                OutcomeFollowUp(
                    outcome=outcome,
                    due_on=due,
                    checked_on=due + dt.timedelta(days=rng.randint(0, 10)),
                    still_in_place=still,
                    note="" if still else "Ausbildung abgebrochen; neue Beratung angeboten.",
                )
            )
        else:
            rows.append(OutcomeFollowUp(outcome=outcome, due_on=due))
    return rows


def consent_row(
    *,
    participant: Participant,
    purpose: str,
    given_on: dt.date,
    recipient: Any = None,
    recipient_programme: Programme | None = None,
    categories: Sequence[str] = ("identity", "contact"),
    recorded_by: User | None = None,
    expires_on: dt.date | None = None,
) -> Consent:
    return Consent(
        participant=participant,
        purpose=purpose,
        recipient=recipient,
        recipient_programme=recipient_programme,
        data_categories=list(categories),
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=recorded_by,
    )


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
    """``bulk_create`` in batches, counting rows per model and reporting progress."""

    def __init__(
        self, *, batch_size: int = 5000, progress: Callable[[str], None] | None = None
    ) -> None:
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()
        self.progress = progress
        self.started = time.perf_counter()

    def save(self, objects: Sequence[M]) -> list[M]:
        if not objects:
            return []
        model = type(objects[0])
        created = model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.counts[model._meta.label] += len(created)
        return created

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


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
    """A course enrolment waiting for its attendance rows (which need the enrolment's id)."""

    enrolment: Enrolment
    spec: CourseSpec


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
    case: Case,
    run: tuple[Offer, CourseSpec],
    entry: dt.date,
    leaves_on: dt.date | None,
    late_join_share: float = 0.15,
) -> CourseBooking:
    """An enrolment in a course run for a case that ends on ``leaves_on`` (None: open)."""
    offer, spec = run
    assert offer.ends_on is not None
    if leaves_on is None and offer.starts_on > SCENARIO_TODAY:
        requested = max(entry, min(SCENARIO_TODAY, offer.starts_on - 60 * DAY))
        waiting = enrolment_row(
            case=case, offer=offer, requested_on=requested, started_on=None, ended_on=None
        )
        return CourseBooking(enrolment=waiting, spec=spec)
    started = offer.starts_on
    if rng.random() < late_join_share:
        started = min(started + dt.timedelta(days=rng.randint(7, 70)), offer.ends_on)
    if leaves_on is not None:
        started = min(started, leaves_on)
    requested = max(entry, offer.starts_on - dt.timedelta(days=rng.randint(7, 40)))
    requested = min(requested, started)
    dropped = rng.random() < 0.1
    if leaves_on is not None and leaves_on < offer.ends_on:
        ended: dt.date | None = leaves_on
        dropped = True
    elif dropped:
        ended = random_day(rng, started, offer.ends_on)
    else:
        ended = offer.ends_on
    if ended is not None and leaves_on is None and ended > SCENARIO_TODAY:
        ended = None
    enrolment = enrolment_row(
        case=case,
        offer=offer,
        requested_on=requested,
        started_on=started,
        ended_on=ended,
        dropped=dropped,
    )
    return CourseBooking(enrolment=enrolment, spec=spec)


# Dates after this day are the future in every demo data set: open enrolments stay active.
SCENARIO_TODAY = dt.date(2026, 11, 16)


def attendance_for(
    rng: random.Random, bookings: Iterable[CourseBooking], *, until: dt.date = SCENARIO_TODAY
) -> list[Attendance]:
    rows: list[Attendance] = []
    for booking in bookings:
        enrolment = booking.enrolment
        if enrolment.started_on is None:
            continue
        end = min(enrolment.ended_on or until, until)
        rows.extend(
            attendance_rows(
                rng,
                enrolment=enrolment,
                start=enrolment.started_on,
                end=end,
                weekdays=booking.spec.weekdays,
                hours=booking.spec.hours_per_session,
            )
        )
    return rows
