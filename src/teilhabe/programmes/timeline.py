"""What the programme pages show: a programme read as of a day (as known on another), its key
dates, and the geometry of its timeline chart.

Built on ``selectors.programme_as_of``; it adds nothing to how a programme is read, only what
the pages need around it. A programme names no person, so these reads are not scoped to a
user: who may open the pages is ``accounts.policy.may_read_programme``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.accounts.models import Organisation
from teilhabe.core.codes import ResidenceType
from teilhabe.programmes.models import (
    RECORDED_STATUSES,
    Amendment,
    AmendmentKind,
    Decision,
    EligibilityRule,
    Module,
    Offer,
    Programme,
)
from teilhabe.programmes.selectors import (
    ContractState,
    ModuleBudget,
    ModuleState,
    ProgrammeNotDecided,
    ProgrammeState,
    known_decisions,
    offers_in_force,
    programme_as_of,
)
from teilhabe.reports.periods import closing_days, reporting_periods

ONE_DAY = dt.timedelta(days=1)


def _labels(codes: list[str]) -> list[str | Promise]:
    return [ResidenceType(c).label if c in ResidenceType.values else c for c in codes]


def final_reading(*, programme: Programme, known_on: dt.date) -> ProgrammeState | None:
    """The programme read on its last day, as known on ``known_on``: every module with the
    end in force then. An extension that takes effect late moves the last day; read again."""
    day = programme.ends_on
    state = None
    for _attempt in range(10):
        try:
            state = programme_as_of(programme=programme, as_of=day, known_on=known_on)
        except ProgrammeNotDecided:
            return state
        if state.ends_on == day:
            return state
        day = state.ends_on
    return state


@dataclass(frozen=True)
class KeyDate:
    day: dt.date
    label: str
    # A day a decision was taken or one of its amendments took effect.
    of_decision: bool = False


def key_dates(
    *, programme: Programme, known_on: dt.date, final: ProgrammeState | None
) -> list[KeyDate]:
    """The days where the programme's story turns: start and end, decision days and the days
    their amendments take effect, module starts and ends, the ends of reporting periods."""
    found: dict[dt.date, list[str]] = {}
    decision_days: set[dt.date] = set()

    def add(day: dt.date, label: str, of_decision: bool = False) -> None:
        labels = found.setdefault(day, [])
        if label not in labels:
            labels.append(label)
        if of_decision:
            decision_days.add(day)

    add(programme.starts_on, _("Programmbeginn"))
    ends_on = final.ends_on if final else programme.ends_on
    add(ends_on, _("letzter Tag des Programms"))
    for decision in known_decisions(programme=programme, known_on=known_on):
        add(
            decision.decided_on,
            _("Beschluss %(reference)s (%(body)s)")
            % {"reference": decision.reference, "body": decision.body},
            of_decision=True,
        )
        for amendment in decision.amendments.all():
            if amendment.effective_on != decision.decided_on:
                add(
                    amendment.effective_on,
                    _("wirksam: %(kind)s (%(reference)s)")
                    % {"kind": amendment.get_kind_display(), "reference": decision.reference},
                    of_decision=True,
                )
    if final is not None:
        for module in final.modules:
            if module.valid_from != programme.starts_on:
                add(module.valid_from, _("Beginn %(code)s") % {"code": module.code})
            if module.valid_until != ends_on:
                add(module.valid_until, _("letzter Tag %(code)s") % {"code": module.code})
                add(module.valid_until + ONE_DAY, _("%(code)s beendet") % {"code": module.code})
    periods = reporting_periods(runs_from=programme.starts_on, runs_until=ends_on)
    for day in closing_days(periods):
        add(day, _("Ende eines Berichtszeitraums"))
    return [
        KeyDate(day=day, label="; ".join(found[day]), of_decision=day in decision_days)
        for day in sorted(found)
    ]


# --- The timeline chart --------------------------------------------------------------------

CHART_WIDTH = 960
LABEL_WIDTH = 150
RIGHT_PAD = 20
ROW_HEIGHT = 34
BAR_HEIGHT = 18
TOP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    start: dt.date
    end: dt.date
    x: float
    width: float
    y: float
    # Ended early (before the programme) or handed over: drawn differently and said in words.
    note: str = ""


@dataclass(frozen=True)
class Marker:
    day: dt.date
    label: str
    x: float


@dataclass(frozen=True)
class YearBand:
    year: int
    x: float
    width: float
    budget: Decimal
    even: bool


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    bars: list[Bar]
    decisions: list[Marker]
    years: list[YearBand]
    as_of: Marker | None
    height: float
    decision_row_y: float
    axis_y: float
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def timeline(
    *,
    programme: Programme,
    final: ProgrammeState,
    known_on: dt.date,
    as_of: dt.date,
) -> Timeline:
    decisions = list(known_decisions(programme=programme, known_on=known_on))
    start = min([programme.starts_on, *(d.decided_on for d in decisions)])
    start = dt.date(start.year, 1, 1) if start.month == 1 else start
    end = max([final.ends_on, *(m.valid_until for m in final.modules)])
    span = max((end - start).days + 1, 1)
    usable = CHART_WIDTH - LABEL_WIDTH - RIGHT_PAD

    def x(day: dt.date) -> float:
        clipped = min(max(day, start), end + ONE_DAY)
        return round(LABEL_WIDTH + (clipped - start).days / span * usable, 1)

    def bar(label: str, first: dt.date, last: dt.date, row: int, note: str = "") -> Bar:
        left = x(first)
        return Bar(
            label=label,
            start=first,
            end=last,
            x=left,
            width=max(round(x(last + ONE_DAY) - left, 1), 2.0),
            y=TOP + row * ROW_HEIGHT,
            note=note,
        )

    bars = [bar(programme.name, programme.starts_on, final.ends_on, 0)]
    for row, module in enumerate(final.modules, start=1):
        note = ""
        if module.successor_programme is not None:
            note = _("beendet, Nachfolge: %(name)s") % {"name": module.successor_programme.name}
        elif module.ended_by is not None:
            note = _("vorzeitig beendet")
        bars.append(bar(str(module.module), module.valid_from, module.valid_until, row, note))
    decision_row_y = TOP + len(bars) * ROW_HEIGHT
    markers = [
        Marker(day=d.decided_on, label=f"{d.reference} – {d.title}", x=x(d.decided_on))
        for d in decisions
    ]
    axis_y = decision_row_y + ROW_HEIGHT
    budget_by_year: dict[int, Decimal] = {}
    for budget in final.budgets:
        budget_by_year[budget.budget_year] = (
            budget_by_year.get(budget.budget_year, Decimal("0")) + budget.in_force
        )
    years = []
    for year in range(start.year, end.year + 1):
        first = max(dt.date(year, 1, 1), start)
        last = min(dt.date(year, 12, 31), end)
        years.append(
            YearBand(
                year=year,
                x=x(first),
                width=round(x(last + ONE_DAY) - x(first), 1),
                budget=budget_by_year.get(year, Decimal("0")),
                even=year % 2 == 0,
            )
        )
    as_of_marker = (
        Marker(day=as_of, label=_("angezeigter Stand"), x=x(as_of))
        if start <= as_of <= end
        else None
    )
    return Timeline(
        start=start,
        end=end,
        bars=bars,
        decisions=markers,
        years=years,
        as_of=as_of_marker,
        height=axis_y + 30,
        decision_row_y=decision_row_y,
        axis_y=axis_y,
    )


# --- The programme page ----------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleLine:
    state: ModuleState
    running: bool
    has_started: bool
    retroactive: bool


@dataclass(frozen=True)
class BudgetRow:
    budget: ModuleBudget
    decisions: list[Decision]
    retroactive: bool


@dataclass(frozen=True)
class ContractRow:
    contract: ContractState
    offers: int
    retroactive: bool


@dataclass(frozen=True)
class EligibilityLine:
    category: str | Promise
    labels: list[str | Promise]


@dataclass(frozen=True)
class ProgrammePage:
    programme: Programme
    as_of: dt.date
    known_on: dt.date
    today: dt.date
    state: ProgrammeState | None
    final: ProgrammeState | None
    not_decided: str = ""
    modules: list[ModuleLine] = field(default_factory=list)
    eligibility: list[EligibilityLine] = field(default_factory=list)
    # The offers in force on the day, each with the contract it runs under.
    offers: list[tuple[Offer, ContractState]] = field(default_factory=list)
    contracts: list[ContractRow] = field(default_factory=list)
    budgets: list[BudgetRow] = field(default_factory=list)
    key_dates: list[KeyDate] = field(default_factory=list)
    timeline: Timeline | None = None
    retroactive: list[Amendment] = field(default_factory=list)

    @property
    def has_ended(self) -> bool:
        """The day read is after the programme's last day."""
        return self.state is not None and self.as_of > self.state.ends_on

    @property
    def today_after_end(self) -> bool:
        return self.final is not None and self.today > self.final.ends_on

    @property
    def decision_dates(self) -> list[KeyDate]:
        return [d for d in self.key_dates if d.of_decision]

    @property
    def last_day(self) -> dt.date | None:
        return self.final.ends_on if self.final else None

    @property
    def end_retroactive(self) -> bool:
        return self.state is not None and self.state.end_set_by in self.retroactive


