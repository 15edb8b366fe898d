"""``teilhabe demo``: migrate, load the Cologne scenario, create the logins, serve."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from teilhabe.demo.cologne.load import load_cologne
from teilhabe.demo.logins import DemoLogins, ensure_demo_logins
from teilhabe.demo.management.commands._demo_only import DemoCommand


class Command(DemoCommand):
    help = "Startet die Demo: Datenbank, Kölner Szenario, Demo-Zugänge und Server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Nur vorbereiten.")
        parser.add_argument("--reset", action="store_true", help="Szenario neu laden.")

    def step(self, text: str) -> float:
        self.stdout.write(f"{text} …")
        return time.perf_counter()

    def done(self, started: float, detail: str = "") -> None:
        suffix = f" – {detail}" if detail else ""
        self.stdout.write(f"  fertig in {time.perf_counter() - started:.1f} s{suffix}")

    def print_logins(self, logins: DemoLogins) -> None:
        rows = logins.personas
        width = max(len(row.username) for row in rows)
        role_width = max(len(row.role) for row in rows)
        self.stdout.write("")
        self.stdout.write(f"{'Benutzername':<{width}}  {'Rolle':<{role_width}}  Organisation")
        for row in rows:
            self.stdout.write(
                f"{row.username:<{width}}  {row.role:<{role_width}}  {row.organisation}"
            )
        self.stdout.write(
            f"\nPasswort für diese Demo-Zugänge (ohne zweiten Faktor): {rows[0].password}"
        )
        admin = logins.admin
        if admin.new_password:
            self.stdout.write(
                f"Superuser {admin.username} (Django-Admin unter /admin/, mit zweitem Faktor), "
                f"Passwort nur jetzt angezeigt: {admin.new_password}"
            )
        else:
            self.stdout.write(
                f"Superuser {admin.username}: Passwort wurde beim ersten Start angezeigt; "
                "neu setzen mit: TEILHABE_ENVIRONMENT=development uv run teilhabe "
                f"changepassword {admin.username}"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        total = time.perf_counter()
        started = self.step("Datenbank wird migriert")
        call_command("migrate", interactive=False, verbosity=0)
        self.done(started)

        started = self.step("Kölner Szenario wird geladen")
        result = load_cologne(reset=options["reset"])
        self.done(
            started,
            f"{sum(result.rows.values())} Zeilen angelegt"
            if result.loaded
            else "war schon geladen",
        )

        started = self.step("Demo-Zugänge werden angelegt")
        logins = ensure_demo_logins()
        self.done(started)

        self.print_logins(logins)
        url = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(f"Demo bereit nach {time.perf_counter() - total:.1f} s: {url}")
        )
        if options["no_serve"]:
            return
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
