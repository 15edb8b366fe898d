"""``teilhabe programme show CODE [--as-of YYYY-MM-DD] [--known-on YYYY-MM-DD] [--format json|text]``.

Prints a programme as it was in force on a day, as the record knew it on another (default:
today): the end, the modules, who is eligible, the budgets and the forwarding contracts in
force (with their offers) — each with the decision that put it in force. Scripts compare the JSON; its keys are a contract (see the README).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from teilhabe.programmes.models import Programme
from teilhabe.programmes.selectors import ProgrammeNotDecided, programme_as_of, programme_reading


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option} erwartet ein Datum wie 2022-03-17, nicht „{value}“."
        ) from None


def _decision(ref: dict[str, str] | None) -> str:
    return f"Beschluss {ref['reference']} vom {ref['date']}" if ref else "ohne Beschluss"


class Command(BaseCommand):
    help = "Ein Programm so zeigen, wie es an einem Tag galt (nach dem Stand der Beschlüsse)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="das Programm an einem Tag zeigen")
        show.add_argument("code", help="Kürzel des Programms, z. B. durchstarten-koeln")
        show.add_argument("--as-of", dest="as_of", help="Stichtag (JJJJ-MM-TT), sonst heute")
        show.add_argument(
            "--known-on",
            dest="known_on",
            help="Stand der Beschlüsse (JJJJ-MM-TT): was an diesem Tag bekannt war; sonst heute",
        )
        show.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        as_of = _day(options["as_of"], "--as-of") or today
        known_on = _day(options["known_on"], "--known-on") or today
        programme = Programme.objects.filter(code=options["code"]).first()
        if programme is None:
            raise CommandError(f"Ein Programm mit dem Kürzel „{options['code']}“ gibt es nicht.")
        try:
            state = programme_as_of(programme=programme, as_of=as_of, known_on=known_on)
        except ProgrammeNotDecided as not_decided:
            raise CommandError(str(not_decided)) from None
        reading = programme_reading(state)
        if options["format"] == "json":
            self.stdout.write(json.dumps(reading, ensure_ascii=False, indent=2))
            return
        self._write_text(reading)

    def _write_text(self, r: dict[str, Any]) -> None:
        out = self.stdout.write
        out(f"{r['name']} ({r['code']})")
        out(f"in Kraft am {r['as_of']}, Stand der Beschlüsse {r['known_on']}")
        out(f"Laufzeit: {r['starts_on']} bis {r['ends_on']} ({_decision(r['ends_on_decision'])})")
        out("Bausteine:")
        for m in r["modules"]:
            state = "läuft" if m["running"] else "läuft nicht"
            successor = f", danach {m['successor_programme']}" if m["successor_programme"] else ""
            rate = ""
            if m["unit_rate_decision"]:
                rate = f"; Satz {m['unit_rate']} € ({_decision(m['unit_rate_decision'])})"
            out(
                f"  {m['code']} {m['name']}: {m['valid_from']} bis {m['valid_until']} "
                f"({state}{successor}; {_decision(m['decision'])}){rate}"
            )
        out("Förderfähig:")
        if not r["eligibility"]:
            out("  keine Förderregel in Kraft")
        for e in r["eligibility"]:
            out(
                f"  {e['residence_type']}: {e['category']}, {e['min_age']}–{e['max_age']} Jahre "
                f"({_decision(e['decision'])})"
            )
        out("Budgets:")
        if not r["budgets"]:
            out("  keine")
        for b in r["budgets"]:
            sources = "; ".join(_decision(d) for d in b["decisions"])
            out(f"  {b['module']} {b['budget_year']}: {b['amount']} € ({sources})")
        out("Weiterleitungsverträge:")
        if not r["contracts"]:
            out("  keine")
        for c in r["contracts"]:
            amount = f", höchstens {c['maximum_amount']} €" if c["maximum_amount"] else ""
            out(
                f"  {c['module']} {c['provider']}: {c['reference']}, {c['valid_from']} bis "
                f"{c['valid_until']}{amount}, {c['offers']} Angebote ({_decision(c['decision'])})"
            )
        for a in r["retroactive"]:
            out(
                f"Rückwirkend: {a['kind']} ab {a['effective_on']} ({_decision(a['decision'])}); "
                "früher gedruckte Berichte zeigen dies nicht."
            )
