"""Writing demo data in bulk: set-up objects with ``bulk_create``, rows with COPY."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class BulkWriter:
    """Writes demo data in bulk and counts the rows per model.

    Set-up objects (programmes, offers, budget lines …) are model instances saved with
    ``bulk_create``. The many rows about people are named tuples whose fields are the
    model's attributes (``case_id`` …): on PostgreSQL they go in with COPY, elsewhere as
    model instances through ``bulk_create``. Rows that others point to get their ids from
    ``new_id`` before they are written, so a case's contacts can be built without a round
    trip. Every row still passes the database's constraints.
    """

    def __init__(self, *, batch_size: int = 5000, using: str = DEFAULT_DB_ALIAS) -> None:
        self.batch_size = batch_size
        self.connection = connections[using]
        self.counts: Counter[str] = Counter()
        self.started = time.perf_counter()
        self._free_ids: dict[type[models.Model], deque[int]] = defaultdict(deque)
        self._reserved_up_to: dict[str, int] = {}

    def save(self, objects: Sequence[M]) -> list[M]:
        if not objects:
            return []
        model = type(objects[0])
        created = model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.counts[model._meta.label] += len(created)
        return created

    def new_id(self, model: type[models.Model]) -> int:
        """An id for a new row of ``model``, valid until the transaction ends."""
        free = self._free_ids[model]
        if not free:
            free.extend(self._reserve_ids(model, self.batch_size))
            transaction.on_commit(self._forget_ids, using=self.connection.alias)
        return free.popleft()

    def _forget_ids(self) -> None:
        self._free_ids.clear()
        self._reserved_up_to.clear()

    def write(self, model: type[models.Model], rows: Sequence[tuple[Any, ...]]) -> None:
        """Write rows of one model; each row a named tuple of that model's attributes."""
        if not rows:
            return
        names: tuple[str, ...] = rows[0]._fields  # type: ignore[attr-defined]
        if self.connection.vendor == "postgresql":
            self._copy(model, names, rows)
        else:
            model._default_manager.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in rows],
                batch_size=self.batch_size,
            )
        self.counts[model._meta.label] += len(rows)

    def _copy(
        self, model: type[models.Model], names: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_attname[name] for name in names]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        # auto_now(_add) is filled by ``save()``; COPY must be given the time itself.
        stamps = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
        ]
        now = (timezone.now(),) * len(stamps)
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(_column(f)) for f in fields + stamps)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i])
                    row = tuple(values)
                copy.write_row((*row, *now))

    def _reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        assert model._meta.pk is not None
        pk = _column(model._meta.pk)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite has no sequence to draw from: the next free ids after the highest one
            # used or handed out. The write lock of the (IMMEDIATE) transaction keeps them
            # free until they are written.
            if not self.connection.in_atomic_block:
                raise RuntimeError("reserve ids only inside a transaction")
            quote = self.connection.ops.quote_name
            # Table and column come from the model's metadata, quoted: no input reaches them.
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # nosec B608
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            known = cursor.fetchone()
            first = max(highest, known[0] if known else 0, self._reserved_up_to.get(table, 0)) + 1
        self._reserved_up_to[table] = first + count - 1
        return list(range(first, first + count))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _column(field: models.Field[Any, Any]) -> str:
    if not field.column:
        raise ValueError(f"{field} has no column")
    return field.column
