"""Walking the hash chain: is every entry still the one that was written, in its place?"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from teilhabe.audit.database import missing_triggers
from teilhabe.audit.models import GENESIS_HASH, AuditEvent, AuditSubject

BATCH_SIZE = 5000


@dataclass(frozen=True)
class ChainReport:
    entries: int
    last_sequence: int
    last_hash: str
    problem: str = ""
    missing_triggers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problem and not self.missing_triggers


def _batches(batch_size: int) -> Iterator[list[AuditEvent]]:
    """The trail in sequence order, a batch at a time (keyset pagination, constant memory)."""
    after: int | None = None
    while True:
        events = AuditEvent.objects.order_by("sequence")
        if after is not None:
            events = events.filter(sequence__gt=after)
        batch = list(events[:batch_size])
        if not batch:
            return
        yield batch
        after = batch[-1].sequence


def _subjects_of(batch: list[AuditEvent]) -> dict[int, list[str]]:
    subjects: dict[int, list[str]] = defaultdict(list)
    rows = AuditSubject.objects.filter(event_id__in=[e.pk for e in batch]).values_list(
        "event_id", "person_key"
    )
    for event_id, key in rows:
        subjects[event_id].append(key)
    return subjects


def anchor_problem(*, sequence: int, entry_hash: str) -> str:
    """Whether an entry recorded outside the database (from an earlier verify) is still there
    with the same hash: the chain alone cannot show a cut-off or re-forged tail."""
    found = AuditEvent.objects.filter(sequence=sequence).values_list("entry_hash", flat=True)
    if not found:
        return f"entry #{sequence}, recorded earlier, is gone (the trail was cut off)"
    if found[0] != entry_hash:
        return (
            f"entry #{sequence} no longer has the hash recorded earlier (the trail was rewritten)"
        )
    return ""


def verify_chain(*, batch_size: int = BATCH_SIZE) -> ChainReport:
    """Check each entry's place (sequence), link (previous hash) and content (entry hash);
    report the first that fails, or the number of entries and the last hash."""
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    count = 0
    for batch in _batches(batch_size):
        subjects = _subjects_of(batch)
        for event in batch:
            where = f"entry #{event.sequence} (id {event.pk})"
            if event.sequence < expected_sequence:
                problem = f"{where}: sequence out of order, expected #{expected_sequence}"
            elif event.sequence > expected_sequence:
                missing = (
                    f"#{expected_sequence}"
                    if event.sequence == expected_sequence + 1
                    else f"#{expected_sequence}–#{event.sequence - 1}"
                )
                problem = f"{where}: entries {missing} are missing (deleted)"
            elif event.previous_hash != previous_hash:
                problem = (
                    f"{where}: does not link to the entry before it (deleted, inserted or "
                    "reordered entries)"
                )
            elif event.compute_hash(subjects.get(event.pk, [])) != event.entry_hash:
                problem = f"{where}: content changed after it was written"
            else:
                problem = ""
            if problem:
                return ChainReport(
                    entries=count,
                    last_sequence=expected_sequence - 1,
                    last_hash=previous_hash,
                    problem=problem,
                )
            count += 1
            expected_sequence += 1
            previous_hash = event.entry_hash
    return ChainReport(
        entries=count,
        last_sequence=expected_sequence - 1,
        last_hash=previous_hash,
        missing_triggers=tuple(missing_triggers(connection)),
    )