MAIN = gettext_lazy("Hauptzielgruppe")
SPECIAL = gettext_lazy("Sonderfall")
SECONDARY = gettext_lazy("sekundäre Zielgruppe (nach Abstimmung mit dem Jobcenter)")
EXCLUDED = gettext_lazy("ohne Förderung")


def _eligibility(state: ProgrammeState) -> list[EligibilityLine]:
    rule = state.eligibility_rule
    if rule is None:
        return []
    named = (
        set(rule.main_group_statuses)
        | set(rule.special_case_statuses)
        | set(rule.excluded_statuses)
    )
    others = [c for c in ResidenceType.values if c not in named]
    lines = [
        EligibilityLine(MAIN, _labels(rule.main_group_statuses)),
        EligibilityLine(SPECIAL, _labels(rule.special_case_statuses)),
    ]
    if rule.secondary_group_allowed:
        lines.append(EligibilityLine(SECONDARY, _labels(others)))
        lines.append(EligibilityLine(EXCLUDED, _labels(rule.excluded_statuses)))
    else:
        lines.append(EligibilityLine(EXCLUDED, _labels([*rule.excluded_statuses, *others])))
    return lines


def programme_page(
    *, programme: Programme, as_of: dt.date, known_on: dt.date, today: dt.date
) -> ProgrammePage:
    final = final_reading(programme=programme, known_on=known_on)
    dates = key_dates(programme=programme, known_on=known_on, final=final)
    chart = (
        timeline(programme=programme, final=final, known_on=known_on, as_of=as_of)
        if final
        else None
    )
    try:
        state = programme_as_of(programme=programme, as_of=as_of, known_on=known_on)
    except ProgrammeNotDecided as not_decided:
        return ProgrammePage(
            programme=programme,
            as_of=as_of,
            known_on=known_on,
            today=today,
            state=None,
            final=final,
            not_decided=str(not_decided),
            key_dates=dates,
            timeline=chart,
        )
    retroactive = {a.pk for a in state.retroactive}
    offers = offers_in_force(state)
    return ProgrammePage(
        programme=programme,
        as_of=as_of,
        known_on=known_on,
        today=today,
        state=state,
        final=final,
        modules=[
            ModuleLine(
                state=m,
                running=m.is_running_on(as_of),
                has_started=as_of >= m.valid_from,
                retroactive=m.decided_by.pk in retroactive
                or (m.rate_set_by is not None and m.rate_set_by.pk in retroactive),
            )
            for m in state.modules
        ],
        eligibility=_eligibility(state),
        offers=offers,
        contracts=[
            ContractRow(
                contract=c,
                offers=sum(1 for _offer, under in offers if under is c),
                retroactive=c.added_by.pk in retroactive,
            )
            for c in state.contracts
        ],
        budgets=[
            BudgetRow(
                budget=b,
                decisions=list({a.decision_id: a.decision for a in b.sources}.values()),
                retroactive=any(a.pk in retroactive for a in b.sources),
            )
            for b in state.budgets
        ],
        key_dates=dates,
        timeline=chart,
        retroactive=state.retroactive,
    )


