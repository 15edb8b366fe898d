"""Benchmark: generate a large synthetic data set on PostgreSQL and time the reads.

    uv run python benchmarks/run.py --participants 100000

Drops and re-creates the benchmark database, migrates, generates the data set, loads the
Cologne scenario next to it, times the report selectors and the access policy's reads, each
beside its raw-SQL floor (``benchmarks/floors.py``) measured in the same run, and writes
``benchmarks/RESULTS.md``. Sections of that file the script does not write are kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://root@127.0.0.1:5432/teilhabe_bench"

# The sections of RESULTS.md this script writes (matched by the start of their heading);
# every other "## " section of the file is kept as it is, in its order, after them.
OWNED_SECTIONS = (
    "Generator",
    "Selectors",
    "Programme pages",
    "Access policy",
    "Rows per table",
)

# A figure far above its floor is reported as slow (and looked into, see README.md).
SLOW_RATIO = 5.0
SLOW_MS = 50.0


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in milliseconds over ``repeat`` runs (after one warm-up)."""
    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _load(averages: tuple[float, float, float]) -> str:
    return " / ".join(f"{a:.2f}" for a in averages)


@dataclass(frozen=True)
class Figure:
    what: str
    ms: float
    floor_ms: float
    queries: int
    result: str
    # The same selector with PostgreSQL's just-in-time compilation on (its default; the
    # project's connections switch it off, see teilhabe.settings).
    jit_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.ms / self.floor_ms if self.floor_ms else float("inf")

    @property
    def is_slow(self) -> bool:
        return self.ratio > SLOW_RATIO and self.ms > SLOW_MS

    def row(self) -> str:
        jit = f"{self.jit_ms:.1f}" if self.jit_ms is not None else "–"
        return (
            f"| {self.what} | {self.ms:.1f} | {self.floor_ms:.1f} | {self.ratio:.1f}× "
            f"| {self.queries} | {jit} | {self.result} |"
        )


TABLE_HEAD = [
    "| what | ms | raw SQL ms | ratio | queries | ms with JIT | result |",
    "|---|---:|---:|---:|---:|---:|---|",
]

# Transaction control is no query of its own in the count.
NOT_COUNTED = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE)


class Disagreement(SystemExit):
    pass


