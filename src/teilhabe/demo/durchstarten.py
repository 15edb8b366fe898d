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
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    CostBasis,
    Decision,
    DecisionStatus,
    EligibilityRule,
    ForwardingContract,
    Module,
    Offer,
    Programme,
)

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


def set_up_rows(
    writer: BulkWriter,
    programme: Programme,
    *,
    body: str,
    decided_on: dt.date,
    reference: str,
    title: str,
    text: str = "",
) -> Amendment:
    """The decision that set the programme up, in the record since the day it was taken
    (demo data is entered as if it had been recorded on time), and its set-up amendment."""
    decision = decision_row(
        writer,
        programme,
        sequence=1,
        body=body,
        decided_on=decided_on,
        reference=reference,
        title=title,
        text=text,
    )
    (set_up,) = writer.save(
        [
            Amendment(
                decision=decision,
                programme=programme,
                kind=AmendmentKind.SET_UP,
                position=1,
                effective_on=decided_on,
                new_end_date=programme.ends_on,
                summary="Einrichtung: Laufzeit, Bausteine, Förderregel und Haushaltsansätze.",
            )
        ]
    )
    return set_up


def decision_row(
    writer: BulkWriter,
    programme: Programme,
    *,
    sequence: int,
    body: str,
    decided_on: dt.date,
    reference: str,
    title: str,
    text: str = "",
) -> Decision:
    """A decision of the programme's council, adopted and in the record from its day."""
    (decision,) = writer.save(
        [
            Decision(
                programme=programme,
                organisation=programme.owner,
                body=body,
                decided_on=decided_on,
                reference=reference,
                title=title,
                text=text,
                status=DecisionStatus.ADOPTED,
                sequence=sequence,
                known_from=decided_on,
            )
        ]
    )
    return decision


def rule_in_set_up(writer: BulkWriter, set_up: Amendment, rule: EligibilityRule) -> Amendment:
    """The set-up decision's amendment that puts its first eligibility rule in force."""
    (amendment,) = writer.save(
        [
            Amendment(
                decision=set_up.decision,
                programme=set_up.programme,
                kind=AmendmentKind.CHANGE_ELIGIBILITY,
                position=2,
                effective_on=rule.valid_from,
                eligibility_rule=rule,
                summary="Förderregel zum Start des Programms.",
            )
        ]
    )
    return amendment


def contracts_in_set_up(
    writer: BulkWriter, set_up: Amendment, offers: Iterable[Offer]
) -> list[ForwardingContract]:
    """The set-up decision's forwarding contracts: one per provider and module the offers run
    under, as long as the module runs (after the set-up and first-rule amendments)."""
    pairs = sorted(
        {(o.module, o.provider) for o in offers if o.module.programme_id == set_up.programme_id},
        key=lambda pair: (pair[0].code, pair[1].name),
    )
    amendments = writer.save(
        [
            Amendment(
                decision=set_up.decision,
                programme=set_up.programme,
                kind=AmendmentKind.FORWARD_FUNDS,
                position=3 + number,
                effective_on=set_up.effective_on,
                module=module,
                summary=f"Weiterleitungsvertrag mit {provider.name} für {module.code}.",
            )
            for number, (module, provider) in enumerate(pairs)
        ]
    )
    return writer.save(
        [
            ForwardingContract(
                added_by=amendment,
                provider=provider,
                module=module,
                reference=f"WV {set_up.decision.reference}-{number + 1:02d}",
                valid_from=module.valid_from,
            )
            for number, (amendment, (module, provider)) in enumerate(
                zip(amendments, pairs, strict=True)
            )
        ]
    )


def module_rows(programme: Programme, *, valid_from: dt.date, added_by: Amendment) -> list[Module]:
    return [
        Module(
            programme=programme,
            added_by=added_by,
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
        # Until the Land made them a special case (March 2022), people under § 24 were
        # neither the main nor the secondary target group.
        excluded_statuses=[]
        if ResidenceType.TEMPORARY_PROTECTION in special_case_statuses
        else [ResidenceType.TEMPORARY_PROTECTION.value],
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
