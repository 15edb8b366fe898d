"""Usage evaluation and the council paper: how a programme's modules and offers were used.

Everything here is an aggregate: counts of persons (a duplicate registration folded into its
original, as in ``reports.selectors``), hours and money. Who may read it decides
``accounts.policy.reads_programme_evaluation``; the figures are exact, so only the owning
city's coordination reads them.

What the figures mean, for a period from S to E:

- *modules*: those in force on some day from S to E as the record stood on the day read
  (``programme_as_of``; a module revoked before it began never ran, one decided later is not
  there yet);
- *entries*: persons whose taking part began in the period (module: a participation from
  S to E; offer: an enrolment started from S to E);
- *active*: persons taking part on any day of the period;
- *places used / offered* (course runs overlapping the period): persons who started the run,
  and its places;
- *waiting*: persons on an offer's waiting list at the end of the period (asked by E, not
  started and not withdrawn by E), also for an offer that only starts later;
- *attendance rate*: hours attended ÷ hours scheduled, of the sessions in the period;
- *completions, dropouts*: enrolments completed or dropped in the period;
- *successes*: persons with a success (``SUCCESS_OUTCOME_TYPES``) in the period, achieved
  after they began in the module (offer);
- *spent*: the expenditures booked on the module's budget lines in the period; per
  participant (active) and per success, to the cent. Money is planned and booked per module,
  not per offer.

The number of queries does not depend on the number of modules or offers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from teilhabe.budgets.models import Expenditure, FundingNotice
from teilhabe.cases.models import (
    Attendance,
    Case,
    Enrolment,
    EnrolmentStatus,
    ModuleParticipation,
    Outcome,
)
from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES
from teilhabe.programmes.models import Decision, Module, Offer, Programme
from teilhabe.programmes.selectors import (
    ProgrammeNotDecided,
    ProgrammeState,
    programme_as_of,
)
from teilhabe.reports.selectors import ReachFigures, programme_reach

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def _money(value: object) -> Decimal:
    # SQLite sums decimals as floats; money is kept to the cent.
    if value is None:
        return ZERO.quantize(CENT)
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _hours(value: object) -> Decimal:
    if value is None:
        return ZERO.quantize(CENT)
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _per(amount: Decimal | None, count: int) -> Decimal | None:
    """An amount per head, to the cent; None ("–") where there is nothing to divide."""
    if amount is None or count <= 0:
        return None
    return (amount / count).quantize(CENT, rounding=ROUND_HALF_UP)


def _person(prefix: str = "") -> Coalesce:
    return Coalesce(
        F(f"{prefix}case__participant__duplicate_of_id"), F(f"{prefix}case__participant_id")
    )


def _waiting_at(end: dt.date) -> Q:
    """An enrolment on the waiting list at the end of ``end``: asked by then, neither started
    nor withdrawn by then."""
    return (
        Q(requested_on__lte=end)
        & (Q(started_on__isnull=True) | Q(started_on__gt=end))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))
    )


def _persons(condition: Q | None = None, prefix: str = "") -> Count:
    return Count(_person(prefix), distinct=True, filter=condition)


@dataclass(frozen=True)
class Usage:
    entries: int = 0
    active: int = 0
    places_used: int | None = None
    places_offered: int | None = None
    waiting: int = 0
    attended_hours: Decimal = ZERO
    scheduled_hours: Decimal = ZERO
    completions: int = 0
    dropouts: int = 0
    successes: int = 0
    # None for an offer: money is booked per module.
    spent: Decimal | None = None

    @property
    def attendance_rate(self) -> Decimal | None:
        """Per cent, one decimal; None when no session was scheduled."""
        if not self.scheduled_hours:
            return None
        rate = self.attended_hours * HUNDRED / self.scheduled_hours
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def cost_per_participant(self) -> Decimal | None:
        return _per(self.spent, self.active)

    @property
    def cost_per_success(self) -> Decimal | None:
        return _per(self.spent, self.successes)


@dataclass(frozen=True)
class OfferUsage:
    offer: Offer
    usage: Usage


@dataclass(frozen=True)
class ModuleUsage:
    module: Module
    usage: Usage
    offers: list[OfferUsage] = field(default_factory=list)


@dataclass(frozen=True)
class UsageEvaluation:
    programme: Programme
    period_start: dt.date
    period_end: dt.date
    modules: list[ModuleUsage]
    # The programme as a whole: each person once, however many modules they took part in.
    total: Usage = field(default_factory=Usage)

    @property
    def spent(self) -> Decimal:
        return sum((m.usage.spent or ZERO for m in self.modules), ZERO).quantize(CENT)


def first_year(programme: Programme) -> tuple[dt.date, dt.date]:
    """The programme's first year: from its start to the day before the same date a year on."""
    start = programme.starts_on
    try:
        next_year = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        next_year = start.replace(year=start.year + 1, day=28) + dt.timedelta(days=1)
    return start, next_year - dt.timedelta(days=1)