def day_label(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def decisions_of(*, programme: Programme, with_drafts: bool) -> QuerySet[Decision]:
    """A programme's decisions, newest first; drafts only for those who prepare them."""
    decisions = Decision.objects.filter(programme=programme)
    if not with_drafts:
        decisions = decisions.filter(status__in=[*RECORDED_STATUSES, "conditional"])
    return decisions.order_by("-decided_on", "-sequence", "-pk").prefetch_related("amendments")


@dataclass(frozen=True)
class Choices:
    """What the amendment forms offer to choose from, for one programme."""

    programme: Programme
    modules: list[Module]
    successors: list[Programme]
    revocable: list[Amendment]
    funders: list[Organisation]
    current_rule: EligibilityRule | None
    # The city's providers, with whom a decision may conclude a forwarding contract.
    providers: list[Organisation] = field(default_factory=list)

    def module(self, pk: str | None) -> Module | None:
        return next((m for m in self.modules if str(m.pk) == pk), None)


def decision_form_choices(*, programme: Programme, today: dt.date) -> Choices:
    """What the decision form offers for this programme: its modules, the other programmes of
    its city as successors, the amendments a revocation may name, its funders, and the rule
    in force today (the starting point of a change), and its city's providers."""
    try:
        rule = programme_as_of(programme=programme, as_of=today).eligibility_rule
    except ProgrammeNotDecided:
        rule = None
    revocable = (
        Amendment.objects.filter(programme=programme, decision__status__in=RECORDED_STATUSES)
        .exclude(kind__in=[AmendmentKind.SET_UP, AmendmentKind.REVOKE])
        .exclude(revoked_by__decision__status__in=RECORDED_STATUSES)
        .select_related("decision", "module")
        .prefetch_related("forwarding_contracts__provider", "forwarding_contracts__module")
        .order_by("decision__sequence", "position")
    )
    return Choices(
        programme=programme,
        modules=list(programme.modules.order_by("code")),
        successors=list(
            Programme.objects.filter(owner_id=programme.owner_id).exclude(pk=programme.pk)
        ),
        revocable=list(revocable),
        funders=list(
            Organisation.objects.filter(funding_notices__programme=programme)
            .distinct()
            .order_by("name")
        ),
        current_rule=rule,
        providers=list(
            Organisation.objects.filter(
                kind=Organisation.Kind.PROVIDER, municipality_id=programme.owner_id, is_active=True
            ).order_by("name")
        ),
    )
