"""A brute-force attacker for published figures: what can be worked out from what was shown?

The attacker knows everything a funder knows: every published table, which cells are
"fewer than 5" and which are withheld, the rules in ``reports.disclosure`` — and that
cumulative counts never fall, that successes never exceed reach, and that a total is the sum
of its rows. A secret (a count or a change of 1–4 persons, or a count withheld on the
latest day) is safe if some *other* data set, just as plausible,
publishes exactly the same tables but has a different value for that secret.

The search tries every data set whose counts lie within a few persons of the true ones
(``radius``). Finding such a twin proves the secret is not determined; a twin further away
would only be missed, which makes the test stricter, not weaker.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from teilhabe.reports.disclosure import Figures, PublishedTable, is_small

Data = dict[str, list[Figures]]
Publisher = Callable[[Mapping[str, Sequence[Figures]]], list[PublishedTable[str]]]

TOTAL = "(total)"


@dataclass(frozen=True)
class Secret:
    row: str  # a key of the data, or TOTAL
    measure: str  # "reached" or "successes"
    day: int
    what: str  # "cell": the count itself; "change": the count minus the one a day before

    def value(self, data: Data) -> int:
        def count(day: int) -> int:
            if day < 0:
                return 0
            if self.row == TOTAL:
                return sum(getattr(values[day], self.measure) for values in data.values())
            return int(getattr(data[self.row][day], self.measure))

        if self.what == "cell":
            return count(self.day)
        return count(self.day) - count(self.day - 1)


def is_plausible(data: Data) -> bool:
    for values in data.values():
        previous = Figures(reached=0, successes=0)
        for figures in values:
            if not 0 <= figures.successes <= figures.reached:
                return False
            if figures.reached < previous.reached or figures.successes < previous.successes:
                return False
            previous = figures
    return True


Shown = dict[tuple[str, str, int], tuple[int | None, str | None]]


def _published_cells(tables: list[PublishedTable[str]]) -> Shown:
    """Every cell as the funder sees it: the count, or which kind of suppression."""
    cells: Shown = {}
    for day, table in enumerate(tables):
        rows = dict(table.rows)
        if table.total is not None:
            rows[TOTAL] = table.total
        for row, published in rows.items():
            for measure in ("reached", "successes"):
                cell = getattr(published, measure)
                cells[(row, measure, day)] = (cell.value, cell.suppression)
    return cells


def secrets(data: Data, tables: list[PublishedTable[str]]) -> list[Secret]:
    """What must stay hidden: every count of 1 to 4 persons that was not published, every
    change of 1 to 4 persons between two closing days, and every count withheld on the
    latest day. (A count withheld on an earlier day may become known later where that shows
    nothing small: a "fewer than 5" successes that a later period publishes as 0, say.)"""
    found = []
    latest = len(tables) - 1
    for (row, measure, day), (shown, _) in _published_cells(tables).items():
        cell = Secret(row=row, measure=measure, day=day, what="cell")
        if shown is None and (is_small(cell.value(data)) or day == latest):
            found.append(cell)
        change = Secret(row=row, measure=measure, day=day, what="change")
        if is_small(change.value(data)):
            found.append(change)
    return found


def _candidates(
    data: Data, shown: Shown, row: str, day: int, previous: Figures, radius: int
) -> list[Figures]:
    """The counts a row may have on a day in a twin: a published count as shown, any other
    within ``radius`` of the true one, never falling and successes never above reach.
    The true counts come last: a twin that differs early answers more questions."""
    true = data[row][day]

    def values(measure: str, low: int, high: int) -> list[int]:
        published = shown[(row, measure, day)][0]
        if published is not None:
            return [published] if low <= published <= high else []
        centre = getattr(true, measure)
        near = range(max(low, centre - radius), min(high, centre + radius) + 1)
        return sorted(near, key=lambda v: (v == centre, abs(v - centre)))

    return [
        Figures(reached=reached, successes=successes)
        for reached in values("reached", previous.reached, true.reached + radius)
        for successes in values("successes", previous.successes, reached)
    ]


def _twins(data: Data, publish: Publisher, shown: Shown, radius: int) -> Iterator[Data]:
    """Every data set within ``radius`` of the true one that publishes the same tables.

    Built day by day: a day's tables depend on that day and the days before only (the
    publisher promises as much: a period keeps its figures when later periods close), so a
    twin that already shows something else by day d is dropped there.
    """
    rows = list(data)
    days = len(next(iter(data.values()), []))

    def extend(prefix: Data, day: int) -> Iterator[Data]:
        if day == days:
            yield prefix
            return
        zero = Figures(reached=0, successes=0)
        options = [
            list(_candidates(data, shown, row, day, prefix[row][-1] if day else zero, radius))
            for row in rows
        ]
        for choice in itertools.product(*options):
            longer = {
                row: [*prefix[row], figures] for row, figures in zip(rows, choice, strict=True)
            }
            published = _published_cells(publish(longer))
            if all(shown[cell] == published[cell] for cell in published):
                yield from extend(longer, day + 1)

    yield from extend({row: [] for row in rows}, 0)


def determined_secrets(data: Data, publish: Publisher, *, radius: int = 3) -> list[Secret]:
    """The secrets that no twin of the data hides: what the attacker can work out."""
    assert is_plausible(data), "the attacker only reasons about plausible data"
    tables = publish(data)
    shown = _published_cells(tables)
    open_secrets = secrets(data, tables)
    for twin in _twins(data, publish, shown, radius):
        if not open_secrets:
            break
        open_secrets = [s for s in open_secrets if s.value(twin) == s.value(data)]
    return open_secrets


def determined_on_any_day(data: Data, publish: Publisher, *, radius: int = 3) -> list[Secret]:
    """The secrets worked out after any closing day, from the tables published by then."""
    days = len(next(iter(data.values()), []))
    found: list[Secret] = []
    for day in range(1, days + 1):
        found += determined_secrets(
            {row: v[:day] for row, v in data.items()}, publish, radius=radius
        )
    return found
