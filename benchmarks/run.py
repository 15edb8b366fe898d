"""Benchmark: generate a large synthetic data set on PostgreSQL and time the reports.

    uv run python benchmarks/run.py --participants 100000

Drops and re-creates the benchmark database, migrates, generates the data set, loads the
Cologne scenario next to it, times the selectors and writes ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://root@127.0.0.1:5432/teilhabe_bench"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("TEILHABE_ENVIRONMENT", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    sys.path.insert(0, str(HERE.parent / "src"))
    _recreate_database(args.database_url)

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from teilhabe.demo.cologne.load import load_cologne
    from teilhabe.demo.generator import generate
    from teilhabe.programmes.models import Programme
    from teilhabe.programmes.selectors import programme_as_of
    from teilhabe.reports.selectors import programme_reach, reach_by_municipality

    call_command("migrate", interactive=False, verbosity=0)
    print(
        f"Generating {args.participants:,} participants in {args.municipalities} municipalities …"
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

    as_of = dt.date(2023, 6, 30)
    synthetic = Programme.objects.filter(code__startswith=f"synth-{args.seed}-").order_by("code")
    one = synthetic.first()
    assert one is not None
    koeln = Programme.objects.get(code="durchstarten-koeln")
    measurements: list[tuple[str, float, str]] = []
    ms, reach = _timed(lambda: programme_reach(programme=one, as_of=as_of))
    measurements.append(
        (
            f"`programme_reach`, one synthetic programme ({one.code})",
            ms,
            f"{reach.persons_reached:,} reached, {reach.persons_with_success:,} successes",
        )
    )
    everything = list(Programme.objects.all())
    ms, reaches = _timed(
        lambda: [programme_reach(programme=p, as_of=as_of) for p in everything], repeat=3
    )
    measurements.append(
        (
            f"`programme_reach` for all {len(everything)} programmes",
            ms,
            f"{sum(r.persons_reached for r in reaches):,} reached in total",
        )
    )
    ms, rows = _timed(lambda: reach_by_municipality(as_of=as_of), repeat=3)
    measurements.append(
        ("`reach_by_municipality` (all municipalities)", ms, f"{len(rows)} municipalities")
    )
    ms, figures = _timed(lambda: programme_reach(programme=koeln, as_of=dt.date(2022, 3, 17)))
    measurements.append(
        (
            "`programme_reach`, Cologne as of 2022-03-17",
            ms,
            f"{figures.persons_reached} reached, {figures.persons_with_success} successes",
        )
    )
    ms, state = _timed(lambda: programme_as_of(programme=koeln, as_of=dt.date(2022, 3, 17)))
    measurements.append(
        (
            "`programme_as_of`, Cologne as of 2022-03-17",
            ms,
            f"ends {state.ends_on}, {len(state.modules)} modules, {len(state.budgets)} budgets",
        )
    )
    ms, state = _timed(lambda: programme_as_of(programme=one, as_of=as_of))
    measurements.append((f"`programme_as_of`, {one.code}", ms, f"ends {state.ends_on}"))

    counts = []
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "programmes", "budgets", "participants", "cases"}:
            counts.append((model._meta.label, model._default_manager.count()))
    counts.sort()

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(" on ")[0]
    cpus = os.cpu_count()
    lines = [
        "# Benchmark results",
        "",
        f"Measured on {dt.datetime.now(dt.UTC).date().isoformat()} with `uv run python benchmarks/run.py "
        f"--participants {args.participants} --municipalities {args.municipalities}`.",
        "",
        f"- Machine: {cpus} CPU cores, {platform.machine()}, Python {platform.python_version()}, "
        f"{pg_version} on the same machine",
        f"- Data set: {args.participants:,} synthetic participants in "
        f"{args.municipalities} municipalities (seed {args.seed}), plus the Cologne scenario",
        "",
        "## Generator",
        "",
        f"- {result.total:,} rows in {generate_seconds:.1f} s "
        f"({result.total / generate_seconds:,.0f} rows/s), one transaction per 5,000 "
        "participants; the rows about people written with COPY, set-up rows with `bulk_create`",
        f"- Cologne scenario loaded in {cologne.seconds:.1f} s",
        f"- Load average (1/5/15 min) before the generator: {_load(load_before)}; "
        f"after it: {_load(load_after)}",
        "",
        "## Selectors (median wall time, warm)",
        "",
        "| what | ms | result |",
        "|---|---:|---|",
        *[f"| {name} | {ms:.1f} | {detail} |" for name, ms, detail in measurements],
        "",
        "## Rows per table",
        "",
        "| table | rows |",
        "|---|---:|",
        *[f"| {label} | {count:,} |" for label, count in counts],
        "",
    ]
    Path(args.output).write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
