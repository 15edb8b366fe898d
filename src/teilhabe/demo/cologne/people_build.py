"""The Cologne people as rows: participants (and their duplicates) with their documents,
and a case for every entry the plan foresees.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from teilhabe.accounts.models import Organisation
from teilhabe.cases.models import (
    Case,
)
from teilhabe.demo.cologne.case_work import record_case_work
from teilhabe.demo.cologne.people_plan import People, Plan, draw_names, plan_people
from teilhabe.demo.cologne.setup import CologneSetup
from teilhabe.demo.rows.cases import (
    CaseRow,
    case_row,
)
from teilhabe.demo.rows.people import (
    FileBook,
    ParticipantRow,
    participant_row,
)
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.participants.models import Participant
from teilhabe.programmes.eligibility import AgeException
from teilhabe.programmes.models import (
    Programme,
)
from teilhabe.programmes.selectors import rule_book_for


def build_people(rng: random.Random, writer: BulkWriter, setup: CologneSetup) -> People:
    people = plan_people(rng, setup)
    draw_names(rng, people)
    everyone = [*people.plans, *people.kim_only]
    # Person keys come from a source of their own, so that drawing them leaves the
    # scenario's random sequence (and so its figures) as it was.
    keys = random.Random("cologne-person-keys")

    rows: list[ParticipantRow] = []
    for plan in everyone:
        assert plan.draft is not None
        plan.participant = participant_row(
            plan.draft,
            rng=keys,
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
            rng=keys,
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

    people.files = FileBook(writer)
    kim_cases = _build_cases(rng, writer, setup, people)
    record_case_work(rng, writer, setup, people, kim_cases)
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
        assert people.files is not None
        # The organisation that leads the case keeps the person's file; for the KIM cases
        # the city's file comes from the transfer out of F6 (see case_work).
        file = people.files.open(
            participant=participant,
            draft=plan.draft,
            controller_id=_provider(setup, key).pk,
            opened_on=entry,
        )
        return case_row(
            id=writer.new_id(Case),
            participant=participant,
            file=file,
            documents=plan.draft.documents,
            programme=programme,
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
    assert people.files is not None
    people.files.write()
    writer.write(Case, cases + list(kim_cases.values()))
    return kim_cases
