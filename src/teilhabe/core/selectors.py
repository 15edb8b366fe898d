"""What the start page shows: who the user is and the programmes they work in, as of a day.

Programme set-up is not personal data (see ``programmes.selectors``); which programmes a
user sees follows from their memberships. The only figures about people are aggregates
that come from ``reports``: exact for any day where the access policy says so
(``sees_exact_figures_of``), otherwise only as published at the end of the last reporting
period that closed by that day (docs/decisions/0005-published-figures.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise

from teilhabe.accounts.models import Membership, Organisation, Role, User
from teilhabe.accounts.policy import (
    PROVIDER_STAFF_ROLES,
    active_memberships,
    sees_exact_figures_of,
)
from teilhabe.core.codes import ResidenceType
from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import (
    ModuleBudget,
    ModuleState,
    ProgrammeNotDecided,
    ProgrammeState,
    programme_as_of,
    programmes_for_organisation,
)
from teilhabe.reports.disclosure import Cell, Figures, PublishedFigures, publish_series
from teilhabe.reports.periods import (
    ReportingPeriod,
    closed_periods,
    closing_days,
    latest_closed_by,
)
from teilhabe.reports.selectors import programme_reach, provider_reach, reach_series


@dataclass(frozen=True)
class MembershipSummary:
    organisation: Organisation
    role: str
    role_label: str
    # Only for funders: the municipalities whose programmes the funder pays for.
    funded_municipalities: tuple[str, ...] = ()

    @property
    def audience(self) -> str:
        """Which lead sentence the start page shows: staff, coordination, funder or audit."""
        if self.role in PROVIDER_STAFF_ROLES:
            return "staff"
        if self.role == Role.COORDINATOR:
            return "coordination"
        if self.role == Role.FUNDER:
            return "funder"
        return "audit"


@dataclass(frozen=True)
class ModuleRow:
    state: ModuleState
    as_of: dt.date

    @property
    def has_started(self) -> bool:
        return self.as_of >= self.state.valid_from

    @property
    def is_running(self) -> bool:
        return self.state.is_running_on(self.as_of)


@dataclass(frozen=True)
class BudgetTotals:
    planned: Decimal
    moved_in: Decimal
    moved_out: Decimal
    in_force: Decimal


@dataclass(frozen=True)
class ReachCells:
    """Persons reached and with a success, as the user may see them for a programme.

    Exact figures count up to the day the page is read as of; published ones up to the end
    of ``period``, the last reporting period closed by then (None: none has closed yet).
    """

    reached: Cell
    successes: Cell
    exact: bool
    period: ReportingPeriod | None = None


@dataclass(frozen=True)
class ProviderReach:
    """A provider's own cases in a programme, exact: its staff hold these files anyway."""

    provider: Organisation
    reached: int
    successes: int


@dataclass(frozen=True)
class ProgrammeOverview:
    state: ProgrammeState
    modules: list[ModuleRow]
    main_group_labels: list[str | Promise]
    special_case_labels: list[str | Promise]
    budget_year: int
    budgets: list[ModuleBudget]
    budget_totals: BudgetTotals
    # None where the user sees the programme only as a funder: its figures are in the table.
    reach: ReachCells | None
    own_providers: list[ProviderReach]

    @property
    def programme(self) -> Programme:
        return self.state.programme


@dataclass(frozen=True)
class MunicipalityFigures:
    name: str
    figures: PublishedFigures


@dataclass(frozen=True)
class FunderFigures:
    """What a funder reads: per municipality it funds, and in total, at a period's end."""

    funder: Organisation
    period: ReportingPeriod
    rows: list[MunicipalityFigures]
    total: PublishedFigures


@dataclass(frozen=True)
class StartPage:
    user: User
    as_of: dt.date
    memberships: list[MembershipSummary]
    programmes: list[ProgrammeOverview]
    funder_figures: list[FunderFigures] = field(default_factory=list)
    # Programmes the user works in that had not been set up by the day the page is read as of.
    not_yet_decided: list[Programme] = field(default_factory=list)

    @property
    def has_memberships(self) -> bool:
        return bool(self.memberships)


def _residence_labels(codes: list[str]) -> list[str | Promise]:
    # An unknown code is shown as it is rather than hidden: the rule still contains it.
    return [ResidenceType(code).label if code in ResidenceType.values else code for code in codes]


