"""Reach and success figures: how many people a programme reached and how many succeeded.

A person who registered twice (a ``Participant`` whose ``duplicate_of`` points to the
original) is one person: every count folds the duplicate into its original. The figures are
aggregates computed in the database; they carry no personal data, so reading them is not
audited and needs no scoping to a user beyond who may see which programme.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, F, Min, QuerySet
from django.db.models.functions import Coalesce

from teilhabe.cases.models import Case, Outcome
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES
from teilhabe.programmes.models import Programme
from teilhabe.reports.disclosure import SMALL_NUMBER_LIMIT as SMALL_NUMBER_LIMIT
from teilhabe.reports.disclosure import Figures


@dataclass(frozen=True)
class ReachFigures:
    """Exact figures, for those the access policy lets read them (see core.selectors)."""

    as_of: dt.date
    persons_reached: int
    persons_with_success: int


@dataclass(frozen=True)
class MunicipalityReach:
    municipality_id: int
    municipality_name: str
    as_of: dt.date
    persons_reached: int
    persons_with_success: int


def _person(prefix: str = "") -> Coalesce:
    """The id a person is counted under: the original participant of a duplicate."""
    return Coalesce(F(f"{prefix}participant__duplicate_of_id"), F(f"{prefix}participant_id"))


def _reached_cases(*, as_of: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(entry_date__lte=as_of)


def _successes(*, as_of: dt.date) -> QuerySet[Outcome]:
    return Outcome.objects.filter(outcome_type__in=SUCCESS_OUTCOME_TYPES, achieved_on__lte=as_of)


def programme_reach(*, programme: Programme, as_of: dt.date) -> ReachFigures:
    """Distinct persons with a case entered by ``as_of``, and those with a success by then."""
    reached = (
        _reached_cases(as_of=as_of)
        .filter(programme=programme)
        .aggregate(n=Count(_person(), distinct=True))["n"]
    )
    succeeded = (
        _successes(as_of=as_of)
        .filter(case__programme=programme)
        .aggregate(n=Count(_person("case__"), distinct=True))["n"]
    )
    return ReachFigures(as_of=as_of, persons_reached=reached, persons_with_success=succeeded)


def provider_reach(*, programme: Programme, provider_id: int, as_of: dt.date) -> ReachFigures:
    """The figures of the cases one provider leads in the programme: its own files."""
    reached = (
        _reached_cases(as_of=as_of)
        .filter(programme=programme, lead_provider_id=provider_id)
        .aggregate(n=Count(_person(), distinct=True))["n"]
    )
    succeeded = (
        _successes(as_of=as_of)
        .filter(case__programme=programme, case__lead_provider_id=provider_id)
        .aggregate(n=Count(_person("case__"), distinct=True))["n"]
    )
    return ReachFigures(as_of=as_of, persons_reached=reached, persons_with_success=succeeded)


def reach_by_municipality(
    *, as_of: dt.date, programmes: QuerySet[Programme] | None = None
) -> list[MunicipalityReach]:
    """The same figures per municipality that owns the programmes, for the funder.

    A person counts once per municipality even with cases in several of its programmes.
    ``programmes`` narrows the count (e.g. to the programmes a funder funds).
    """
    cases = _reached_cases(as_of=as_of)
    outcomes = _successes(as_of=as_of)
    if programmes is not None:
        cases = cases.filter(programme__in=programmes)
        outcomes = outcomes.filter(case__programme__in=programmes)
    owner = ("programme__owner_id", "programme__owner__name")
    reached = {
        (pk, name): n
        for pk, name, n in cases.order_by()
        .values_list(*owner)
        .annotate(n=Count(_person(), distinct=True))
        .values_list(*owner, "n")
    }
    succeeded = {
        (pk, name): n
        for pk, name, n in outcomes.order_by()
        .values_list(*(f"case__{o}" for o in owner))
        .annotate(n=Count(_person("case__"), distinct=True))
        .values_list(*(f"case__{o}" for o in owner), "n")
    }
    return sorted(
        (
            MunicipalityReach(
                municipality_id=pk,
                municipality_name=name,
                as_of=as_of,
                persons_reached=reached.get((pk, name), 0),
                persons_with_success=succeeded.get((pk, name), 0),
            )
            for pk, name in set(reached) | set(succeeded)
        ),
        key=lambda r: r.municipality_name,
    )


def _first_days(rows: Sequence[tuple[int, int, dt.date]]) -> dict[int, list[dt.date]]:
    firsts: dict[int, list[dt.date]] = defaultdict(list)
    for group, _person_id, first in rows:
        firsts[group].append(first)
    for days in firsts.values():
        days.sort()
    return firsts


def reach_series(
    *,
    programmes: QuerySet[Programme],
    closing_days: Sequence[dt.date],
    by: Literal["municipality", "programme"],
) -> dict[int, list[Figures]]:
    """Persons reached and with a success by each closing day, per municipality or programme.

    Two queries whatever the number of days: each person's first entry (and first success)
    per group, counted up to each day here. Keys are the ids of the municipalities (or
    programmes) that have any case; the others have no row.
    """
    if not closing_days:
        return {}
    last = max(closing_days)
    group = "programme__owner_id" if by == "municipality" else "programme_id"
    entries = _first_days(
        Case.objects.filter(programme__in=programmes, entry_date__lte=last)
        .annotate(person=_person())
        .order_by()
        .values(group, "person")
        .annotate(first=Min("entry_date"))
        .values_list(group, "person", "first")
    )
    successes = _first_days(
        _successes(as_of=last)
        .filter(case__programme__in=programmes)
        .annotate(person=_person("case__"))
        .order_by()
        .values(f"case__{group}", "person")
        .annotate(first=Min("achieved_on"))
        .values_list(f"case__{group}", "person", "first")
    )
    return {
        key: [
            Figures(
                reached=bisect_right(entries.get(key, []), day),
                successes=bisect_right(successes.get(key, []), day),
            )
            for day in sorted(closing_days)
        ]
        for key in set(entries) | set(successes)
    }
