"""Enrolments in offers, places in course runs and the attendance of every session."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from teilhabe.cases.models import Attendance, Enrolment, ParticipationEnd
from teilhabe.demo.chance import DAY, random_day
from teilhabe.demo.durchstarten import CourseSpec, session_days
from teilhabe.demo.rows.cases import CaseRow
from teilhabe.programmes.models import Offer

# Dates after this day are the future in every demo data set: open enrolments stay active.
SCENARIO_TODAY = dt.date(2026, 11, 16)


class EnrolmentRow(NamedTuple):
    id: int
    case_id: int
    offer_id: int
    status: str
    requested_on: dt.date
    started_on: dt.date | None
    ended_on: dt.date | None
    exit_reason: str


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
    reason = (
        ""
        if ended_on is None
        else ParticipationEnd.DROPPED_OUT
        if dropped
        else ParticipationEnd.COMPLETED
    )
    return EnrolmentRow(id, case_id, offer_id, status, requested_on, started_on, ended_on, reason)


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