def _state(*, user: User, programme: Programme, as_of: dt.date) -> ProgrammeState:
    """The programme as of a day, read once per request: the page needs it as of the day
    shown and as of today (for the end in force, which bounds the reporting periods)."""
    cache: dict[tuple[int, dt.date], ProgrammeState] | None = getattr(
        user, "_programme_states", None
    )
    if cache is None:
        cache = {}
        user._programme_states = cache  # type: ignore[attr-defined]
    key = (programme.pk, as_of)
    if key not in cache:
        cache[key] = programme_as_of(programme=programme, as_of=as_of)
    return cache[key]


def _published_reach(
    *, user: User, programme: Programme, as_of: dt.date, today: dt.date
) -> ReachCells:
    """The programme's figures as published at the end of the last period closed by as_of.

    The whole series from the programme's start is published, so that the figures of a
    period are the same whichever period is asked for (see ``reports.disclosure``).
    """
    runs_until = _state(user=user, programme=programme, as_of=today).ends_on
    periods = closed_periods(runs_from=programme.starts_on, runs_until=runs_until, today=today)
    period = latest_closed_by(periods, as_of)
    if period is None:
        no_figures = Cell(value=None)
        return ReachCells(reached=no_figures, successes=no_figures, exact=False)
    days = [day for day in closing_days(periods) if day <= period.closes_on]
    series = reach_series(
        programmes=Programme.objects.filter(pk=programme.pk), closing_days=days, by="programme"
    )
    empty = [Figures(reached=0, successes=0)] * len(days)
    published = publish_series({programme.pk: series.get(programme.pk, empty)})[-1]
    row = published.rows[programme.pk]
    return ReachCells(reached=row.reached, successes=row.successes, exact=False, period=period)


def _overview(
    *,
    user: User,
    programme: Programme,
    as_of: dt.date,
    today: dt.date,
    as_funder_only: bool,
    providers: list[Organisation],
) -> ProgrammeOverview:
    state = _state(user=user, programme=programme, as_of=as_of)
    rule = state.eligibility_rule
    budgets = [b for b in state.budgets if b.budget_year == as_of.year]
    zero = Decimal("0")
    reach: ReachCells | None = None
    if as_funder_only:
        reach = None
    elif sees_exact_figures_of(user, programme.owner):
        exact = programme_reach(programme=programme, as_of=as_of)
        reach = ReachCells(
            reached=Cell.exact(exact.persons_reached),
            successes=Cell.exact(exact.persons_with_success),
            exact=True,
        )
    else:
        reach = _published_reach(user=user, programme=programme, as_of=as_of, today=today)
    own = []
    for provider in providers:
        if provider.municipality_id == programme.owner_id:
            figures = provider_reach(programme=programme, provider_id=provider.pk, as_of=as_of)
            own.append(
                ProviderReach(
                    provider=provider,
                    reached=figures.persons_reached,
                    successes=figures.persons_with_success,
                )
            )
    if own and reach is not None and not reach.exact:
        # The city-wide published figure less the provider's own exact one would give the
        # other providers' count, small or not: staff who see their own see only their own.
        reach = None
    return ProgrammeOverview(
        state=state,
        modules=[ModuleRow(state=module, as_of=as_of) for module in state.modules],
        main_group_labels=_residence_labels(rule.main_group_statuses) if rule else [],
        special_case_labels=_residence_labels(rule.special_case_statuses) if rule else [],
        budget_year=as_of.year,
        budgets=budgets,
        budget_totals=BudgetTotals(
            planned=sum((b.planned for b in budgets), zero),
            moved_in=sum((b.moved_in for b in budgets), zero),
            moved_out=sum((b.moved_out for b in budgets), zero),
            in_force=sum((b.in_force for b in budgets), zero),
        ),
        reach=reach,
        own_providers=own,
    )


def memberships_for(*, user: User) -> list[Membership]:
    """The user's active memberships, as the access policy knows them, in reading order."""
    return sorted(
        active_memberships(user), key=lambda m: (m.organisation.name, m.get_role_display())
    )


def _funded_programmes(funder: Organisation) -> list[Programme]:
    return list(programmes_for_organisation(organisation=funder).select_related("owner"))


