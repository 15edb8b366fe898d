"""A large synthetic data set of the Cologne shape, for benchmarks.

M municipalities, each with providers and a Durchstarten-like programme (modules F1–F6,
coaching offers, course runs, an eligibility rule), staff (a coordinator per municipality, a
coach per provider, course staff per course provider), and N participants in total with
residence documents, cases, module participations, contacts, enrolments, attendance, outcomes
and consents, about 2 % of them registered twice. Rows are built by the same helpers as the Cologne scenario
and written in batches (COPY on PostgreSQL), one transaction per batch of participants.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    ModuleParticipation,
    Outcome,
)
from teilhabe.core.codes import OutcomeType, ResidenceType
from teilhabe.demo import names
from teilhabe.demo.chance import DAY, random_day, weighted
from teilhabe.demo.cologne.facts import COURSES
from teilhabe.demo.durchstarten import (
    CourseSpec,
    course_runs,
    decision_row,
    eligibility_rule_row,
    module_rows,
    rule_in_set_up,
    run_starts,
    set_up_rows,
)
from teilhabe.demo.logins import StaffSpec, ensure_staff
from teilhabe.demo.rows.cases import (
    PARTICIPATION_END_BY_CASE_EXIT,
    SUCCESS_TYPES,
    CaseRow,
    ContactRow,
    OutcomeRow,
    ParticipationRow,
    case_row,
    contact_rows,
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
    STATUS_AT_ENTRY,
    ConsentRow,
    FileBook,
    FileRow,
    ParticipantRow,
    PersonDraft,
    consent_row,
    document_chain,
    draw_person,
    participant_row,
    status_segments,
)
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.participants.models import Consent, Participant
from teilhabe.programmes.models import Amendment, AmendmentKind, Offer, Programme
from teilhabe.programmes.selectors import RuleBook, rule_book_for

START = dt.date(2020, 7, 1)
END = dt.date(2023, 6, 30)
FIRST_ENTRY = dt.date(2020, 9, 1)
# How long before its start a synthetic programme was set up by its council.
SET_UP_LEAD = dt.timedelta(days=90)
UKRAINE_DECISION = dt.date(2022, 3, 17)
LAST_ENTRY = dt.date(2023, 3, 31)
UKRAINE_FROM = dt.date(2022, 3, 18)
COACHING_PROVIDERS = 5
COURSE_SHARE = 0.4
SUCCESS_SHARE = 0.22
DUPLICATE_SHARE = 0.02
# Consents, drawn with a random generator of their own so that the rest stays as it was.
# Every file holds the consent to be contacted (as in the Cologne scenario); a quarter of the
# people let the coordination read their case (as in Cologne); a few share their file with
# another coaching provider or with the providers of their programme. Some sharing consents
# carry an expiry date, a few are withdrawn later.
COORDINATION_CONSENT_SHARE = 0.25
PROVIDER_SHARING_SHARE = 0.03
PROGRAMME_SHARING_SHARE = 0.01
SHARING_EXPIRES_SHARE = 0.2
SHARING_WITHDRAWN_SHARE = 0.1


@dataclass
class Municipality:
    organisation: Organisation
    programme: Programme
    rules: RuleBook
    coaching: list[tuple[Organisation, Offer]]
    coaches: dict[int, User]
    seed: int
    book: CourseBook
    participants: int


@dataclass
class GenerateResult:
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def generate(
    *,
    participants: int,
    municipalities: int,
    seed: int = 1,
    batch_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> GenerateResult:
    if participants < 1 or municipalities < 1:
        raise ValueError("participants and municipalities must be at least 1")
    prefix = f"Synthetische Kommune {seed}-"
    if Organisation.objects.filter(name__startswith=prefix).exists():
        raise ValueError(f"a data set with seed {seed} exists already; choose another --seed")
    rng = random.Random(seed)
    writer = BulkWriter(batch_size=batch_size)
    per_municipality = [
        participants // municipalities + (1 if i < participants % municipalities else 0)
        for i in range(municipalities)
    ]
    done = 0
    for number, count in enumerate(per_municipality, start=1):
        with transaction.atomic():
            municipality = _municipality(rng, writer, seed=seed, number=number, participants=count)
        for offset in range(0, count, batch_size):
            size = min(batch_size, count - offset)
            with transaction.atomic():
                _people(rng, writer, municipality, size=size, serial=done)
            done += size
            if progress:
                progress(
                    f"Kommune {number}/{municipalities}: {format_number(done)}/{format_number(participants)} "
                    f"Teilnehmende, {format_number(writer.total)} Zeilen, "
                    f"{format_number(writer.total / writer.elapsed)} Zeilen/s, {writer.elapsed:.0f} s"
                )
    return GenerateResult(seconds=writer.elapsed, rows=dict(sorted(writer.counts.items())))


def format_number(number: float) -> str:
    """A number with German thousands separators."""
    return f"{number:,.0f}".replace(",", ".")


def _municipality(
    rng: random.Random, writer: BulkWriter, *, seed: int, number: int, participants: int
) -> Municipality:
    name = f"Synthetische Kommune {seed}-{number:03d}"
    city = Organisation.objects.create(name=name, kind=Organisation.Kind.MUNICIPALITY)
    course_copies = max(1, math.ceil(participants * COURSE_SHARE * 1.3 / 1000))
    provider_rows = [
        Organisation(
            name=f"{name} · Träger {i + 1:02d}",
            short_name=f"Träger {i + 1:02d}",
            kind=Organisation.Kind.PROVIDER,
            municipality=city,
        )
        for i in range(COACHING_PROVIDERS + course_copies)
    ]
    providers = writer.save(provider_rows)
    programme = Programme.objects.create(
        code=f"synth-{seed}-{number:03d}",
        name=f"Durchstarten (synthetisch) {number:03d}",
        owner=city,
        starts_on=START,
        ends_on=END,
    )
    set_up = set_up_rows(
        writer,
        programme,
        body=f"Rat von {name}",
        decided_on=START - SET_UP_LEAD,
        reference=f"synth-{seed}-{number:03d}/einrichtung",
        title=f"Teilnahme an {programme.name}",
    )
    modules = {
        m.code: m for m in writer.save(module_rows(programme, valid_from=START, added_by=set_up))
    }
    (rule,) = writer.save(
        [eligibility_rule_row(programme, valid_from=START, place_of_residence="")]
    )
    rule_in_set_up(writer, set_up, rule)
    # Like every NRW municipality, the council admitted people from Ukraine (§ 24) as a
    # special case once the Land allowed it.
    ukraine = decision_row(
        writer,
        programme,
        sequence=2,
        body=f"Rat von {name}",
        decided_on=UKRAINE_DECISION,
        reference=f"synth-{seed}-{number:03d}/ukraine",
        title="Geflüchtete aus der Ukraine als Sonderfall",
    )
    (rule_2022,) = writer.save(
        [
            eligibility_rule_row(
                programme,
                valid_from=UKRAINE_DECISION,
                place_of_residence="",
                special_case_statuses=[ResidenceType.TEMPORARY_PROTECTION],
            )
        ]
    )
    writer.save(
        [
            Amendment(
                decision=ukraine,
                programme=programme,
                kind=AmendmentKind.CHANGE_ELIGIBILITY,
                position=1,
                effective_on=UKRAINE_DECISION,
                eligibility_rule=rule_2022,
            )
        ]
    )
    coaching = [
        Offer(
            module=modules["F1"],
            provider=provider,
            title=f"Jobcoaching {provider.short_name}",
            kind=Offer.Kind.CONTINUOUS_SERVICE,
            starts_on=FIRST_ENTRY,
            ends_on=END,
        )
        for provider in providers[:COACHING_PROVIDERS]
    ]
    runs: list[tuple[Offer, CourseSpec]] = []
    for copy, provider in enumerate(providers[COACHING_PROVIDERS:]):
        for _key, code, spec, first, last, every in COURSES:
            starts = run_starts(
                rng, first=first + dt.timedelta(days=copy % 30), last=last, every_days=every
            )
            for run in course_runs(
                module=modules[code], provider=provider, spec=spec, starts=starts, location=name
            ):
                runs.append((run, spec))
    writer.save(coaching + [run for run, _ in runs])
    login = f"synth{seed}.{number:03d}"
    staff = ensure_staff(
        [
            StaffSpec(
                f"{login}.koordination", "Koordination", f"{number:03d}", name, Role.COORDINATOR
            )
        ]
        + [
            StaffSpec(f"{login}.coach{i + 1}", "Coach", f"{i + 1}", p.name, Role.COACH)
            for i, p in enumerate(providers)
        ]
        + [
            StaffSpec(f"{login}.kurs{i + 1}", "Kurs", f"{i + 1}", p.name, Role.COURSE_STAFF)
            for i, p in enumerate(providers)
            if i >= COACHING_PROVIDERS
        ]
    )
    by_provider = {p.pk: staff[f"{login}.coach{i + 1}"] for i, p in enumerate(providers)}
    return Municipality(
        organisation=city,
        programme=programme,
        rules=rule_book_for(programme=programme),
        coaching=list(zip(providers[:COACHING_PROVIDERS], coaching, strict=True)),
        coaches=by_provider,
        seed=seed,
        book=CourseBook(runs),
        participants=participants,
    )


@dataclass
class _Person:
    draft: PersonDraft
    entry: dt.date
    exit_on: dt.date | None
    exit_reason: str
    success_on: dt.date | None
    success_type: str | None
    provider: Organisation
    offer: Offer
    participant: ParticipantRow | None = None
    duplicate: ParticipantRow | None = None


def _people(
    rng: random.Random, writer: BulkWriter, municipality: Municipality, *, size: int, serial: int
) -> None:
    persons = []
    for _ in range(size):
        entry = random_day(rng, FIRST_ENTRY, LAST_ENTRY)
        group = weighted(rng, names.ALL_GROUPS)
        if group is names.UKRAINIAN and entry < UKRAINE_FROM:
            group = names.ARABIC
        status = (
            ResidenceType.TEMPORARY_PROTECTION
            if group is names.UKRAINIAN
            else weighted(rng, STATUS_AT_ENTRY)
        )
        age = rng.randint(18, 27)
        draft = draw_person(rng, group=group, age_at_entry=age, entry=entry)
        success_on = success_type = None
        if rng.random() < SUCCESS_SHARE and entry + 60 * DAY < END:
            success_on = random_day(rng, entry + 45 * DAY, min(entry + 540 * DAY, END))
            success_type = weighted(rng, SUCCESS_TYPES)
        if success_on:
            exit_on: dt.date | None = min(success_on + 14 * DAY, END)
            reason = Case.ExitReason.GOAL_REACHED
        elif rng.random() < 0.35:
            exit_on = min(entry + dt.timedelta(days=rng.randint(30, 420)), END)
            reason = Case.ExitReason.DROPPED_OUT
        else:
            exit_on, reason = END, Case.ExitReason.PROGRAMME_ENDED
        segments = status_segments(
            rng,
            status=status,
            entry=entry,
            date_of_birth=draft.date_of_birth,
            success_on=success_on,
            success_type=success_type,
        )
        draft.documents = document_chain(rng, segments=segments, until=exit_on or END)
        provider, offer = rng.choice(municipality.coaching)
        persons.append(
            _Person(draft, entry, exit_on, reason, success_on, success_type, provider, offer)
        )

    city = municipality.organisation
    keys = random.Random(f"person-keys-{city.pk}-{serial}")
    originals = []
    for number, person in enumerate(persons):
        person.participant = participant_row(
            person.draft,
            rng=keys,
            id=writer.new_id(Participant),
            municipality_id=city.pk,
            serial=serial + number,
        )
        originals.append(person.participant)
    duplicates = []
    for number, person in enumerate(p for p in persons if rng.random() < DUPLICATE_SHARE):
        assert person.participant is not None
        person.duplicate = participant_row(
            person.draft,
            rng=keys,
            id=writer.new_id(Participant),
            municipality_id=city.pk,
            given=names.SPELLING_VARIANTS.get(person.draft.given.latin, (None,))[0],
            duplicate_of_id=person.participant.id,
            serial=serial + size + number,
        )
        duplicates.append(person.duplicate)
    writer.write(Participant, originals + duplicates)

    files = FileBook(writer)
    cases: list[tuple[_Person, CaseRow]] = []
    opened: list[tuple[FileRow, CaseRow]] = []
    for person in persons:
        for owner in (person.participant, person.duplicate):
            if owner is None:
                continue
            provider = person.provider
            if owner is person.duplicate:
                provider, _ = rng.choice(municipality.coaching)
            file = files.open(
                participant=owner,
                draft=person.draft,
                controller_id=provider.pk,
                opened_on=person.entry,
                city=city.name,
            )
            case = case_row(
                id=writer.new_id(Case),
                participant=owner,
                file=file,
                documents=person.draft.documents,
                programme=municipality.programme,
                coach_id=municipality.coaches[provider.pk].pk,
                entry=person.entry,
                exit_date=person.exit_on,
                exit_reason=person.exit_reason,
                rule_book=municipality.rules,
            )
            cases.append((person, case))
            opened.append((file, case))
    files.write()
    writer.write(Case, [case for _, case in cases])
    writer.write(Consent, _consents(writer, municipality, opened, serial=serial))

    contacts: list[ContactRow] = []
    enrolments: list[EnrolmentRow] = []
    bookings: list[CourseBooking] = []
    outcomes: list[OutcomeRow] = []
    coaching_offers = {provider.pk: offer for provider, offer in municipality.coaching}
    for person, case in cases:
        end = person.exit_on or END
        contacts += contact_rows(
            rng,
            case=case,
            start=person.entry,
            end=end,
            gap_days=(14, 70),
            limit=12,
            with_notes=False,
        )
        enrolments.append(
            enrolment_row(
                id=writer.new_id(Enrolment),
                case_id=case.id,
                offer_id=coaching_offers[case.lead_provider_id].pk,
                requested_on=person.entry,
                started_on=person.entry,
                ended_on=person.exit_on,
                dropped=person.exit_reason == Case.ExitReason.DROPPED_OUT,
            )
        )
        if rng.random() < COURSE_SHARE and end - person.entry > 21 * DAY:
            run = municipality.book.find(
                rng, earliest=person.entry + 7 * DAY, latest=min(person.entry + 150 * DAY, end)
            )
            if run is not None:
                bookings.append(
                    book_course(
                        rng,
                        enrolment_id=writer.new_id(Enrolment),
                        case=case,
                        run=run,
                        entry=person.entry,
                        leaves_on=end,
                    )
                )
        if person.success_on and person.success_type:
            outcomes.append(
                outcome_row(
                    rng,
                    id=writer.new_id(Outcome),
                    case=case,
                    outcome_type=person.success_type,
                    achieved_on=person.success_on,
                )
            )
        elif rng.random() < 0.1:
            outcomes.append(
                outcome_row(
                    rng,
                    id=writer.new_id(Outcome),
                    case=case,
                    outcome_type=OutcomeType.LANGUAGE_CERTIFICATE,
                    achieved_on=random_day(rng, person.entry, end),
                )
            )
    writer.write(Contact, contacts)
    writer.write(Enrolment, enrolments + [b.enrolment for b in bookings])
    writer.write(
        ModuleParticipation,
        _participations(writer, municipality, cases, bookings),
    )
    writer.write(Attendance, attendance_for(rng, bookings))
    writer.write(Outcome, outcomes)


def _participations(
    writer: BulkWriter,
    municipality: Municipality,
    cases: list[tuple[_Person, CaseRow]],
    bookings: list[CourseBooking],
) -> list[ParticipationRow]:
    """The modules the cases take part in, as ``enrolment_create`` places them: the coaching
    module from the entry to the exit (ended with the case's reason), a course's module from
    the day its enrolment began (or was asked for, on the waiting list) to its end; a span
    still open when the case closes ends with it (ADR 0008)."""
    coaching = municipality.coaching[0][1].module_id
    spans = [
        (
            case.id,
            coaching,
            case.entry_date,
            case.exit_date,
            PARTICIPATION_END_BY_CASE_EXIT[case.exit_reason] if case.exit_date else "",
        )
        for _, case in cases
    ]
    spans += [
        (
            booking.case.id,
            booking.offer.module_id,
            booking.enrolment.started_on or booking.enrolment.requested_on,
            booking.enrolment.ended_on,
            booking.enrolment.exit_reason,
        )
        for booking in bookings
    ]
    return participation_rows(
        lambda: writer.new_id(ModuleParticipation),
        enrolments=spans,
        exits={case.id: case.exit_date for _, case in cases},
    )


def _consents(
    writer: BulkWriter,
    municipality: Municipality,
    opened: list[tuple[FileRow, CaseRow]],
    *,
    serial: int,
) -> list[ConsentRow]:
    """The consents recorded in the files just opened (see the shares at the top)."""
    rng = random.Random(f"consents-{municipality.seed}-{municipality.programme.code}-{serial}")
    city = municipality.organisation
    providers = [provider.pk for provider, _ in municipality.coaching]
    rows = []
    for file, case in opened:
        end = case.exit_date or END
        rows.append(
            consent_row(
                id=writer.new_id(Consent),
                file_id=file.id,
                given_on=case.entry_date,
                recorded_by_id=case.coach_id,
                purpose=Consent.Purpose.CONTACT,
                recipient_id=file.controller_id,
            )
        )
        if rng.random() < COORDINATION_CONSENT_SHARE:
            rows.append(
                consent_row(
                    id=writer.new_id(Consent),
                    file_id=file.id,
                    given_on=case.entry_date,
                    recorded_by_id=case.coach_id,
                    purpose=Consent.Purpose.COORDINATION_DETAILS,
                    recipient_id=city.pk,
                    categories=("identity", "education", "case_notes", "outcomes"),
                )
            )
        sharing = []
        if rng.random() < PROVIDER_SHARING_SHARE:
            sharing.append(
                consent_row(
                    id=writer.new_id(Consent),
                    file_id=file.id,
                    given_on=random_day(rng, case.entry_date, end),
                    recorded_by_id=case.coach_id,
                    purpose=Consent.Purpose.CASE_SHARING,
                    recipient_id=rng.choice([pk for pk in providers if pk != file.controller_id]),
                    categories=("identity", "contact", "education", "case_notes"),
                )
            )
        if rng.random() < PROGRAMME_SHARING_SHARE:
            sharing.append(
                consent_row(
                    id=writer.new_id(Consent),
                    file_id=file.id,
                    given_on=random_day(rng, case.entry_date, end),
                    recorded_by_id=case.coach_id,
                    purpose=Consent.Purpose.CASE_SHARING,
                    recipient_programme_id=case.programme_id,
                    categories=("identity", "case_notes", "outcomes"),
                )
            )
        for row in sharing:
            if rng.random() < SHARING_EXPIRES_SHARE:
                row = row._replace(expires_on=row.given_on + 730 * DAY)
            if rng.random() < SHARING_WITHDRAWN_SHARE:
                row = row._replace(withdrawn_on=random_day(rng, row.given_on, END + 365 * DAY))
            rows.append(row)
    return rows
