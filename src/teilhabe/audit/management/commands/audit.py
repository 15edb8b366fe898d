"""``teilhabe audit verify``: check the audit trail's hash chain from the first entry to the last."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from teilhabe.audit.verification import BATCH_SIZE, verify_chain


class Command(BaseCommand):
    help = "Work with the audit trail. verify: check the hash chain; exit 1 at the first bad entry."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Walk the trail in sequence order and name the first changed, missing, "
            "inserted or reordered entry.",
        )
        verify.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(batch_size=options["batch_size"])

    def verify(self, *, batch_size: int) -> None:
        report = verify_chain(batch_size=batch_size)
        if report.problem:
            raise CommandError(
                f"Audit trail broken at {report.problem}. "
                f"The {report.entries} entries before it are intact."
            )
        if report.missing_triggers:
            raise CommandError(
                f"Audit trail intact ({report.entries} entries), but the triggers that keep it "
                f"append-only are missing: {', '.join(report.missing_triggers)}. "
                "Restore them with: teilhabe migrate audit 0002 && teilhabe migrate audit"
            )
        self.stdout.write(
            f"Audit trail intact: {report.entries} entries, "
            f"last #{report.last_sequence} {report.last_hash}"
        )