def _funder_periods(
    *, user: User, programmes: list[Programme], today: dt.date
) -> list[ReportingPeriod]:
    """The closed periods over the run of every programme the funder pays for."""
    if not programmes:
        return []
    ends = [_state(user=user, programme=p, as_of=today).ends_on for p in programmes]
    return closed_periods(
        runs_from=min(p.starts_on for p in programmes), runs_until=max(ends), today=today
    )


def reading_periods_only(*, user: User) -> bool:
    """Whether the user reads figures only by reporting period: a funder and nothing else."""
    memberships = memberships_for(user=user)
    return bool(memberships) and all(m.role == Role.FUNDER for m in memberships)


def reporting_periods_for(*, user: User, today: dt.date) -> list[ReportingPeriod]:
    """The closed periods a funder can choose from, oldest first."""
    periods: set[ReportingPeriod] = set()
    for membership in memberships_for(user=user):
        if membership.role == Role.FUNDER:
            funded = _funded_programmes(membership.organisation)
            periods.update(_funder_periods(user=user, programmes=funded, today=today))
    return sorted(periods)


def _funder_figures(
    *,
    user: User,
    funder: Organisation,
    programmes: list[Programme],
    as_of: dt.date,
    today: dt.date,
) -> FunderFigures | None:
    periods = _funder_periods(user=user, programmes=programmes, today=today)
    period = latest_closed_by(periods, as_of)
    if period is None:
        return None
    days = [day for day in closing_days(periods) if day <= period.closes_on]
    series = reach_series(
        programmes=Programme.objects.filter(pk__in=[p.pk for p in programmes]),
        closing_days=days,
        by="municipality",
    )
    names = {p.owner_id: p.owner.name for p in programmes}
    empty = [Figures(reached=0, successes=0)] * len(days)
    table = publish_series(
        {pk: series.get(pk, empty) for pk in sorted(names, key=names.__getitem__)},
        with_total=True,
    )[-1]
    assert table.total is not None
    return FunderFigures(
        funder=funder,
        period=period,
        rows=[MunicipalityFigures(name=names[pk], figures=row) for pk, row in table.rows.items()],
        total=table.total,
    )


def start_page_for(*, user: User, as_of: dt.date, today: dt.date) -> StartPage:
    """The start page as of a day; ``today`` decides which reporting periods have closed."""
    memberships = memberships_for(user=user)
    programmes: dict[int, Programme] = {}
    # Programmes the user sees through a membership other than a funder's: their figures
    # are shown on the programme; a funder's are in the table per municipality instead.
    seen_not_as_funder: set[int] = set()
    summaries = []
    funder_figures = []
    for membership in memberships:
        visible = list(
            programmes_for_organisation(organisation=membership.organisation).select_related(
                "owner"
            )
        )
        for programme in visible:
            programmes.setdefault(programme.pk, programme)
            if membership.role != Role.FUNDER:
                seen_not_as_funder.add(programme.pk)
        funded: tuple[str, ...] = ()
        if membership.role == Role.FUNDER:
            funded = tuple(sorted({programme.owner.name for programme in visible}))
            figures = _funder_figures(
                user=user,
                funder=membership.organisation,
                programmes=visible,
                as_of=as_of,
                today=today,
            )
            if figures is not None:
                funder_figures.append(figures)
        summaries.append(
            MembershipSummary(
                organisation=membership.organisation,
                role=membership.role,
                role_label=membership.get_role_display(),
                funded_municipalities=funded,
            )
        )
    # Providers whose own figures the user reads exactly (a municipality has no municipality
    # of its own, so only providers can match a programme's owner below).
    providers = list(
        {
            m.organisation_id: m.organisation
            for m in memberships
            if m.organisation.municipality_id and sees_exact_figures_of(user, m.organisation)
        }.values()
    )
    overviews = []
    not_yet_decided = []
    for programme in sorted(programmes.values(), key=lambda p: (p.starts_on, p.name, p.pk)):
        try:
            overviews.append(
                _overview(
                    user=user,
                    programme=programme,
                    as_of=as_of,
                    today=today,
                    as_funder_only=programme.pk not in seen_not_as_funder,
                    providers=providers,
                )
            )
        except ProgrammeNotDecided:
            not_yet_decided.append(programme)
    return StartPage(
        user=user,
        as_of=as_of,
        memberships=summaries,
        programmes=overviews,
        funder_figures=funder_figures,
        not_yet_decided=not_yet_decided,
    )