def modules_in_force_during(
    programme: Programme, start: dt.date, end: dt.date, *, known_on: dt.date | None = None
) -> list[Module]:
    """The modules that ran on some day from start to end, as the record stood on ``known_on``
    (default today): read on the period's last day, so a module added, ended or revoked
    within the period counts with its days in it, and one revoked before it began never ran."""
    try:
        state = programme_as_of(programme=programme, as_of=end, known_on=known_on)
    except ProgrammeNotDecided:
        return []
    return [m.module for m in state.modules if m.valid_from <= end and m.valid_until >= start]


def usage_evaluation(
    programme: Programme,
    period_start: dt.date,
    period_end: dt.date,
    *,
    known_on: dt.date | None = None,
) -> UsageEvaluation:
    """Per module in force during the period (as known on ``known_on``, default today) and
    per offer: how they were used from start to end."""
    start, end = period_start, period_end
    modules = modules_in_force_during(programme, start, end, known_on=known_on)
    module_ids = [m.pk for m in modules]
    # Every offer that has not ended before the period: those that run in it, and later ones
    # people were already waiting for at its end (shown only then).
    offers = list(
        Offer.objects.filter(module_id__in=module_ids)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .select_related("provider")
        .order_by("module__code", "starts_on", "title", "pk")
    )
    offer_ids = [o.pk for o in offers]

    started = Q(started_on__isnull=False, started_on__lte=end)
    enrolment_counts = {
        "entries": _persons(Q(started_on__gte=start, started_on__lte=end)),
        "active": _persons(started & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))),
        "places_used": _persons(started),
        "waiting": _persons(_waiting_at(end)),
        "completions": _persons(
            Q(status=EnrolmentStatus.COMPLETED, ended_on__gte=start, ended_on__lte=end)
        ),
        "dropouts": _persons(
            Q(status=EnrolmentStatus.DROPPED, ended_on__gte=start, ended_on__lte=end)
        ),
    }
    by_offer: dict[int, dict[str, Any]] = {
        row["offer_id"]: dict(row)
        for row in Enrolment.objects.filter(offer_id__in=offer_ids)
        .order_by()
        .values("offer_id")
        .annotate(**enrolment_counts)
    }
    by_module_enrolments: dict[int, dict[str, Any]] = {
        row["offer__module_id"]: dict(row)
        for row in Enrolment.objects.filter(offer_id__in=offer_ids)
        .order_by()
        .values("offer__module_id")
        .annotate(**enrolment_counts)
    }
    hours: dict[int, dict[str, Any]] = {
        row["enrolment__offer_id"]: dict(row)
        for row in Attendance.objects.filter(
            enrolment__offer_id__in=offer_ids, session_date__gte=start, session_date__lte=end
        )
        .order_by()
        .values("enrolment__offer_id")
        .annotate(
            scheduled=Sum("hours"),
            attended=Sum("hours", filter=Q(status=Attendance.Status.PRESENT)),
        )
    }
    # One filter() call: every condition speaks of the same outcome.
    success = Q(
        case__outcomes__outcome_type__in=SUCCESS_OUTCOME_TYPES,
        case__outcomes__achieved_on__gte=start,
        case__outcomes__achieved_on__lte=end,
    )
    offer_successes = dict(
        Enrolment.objects.filter(
            success & Q(case__outcomes__achieved_on__gte=F("started_on")),
            offer_id__in=offer_ids,
            started_on__isnull=False,
        )
        .order_by()
        .values("offer_id")
        .annotate(n=_persons())
        .values_list("offer_id", "n")
    )
    participations: dict[int, dict[str, Any]] = {
        row["module_id"]: dict(row)
        for row in ModuleParticipation.objects.filter(module_id__in=module_ids, from_date__lte=end)
        .order_by()
        .values("module_id")
        .annotate(
            entries=_persons(Q(from_date__gte=start)),
            active=_persons(Q(to_date__isnull=True) | Q(to_date__gte=start)),
        )
    }
    module_successes = dict(
        ModuleParticipation.objects.filter(
            success & Q(case__outcomes__achieved_on__gte=F("from_date")),
            module_id__in=module_ids,
        )
        .order_by()
        .values("module_id")
        .annotate(n=_persons())
        .values_list("module_id", "n")
    )
    spent = {
        module_id: _money(total)
        for module_id, total in Expenditure.objects.filter(
            budget_line__module_id__in=module_ids, spent_on__gte=start, spent_on__lte=end
        )
        .order_by()
        .values("budget_line__module_id")
        .annotate(total=Sum("amount"))
        .values_list("budget_line__module_id", "total")
    }

    offers_by_module: dict[int, list[OfferUsage]] = defaultdict(list)
    for offer in offers:
        row = by_offer.get(offer.pk, {})
        runs_in_period = offer.starts_on <= end
        if not runs_in_period and not row.get("waiting"):
            continue
        hour_row = hours.get(offer.pk, {})
        course_run = offer.kind == Offer.Kind.COURSE_RUN and runs_in_period
        offers_by_module[offer.module_id].append(
            OfferUsage(
                offer=offer,
                usage=Usage(
                    entries=row.get("entries", 0),
                    active=row.get("active", 0),
                    places_used=row.get("places_used", 0) if course_run else None,
                    places_offered=offer.places if course_run else None,
                    waiting=row.get("waiting", 0),
                    attended_hours=_hours(hour_row.get("attended")),
                    scheduled_hours=_hours(hour_row.get("scheduled")),
                    completions=row.get("completions", 0),
                    dropouts=row.get("dropouts", 0),
                    successes=offer_successes.get(offer.pk, 0),
                ),
            )
        )

    result = []
    for module in modules:
        own = offers_by_module.get(module.pk, [])
        runs = [o.usage for o in own if o.usage.places_offered is not None]
        enrolled = by_module_enrolments.get(module.pk, {})
        taking_part = participations.get(module.pk, {})
        result.append(
            ModuleUsage(
                module=module,
                offers=own,
                usage=Usage(
                    entries=taking_part.get("entries", 0),
                    active=taking_part.get("active", 0),
                    places_used=sum(u.places_used or 0 for u in runs) if runs else None,
                    places_offered=sum(u.places_offered or 0 for u in runs) if runs else None,
                    waiting=enrolled.get("waiting", 0),
                    attended_hours=_hours(sum((o.usage.attended_hours for o in own), ZERO)),
                    scheduled_hours=_hours(sum((o.usage.scheduled_hours for o in own), ZERO)),
                    completions=enrolled.get("completions", 0),
                    dropouts=enrolled.get("dropouts", 0),
                    successes=module_successes.get(module.pk, 0),
                    spent=spent.get(module.pk, ZERO.quantize(CENT)),
                ),
            )
        )
    return UsageEvaluation(
        programme=programme,
        period_start=start,
        period_end=end,
        modules=result,
        total=_programme_total(programme, start, end, offer_ids=offer_ids, modules=result),
    )


