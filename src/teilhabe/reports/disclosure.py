"""Disclosure control for figures that leave the city: which counts may be published.

The input is a set of cumulative series — per municipality (or programme), the persons
reached and those with a success, counted at each closing day of the reporting periods in
order. The output says, per closing day, which counts are published and which are withheld.
The rules (docs/decisions/0005-published-figures.md):

1. Primary: a count from 1 to 4 is not published ("fewer than 5").
2. Flow: a cumulative count is published only if it differs from the last *published* count
   of the same series by 0 or by 5 or more; otherwise it is withheld and the comparison stays
   with that last published count. Two published neighbours therefore never reveal a change
   of 1 to 4 persons between two periods.
3. Successes within reach: successes are published only when the reach of the same row is;
   and when successes are withheld, the reach is published only if it lies at least 5 above the
   last published successes, so that "successes ≤ reach" cannot narrow a withheld success
   count down to one value.
4. Totals: a total is published only when every cell it adds up is published (and the rules
   above hold for the total's own series). A withheld cell can then never be recomputed from
   the total and the other cells: with one equation and the total unknown there is nothing
   to solve.

Everything here is pure and small: tests check it with a brute-force attacker
(tests/reports/disclosure_attacker.py) over random tables and series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

# Counts from 1 to 4 leave the city only as "fewer than 5": with so few people, a figure
# together with what else is known can point to a person. Zero says nothing about anyone.
SMALL_NUMBER_LIMIT = 5

Key = TypeVar("Key")


class Suppression(StrEnum):
    SMALL = "small"  # the count is below 5: shown as "fewer than 5"
    WITHHELD = "withheld"  # secondary: it would reveal a small change or a small cell


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: ``value`` is None when suppressed."""

    value: int | None
    suppression: Suppression | None = None

    @classmethod
    def exact(cls, value: int) -> Cell:
        return cls(value=value)

    @property
    def is_small(self) -> bool:
        return self.suppression == Suppression.SMALL

    @property
    def is_withheld(self) -> bool:
        return self.suppression == Suppression.WITHHELD


@dataclass(frozen=True)
class Figures:
    """Cumulative counts at one closing day: persons reached, and of them with a success."""

    reached: int
    successes: int


@dataclass(frozen=True)
class PublishedFigures:
    reached: Cell
    successes: Cell


@dataclass(frozen=True)
class PublishedTable(Generic[Key]):
    """The figures at one closing day: one row per key, and the total when asked for."""

    rows: dict[Key, PublishedFigures]
    total: PublishedFigures | None


def is_small(count: int) -> bool:
    return 0 < count < SMALL_NUMBER_LIMIT


def _changes_little(count: int, last_published: int) -> bool:
    return 0 < abs(count - last_published) < SMALL_NUMBER_LIMIT


def _may_publish(count: int, last_published: int) -> bool:
    return not is_small(count) and not _changes_little(count, last_published)


def _cell(count: int, published: bool) -> Cell:
    if published:
        return Cell(value=count)
    # A withheld 0 (successes of a row whose reach is withheld) also reads "fewer than 5":
    # told apart from 1–4 it would say "none of these few succeeded".
    small = count < SMALL_NUMBER_LIMIT
    return Cell(value=None, suppression=Suppression.SMALL if small else Suppression.WITHHELD)


@dataclass
class _Series:
    """What has been published of one row so far; before the first period everything is 0."""

    reached: int = 0
    successes: int = 0

    def decide(self, figures: Figures, *, parts_published: tuple[bool, bool]) -> tuple[bool, bool]:
        reached_ok = parts_published[0] and _may_publish(figures.reached, self.reached)
        successes_ok = (
            parts_published[1] and reached_ok and _may_publish(figures.successes, self.successes)
        )
        if not successes_ok and figures.reached < self.successes + SMALL_NUMBER_LIMIT:
            reached_ok = False
        if reached_ok:
            self.reached = figures.reached
        if successes_ok:
            self.successes = figures.successes
        return reached_ok, successes_ok


def publish_series(
    series: Mapping[Key, Sequence[Figures]], *, with_total: bool = False
) -> list[PublishedTable[Key]]:
    """The published tables, one per closing day, for series of equal length.

    Each closing day is decided from the days before it only, so the figures of a period do
    not change when a later period closes.
    """
    keys = list(series)
    lengths = {len(values) for values in series.values()}
    if len(lengths) > 1:
        raise ValueError("every series needs a value for every closing day")
    days = lengths.pop() if lengths else 0
    state = {key: _Series() for key in keys}
    total_state = _Series()
    tables: list[PublishedTable[Key]] = []
    for day in range(days):
        rows: dict[Key, PublishedFigures] = {}
        all_reached = all_successes = True
        for key in keys:
            figures = series[key][day]
            reached_ok, successes_ok = state[key].decide(figures, parts_published=(True, True))
            all_reached &= reached_ok
            all_successes &= successes_ok
            rows[key] = PublishedFigures(
                reached=_cell(figures.reached, reached_ok),
                successes=_cell(figures.successes, successes_ok),
            )
        total = None
        if with_total:
            summed = Figures(
                reached=sum(series[key][day].reached for key in keys),
                successes=sum(series[key][day].successes for key in keys),
            )
            reached_ok, successes_ok = total_state.decide(
                summed, parts_published=(all_reached, all_successes)
            )
            total = PublishedFigures(
                reached=_cell(summed.reached, reached_ok),
                successes=_cell(summed.successes, successes_ok),
            )
        tables.append(PublishedTable(rows=rows, total=total))
    return tables
