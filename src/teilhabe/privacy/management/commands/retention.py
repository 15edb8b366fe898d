"""``teilhabe retention run [--commit] [--as-of YYYY-MM-DD]``: apply the retention rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.privacy.services import retention_run


class Command(BaseCommand):
    help = "Löschfristen anwenden. Ohne --commit ein Probelauf, der nur zählt."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Löschregeln anwenden")
        run.add_argument("--commit", action="store_true", help="wirklich löschen")
        run.add_argument("--as-of", dest="as_of", help="Stichtag (JJJJ-MM-TT), sonst heute")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["as_of"]:
            try:
                day = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of erwartet ein Datum wie 2026-11-26") from None
        records = retention_run(on=day, commit=options["commit"])
        mode = "ausgeführt" if options["commit"] else "Probelauf (nichts gelöscht; --commit löscht)"
        self.stdout.write(f"Löschlauf {mode}, {len(records)} Regeln:")
        for record in records:
            counts = ", ".join(f"{k}={v}" for k, v in record.counts.items())
            self.stdout.write(f"  {record.programme_code} · {record.rule}: {counts}")
        if not records:
            self.stdout.write("  Es sind keine Löschregeln eingerichtet.")