def measure(
    what: str,
    run: Callable[[], Any],
    floor: Callable[[], Any],
    *,
    same: Callable[[Any], Any],
    floor_same: Callable[[Any], Any],
    show: Callable[[Any], str],
    repeat: int = 5,
) -> Figure:
    """Time ``run`` and its raw-SQL ``floor``; both must give the same answer.

    ``same`` and ``floor_same`` bring the two results into one comparable form; ``show``
    describes the selector's result for the table. The queries are counted on one more run.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ms, result = _timed(run, repeat=repeat)
    with CaptureQueriesContext(connection) as captured:
        run()
    queries = [q for q in captured.captured_queries if not NOT_COUNTED.match(q["sql"])]
    floor_ms, floor_result = _timed(floor, repeat=repeat)
    jit_ms = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            configured = cursor.fetchone()[0]
            cursor.execute("SET jit = on")
            try:
                jit_ms, _ = _timed(run, repeat=repeat)
            finally:
                cursor.execute(f"SET jit = {'on' if configured == 'on' else 'off'}")
    mine, theirs = same(result), floor_same(floor_result)
    if mine != theirs:
        raise Disagreement(
            f"{what}: the selector and its raw-SQL floor disagree.\n"
            f"  selector: {_abridged(mine)}\n  raw SQL:  {_abridged(theirs)}"
        )
    figure = Figure(what, ms, floor_ms, len(queries), show(result), jit_ms)
    print(figure.row(), flush=True)
    return figure


def _abridged(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 600 else text[:600] + " …"


def check_same_ids(
    what: str, orm_ids: Iterable[int], floor_rows: Iterable[tuple[Any, ...]]
) -> None:
    """A count is checked twice: the timed counts agree, and so do the ids behind them."""
    mine, theirs = set(orm_ids), {row[0] for row in floor_rows}
    if mine != theirs:
        raise Disagreement(
            f"{what}: the selector and its raw-SQL floor count different ids: "
            f"{len(mine - theirs)} only in the selector ({sorted(mine - theirs)[:5]} …), "
            f"{len(theirs - mine)} only in the raw SQL ({sorted(theirs - mine)[:5]} …)"
        )


# --- RESULTS.md --------------------------------------------------------------------------------


def sections(text: str) -> list[tuple[str, str]]:
    """The file cut at its "## " headings: (heading title, text); the part before the first
    heading has the title ''. Headings inside fenced code blocks do not count."""
    parts: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            parts.append((line[3:].strip(), []))
        parts[-1][1].append(line)
    return [(title, "".join(lines)) for title, lines in parts]


def is_owned(title: str, owned: Iterable[str] = OWNED_SECTIONS) -> bool:
    return any(re.match(rf"{re.escape(o)}\b", title) for o in owned)


def merge_results(previous: str, generated: str, *, owned: Iterable[str] = OWNED_SECTIONS) -> str:
    """The newly generated sections, then every section of ``previous`` this script does
    not write (notes, the mutation-testing record, …), unchanged and in their order."""
    owned = tuple(owned)
    kept = [text for title, text in sections(previous) if title and not is_owned(title, owned)]
    merged = generated.rstrip("\n") + "\n"
    for text in kept:
        merged += "\n" + text.rstrip("\n") + "\n"
    return merged


# --- The report selectors ----------------------------------------------------------------------


def selector_figures(*, seed: int) -> list[Figure]:
    import floors
    from django.utils import timezone

    from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES
    from teilhabe.programmes.models import Programme
    from teilhabe.programmes.selectors import programme_as_of
    from teilhabe.reports.selectors import programme_reach, reach_by_municipality

    as_of = dt.date(2023, 6, 30)
    cologne_day = dt.date(2022, 3, 17)
    success = sorted(SUCCESS_OUTCOME_TYPES)
    one = Programme.objects.filter(code__startswith=f"synth-{seed}-").order_by("code").first()
    assert one is not None
    koeln = Programme.objects.get(code="durchstarten-koeln")
    everything = list(Programme.objects.order_by("pk"))
    figures = []

    def reach_pair(r: Any) -> tuple[int, int]:
        return (r.persons_reached, r.persons_with_success)

    figures.append(
        measure(
            f"`programme_reach`, one synthetic programme ({one.code})",
            lambda: programme_reach(programme=one, as_of=as_of),
            lambda: floors.programme_reach(programme_id=one.pk, day=as_of, success=success),
            same=reach_pair,
            floor_same=lambda rows: tuple(rows[0]),
            show=lambda r: f"{r.persons_reached:,} reached, {r.persons_with_success:,} successes",
        )
    )
    figures.append(
        measure(
            f"`programme_reach` for all {len(everything)} programmes",
            lambda: [programme_reach(programme=p, as_of=as_of) for p in everything],
            lambda: floors.reach_per_programme(day=as_of, success=success),
            same=lambda rs: [(p.pk, *reach_pair(r)) for p, r in zip(everything, rs, strict=True)],
            floor_same=lambda rows: [tuple(row) for row in rows],
            show=lambda rs: f"{sum(r.persons_reached for r in rs):,} reached in total",
            repeat=3,
        )
    )
    figures.append(
        measure(
            "`reach_by_municipality` (all municipalities)",
            lambda: reach_by_municipality(as_of=as_of),
            lambda: floors.reach_per_municipality(day=as_of, success=success),
            same=lambda rs: [
                (r.municipality_id, r.municipality_name, r.persons_reached, r.persons_with_success)
                for r in rs
            ],
            floor_same=lambda rows: [tuple(row) for row in rows],
            show=lambda rs: f"{len(rs)} municipalities",
            repeat=3,
        )
    )
    figures.append(
        measure(
            "`programme_reach`, Cologne as of 2022-03-17",
            lambda: programme_reach(programme=koeln, as_of=cologne_day),
            lambda: floors.programme_reach(programme_id=koeln.pk, day=cologne_day, success=success),
            same=reach_pair,
            floor_same=lambda rows: tuple(rows[0]),
            show=lambda r: f"{r.persons_reached} reached, {r.persons_with_success} successes",
        )
    )

    def state(s: Any) -> tuple[Any, ...]:
        return (
            s.ends_on,
            [(m.code, m.valid_from, m.valid_until) for m in s.modules],
            s.eligibility_rule.pk if s.eligibility_rule else None,
            [(b.module.code, b.budget_year, b.planned, b.moved_in, b.moved_out) for b in s.budgets],
            sorted(d.pk for d in s.decisions),
        )

    def floor_state(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        ends_on, modules, rule, budgets, decisions = rows[0]
        return (
            ends_on,
            [
                (code, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
                for code, start, end in modules or []
            ],
            rule,
            [
                (code, year, Decimal(planned), Decimal(moved_in), Decimal(moved_out))
                for code, year, planned, moved_in, moved_out in budgets or []
            ],
            sorted(decisions or []),
        )

    figures.append(
        measure(
            "`programme_as_of`, Cologne as of 2022-03-17",
            lambda: programme_as_of(programme=koeln, as_of=cologne_day),
            lambda: floors.programme_as_of(
                programme_id=koeln.pk, day=cologne_day, known_on=timezone.localdate()
            ),
            same=state,
            floor_same=floor_state,
            show=lambda s: f"ends {s.ends_on}, {len(s.modules)} modules, {len(s.budgets)} budgets",
        )
    )
    figures.append(
        measure(
            f"`programme_as_of`, {one.code}",
            lambda: programme_as_of(programme=one, as_of=as_of),
            lambda: floors.programme_as_of(
                programme_id=one.pk, day=as_of, known_on=timezone.localdate()
            ),
            same=state,
            floor_same=floor_state,
            show=lambda s: f"ends {s.ends_on}",
        )
    )
    return figures


# --- The programme pages ------------------------------------------------------------------------


def page_figures(*, seed: int) -> list[Figure]:
    """The coordination's programme pages: the usage evaluation beside its floor, then whole
    pages (request to response, as the coordinator of the programme's city) beside the floor
    of the computation behind them."""
    import floors
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from teilhabe.accounts.models import Membership, Role
    from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES
    from teilhabe.programmes.models import Programme
    from teilhabe.reports.evaluation import first_year, usage_evaluation

    success = sorted(SUCCESS_OUTCOME_TYPES)
    one = Programme.objects.filter(code__startswith=f"synth-{seed}-").order_by("code").first()
    assert one is not None
    koeln = Programme.objects.get(code="durchstarten-koeln")
    figures = []

    def module_rows(evaluation: Any) -> list[tuple[Any, ...]]:
        return [
            (
                m.module.code,
                m.usage.entries,
                m.usage.active,
                m.usage.waiting,
                m.usage.completions,
                m.usage.dropouts,
                m.usage.successes,
                m.usage.spent,
            )
            for m in evaluation.modules
        ]

    def floor_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [(*row[:7], Decimal(row[7]).quantize(Decimal("0.01"))) for row in rows]

    def coordinator(programme: Any) -> Any:
        membership = (
            Membership.objects.filter(organisation=programme.owner, role=Role.COORDINATOR)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        assert membership is not None, f"no coordinator for {programme.code}"
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(membership.user)
        return client

    for programme in (one, koeln):
        start, end = first_year(programme)
        figures.append(
            measure(
                f"`usage_evaluation`, {programme.code}, first year ({start} to {end})",
                lambda p=programme, s=start, e=end: usage_evaluation(p, s, e),
                lambda p=programme, s=start, e=end: floors.usage_per_module(
                    programme_id=p.pk, start=s, end=e, success=success
                ),
                same=module_rows,
                floor_same=floor_rows,
                show=lambda ev: (
                    f"{len(ev.modules)} modules, "
                    f"{sum(m.usage.active for m in ev.modules):,} active in modules"
                ),
            )
        )

    def page(client: Any, url: str) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return get

    ok = {"same": lambda r: r.status_code, "floor_same": lambda _rows: 200}
    for programme in (one, koeln):
        client = coordinator(programme)
        start, end = first_year(programme)
        evaluation_url = reverse("reports:evaluation", args=[programme.pk])
        figures.append(
            measure(
                f"page {evaluation_url} (evaluation, first year), {programme.code}",
                page(client, f"{evaluation_url}?von={start}&bis={end}"),
                lambda p=programme, s=start, e=end: floors.usage_per_module(
                    programme_id=p.pk, start=s, end=e, success=success
                ),
                show=lambda r: f"{len(r.content):,} bytes",
                **ok,
            )
        )
        detail_url = reverse("programmes:detail", args=[programme.pk])
        day = min(programme.ends_on, dt.date(2022, 3, 17))
        figures.append(
            measure(
                f"page {detail_url} (programme as of {day}), {programme.code}",
                page(client, f"{detail_url}?stand={day}"),
                lambda p=programme, d=day: floors.programme_as_of(
                    programme_id=p.pk, day=d, known_on=timezone.localdate()
                ),
                show=lambda r: f"{len(r.content):,} bytes",
                **ok,
            )
        )
    client = coordinator(koeln)
    for name in ("budgets:overview", "reports:council_paper"):
        url = reverse(name, args=[koeln.pk])
        figures.append(
            measure(
                f"page {url}, {koeln.code}",
                page(client, url),
                lambda: floors.programme_as_of(
                    programme_id=koeln.pk, day=koeln.ends_on, known_on=timezone.localdate()
                ),
                show=lambda r: f"{len(r.content):,} bytes",
                **ok,
            )
        )
    return figures


# --- The access policy -------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """A user the generator created, and their organisations by role (the floors' input)."""

    label: str
    user: Any
    case_orgs: list[int]
    coordination: list[int]
    course_orgs: list[int]

    def params(self, day: dt.date) -> dict[str, Any]:
        return {
            "case_orgs": self.case_orgs,
            "coordination": self.coordination,
            "course_orgs": self.course_orgs,
            "day": day,
        }


def _persona(label: str, membership: Any) -> Persona:
    from teilhabe.accounts.models import Membership, Role, User

    user = User.objects.get(pk=membership.user_id)
    mine = Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)

    def orgs(*roles: str) -> list[int]:
        return sorted(mine.filter(role__in=roles).values_list("organisation_id", flat=True))

    return Persona(
        label=label,
        user=user,
        case_orgs=orgs(Role.COACH, Role.PROVIDER_ADMIN),
        coordination=orgs(Role.COORDINATOR),
        course_orgs=orgs(Role.COURSE_STAFF),
    )


@dataclass(frozen=True)
class PolicyRun:
    figures: list[Figure]
    facts: list[str]


def policy_figures(*, seed: int) -> PolicyRun:
    import floors
    from django.db.models import Count, Q
    from django.utils import timezone

    from teilhabe.accounts.models import Membership, Role
    from teilhabe.cases.models import Case, Enrolment
    from teilhabe.cases.selectors import cases_visible_to, pseudonymised_cases
    from teilhabe.participants.models import Consent, ParticipantFile
    from teilhabe.participants.selectors import (
        FILES_PER_PAGE,
        files_list_for_user,
        files_visible_to,
        participants_visible_to,
    )
    from teilhabe.programmes.models import Programme

    day = timezone.localdate()
    prefix = f"Synthetische Kommune {seed}-"
    programme = Programme.objects.filter(code__startswith=f"synth-{seed}-").order_by("code").first()
    assert programme is not None

    # The coach at the synthetic provider with the most files; the coordinator of the first
    # synthetic municipality; the course staff at the course provider with most enrolments.
    largest = (
        ParticipantFile.objects.filter(controller__name__startswith=prefix)
        .values("controller_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "controller_id")
        .first()
    )
    assert largest is not None
    coach = _persona(
        "coach",
        Membership.objects.get(organisation_id=largest["controller_id"], role=Role.COACH),
    )
    coordinator = _persona(
        "coordinator",
        Membership.objects.get(organisation_id=programme.owner_id, role=Role.COORDINATOR),
    )
    busiest = (
        Enrolment.objects.filter(
            offer__provider__memberships__role=Role.COURSE_STAFF,
            offer__provider__name__startswith=prefix,
        )
        .values("offer__provider_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "offer__provider_id")
        .first()
    )
    assert busiest is not None
    course = _persona(
        "course staff",
        Membership.objects.get(
            organisation_id=busiest["offer__provider_id"], role=Role.COURSE_STAFF
        ),
    )
    for persona in (coach, coordinator, course):
        # What a request has done before the page's reads: the user's memberships are read
        # once and cached on the user (policy.active_memberships).
        participants_visible_to(persona.user).exists()

    figures: list[Figure] = []

    def counted(
        what: str, persona: Persona, queryset: Callable[[], Any], ids_sql: str, noun: str
    ) -> None:
        params = persona.params(day)
        figure = measure(
            what,
            lambda: queryset().count(),
            lambda: floors.count(ids_sql, params),
            same=lambda n: n,
            floor_same=lambda rows: rows[0][0],
            show=lambda n: f"{n:,} {noun}",
        )
        check_same_ids(what, queryset().values_list("pk", flat=True), floors.ids(ids_sql, params))
        figures.append(figure)

    # A coach: the files they may open, the file list (/akten/), their cases, the register.
    user = coach.user
    counted(
        f"`files_visible_to` {coach.label}, count",
        coach,
        lambda: files_visible_to(user),
        floors.VISIBLE_FILES,
        "files",
    )
    files_total = files_visible_to(user).count()
    pages = max(1, -(-files_total // FILES_PER_PAGE))
    for page in (1, min(20, pages)):
        figures.append(
            measure(
                f"`files_list_for_user` {coach.label}, page {page} (/akten/)",
                partial(files_list_for_user, user=user, page_number=page),
                partial(floors.file_page, coach.params(day), page=page, per_page=FILES_PER_PAGE),
                same=lambda listing: (
                    [
                        (r.file.pk, r.file.participant.person_key, r.file.controller.name)
                        for r in listing.rows
                    ],
                    listing.page.paginator.count,
                ),
                floor_same=lambda rows: (
                    [tuple(row[:3]) for row in rows],
                    rows[0][3] if rows else 0,
                ),
                show=lambda listing: (
                    f"{len(listing.rows)} of {listing.page.paginator.count:,} files, "
                    f"{sum(not r.shows_identity for r in listing.rows)} without name"
                ),
            )
        )
    counted(
        f"`cases_visible_to` {coach.label}, count",
        coach,
        lambda: cases_visible_to(user),
        floors.VISIBLE_CASES,
        "cases",
    )
    figures.append(
        measure(
            f"`cases_visible_to` {coach.label}, newest {FILES_PER_PAGE}",
            lambda: list(
                cases_visible_to(user)
                .order_by("-entry_date", "-pk")
                .values_list("pk", flat=True)[:FILES_PER_PAGE]
            ),
            lambda: floors.case_page(coach.params(day), per_page=FILES_PER_PAGE),
            same=lambda ids: list(ids),
            floor_same=lambda rows: [row[0] for row in rows],
            show=lambda ids: f"{len(ids)} cases",
        )
    )
    counted(
        f"`participants_visible_to` {coach.label}, count",
        coach,
        lambda: participants_visible_to(user),
        floors.REGISTER,
        "people by name",
    )

    # The coordination: the pseudonymised list of a programme, the register, shared files.
    cases_total = Case.objects.filter(programme=programme).count()
    per_page = 50
    middle = max(1, -(-cases_total // per_page) // 2)
    for page in (1, middle):
        figures.append(
            measure(
                f"`pseudonymised_cases` {coordinator.label}, {programme.code}, page {page}",
                partial(
                    pseudonymised_cases,
                    user=coordinator.user,
                    programme=programme,
                    page_number=page,
                ),
                partial(
                    floors.pseudonymised_page,
                    programme_id=programme.pk,
                    page=page,
                    per_page=per_page,
                ),
                same=lambda listing: (
                    [
                        (r.person_key, r.modules, r.entry_date, r.exit_date, r.hours, r.outcomes)
                        for r in listing.rows
                    ],
                    listing.page.paginator.count,
                ),
                floor_same=_pseudonymised_rows,
                show=lambda listing: (
                    f"{len(listing.rows)} of {listing.page.paginator.count:,} cases"
                ),
            )
        )
    counted(
        f"`participants_visible_to` {coordinator.label}, count",
        coordinator,
        lambda: participants_visible_to(coordinator.user),
        floors.REGISTER,
        "people by name",
    )
    counted(
        f"`files_visible_to` {coordinator.label}, count",
        coordinator,
        lambda: files_visible_to(coordinator.user),
        floors.VISIBLE_FILES,
        "files",
    )

    # Course staff: the people enrolled in their course runs (course_enrolment_filter).
    counted(
        f"`participants_visible_to` {course.label}, count",
        course,
        lambda: participants_visible_to(course.user),
        floors.REGISTER,
        "people by name",
    )

    in_force = Consent.objects.filter(
        Q(given_on__lte=day),
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
        used_on__isnull=True,
    )
    sharing = in_force.filter(purpose=Consent.Purpose.CASE_SHARING)
    facts = [
        f"Users (created by the generator): coach `{coach.user.username}` at the synthetic "
        f"provider with the most files ({files_total:,} visible to them); coordinator "
        f"`{coordinator.user.username}` of the municipality owning {programme.code} "
        f"({cases_total:,} cases); course staff `{course.user.username}` at the course provider "
        f"with the most enrolments ({busiest['n']:,}).",
        f"Consents: {Consent.objects.count():,} in all; in force on {day.isoformat()} "
        f"(the day of the run, which the policy reads as today): "
        f"{sharing.filter(recipient__isnull=False).count():,} sharing a file with another "
        f"provider, {sharing.filter(recipient_programme__isnull=False).count():,} with a "
        f"programme, {in_force.filter(purpose=Consent.Purpose.COORDINATION_DETAILS).count():,} "
        "letting the coordination read a case.",
        "Columns as above. Each selector runs with the user's memberships already read (as "
        "a request has them); the raw SQL gets the same organisations as parameters and, for "
        "a count, its ids are checked equal to the selector's too. Writing the audit event "
        "(the lists do) is part of the selector's time, not of the floor's. "
        f"A figure is marked slow above {SLOW_RATIO:.0f}× its floor and {SLOW_MS:.0f} ms.",
    ]
    return PolicyRun(figures=figures, facts=facts)


def _pseudonymised_rows(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    from teilhabe.core.codes import OutcomeType

    shown = [
        (
            person_key,
            tuple(sorted(modules or ())),
            entry,
            exit_on,
            (hours or Decimal(0)) + (Decimal(minutes or 0) / 60).quantize(Decimal("0.01")),
            tuple(OutcomeType(o).label for o in sorted(outcomes or ())),
        )
        for _id, person_key, _born, _gender, entry, exit_on, modules, hours, minutes, outcomes, _n in rows
    ]
    return shown, rows[0][10] if rows else 0


# --- The run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the data set already in the database (while working on the benchmark); "
        "the Generator section of the output file is kept as it was",
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("TEILHABE_ENVIRONMENT", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.path.insert(0, str(HERE))
    if not args.measure_only:
        _recreate_database(args.database_url)

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from teilhabe.demo.cologne.load import load_cologne
    from teilhabe.demo.generator import generate

    generator: list[str] = []
    if not args.measure_only:
        call_command("migrate", interactive=False, verbosity=0)
        print(
            f"Generating {args.participants:,} participants in {args.municipalities} "
            "municipalities …"
        )
        load_before = os.getloadavg()
        started = time.perf_counter()
        result = generate(
            participants=args.participants,
            municipalities=args.municipalities,
            seed=args.seed,
            progress=print,
        )
        generate_seconds = time.perf_counter() - started
        load_after = os.getloadavg()
        cologne = load_cologne()
        with connection.cursor() as cursor:
            # Freshly loaded tables have no visibility map and no hint bits yet; autovacuum
            # would settle them within minutes. Measure the settled state, not the race.
            cursor.execute("VACUUM ANALYZE")
        generator = [
            "## Generator",
            "",
            f"- {result.total:,} rows in {generate_seconds:.1f} s "
            f"({result.total / generate_seconds:,.0f} rows/s), one transaction per 5,000 "
            "participants; the rows about people written with COPY, set-up rows with "
            "`bulk_create`",
            f"- Cologne scenario loaded in {cologne.seconds:.1f} s",
            f"- Load average (1/5/15 min) before the generator: {_load(load_before)}; "
            f"after it: {_load(load_after)}",
            "",
        ]

    load_measuring = os.getloadavg()
    measured = selector_figures(seed=args.seed)
    pages = page_figures(seed=args.seed)
    policy = policy_figures(seed=args.seed)
    load_measured = os.getloadavg()

    counts = []
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "programmes", "budgets", "participants", "cases"}:
            counts.append((model._meta.label, model._default_manager.count()))
    counts.sort()

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(" on ")[0]
    cpus = os.cpu_count()
    slow = [f for f in measured + pages + policy.figures if f.is_slow]
    lines = [
        "# Benchmark results",
        "",
        f"Measured on {dt.datetime.now(dt.UTC).date().isoformat()} with `uv run python benchmarks/run.py "
        f"--participants {args.participants} --municipalities {args.municipalities}"
        f"{' --measure-only' if args.measure_only else ''}`.",
        "",
        f"- Machine: {cpus} CPU cores, {platform.machine()}, Python {platform.python_version()}, "
        f"{pg_version} on the same machine",
        f"- Data set: {args.participants:,} synthetic participants in "
        f"{args.municipalities} municipalities (seed {args.seed}), plus the Cologne scenario",
        f"- Load average (1/5/15 min) before the measurements: {_load(load_measuring)}; "
        f"after them: {_load(load_measured)}",
        "",
        *generator,
        "## Selectors (median wall time, warm, beside the raw-SQL floor)",
        "",
        "- ms: the selector as the project runs it, median of 5 warm runs (3 for the two "
        "that read all programmes); raw SQL ms: the same computation as one hand-written "
        "query (`benchmarks/floors.py`), timed the same way in the same run, its result checked "
        "equal to the selector's; ratio: ms ÷ raw SQL ms; queries: the SQL statements of one "
        "call (BEGIN and COMMIT not counted); ms with JIT: the selector again with "
        "PostgreSQL's just-in-time compilation on (PostgreSQL's default; the project switches "
        "it off).",
        "- The floor of `programme_as_of` covers the selector's five reads (amendments with "
        "their decisions, modules, the eligibility rule in force, budget lines, reallocations) "
        "folded into one statement that returns the end date, the modules' days, the rule, "
        "the budgets and the decisions.",
        "",
        *TABLE_HEAD,
        *[f.row() for f in measured],
        "",
        "## Programme pages (median wall time, warm, beside the raw-SQL floor)",
        "",
        "- The usage evaluation's module rows (entries, active, waiting, completions, "
        "dropouts, successes, spent) beside one hand-written query that computes them; the "
        "offer rows and the programme total are not in the floor.",
        "- page: a GET through Django's test client as the coordinator of the programme's "
        "city (middleware, policy, audit, template), median of 5; its floor is the query "
        "behind the page's main figures (the evaluation's module rows, or `programme_as_of`), "
        "so the ratio shows what the whole page costs beyond that.",
        "",
        *TABLE_HEAD,
        *[f.row() for f in pages],
        "",
        "## Access policy (median wall time, warm, beside the raw-SQL floor)",
        "",
        *[f"- {fact}" for fact in policy.facts],
        "",
        *TABLE_HEAD,
        *[f.row() for f in policy.figures],
        "",
        *(
            [
                f"Slow (above {SLOW_RATIO:.0f}× the floor and {SLOW_MS:.0f} ms): "
                + "; ".join(f.what for f in slow)
                + "."
            ]
            if slow
            else [f"None is above {SLOW_RATIO:.0f}× its floor and {SLOW_MS:.0f} ms."]
        ),
        "",
        "## Rows per table",
        "",
        "| table | rows |",
        "|---|---:|",
        *[f"| {label} | {count:,} |" for label, count in counts],
        "",
    ]
    generated = "\n".join(lines)
    output = Path(args.output)
    previous = output.read_text() if output.exists() else ""
    owned = OWNED_SECTIONS if generator else tuple(o for o in OWNED_SECTIONS if o != "Generator")
    output.write_text(merge_results(previous, generated, owned=owned))
    print(generated)


if __name__ == "__main__":
    main()
