"""``teilhabe audit verify``: check the audit trail's hash chain from the first entry to the last."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from teilhabe.audit.verification import BATCH_SIZE, anchor_problem, verify_chain


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
        verify.add_argument(
            "--expect",
            metavar="NUMBER:HASH",
            help="An entry number and hash from an earlier run's summary, kept outside the "
            "database: fail if that entry is gone or changed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(batch_size=options["batch_size"], expect=options["expect"])

    def verify(self, *, batch_size: int, expect: str | None) -> None:
        anchor = self._parse_anchor(expect) if expect else None
        report = verify_chain(batch_size=batch_size)
        if report.problem:
            raise CommandError(
                f"Audit trail broken at {report.problem}. "
                f"The {report.entries} entries before it are intact."
            )
        if anchor:
            problem = anchor_problem(sequence=anchor[0], entry_hash=anchor[1])
            if problem:
                raise CommandError(f"Audit trail broken: {problem}.")
        if report.missing_triggers:
            raise CommandError(
                f"Audit trail intact ({report.entries} entries), but the triggers that keep it "
                f"append-only are missing: {', '.join(report.missing_triggers)}. "
                "Restore them with: teilhabe migrate audit 0002 && teilhabe migrate audit"
            )
        self.stdout.write(
            f"Audit trail intact: {report.entries} entries, "
            f"last {report.last_sequence}:{report.last_hash}"
        )

    @staticmethod
    def _parse_anchor(value: str) -> tuple[int, str]:
        number, _, entry_hash = value.lstrip("#").partition(":")
        if not number.isdigit() or len(entry_hash) != 64:
            raise CommandError("--expect takes NUMBER:HASH, e.g. 1200:3763abfa… (64 hex digits)")
        return int(number), entry_hash.lower()
