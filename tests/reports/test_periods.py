"""Reporting periods: calendar quarters and years, clipped to the programme's run."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from teilhabe.reports.periods import (
    PeriodKind,
    closed_periods,
    closing_days,
    latest_closed_by,
    period_by_key,
    reporting_periods,
)

D = dt.date


def test_periods_are_quarters_and_years_clipped_to_the_run() -> None:
    periods = reporting_periods(runs_from=D(2020, 7, 1), runs_until=D(2021, 5, 15))
    assert [(p.key, p.starts_on, p.closes_on) for p in periods] == [
        ("2020-Q3", D(2020, 7, 1), D(2020, 9, 30)),
        ("2020-Q4", D(2020, 10, 1), D(2020, 12, 31)),
        ("2020", D(2020, 7, 1), D(2020, 12, 31)),
        ("2021-Q1", D(2021, 1, 1), D(2021, 3, 31)),
        ("2021-Q2", D(2021, 4, 1), D(2021, 5, 15)),
        ("2021", D(2021, 1, 1), D(2021, 5, 15)),
    ]


def test_only_periods_that_ended_before_today_are_closed() -> None:
    run = {"runs_from": D(2020, 7, 1), "runs_until": D(2022, 12, 31)}
    assert closed_periods(**run, today=D(2020, 9, 30)) == []
    assert [p.key for p in closed_periods(**run, today=D(2020, 10, 1))] == ["2020-Q3"]


def test_a_day_points_to_the_quarter_that_closed_last_by_then() -> None:
    periods = reporting_periods(runs_from=D(2020, 7, 1), runs_until=D(2022, 12, 31))
    assert latest_closed_by(periods, D(2021, 10, 1)) == period_by_key(periods, "2021-Q3")
    assert latest_closed_by(periods, D(2021, 10, 2)) == period_by_key(periods, "2021-Q3")
    assert latest_closed_by(periods, D(2021, 12, 31)) == period_by_key(periods, "2021-Q4")
    assert latest_closed_by(periods, D(2020, 9, 29)) is None


def test_keys_are_read_strictly() -> None:
    periods = reporting_periods(runs_from=D(2020, 7, 1), runs_until=D(2022, 12, 31))
    assert period_by_key(periods, "2021") is not None
    for key in ("2021-Q5", "2019", "2021-10-02", "", "2021-Q1; drop"):
        assert period_by_key(periods, key) is None


def test_labels_name_the_quarter_and_the_year() -> None:
    periods = reporting_periods(runs_from=D(2021, 1, 1), runs_until=D(2021, 12, 31))
    assert [p.label for p in periods if p.closes_on == D(2021, 12, 31)] == [
        "4. Quartal 2021",
        "Jahr 2021",
    ]


@given(
    start=st.dates(D(2000, 1, 1), D(2030, 12, 31)),
    days=st.integers(0, 2000),
    today=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
)
def test_every_closing_day_is_in_the_run_and_has_passed(
    start: dt.date, days: int, today: dt.date
) -> None:
    end = start + dt.timedelta(days=days)
    periods = closed_periods(runs_from=start, runs_until=end, today=today)
    for period in periods:
        assert start <= period.starts_on <= period.closes_on <= end
        assert period.closes_on < today
        assert period.closes_on == end or (period.closes_on + dt.timedelta(days=1)).day == 1
    # A year closes on the day of its last quarter: years add no closing day of their own.
    quarters = [p for p in periods if p.kind == PeriodKind.QUARTER]
    assert closing_days(periods) == closing_days(quarters)
