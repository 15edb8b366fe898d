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
    HandOver,
    ModuleParticipation,
    Outcome,
    OutcomeFollowUp,
    ParticipationEnd,
    Referral,
    SupportGoal,
)
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES, OutcomeType
from teilhabe.demo.chance import DAY, random_day
from teilhabe.demo.cologne.facts import (
    DEMO_DAY,
    F6_END,
)
from teilhabe.demo.cologne.people_plan import DROPOUT_REASONS, People, Plan
from teilhabe.demo.cologne.setup import CologneSetup
from teilhabe.demo.durchstarten import (
    CourseSpec,
)
from teilhabe.demo.rows.cases import (
    PARTICIPATION_END_BY_CASE_EXIT,
    CaseRow,
    ContactRow,
    GoalRow,
    HandOverRow,
    OutcomeRow,
    ReferralRow,
    contact_rows,
    follow_up_rows,
    goal_rows,
    outcome_row,
    participation_rows,
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
    Amendment,
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
    # (case, module, from, to, reason) of every taking part in a module
    spans: list[tuple[int, int, dt.date, dt.date | None, str]] = []
    f6 = setup.modules["F6"]
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
            if plan.lead == "f6":
                # F6 has no offer: the person takes part in the module the city runs.
                spans.append(
                    (
                        case.id,
                        f6.pk,
                        plan.entry,
                        plan.exit_on,
                        PARTICIPATION_END_BY_CASE_EXIT.get(
                            case.exit_reason, ParticipationEnd.OTHER
                        ),
                    )
                )
            else:
                enrolments.append(
                    enrolment_row(
                        id=writer.new_id(Enrolment),
                        case_id=case.id,
                        offer_id=setup.coaching_offers[plan.provider].pk,
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

    # F6 → KIM on 30 June 2022, as ``cases.services.hand_over_transfer`` does it: the
    # consent, the referral the city's KIM case management accepted, an outcome "other
    # programme", the successor case and the hand-over record. The city leads both cases and
    # keeps the file; the transfer consent to KIM is spent on the day of the hand-over.
    referrals: list[ReferralRow] = []
    hand_overs: list[tuple[Plan, dict[str, Any]]] = []
    for plan in people.plans:
        kim_case = kim_cases.get(plan.index)
        if kim_case is None:
            continue
        assert plan.case is not None
        given = random_day(rng, max(plan.entry, F6_END - 40 * DAY), F6_END - 5 * DAY)
        sent = given + dt.timedelta(days=rng.randint(0, 4))
        answered = sent + dt.timedelta(days=rng.randint(1, 10))
        transfer = consent(
            plan.participant,
            plan.case,
            given,
            purpose=Consent.Purpose.TRANSFER,
            recipient_programme_id=setup.kim.pk,
            categories=("identity", "contact", "residence", "education"),
            used_on=sent,
        )
        referral = ReferralRow(
            id=writer.new_id(Referral),
            case_id=plan.case.id,
            from_provider_id=plan.case.lead_provider_id,
            to_provider_id=None,
            to_programme_id=setup.kim.pk,
            consent_id=transfer.id,
            status=Referral.Status.ACCEPTED,
            sent_on=sent,
            due_on=sent + 14 * DAY,
            answered_on=answered,
            reason="Baustein F6 endet am 30.06.2022; Übergabe in „KIM Köln“.",
        )
        referrals.append(referral)
        hand_overs.append(
            (
                plan,
                {
                    "result": HandOver.Result.TRANSFERRED,
                    "recorded_on": sent,
                    "to_organisation_id": kim_case.lead_provider_id,
                    "consent_id": transfer.id,
                    "successor_case_id": kim_case.id,
                    "referral_id": referral.id,
                    "informed_on": None,
                    "informed_how": "",
                },
            )
        )
        record(plan.case, OutcomeType.OTHER_PROGRAMME, F6_END)
        work(kim_case, kim_case.entry_date, kim_case.exit_date, (14, 45), 30)
        if kim_case.exit_date:
            record(kim_case, OutcomeType.EMPLOYMENT, kim_case.exit_date)
    # Without a consent the participation closed with F6; the person was told beforehand.
    ways = (HandOver.Informed.IN_PERSON, HandOver.Informed.LETTER, HandOver.Informed.PHONE)
    for number, plan in enumerate(p for p in people.plans if p.closed_at_f6_end):
        hand_overs.append(
            (
                plan,
                {
                    "result": HandOver.Result.CLOSED,
                    "recorded_on": F6_END - 10 * DAY,
                    "to_organisation_id": None,
                    "consent_id": None,
                    "successor_case_id": None,
                    "referral_id": None,
                    "informed_on": F6_END - (14 + number % 7) * DAY,
                    "informed_how": ways[number % len(ways)],
                },
            )
        )

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

    # Module participations: as the enrolments imply them, plus the modules the city runs
    # without offers (F6; KIM case management).
    module_of = {
        offer.pk: offer.module_id
        for offer in [
            *setup.coaching_offers.values(),
            *(run for runs in setup.courses.values() for run, _ in runs),
            *(run for run, _ in setup.kim_courses),
        ]
    }
    for enrolment in enrolments + [b.enrolment for b in bookings]:
        spans.append(
            (
                enrolment.case_id,
                module_of[enrolment.offer_id],
                enrolment.started_on or enrolment.requested_on,
                enrolment.ended_on,
                enrolment.exit_reason,
            )
        )
    kim_led = [*kim_cases.values(), *(plan.case for plan in people.kim_only if plan.case)]
    for case in kim_led:
        spans.append(
            (
                case.id,
                setup.kim_module.pk,
                case.entry_date,
                case.exit_date,
                PARTICIPATION_END_BY_CASE_EXIT.get(case.exit_reason, ParticipationEnd.OTHER)
                if case.exit_date
                else "",
            )
        )
    exits = {
        case.id: case.exit_date
        for case in [
            *(p.case for p in people.plans if p.case),
            *(p.duplicate.case for p in people.plans if p.duplicate and p.duplicate.case),
            *kim_led,
        ]
    }
    participations = participation_rows(
        lambda: writer.new_id(ModuleParticipation), enrolments=spans, exits=exits
    )
    writer.write(ModuleParticipation, participations)

    f6_end = Amendment.objects.get(
        programme=setup.programme, kind=Amendment.Kind.END_MODULE, module=f6
    )
    in_f6_at_end = {
        row.case_id: row.id
        for row in participations
        if row.module_id == f6.pk and row.to_date == F6_END
    }
    open_goals: dict[int, list[dict[str, Any]]] = {}
    for goal in goals:
        if goal.status == SupportGoal.Status.OPEN:
            open_goals.setdefault(goal.case_id, []).append(
                {"area": goal.area, "target_date": goal.target_date.isoformat()}
            )
    rows = []
    for plan, details in hand_overs:
        assert plan.case is not None
        assert plan.draft is not None
        documents = [d for d in plan.draft.documents if d.valid_from <= F6_END]
        rows.append(
            HandOverRow(
                participation_id=in_f6_at_end[plan.case.id],
                ended_by_id=f6_end.pk,
                from_organisation_id=plan.case.lead_provider_id,
                to_programme_id=setup.kim.pk,
                open_goals=open_goals.get(plan.case.id, []),
                deadlines=[
                    {"what": "residence", "due_on": d.valid_until.isoformat()}
                    for d in documents
                    if d.valid_until is not None and d.valid_until >= details["recorded_on"]
                ],
                documents=[
                    {
                        "residence_type": d.residence_type,
                        "valid_from": d.valid_from.isoformat(),
                        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
                    }
                    for d in documents
                ]
                if details["consent_id"]
                else [],
                recorded_by_id=setup.coordinator.pk,
                **details,
            )
        )
    writer.write(HandOver, rows)
