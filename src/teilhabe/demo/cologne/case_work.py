"""What happens in the Cologne cases: contacts, goals, enrolments and attendance,
outcomes and follow-ups, consents, and the referrals from F6 into KIM.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

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
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES, OutcomeType
from teilhabe.demo.chance import DAY, random_day
from teilhabe.demo.cologne.facts import (
    DEMO_DAY,
    F6_END,
)
from teilhabe.demo.cologne.people_plan import DROPOUT_REASONS, People
from teilhabe.demo.cologne.setup import CologneSetup
from teilhabe.demo.durchstarten import (
    CourseSpec,
)
from teilhabe.demo.rows.cases import (
    CaseRow,
    ContactRow,
    GoalRow,
    OutcomeRow,
    ReferralRow,
    contact_rows,
    follow_up_rows,
    goal_rows,
    outcome_row,
)
from teilhabe.demo.rows.courses import (
    CourseBook,
    CourseBooking,
    EnrolmentRow,
    attendance_for,
    book_course,
    enrolment_row,
)
from teilhabe.demo.rows.people import (
    ConsentRow,
    ParticipantRow,
    consent_row,
)
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.participants.models import Consent
from teilhabe.programmes.models import (
    Offer,
)


def record_case_work(
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
        assert people.files is not None
        file = people.files.of(participant_id=participant.id, controller_id=case.lead_provider_id)
        row = consent_row(
            id=writer.new_id(Consent),
            file_id=file.id,
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
        if rng.random() < 0.25 and case.lead_provider_id != setup.city.pk:
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
        sent = given + dt.timedelta(days=rng.randint(0, 4))
        answered = sent + dt.timedelta(days=rng.randint(1, 10))
        # The transfer copied the file into the city's KIM file on the day it was answered;
        # that spent the consent.
        transfer = consent(
            plan.participant,
            plan.case,
            given,
            purpose=Consent.Purpose.TRANSFER,
            recipient_programme_id=setup.kim.pk,
            categories=("identity", "contact", "residence", "education"),
            used_on=answered,
        )
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
                answered_on=answered,
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
