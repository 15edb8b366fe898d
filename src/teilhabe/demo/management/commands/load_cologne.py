"""Load the Cologne demo scenario (idempotent; ``--reset`` deletes and loads again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from teilhabe.demo.cologne.load import load_cologne
from teilhabe.demo.management.commands._demo_only import DemoCommand


class Command(DemoCommand):
    help = "Lädt das Kölner Demo-Szenario „Durchstarten in Ausbildung und Arbeit“."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Szenario löschen und neu laden.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_cologne(reset=options["reset"], progress=self.stdout.write)
        if not result.loaded:
            self.stdout.write(
                "Das Kölner Szenario ist schon geladen; nichts zu tun (--reset lädt neu)."
            )
            return
        for label, count in result.rows.items():
            self.stdout.write(f"  {label:<32} {count:>7}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Kölner Szenario geladen: {sum(result.rows.values())} Zeilen "
                f"in {result.seconds:.1f} s."
            )
        )
