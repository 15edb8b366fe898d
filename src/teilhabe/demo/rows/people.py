"""People: the register rows, each organisation's file with its residence history, consents."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from teilhabe.core.codes import (
    EmploymentPermission,
    Gender,
    GermanLevel,
    OutcomeType,
    ResidenceType,
    SchoolingLevel,
)
from teilhabe.demo.chance import DAY, birth_date_for_age, random_day, weighted, years_before
from teilhabe.demo.names import COLOGNE_DISTRICTS, Name, NameGroup
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.participants.models import (
    PERSON_KEY_ALPHABET,
    PERSON_KEY_LENGTH,
    ConsentEvidence,
    ParticipantFile,
    ResidenceDocument,
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


class DocumentRow(NamedTuple):
    file_id: int
    residence_type: str
    valid_from: dt.date
    valid_until: dt.date | None
    employment: str


def document_rows(file_id: int, drafts: Iterable[DocumentDraft]) -> list[DocumentRow]:
    return [
        DocumentRow(
            file_id,
            d.residence_type,
            d.valid_from,
            d.valid_until,
            EMPLOYMENT_BY_STATUS[d.residence_type],
        )
        for d in drafts
    ]


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

    earliest_arrival = max(years_before(date_of_birth, -14), entry - 1400 * DAY)
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


class ParticipantRow(NamedTuple):
    """A person in the register."""

    id: int
    person_key: str
    municipality_id: int
    given_names: str
    family_name: str
    given_names_original: str
    family_name_original: str
    date_of_birth: dt.date
    gender: str
    phone: str
    email: str
    duplicate_of_id: int | None
    registered_on: dt.date


def demo_person_key(rng: random.Random) -> str:
    """A person key drawn from the demo's seeded random source, so that loads repeat."""
    return "P-" + "".join(rng.choice(PERSON_KEY_ALPHABET) for _ in range(PERSON_KEY_LENGTH))


def participant_row(
    draft: PersonDraft,
    *,
    rng: random.Random,
    id: int,
    municipality_id: int,
    given: str | None = None,
    family: str | None = None,
    registered_on: dt.date | None = None,
    duplicate_of_id: int | None = None,
    serial: int = 0,
) -> ParticipantRow:
    # The original script is kept only for groups that write in another script.
    given_latin = given or draft.given.latin
    family_latin = family or draft.family.latin
    slug = f"{given_latin}.{family_latin}".lower().replace(" ", "").replace("-", "")
    ascii_slug = slug.encode("ascii", "ignore").decode() or "person"
    return ParticipantRow(
        id=id,
        person_key=demo_person_key(rng),
        municipality_id=municipality_id,
        given_names=given_latin,
        family_name=family_latin,
        given_names_original=draft.given.original,
        family_name_original=draft.family.original,
        date_of_birth=draft.date_of_birth,
        gender=draft.gender,
        phone=f"+49 1578 {serial % 10_000_000:07d}",
        email=f"{ascii_slug}.{serial}@example.org",
        duplicate_of_id=duplicate_of_id,
        registered_on=registered_on or draft.registered_on,
    )


class FileRow(NamedTuple):
    """One organisation's file on a person."""

    id: int
    participant_id: int
    controller_id: int
    opened_on: dt.date
    nationality: str
    languages: list[str]
    schooling: str
    german_level: str
    postal_code: str
    city: str
    lives_in_state_reception: bool


def file_row(
    draft: PersonDraft,
    *,
    id: int,
    participant_id: int,
    controller_id: int,
    opened_on: dt.date,
    city: str = "Köln",
) -> FileRow:
    return FileRow(
        id=id,
        participant_id=participant_id,
        controller_id=controller_id,
        opened_on=opened_on,
        nationality=draft.nationality,
        languages=list(draft.languages),
        schooling=draft.schooling,
        german_level=draft.german_level,
        postal_code=draft.district[1],
        city=city,
        lives_in_state_reception=False,
    )


class FileBook:
    """The files the demo opens: one per person and organisation, each with the residence
    history that organisation recorded (in the demo, the person's whole history)."""

    def __init__(self, writer: BulkWriter) -> None:
        self._writer = writer
        self._files: dict[tuple[int, int], FileRow] = {}
        self._documents: list[DocumentRow] = []

    def open(
        self,
        *,
        participant: ParticipantRow,
        draft: PersonDraft,
        controller_id: int,
        opened_on: dt.date,
        city: str = "Köln",
    ) -> FileRow:
        key = (participant.id, controller_id)
        if key not in self._files:
            row = file_row(
                draft,
                id=self._writer.new_id(ParticipantFile),
                participant_id=participant.id,
                controller_id=controller_id,
                opened_on=min(opened_on, participant.registered_on),
                city=city,
            )
            self._files[key] = row
            self._documents += document_rows(row.id, draft.documents)
        return self._files[key]

    def of(self, *, participant_id: int, controller_id: int) -> FileRow:
        return self._files[(participant_id, controller_id)]

    def write(self) -> None:
        self._writer.write(ParticipantFile, list(self._files.values()))
        self._writer.write(ResidenceDocument, self._documents)


class ConsentRow(NamedTuple):
    id: int
    file_id: int
    purpose: str
    recipient_id: int | None
    recipient_programme_id: int | None
    data_categories: list[str]
    given_on: dt.date
    expires_on: dt.date | None
    withdrawn_on: dt.date | None
    used_on: dt.date | None
    evidence: str
    form_version: str
    language: str
    recorded_by_id: int | None


def consent_row(
    *,
    id: int,
    file_id: int,
    purpose: str,
    given_on: dt.date,
    recipient_id: int | None = None,
    recipient_programme_id: int | None = None,
    categories: Sequence[str] = ("identity", "contact"),
    used_on: dt.date | None = None,
    language: str = "de",
    recorded_by_id: int | None = None,
) -> ConsentRow:
    return ConsentRow(
        id=id,
        file_id=file_id,
        purpose=purpose,
        recipient_id=recipient_id,
        recipient_programme_id=recipient_programme_id,
        data_categories=list(categories),
        given_on=given_on,
        expires_on=None,
        withdrawn_on=None,
        used_on=used_on,
        evidence=ConsentEvidence.WRITTEN,
        form_version="EW-2020-09",
        language=language,
        recorded_by_id=recorded_by_id,
    )
