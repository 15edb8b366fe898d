"""Generate a large synthetic data set for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from teilhabe.demo.generator import format_number, generate
from teilhabe.demo.management.commands._demo_only import DemoCommand


class Command(DemoCommand):
    help = "Erzeugt einen großen synthetischen Datenbestand (für Lasttests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, required=True)
        parser.add_argument("--municipalities", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = generate(
                participants=options["participants"],
                municipalities=options["municipalities"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for label, count in result.rows.items():
            self.stdout.write(f"  {label:<32} {format_number(count):>10}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{format_number(result.total)} Zeilen in {result.seconds:.1f} s "
                f"({format_number(result.total / result.seconds)} Zeilen/s)"
            )
        )
