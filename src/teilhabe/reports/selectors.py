"""Reach and success figures: how many people a programme reached and how many succeeded.

A person who registered twice (a ``Participant`` whose ``duplicate_of`` points to the
original) is one person: every count folds the duplicate into its original. The figures are
aggregates computed in the database; they carry no personal data, so reading them is not
audited and needs no scoping to a user beyond who may see which programme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce

from teilhabe.cases.models import Case, Outcome
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES
from teilhabe.programmes.models import Programme

# Counts from 1 to 4 leave the city only as "fewer than 5": with so few people, a figure
# together with what else is known can point to a person. Zero says nothing about anyone.
SMALL_NUMBER_LIMIT = 5


def suppress_small(count: int) -> int | None:
    """The count as it may be published outside the city; None stands for "fewer than 5"."""
    return None if 0 < count < SMALL_NUMBER_LIMIT else count


@dataclass(frozen=True)
class ReachFigures:
    as_of: dt.date
    persons_reached: int | None
    persons_with_success: int | None

    def for_publication(self) -> ReachFigures:
        """The figures with small numbers suppressed, for funders and anything sent out."""
        return ReachFigures(
            as_of=self.as_of,
            persons_reached=None
            if self.persons_reached is None
            else suppress_small(self.persons_reached),
            persons_with_success=(
                None
                if self.persons_with_success is None
                else suppress_small(self.persons_with_success)
            ),
        )


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
