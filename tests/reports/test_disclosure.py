"""Published figures: no small count and no small change can be worked out from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import example, given, settings
from hypothesis import strategies as st

from teilhabe.reports.disclosure import (
    Cell,
    Figures,
    PublishedFigures,
    PublishedTable,
    Suppression,
    publish_series,
)
from tests.reports.disclosure_attacker import (
    Data,
    Secret,
    determined_on_any_day,
    determined_secrets,
)

F = Figures


def _published(values: list[tuple[int, int]]) -> list[PublishedFigures]:
    tables = publish_series({"Köln": [F(r, s) for r, s in values]})
    return [table.rows["Köln"] for table in tables]


def _shown(cell: Cell) -> int | str:
    return cell.value if cell.value is not None else str(cell.suppression)


def test_180_then_182_does_not_reveal_the_two_who_came() -> None:
    published = _published([(180, 20), (182, 20), (190, 20)])
    assert [_shown(p.reached) for p in published] == [180, "withheld", 190]


def test_a_change_is_measured_against_the_last_published_count_not_the_last_count() -> None:
    # 180 published; 183 and 184 withheld (3 and 4 more than 180); 185 is 5 more: published.
    published = _published([(180, 0), (183, 0), (184, 0), (185, 0)])
    assert [_shown(p.reached) for p in published] == [180, "withheld", "withheld", 185]


def test_counts_from_one_to_four_are_small_and_zero_is_published() -> None:
    published = _published([(0, 0), (3, 0), (5, 0), (9, 1)])
    assert [_shown(p.reached) for p in published] == [0, "small", 5, "withheld"]
    assert [_shown(p.successes) for p in published] == [0, "small", 0, "small"]


def test_successes_are_withheld_when_the_reach_is() -> None:
    [published] = _published([(3, 0)])
    assert published.successes == Cell(value=None, suppression=Suppression.SMALL)


def test_reach_is_withheld_when_it_would_pin_down_withheld_successes() -> None:
    # 9 of 10 succeeded, then all 10: "10 reached" would say the withheld successes are 10.
    published = _published([(10, 9), (10, 10)])
    assert [_shown(p.successes) for p in published] == [9, "withheld"]
    assert [_shown(p.reached) for p in published] == [10, "withheld"]


def test_a_total_is_withheld_when_a_cell_it_adds_up_is_withheld() -> None:
    tables = publish_series(
        {"Bonn": [F(100, 10), F(102, 10)], "Köln": [F(50, 10), F(60, 10)]}, with_total=True
    )
    assert tables[1].rows["Köln"].reached.value == 60
    assert tables[1].rows["Bonn"].reached.is_withheld
    assert tables[1].total is not None
    assert tables[1].total.reached.is_withheld
    assert tables[0].total == PublishedFigures(reached=Cell(150), successes=Cell(20))


def test_a_period_keeps_its_figures_when_later_periods_close() -> None:
    values = [F(12, 0), F(14, 2), F(30, 9), F(31, 9)]
    earlier = publish_series({"Köln": values[:2]})
    later = publish_series({"Köln": values})
    assert later[:2] == earlier


def _naive(series: Mapping[str, Sequence[Figures]]) -> list[PublishedTable[str]]:
    """Primary suppression only, as on main: the attacker must catch what this gives away."""
    from teilhabe.reports.disclosure import _cell, is_small

    days = len(next(iter(series.values())))
    return [
        PublishedTable(
            rows={
                key: PublishedFigures(
                    reached=_cell(v[day].reached, not is_small(v[day].reached)),
                    successes=_cell(v[day].successes, not is_small(v[day].successes)),
                )
                for key, v in series.items()
            },
            total=None,
        )
        for day in range(days)
    ]


def test_the_attacker_works_out_the_two_persons_from_primary_suppression_alone() -> None:
    data: Data = {"Köln": [F(180, 20), F(182, 20)]}
    assert Secret("Köln", "reached", 1, "change") in determined_secrets(data, _naive)


def test_the_attacker_recomputes_a_small_cell_from_a_total() -> None:
    def total_always(series: Mapping[str, Sequence[Figures]]) -> list[PublishedTable[str]]:
        tables = _naive(series)
        return [
            PublishedTable(
                rows=t.rows,
                total=PublishedFigures(
                    reached=Cell(sum(v[day].reached for v in series.values())),
                    successes=Cell(sum(v[day].successes for v in series.values())),
                ),
            )
            for day, t in enumerate(tables)
        ]

    data: Data = {"Bonn": [F(3, 0)], "Köln": [F(50, 10)]}
    assert Secret("Bonn", "reached", 0, "cell") in determined_secrets(data, total_always)


@st.composite
def _data(draw: st.DrawFn) -> Data:
    days = draw(st.integers(1, 4))
    rows = draw(st.integers(1, 2))
    data: Data = {}
    for row in range(rows):
        reached = successes = 0
        values = []
        for _ in range(days):
            new_reached, new_successes = draw(st.tuples(st.integers(0, 7), st.integers(0, 7)))
            reached += new_reached
            successes = min(reached, successes + new_successes)
            values.append(F(reached, successes))
        data[f"M{row}"] = values
    return data


def _publish_with_total(series: Mapping[str, Sequence[Figures]]) -> list[PublishedTable[str]]:
    return publish_series(series, with_total=True)


@settings(max_examples=80, deadline=None)
@given(data=_data())
@example(data={"Köln": [F(180, 20), F(182, 20)]})
@example(data={"Köln": [F(10, 9), F(10, 10), F(10, 10)]})
@example(data={"Bonn": [F(3, 0)], "Köln": [F(50, 10)]})
@example(data={"Bonn": [F(180, 0), F(181, 0)], "Köln": [F(0, 0), F(1, 0)]})
def test_no_withheld_count_and_no_small_change_can_be_worked_out(data: Data) -> None:
    assert determined_on_any_day(data, _publish_with_total) == []


@settings(max_examples=50, deadline=None)
@given(data=_data())
def test_without_a_total_nothing_can_be_worked_out_either(data: Data) -> None:
    assert determined_on_any_day(data, publish_series) == []


@given(data=_data())
def test_what_is_published_is_the_true_count(data: Data) -> None:
    tables = _publish_with_total(data)
    for day, table in enumerate(tables):
        for key, row in table.rows.items():
            assert row.reached.value in (None, data[key][day].reached)
            assert row.successes.value in (None, data[key][day].successes)
        assert table.total is not None
        if table.total.reached.value is not None:
            assert table.total.reached.value == sum(v[day].reached for v in data.values())
