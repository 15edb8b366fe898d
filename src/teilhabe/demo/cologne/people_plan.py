"""The people of the Cologne scenario, planned: who enters when, leads where, succeeds when.

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

from teilhabe.cases.models import (
    Case,
)
from teilhabe.core.codes import Gender, OutcomeType, ResidenceType
from teilhabe.demo import names
from teilhabe.demo.chance import DAY, random_day, weighted
from teilhabe.demo.cologne.facts import (
    DECISION_DAY,
    DEMO_DAY,
    EXTENDED_END,
    F6_END,
    OFFERS_START,
)
from teilhabe.demo.cologne.setup import CologneSetup
from teilhabe.demo.durchstarten import (
    CourseSpec,
)
from teilhabe.demo.rows.cases import (
    SUCCESS_TYPES,
    CaseRow,
)
from teilhabe.demo.rows.courses import (
    CourseBook,
)
from teilhabe.demo.rows.people import (
    STATUS_AT_ENTRY,
    FileBook,
    ParticipantRow,
    PersonDraft,
    document_chain,
    draw_person,
    status_segments,
)
from teilhabe.programmes.models import (
    Offer,
)

REACHED_BY_DECISION = 300

REACHED_AT_END = 508

SUCCESSES_BY_DECISION = 57

SUCCESSES_AT_END = 117

UKRAINIANS = 48

F6_PERSONS = 42

# One in this many of those open in F6 on its last day had no consent to the transfer.
F6_WITHOUT_CONSENT_EVERY = 6

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
    # Open in F6 on its last day without a consent to the transfer: closed, the person told.
    closed_at_f6_end: bool = False
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
    files: FileBook | None = None


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
        # The city runs F6 itself: its case management leads these cases.
        plan.lead, plan.provider = "f6", "city"
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
    # Some of those open in F6 on its last day did not consent to the transfer into KIM:
    # their participation (and case) closed with the module. Chosen without a draw, so that
    # the scenario's random sequence stays as it was.
    open_at_end = [p for p in plans if p.kim_entry is not None]
    for plan in open_at_end[3::F6_WITHOUT_CONSENT_EVERY]:
        plan.exit_reason = Case.ExitReason.MODULE_ENDED
        plan.kim_entry = None
        plan.closed_at_f6_end = True


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
        if plan.kim_entry or plan.closed_at_f6_end:
            # (Those closed at F6's end keep their documents drawn to the demo's day, as
            # before the hand-over was modelled: the scenario's random sequence stays.)
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
