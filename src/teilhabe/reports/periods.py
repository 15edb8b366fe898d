"""Reporting periods: the only days for which figures leave the city.

A funder reads figures at the end of a calendar quarter or year, clipped to the programme's
run, once that period has ended — never for an arbitrary day. Stepping one day at a time
would otherwise show each single person entering (see docs/decisions/0005-published-figures.md).
Everything here is pure: dates in, periods out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    # Ordered by closing day first, so that sorting gives the order in which periods close.
    closes_on: dt.date
    kind: PeriodKind
    starts_on: dt.date
    year: int
    quarter: int | None = None

    @property
    def key(self) -> str:
        """How the period is named in an address: ``2021-Q3`` or ``2021``."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("%(quarter)s. Quartal %(year)s") % {"quarter": self.quarter, "year": self.year}
        return _("Jahr %(year)s") % {"year": self.year}

    def __str__(self) -> str:
        return self.label


_KEY = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")


def _quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def _calendar_periods(year: int) -> list[tuple[PeriodKind, int | None, dt.date, dt.date]]:
    quarters = [
        (PeriodKind.QUARTER, q, dt.date(year, 3 * q - 2, 1), _quarter_end(year, q))
        for q in range(1, 5)
    ]
    return [*quarters, (PeriodKind.YEAR, None, dt.date(year, 1, 1), dt.date(year, 12, 31))]


def reporting_periods(*, runs_from: dt.date, runs_until: dt.date) -> list[ReportingPeriod]:
    """Every quarter and year that overlaps the run, clipped to it, in the order they close.

    A year closes on the same day as its last quarter; both are listed because a funder
    reports by year as well as by quarter, and they show the same figures.
    """
    periods = []
    for year in range(runs_from.year, runs_until.year + 1):
        for kind, quarter, start, end in _calendar_periods(year):
            if end < runs_from or start > runs_until:
                continue
            periods.append(
                ReportingPeriod(
                    closes_on=min(end, runs_until),
                    kind=kind,
                    starts_on=max(start, runs_from),
                    year=year,
                    quarter=quarter,
                )
            )
    return sorted(periods)


def closed_periods(
    *, runs_from: dt.date, runs_until: dt.date, today: dt.date
) -> list[ReportingPeriod]:
    """The periods that have ended before today: only their figures are final."""
    return [
        period
        for period in reporting_periods(runs_from=runs_from, runs_until=runs_until)
        if period.closes_on < today
    ]


def closing_days(periods: list[ReportingPeriod]) -> list[dt.date]:
    """The distinct days figures are read on, in order: each period's last day."""
    return sorted({period.closes_on for period in periods})


def period_by_key(periods: list[ReportingPeriod], key: str) -> ReportingPeriod | None:
    match = _KEY.match(key.strip())
    if match is None:
        return None
    year = int(match["year"])
    quarter = int(match["quarter"]) if match["quarter"] else None
    return next((p for p in periods if p.year == year and p.quarter == quarter), None)


def latest_closed_by(periods: list[ReportingPeriod], day: dt.date) -> ReportingPeriod | None:
    """The period that closed last on or before ``day``; a quarter before the year it ends."""
    candidates = [p for p in periods if p.closes_on <= day]
    if not candidates:
        return None
    last_day = max(p.closes_on for p in candidates)
    on_last_day = [p for p in candidates if p.closes_on == last_day]
    return next((p for p in on_last_day if p.kind == PeriodKind.QUARTER), on_last_day[0])
