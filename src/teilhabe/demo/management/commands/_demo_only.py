"""What every command that writes made-up data shares: it never runs in production, and it
stops with a plain message where it would mix into someone else's data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from teilhabe.demo.cologne.load import DemoConflict


class DemoCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "Demo-Befehle legen erfundene Personen an und laufen nicht in der "
                "Produktionsumgebung. Für eine Demo: TEILHABE_ENVIRONMENT=development "
                "(„teilhabe demo“ setzt das selbst, wenn keine Umgebung gesetzt ist)."
            )
        try:
            return super().execute(*args, **options)
        except DemoConflict as conflict:
            raise CommandError(str(conflict)) from conflict