def _programme_total(
    programme: Programme,
    start: dt.date,
    end: dt.date,
    *,
    offer_ids: list[int],
    modules: list[ModuleUsage],
) -> Usage:
    """The programme's row: persons by their cases (entered, open in the period, succeeded),
    counted once across modules and offers; hours, places and money add up."""
    person = Coalesce(F("participant__duplicate_of_id"), F("participant_id"))
    cases = Case.objects.filter(programme=programme, entry_date__lte=end).aggregate(
        entries=Count(person, distinct=True, filter=Q(entry_date__gte=start)),
        active=Count(
            person, distinct=True, filter=Q(exit_date__isnull=True) | Q(exit_date__gte=start)
        ),
    )
    successes = Outcome.objects.filter(
        case__programme=programme,
        outcome_type__in=SUCCESS_OUTCOME_TYPES,
        achieved_on__gte=start,
        achieved_on__lte=end,
    ).aggregate(
        n=Count(
            Coalesce(F("case__participant__duplicate_of_id"), F("case__participant_id")),
            distinct=True,
        )
    )
    enrolled = Enrolment.objects.filter(offer_id__in=offer_ids).aggregate(
        waiting=_persons(_waiting_at(end)),
        completions=_persons(
            Q(status=EnrolmentStatus.COMPLETED, ended_on__gte=start, ended_on__lte=end)
        ),
        dropouts=_persons(
            Q(status=EnrolmentStatus.DROPPED, ended_on__gte=start, ended_on__lte=end)
        ),
    )
    runs = [m.usage for m in modules if m.usage.places_offered is not None]
    return Usage(
        entries=cases["entries"],
        active=cases["active"],
        places_used=sum(u.places_used or 0 for u in runs) if runs else None,
        places_offered=sum(u.places_offered or 0 for u in runs) if runs else None,
        waiting=enrolled["waiting"],
        attended_hours=_hours(sum((m.usage.attended_hours for m in modules), ZERO)),
        scheduled_hours=_hours(sum((m.usage.scheduled_hours for m in modules), ZERO)),
        completions=enrolled["completions"],
        dropouts=enrolled["dropouts"],
        successes=successes["n"],
        spent=sum((m.usage.spent or ZERO for m in modules), ZERO).quantize(CENT),
    )


