"""What the start page shows: who the user is and the programmes they work in, as of a day.

Programme set-up is not personal data (see ``programmes.selectors``); which programmes a
user sees follows from their memberships. The only figures about people are aggregates
that come from ``reports``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from teilhabe.accounts.models import Membership, Organisation, Role, User
from teilhabe.accounts.policy import PROVIDER_STAFF_ROLES, active_memberships
from teilhabe.core.codes import ResidenceType
from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import (
    ModuleBudget,
    ModuleState,
    ProgrammeState,
    programme_as_of,
    programmes_for_organisation,
)
from teilhabe.reports.selectors import ReachFigures, programme_reach

# The days the start page can be read as of: the range of budget years a BudgetLine accepts.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)


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
class ProgrammeOverview:
    state: ProgrammeState
    modules: list[ModuleRow]
    main_group_labels: list[str | Promise]
    special_case_labels: list[str | Promise]
    budget_year: int
    budgets: list[ModuleBudget]
    budget_totals: BudgetTotals
    reach: ReachFigures

    @property
    def programme(self) -> Programme:
        return self.state.programme


@dataclass(frozen=True)
class StartPage:
    user: User
    as_of: dt.date
    memberships: list[MembershipSummary]
    programmes: list[ProgrammeOverview]

    @property
    def has_memberships(self) -> bool:
        return bool(self.memberships)


def _residence_labels(codes: list[str]) -> list[str | Promise]:
    # An unknown code is shown as it is rather than hidden: the rule still contains it.
    return [ResidenceType(code).label if code in ResidenceType.values else code for code in codes]


def _overview(*, programme: Programme, as_of: dt.date, published: bool) -> ProgrammeOverview:
    state = programme_as_of(programme=programme, as_of=as_of)
    rule = state.eligibility_rule
    budgets = [b for b in state.budgets if b.budget_year == as_of.year]
    zero = Decimal("0")
    reach = programme_reach(programme=programme, as_of=as_of)
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
        reach=reach.for_publication() if published else reach,
    )


def memberships_for(*, user: User) -> list[Membership]:
    """The user's active memberships, as the access policy knows them, in reading order."""
    return sorted(
        active_memberships(user), key=lambda m: (m.organisation.name, m.get_role_display())
    )


def start_page_for(*, user: User, as_of: dt.date) -> StartPage:
    memberships = memberships_for(user=user)
    programmes: dict[int, Programme] = {}
    # Municipalities whose own figures the user sees unsuppressed: they work there or for one
    # of its providers. A funder only gets what may leave the city.
    home_municipality_ids = {
        m.organisation.municipality_id or m.organisation.pk
        for m in memberships
        if m.organisation.kind != Organisation.Kind.FUNDER
    }
    summaries = []
    for membership in memberships:
        visible = list(
            programmes_for_organisation(organisation=membership.organisation).select_related(
                "owner"
            )
        )
        for programme in visible:
            programmes.setdefault(programme.pk, programme)
        funded: tuple[str, ...] = ()
        if membership.role == Role.FUNDER:
            funded = tuple(sorted({programme.owner.name for programme in visible}))
        summaries.append(
            MembershipSummary(
                organisation=membership.organisation,
                role=membership.role,
                role_label=membership.get_role_display(),
                funded_municipalities=funded,
            )
        )
    ordered = sorted(programmes.values(), key=lambda p: (p.starts_on, p.name, p.pk))
    return StartPage(
        user=user,
        as_of=as_of,
        memberships=summaries,
        programmes=[
            _overview(
                programme=programme,
                as_of=as_of,
                published=programme.owner_id not in home_municipality_ids,
            )
            for programme in ordered
        ],
    )
