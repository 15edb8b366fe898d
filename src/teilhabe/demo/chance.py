"""Random draws that keep a seeded run repeatable: weighted choices, days, birth dates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

DAY = dt.timedelta(days=1)


def weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def birth_date_for_age(rng: random.Random, *, age: int, on: dt.date) -> dt.date:
    """A date of birth at which a person is exactly ``age`` years old on ``on``."""
    latest = years_before(on, age)
    earliest = years_before(on, age + 1) + DAY
    return random_day(rng, earliest, latest)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