# --- The council paper ---------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleAmounts:
    module: Module
    before: Decimal | None
    after: Decimal

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None else self.after - self.before


@dataclass(frozen=True)
class YearAmounts:
    budget_year: int
    before: Decimal | None
    after: Decimal


@dataclass(frozen=True)
class CouncilPaper:
    programme: Programme
    as_of: dt.date
    notices: list[FundingNotice]
    total_volume: Decimal
    own_share: Decimal
    # Per budget year, what was planned in force (lines plus moves) before and on the day.
    per_year: list[YearAmounts]
    modules: list[ModuleAmounts]
    # The latest decision in force on the day; "before" is the day before it was taken.
    latest_decision: Decision | None
    before_day: dt.date | None
    reach: ReachFigures
    not_decided: bool = False

    @property
    def own_share_percent(self) -> Decimal | None:
        if not self.total_volume:
            return None
        return (self.own_share * HUNDRED / self.total_volume).quantize(CENT, rounding=ROUND_HALF_UP)


def _module_totals(state: ProgrammeState) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for budget in state.budgets:
        totals[budget.module.pk] += budget.in_force
    return totals


def council_paper(programme: Programme, *, as_of: dt.date) -> CouncilPaper:
    """The figures a council paper on ``as_of`` shows, as the record knew them on that day."""
    notices = list(
        programme.funding_notices.filter(issued_on__lte=as_of)
        .select_related("funder")
        .order_by("issued_on")
    )
    total = sum((n.total_amount for n in notices), ZERO).quantize(CENT)
    own = sum((n.own_share for n in notices), ZERO).quantize(CENT)
    reach = programme_reach(programme=programme, as_of=as_of)
    try:
        after = programme_as_of(programme=programme, as_of=as_of, known_on=as_of)
    except ProgrammeNotDecided:
        return CouncilPaper(
            programme=programme,
            as_of=as_of,
            notices=notices,
            total_volume=total,
            own_share=own,
            per_year=[],
            modules=[],
            latest_decision=None,
            before_day=None,
            reach=reach,
            not_decided=True,
        )
    latest = max(after.decisions, key=lambda d: (d.decided_on, d.sequence or 0), default=None)
    before: ProgrammeState | None = None
    before_day = None
    if latest is not None:
        before_day = latest.decided_on - dt.timedelta(days=1)
        try:
            before = programme_as_of(programme=programme, as_of=before_day, known_on=as_of)
        except ProgrammeNotDecided:
            before = None
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for budget in after.budgets:
        per_year[budget.budget_year] += budget.in_force
    per_year_before: dict[int, Decimal] = defaultdict(Decimal)
    for budget in before.budgets if before is not None else []:
        per_year_before[budget.budget_year] += budget.in_force
    after_totals = _module_totals(after)
    before_totals = _module_totals(before) if before is not None else {}
    modules = {m.module.pk: m.module for m in after.modules}
    if before is not None:
        for state in before.modules:
            modules.setdefault(state.module.pk, state.module)
    return CouncilPaper(
        programme=programme,
        as_of=as_of,
        notices=notices,
        total_volume=total,
        own_share=own,
        per_year=[
            YearAmounts(
                budget_year=year,
                before=(
                    per_year_before.get(year, ZERO).quantize(CENT) if before is not None else None
                ),
                after=per_year.get(year, ZERO).quantize(CENT),
            )
            for year in sorted(set(per_year) | set(per_year_before))
        ],
        modules=[
            ModuleAmounts(
                module=module,
                before=(
                    before_totals.get(module.pk, ZERO).quantize(CENT)
                    if before is not None
                    else None
                ),
                after=after_totals.get(module.pk, ZERO).quantize(CENT),
            )
            for module in sorted(modules.values(), key=lambda m: m.code)
        ],
        latest_decision=latest,
        before_day=before_day,
        reach=reach,
    )
