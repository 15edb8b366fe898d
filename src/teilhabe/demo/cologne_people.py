"""The people of the Cologne scenario: a plan per person, then the rows.

The plan fixes, per person, the first entry into the programme and the day of the first
success. The reported figures follow from it and nothing else:

* 300 persons enter by 17 March 2022 (2 of them on that day), 208 more by the end
  (48 of them people who fled Ukraine, from 18 March 2022 on): 508 reached.
* 57 persons have their first success by 17 March 2022, 60 more by 30 June 2023: 117.

Sixteen people registered a second time under another spelling; each duplicate has its own
case at another provider (and some a success recorded again there), so counting cases or
participants instead of persons gives larger numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from teilhabe.accounts.models import Organisation
from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    Outcome,
    OutcomeFollowUp,
    Referral,
    SupportGoal,
)
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES, Gender, OutcomeType, ResidenceType
from teilhabe.demo import names
from teilhabe.demo.builders import (
    DAY,
    STATUS_AT_ENTRY,
    SUCCESS_TYPES,
    BulkWriter,
    CaseRow,
    ConsentRow,
    ContactRow,
    CourseBook,
    CourseBooking,
    CourseSpec,
    EnrolmentRow,
    GoalRow,
    OutcomeRow,
    ParticipantRow,
    PersonDraft,
    ReferralRow,
    attendance_for,
    book_course,
    case_row,
    consent_row,
    contact_rows,
    document_chain,
    document_rows,
    draw_person,
    enrolment_row,
    follow_up_rows,
    goal_rows,
    outcome_row,
    participant_row,
    random_day,
    status_segments,
    weighted,
)
from teilhabe.demo.cologne_programme import (
    DECISION_DAY,
    DEMO_DAY,
    EXTENDED_END,
    F6_END,
    OFFERS_START,
    CologneSetup,
)
from teilhabe.participants.models import Consent, Participant, ResidenceDocument
from teilhabe.programmes.eligibility import AgeException
from teilhabe.programmes.models import Offer, Programme
from teilhabe.programmes.selectors import rule_book_for

REACHED_BY_DECISION = 300
REACHED_AT_END = 508
SUCCESSES_BY_DECISION = 57
SUCCESSES_AT_END = 117
UKRAINIANS = 48
F6_PERSONS = 42
COURSE_LED = 60
KIM_ONLY = 36
EARLY_DUPLICATES = 10
LATE_DUPLICATES = 6

DROPOUT_REASONS = (
    (Case.ExitReason.DROPPED_OUT, 4),
    (Case.ExitReason.NO_CONTACT, 4),
    (Case.ExitReason.MOVED_AWAY, 2),
)
AGE_EXCEPTIONS = (
    (28, "Ausbildungsbeginn zum 1. August steht fest; die Altersgrenze ist nur um wenige "
         "Wochen überschritten."),
    (28, "Schulabschlussklasse läuft bereits; Abbruch würde den Abschluss gefährden."),
    (28, "Geschwister ist im Programm; gemeinsame Begleitung zur Stabilisierung."),
    (17, "Vollendet das 18. Lebensjahr in wenigen Wochen; Kursplatz sonst verloren."),
)  # fmt: skip

# Coaching providers and how many of the coaching cases they lead (relative).
COACHING_WEIGHTS = (
    ("brueckenwerk", 16), ("lernhaus", 13), ("perspektive", 10), ("werkstatt", 9),
    ("kompass", 8), ("startklar", 8), ("ankerplatz", 7), ("wegweiser", 8),
    ("mosaik", 7), ("treffpunkt", 8),
)  # fmt: skip
COURSE_LEADS = (("bildungsforum", "F3"), ("zweiterweg", "F3"), ("lernhaus", "F4"),
                ("werkstatt", "F4"), ("sprungbrett", "F4"), ("sprachbruecke", "F4"),
                ("horizont", "F4"))  # fmt: skip


@dataclass
class Plan:
    index: int
    group: names.NameGroup
    entry: dt.date
    age: int
    lead: str = "coaching"  # coaching | f6 | course
    provider: str = ""
    status: str = ResidenceType.ASYLUM_SEEKER
    gender: str | None = None
    given: str | None = None
    success_on: dt.date | None = None
    success_type: str | None = None
    exit_on: dt.date = EXTENDED_END
    exit_reason: str = Case.ExitReason.PROGRAMME_ENDED
    age_exception: str = ""
    course: tuple[Offer, CourseSpec] | None = None
    duplicate: DuplicatePlan | None = None
    kim_entry: dt.date | None = None
    draft: PersonDraft | None = None
    participant: ParticipantRow | None = None
    case: CaseRow | None = None


@dataclass
class DuplicatePlan:
    entry: dt.date
    provider: str
    exit_on: dt.date
    exit_reason: str
    success_here: bool = False
    success_also_on_original: bool = True
    given: str = ""
    family: str = ""
    participant: ParticipantRow | None = None
    case: CaseRow | None = None


@dataclass
class People:
    plans: list[Plan] = field(default_factory=list)
    kim_only: list[Plan] = field(default_factory=list)
    books: dict[str, CourseBook] = field(default_factory=dict)


def _entry_days(rng: random.Random, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    # More entries as the programme became known: a ramp rather than a flat spread.
    span = (end - start).days
    return sorted(start + dt.timedelta(days=int(span * rng.random() ** 0.8)) for _ in range(n))


def _age(rng: random.Random) -> int:
    return weighted(rng, [(a, 3 if 19 <= a <= 24 else 2) for a in range(18, 28)])


def plan_people(rng: random.Random, setup: CologneSetup) -> People:
    early_days = _entry_days(rng, OFFERS_START, DECISION_DAY - DAY, REACHED_BY_DECISION - 2)
    early_days += [DECISION_DAY, DECISION_DAY]
    late_count = REACHED_AT_END - REACHED_BY_DECISION - UKRAINIANS
    late_days = _entry_days(rng, DECISION_DAY + DAY, dt.date(2023, 5, 31), late_count)
    ukraine_days = _entry_days(rng, dt.date(2022, 3, 21), dt.date(2023, 4, 30), UKRAINIANS)

    plans: list[Plan] = []
    for day in early_days + late_days:
        group = weighted(rng, names.GROUPS_BEFORE_UKRAINE)
        plans.append(Plan(len(plans), group, day, _age(rng), status=weighted(rng, STATUS_AT_ENTRY)))
    for day in ukraine_days:
        plan = Plan(len(plans), names.UKRAINIAN, day, _age(rng))
        plan.status = ResidenceType.TEMPORARY_PROTECTION
        plan.gender = Gender.FEMALE if rng.random() < 0.55 else Gender.MALE
        plans.append(plan)
    others = [p for p in plans if p.group is not names.UKRAINIAN]
    for plan in others:
        plan.gender = Gender.FEMALE if rng.random() < 0.29 else Gender.MALE

    books = {code: CourseBook(runs) for code, runs in setup.courses.items()}
    _assign_leads(rng, plans, setup, books)
    _assign_successes(rng, plans)
    _assign_exits(rng, plans)
    _assign_age_exceptions(rng, plans)
    _assign_duplicates(rng, plans)
    return People(plans=plans, kim_only=_plan_kim_only(rng, len(plans)), books=books)


def _assign_leads(
    rng: random.Random, plans: list[Plan], setup: CologneSetup, book: dict[str, CourseBook]
) -> None:
    f6_candidates = [
        p for p in plans if p.entry <= dt.date(2022, 2, 28) and p.group is not names.UKRAINIAN
    ]
    for plan in rng.sample(f6_candidates, F6_PERSONS):
        plan.lead, plan.provider = "f6", "netzwerk"
    course_led = [p for p in plans if p.lead == "coaching" and p.entry <= dt.date(2023, 1, 15)]
    led = 0
    for plan in rng.sample(course_led, len(course_led)):
        if led == COURSE_LED:
            break
        key, code = rng.choice(COURSE_LEADS)
        run = book[code].find(
            rng,
            earliest=plan.entry,
            latest=plan.entry + 150 * DAY,
            provider=setup.providers[key],
        )
        if run is None:
            continue
        plan.lead, plan.provider, plan.course = "course", key, run
        led += 1
    for plan in plans:
        if plan.lead == "coaching":
            plan.provider = weighted(rng, COACHING_WEIGHTS)


def _course_end(plan: Plan) -> dt.date:
    assert plan.course is not None
    assert plan.course[0].ends_on is not None  # a course run always has an end
    return plan.course[0].ends_on


def _success_type(rng: random.Random, plan: Plan) -> str:
    if plan.group is names.UKRAINIAN:
        return OutcomeType.EMPLOYMENT
    return weighted(rng, SUCCESS_TYPES)


def _assign_successes(rng: random.Random, plans: list[Plan]) -> None:
    early = [p for p in plans if p.entry <= dt.date(2021, 12, 31)]
    for plan in rng.sample(early, SUCCESSES_BY_DECISION):
        plan.success_on = random_day(
            rng, plan.entry + 45 * DAY, min(plan.entry + 540 * DAY, DECISION_DAY)
        )
        plan.success_type = _success_type(rng, plan)

    def window(plan: Plan) -> tuple[dt.date, dt.date]:
        last = F6_END - DAY if plan.lead == "f6" else EXTENDED_END
        if plan.course is not None:
            last = min(last, _course_end(plan) + 120 * DAY)
        return max(plan.entry + 45 * DAY, DECISION_DAY + DAY), min(plan.entry + 540 * DAY, last)

    late = [p for p in plans if p.success_on is None and window(p)[0] <= window(p)[1]]
    for plan in rng.sample(late, SUCCESSES_AT_END - SUCCESSES_BY_DECISION):
        plan.success_on = random_day(rng, *window(plan))
        plan.success_type = _success_type(rng, plan)


def _assign_exits(rng: random.Random, plans: list[Plan]) -> None:
    for plan in plans:
        last = F6_END if plan.lead == "f6" else EXTENDED_END
        if plan.success_on:
            plan.exit_on = min(plan.success_on + dt.timedelta(days=rng.randint(0, 45)), last)
            plan.exit_reason = Case.ExitReason.GOAL_REACHED
        elif plan.lead == "f6" and rng.random() < 0.7:
            plan.exit_on, plan.exit_reason = F6_END, Case.ExitReason.TRANSFER_PROGRAMME
            plan.kim_entry = F6_END + DAY
        elif plan.lead == "course" and plan.course is not None:
            run_end = _course_end(plan)
            if rng.random() < 0.3:
                plan.exit_on = random_day(rng, plan.course[0].starts_on, run_end)
                plan.exit_reason = Case.ExitReason.DROPPED_OUT
            else:
                plan.exit_on = min(run_end + dt.timedelta(days=rng.randint(0, 30)), last)
                plan.exit_reason = Case.ExitReason.GOAL_REACHED
        elif rng.random() < 0.35 or plan.lead == "f6":
            plan.exit_on = min(plan.entry + dt.timedelta(days=rng.randint(30, 420)), last - DAY)
            plan.exit_reason = weighted(rng, DROPOUT_REASONS)
        else:
            plan.exit_on, plan.exit_reason = EXTENDED_END, Case.ExitReason.PROGRAMME_ENDED


def _assign_age_exceptions(rng: random.Random, plans: list[Plan]) -> None:
    candidates = [
        p for p in plans if p.group is not names.UKRAINIAN and p.status == ResidenceType.TOLERATED
    ]
    for plan, (age, reason) in zip(
        rng.sample(candidates, len(AGE_EXCEPTIONS)), AGE_EXCEPTIONS, strict=True
    ):
        plan.age, plan.age_exception = age, reason


def _variant(rng: random.Random, name: str) -> str | None:
    options = names.SPELLING_VARIANTS.get(name)
    return rng.choice(options) if options else None


def _assign_duplicates(rng: random.Random, plans: list[Plan]) -> None:
    def eligible(p: Plan) -> bool:
        return p.lead == "coaching" and not p.age_exception and p.exit_on - p.entry > 60 * DAY

    # Half of the early duplicates belong to people with an early success, so that the
    # successes, too, would be counted twice without folding.
    early_success = [
        p for p in plans
        if eligible(p) and p.success_on and p.success_on <= DECISION_DAY
        and p.success_on - p.entry > 90 * DAY and p.group is not names.UKRAINIAN
    ]  # fmt: skip
    early_other = [
        p for p in plans
        if eligible(p) and p.entry <= dt.date(2021, 10, 31) and not p.success_on
        and p.group is not names.UKRAINIAN
    ]  # fmt: skip
    late = [
        p for p in plans
        if eligible(p) and DECISION_DAY < p.entry <= dt.date(2023, 2, 1)
    ]  # fmt: skip
    late_ukrainian = [p for p in late if p.group is names.UKRAINIAN]
    late_other = [p for p in late if p.group is not names.UKRAINIAN]
    chosen = (
        rng.sample(early_success, EARLY_DUPLICATES // 2)
        + rng.sample(early_other, EARLY_DUPLICATES - EARLY_DUPLICATES // 2)
        + rng.sample(late_ukrainian, 3)
        + rng.sample(late_other, LATE_DUPLICATES - 3)
    )
    coaching_keys = [key for key, _ in COACHING_WEIGHTS]
    for number, plan in enumerate(chosen):
        plan.age = min(plan.age, 25)
        limit = DECISION_DAY if plan.entry <= DECISION_DAY else dt.date(2023, 5, 31)
        if plan.success_on:
            limit = min(limit, plan.success_on - 10 * DAY)
        limit = min(limit, plan.exit_on)
        entry = random_day(rng, plan.entry + 14 * DAY, max(plan.entry + 14 * DAY, limit))
        provider = rng.choice([k for k in coaching_keys if k != plan.provider])
        dup = DuplicatePlan(
            entry=entry,
            provider=provider,
            exit_on=min(entry + dt.timedelta(days=rng.randint(20, 120)), EXTENDED_END),
            exit_reason=Case.ExitReason.OTHER,
        )
        if plan.success_on and entry < plan.success_on:
            dup.success_here = True
            dup.exit_on = min(plan.success_on + dt.timedelta(days=rng.randint(0, 20)), EXTENDED_END)
            dup.exit_reason = Case.ExitReason.GOAL_REACHED
            # Some moved to the second provider for good: the success is recorded only there.
            if number % 3 == 2:
                dup.success_also_on_original = False
                plan.exit_on, plan.exit_reason = entry, Case.ExitReason.TRANSFER_PROVIDER
        # The spelling differences that made the second registration look like a new person.
        if plan.group in (names.ARABIC, names.DARI_FARSI) and number % 2 == 0:
            plan.gender = Gender.MALE
            plan.given = "Mohammed" if plan.group is names.ARABIC else "Mohammad"
        plan.duplicate = dup
    # Spellings are decided once names are drawn; see ``draw_names``.


def _plan_kim_only(rng: random.Random, start_index: int) -> list[Plan]:
    plans = []
    for number in range(KIM_ONLY):
        entry = random_day(rng, dt.date(2021, 10, 15), DEMO_DAY - 20 * DAY)
        group = weighted(rng, names.ALL_GROUPS)
        if group is names.UKRAINIAN and entry < dt.date(2022, 4, 1):
            group = names.ARABIC
        plan = Plan(start_index + number, group, entry, rng.randint(18, 52))
        plan.status = (
            ResidenceType.TEMPORARY_PROTECTION
            if group is names.UKRAINIAN
            else weighted(rng, STATUS_AT_ENTRY)
        )
        plan.gender = Gender.FEMALE if rng.random() < 0.4 else Gender.MALE
        plan.lead = "kim"
        plan.provider = ("brueckenwerk", "lernhaus", "city")[number % 3]
        if entry < DEMO_DAY - 400 * DAY and rng.random() < 0.5:
            plan.exit_on = random_day(rng, entry + 120 * DAY, DEMO_DAY - 30 * DAY)
            plan.exit_reason = weighted(rng, (*DROPOUT_REASONS, (Case.ExitReason.GOAL_REACHED, 4)))
        else:
            plan.exit_on, plan.exit_reason = DEMO_DAY, ""
        plans.append(plan)
    return plans


def draw_names(rng: random.Random, people: People) -> None:
    for plan in [*people.plans, *people.kim_only]:
        draft = draw_person(
            rng, group=plan.group, age_at_entry=plan.age, entry=plan.entry, gender=plan.gender
        )
        if plan.given:
            draft.given = next(n for n in draft.group.male if n.latin == plan.given)
        last_day = max(plan.exit_on, plan.duplicate.exit_on if plan.duplicate else plan.exit_on)
        if plan.kim_entry:
            last_day = DEMO_DAY
        segments = status_segments(
            rng,
            status=plan.status,
            entry=plan.entry,
            date_of_birth=draft.date_of_birth,
            success_on=plan.success_on,
            success_type=plan.success_type,
        )
        draft.documents = document_chain(rng, segments=segments, until=last_day + 30 * DAY)
        plan.draft = draft
        if plan.duplicate:
            dup = plan.duplicate
            given = _variant(rng, draft.given.latin)
            family = _variant(rng, draft.family.latin)
            if given is None and family is None:
                family = (
                    draft.family.latin.replace("i", "y", 1)
                    if "i" in draft.family.latin
                    else draft.family.latin + "e"
                )
            dup.given = given or draft.given.latin
            dup.family = family or draft.family.latin


def build_people(rng: random.Random, writer: BulkWriter, setup: CologneSetup) -> People:
    people = plan_people(rng, setup)
    draw_names(rng, people)
    everyone = [*people.plans, *people.kim_only]

    rows: list[ParticipantRow] = []
    for plan in everyone:
        assert plan.draft is not None
        plan.participant = participant_row(
            plan.draft,
            id=writer.new_id(Participant),
            municipality_id=setup.city.pk,
            serial=plan.index,
        )
        rows.append(plan.participant)
    for plan in people.plans:
        if plan.duplicate is None:
            continue
        assert plan.draft is not None
        assert plan.participant is not None
        dup = plan.duplicate
        dup.participant = participant_row(
            plan.draft,
            id=writer.new_id(Participant),
            municipality_id=setup.city.pk,
            given=dup.given,
            family=dup.family,
            registered_on=dup.entry - dt.timedelta(days=rng.randint(1, 10)),
            duplicate_of_id=plan.participant.id,
            serial=10_000 + plan.index,
        )
        rows.append(dup.participant)
    writer.write(Participant, rows)
    documents = []
    for plan in everyone:
        assert plan.draft is not None
        assert plan.participant is not None
        documents += document_rows(plan.participant.id, plan.draft.documents)
        if plan.duplicate and plan.duplicate.participant:
            documents += document_rows(plan.duplicate.participant.id, plan.draft.documents)
    writer.write(ResidenceDocument, documents)

    kim_cases = _build_cases(rng, writer, setup, people)
    _case_work(rng, writer, setup, people, kim_cases)
    return people


def _provider(setup: CologneSetup, key: str) -> Organisation:
    return setup.city if key == "city" else setup.providers[key]


def _build_cases(
    rng: random.Random, writer: BulkWriter, setup: CologneSetup, people: People
) -> dict[int, CaseRow]:
    """Open every case; returns the KIM cases that took over from F6, by plan index."""
    rule_books = {p.pk: rule_book_for(programme=p) for p in (setup.programme, setup.kim)}

    def open_case(
        plan: Plan,
        participant: ParticipantRow | None,
        programme: Programme,
        key: str,
        entry: dt.date,
        **details: Any,
    ) -> CaseRow:
        assert plan.draft is not None
        assert participant is not None
        return case_row(
            id=writer.new_id(Case),
            participant=participant,
            documents=plan.draft.documents,
            programme=programme,
            provider_id=_provider(setup, key).pk,
            coach_id=setup.coaches[key].pk,
            entry=entry,
            rule_book=rule_books[programme.pk],
            **details,
        )

    cases = []
    for plan in people.plans:
        exception = (
            AgeException(plan.age_exception, setup.coordinator) if plan.age_exception else None
        )
        plan.case = open_case(
            plan,
            plan.participant,
            setup.programme,
            plan.provider,
            plan.entry,
            exit_date=plan.exit_on,
            exit_reason=plan.exit_reason,
            age_exception=exception,
        )
        cases.append(plan.case)
        if plan.duplicate:
            dup = plan.duplicate
            dup.case = open_case(
                plan,
                dup.participant,
                setup.programme,
                dup.provider,
                dup.entry,
                exit_date=dup.exit_on,
                exit_reason=dup.exit_reason,
            )
            cases.append(dup.case)
    for plan in people.kim_only:
        plan.case = open_case(
            plan,
            plan.participant,
            setup.kim,
            plan.provider,
            plan.entry,
            exit_date=plan.exit_on if plan.exit_reason else None,
            exit_reason=plan.exit_reason,
        )
        cases.append(plan.case)

    kim_cases = {}
    for plan in people.plans:
        if plan.kim_entry:
            assert plan.case is not None
            kim_cases[plan.index] = open_case(
                plan,
                plan.participant,
                setup.kim,
                "city",
                plan.kim_entry,
                predecessor_id=plan.case.id,
            )
    # Some transferred cases ended in KIM since; the rest are still open.
    for index, case in kim_cases.items():
        if index % 3 == 0:
            kim_cases[index] = case._replace(
                status=Case.Status.CLOSED,
                exit_reason=Case.ExitReason.GOAL_REACHED,
                exit_date=case.entry_date + dt.timedelta(days=rng.randint(200, 900)),
            )
    writer.write(Case, cases + list(kim_cases.values()))
    return kim_cases


def _case_work(
    rng: random.Random,
    writer: BulkWriter,
    setup: CologneSetup,
    people: People,
    kim_cases: dict[int, CaseRow],
) -> None:
    contacts: list[ContactRow] = []
    goals: list[GoalRow] = []
    enrolments: list[EnrolmentRow] = []
    bookings: list[CourseBooking] = []
    outcomes: list[tuple[OutcomeRow, CaseRow]] = []
    consents: list[ConsentRow] = []
    books = people.books
    kim_book = CourseBook(setup.kim_courses)

    def work(
        case: CaseRow,
        plan_entry: dt.date,
        exit_on: dt.date | None,
        gaps: tuple[int, int],
        limit: int,
    ) -> None:
        end = exit_on or DEMO_DAY
        contacts.extend(
            contact_rows(rng, case=case, start=plan_entry, end=end, gap_days=gaps, limit=limit)
        )
        goals.extend(
            goal_rows(
                rng,
                case_id=case.id,
                start=plan_entry,
                end=exit_on,
                achieved=case.exit_reason == Case.ExitReason.GOAL_REACHED,
            )
        )

    def record(case: CaseRow, outcome_type: str, on: dt.date) -> None:
        outcome = outcome_row(
            rng, id=writer.new_id(Outcome), case=case, outcome_type=outcome_type, achieved_on=on
        )
        outcomes.append((outcome, case))

    def consent(
        participant: ParticipantRow | None, case: CaseRow, given_on: dt.date, **details: Any
    ) -> ConsentRow:
        assert participant is not None
        row = consent_row(
            id=writer.new_id(Consent),
            participant_id=participant.id,
            given_on=given_on,
            recorded_by_id=case.coach_id,
            **details,
        )
        consents.append(row)
        return row

    def consent_to_contact(
        participant: ParticipantRow | None, case: CaseRow, given_on: dt.date
    ) -> None:
        consent(
            participant,
            case,
            given_on,
            purpose=Consent.Purpose.CONTACT,
            recipient_id=case.lead_provider_id,
        )

    def book(
        case: CaseRow,
        run: tuple[Offer, CourseSpec],
        entry: dt.date,
        leaves_on: dt.date | None,
        **details: Any,
    ) -> None:
        bookings.append(
            book_course(
                rng,
                enrolment_id=writer.new_id(Enrolment),
                case=case,
                run=run,
                entry=entry,
                leaves_on=leaves_on,
                **details,
            )
        )

    def extra_course(case: CaseRow, entry: dt.date, exit_on: dt.date) -> None:
        roll = rng.random()
        code = (
            "F4"
            if roll < 0.45
            else "F3"
            if roll < 0.57
            else "F5"
            if roll < 0.65
            else "F2"
            if roll < 0.73
            else None
        )
        if code is None:
            return
        run = books[code].find(
            rng, earliest=entry + 7 * DAY, latest=min(entry + 150 * DAY, exit_on - 7 * DAY)
        )
        if run is not None:
            book(case, run, entry, exit_on)

    for plan in people.plans:
        case = plan.case
        assert case is not None
        dropped = plan.exit_reason in {r for r, _ in DROPOUT_REASONS}
        if plan.lead == "course":
            assert plan.course is not None
            book(case, plan.course, plan.entry, plan.exit_on, late_join_share=0)
            work(case, plan.entry, plan.exit_on, (20, 60), 8)
        else:
            offer = setup.f6_offer if plan.lead == "f6" else setup.coaching_offers[plan.provider]
            enrolments.append(
                enrolment_row(
                    id=writer.new_id(Enrolment),
                    case_id=case.id,
                    offer_id=offer.pk,
                    requested_on=plan.entry,
                    started_on=plan.entry,
                    ended_on=plan.exit_on,
                    dropped=dropped,
                )
            )
            extra_course(case, plan.entry, plan.exit_on)
            work(
                case, plan.entry, plan.exit_on, (7, 35) if plan.lead == "coaching" else (10, 30), 40
            )
        if plan.success_on and (not plan.duplicate or plan.duplicate.success_also_on_original):
            assert plan.success_type is not None
            record(case, plan.success_type, plan.success_on)
        consent_to_contact(plan.participant, case, plan.entry)
        if rng.random() < 0.25:
            consent(
                plan.participant,
                case,
                plan.entry,
                purpose=Consent.Purpose.COORDINATION_DETAILS,
                recipient_id=setup.city.pk,
                categories=("identity", "education", "case_notes", "outcomes"),
            )
        if plan.duplicate:
            dup = plan.duplicate
            assert dup.case is not None
            enrolments.append(
                enrolment_row(
                    id=writer.new_id(Enrolment),
                    case_id=dup.case.id,
                    offer_id=setup.coaching_offers[dup.provider].pk,
                    requested_on=dup.entry,
                    started_on=dup.entry,
                    ended_on=dup.exit_on,
                )
            )
            work(dup.case, dup.entry, dup.exit_on, (10, 30), 10)
            if dup.success_here and plan.success_on:
                assert plan.success_type is not None
                record(dup.case, plan.success_type, max(plan.success_on, dup.entry))
            consent_to_contact(dup.participant, dup.case, dup.entry)

    # F6 → KIM: consent, referral, an outcome "other programme" and the successor case.
    referrals: list[ReferralRow] = []
    for plan in people.plans:
        kim_case = kim_cases.get(plan.index)
        if kim_case is None:
            continue
        assert plan.case is not None
        given = random_day(rng, max(plan.entry, F6_END - 40 * DAY), F6_END - 5 * DAY)
        transfer = consent(
            plan.participant,
            plan.case,
            given,
            purpose=Consent.Purpose.TRANSFER,
            recipient_id=setup.city.pk,
            recipient_programme_id=setup.kim.pk,
            categories=("identity", "contact", "residence", "education", "case_notes"),
        )
        sent = given + dt.timedelta(days=rng.randint(0, 4))
        referrals.append(
            ReferralRow(
                case_id=plan.case.id,
                from_provider_id=plan.case.lead_provider_id,
                to_provider_id=None,
                to_programme_id=setup.kim.pk,
                consent_id=transfer.id,
                status=Referral.Status.COMPLETED,
                sent_on=sent,
                due_on=sent + 14 * DAY,
                answered_on=sent + dt.timedelta(days=rng.randint(1, 10)),
                reason="Baustein 6 endet am 30.06.2022; Übergabe in das KIM.",
            )
        )
        record(plan.case, OutcomeType.OTHER_PROGRAMME, F6_END)
        work(kim_case, kim_case.entry_date, kim_case.exit_date, (14, 45), 30)
        if kim_case.exit_date:
            record(kim_case, OutcomeType.EMPLOYMENT, kim_case.exit_date)

    for plan in people.kim_only:
        case = plan.case
        assert case is not None
        work(case, plan.entry, case.exit_date, (10, 40), 30)
        consent_to_contact(plan.participant, case, plan.entry)
        if case.exit_date is None and plan.provider in ("lernhaus", "brueckenwerk"):
            run = kim_book.find(
                rng, earliest=max(plan.entry, dt.date(2026, 1, 1)), latest=dt.date(2027, 2, 1)
            )
            if run is not None:
                book(case, run, plan.entry, None, late_join_share=0)

    # Certificates from completed courses: recorded outcomes, not successes.
    for booking in bookings:
        enrolment = booking.enrolment
        if enrolment.status != Enrolment.Status.COMPLETED or enrolment.ended_on is None:
            continue
        module = booking.offer.module.code
        if module == "F3" or (
            module in ("F2", "F4") and "BAMF" in booking.offer.title and rng.random() < 0.6
        ):
            outcome_type = (
                OutcomeType.SCHOOL_CERTIFICATE
                if module == "F3"
                else OutcomeType.LANGUAGE_CERTIFICATE
            )
            case = booking.case
            achieved = enrolment.ended_on
            if case.exit_date is None or achieved <= case.exit_date:
                record(case, outcome_type, achieved)

    writer.write(Contact, contacts)
    writer.write(SupportGoal, goals)
    writer.write(Enrolment, enrolments + [b.enrolment for b in bookings])
    writer.write(Attendance, attendance_for(rng, bookings, until=DEMO_DAY))
    writer.write(Outcome, [outcome for outcome, _ in outcomes])
    follow_ups = []
    for outcome, case in outcomes:
        if outcome.outcome_type in SUCCESS_OUTCOME_TYPES and case.exit_date:
            follow_ups += follow_up_rows(
                rng, outcome_id=outcome.id, exit_date=case.exit_date, checked_until=DEMO_DAY
            )
    writer.write(OutcomeFollowUp, follow_ups)
    writer.write(Consent, consents)
    writer.write(Referral, referrals)
