"""The shape of a Durchstarten programme, shared by Cologne and the synthetic programmes:
modules F1–F6, the eligibility rule of 2020 and course runs on fixed weekdays.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from teilhabe.core.codes import ResidenceType
from teilhabe.demo.chance import DAY
from teilhabe.programmes.models import CostBasis, EligibilityRule, Module, Offer, Programme

MAIN_GROUP_STATUSES: tuple[str, ...] = (
    ResidenceType.ASYLUM_SEEKER,
    ResidenceType.TOLERATED,
    ResidenceType.TOLERATED_UNCLEAR_IDENTITY,
    ResidenceType.TRAINING_TOLERATION,
    ResidenceType.EMPLOYMENT_TOLERATION,
)


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
