"""Django's ``flush``, which the test runner also calls between browser tests.

Emptying the whole database would stop at the audit trail's triggers. Outside production
this command permits it for itself (and only for itself); in production it refuses to run,
because the trail must outlive any wipe of the application's data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import connections

from teilhabe.audit.database import erasure_for_flush


class Command(DjangoFlushCommand):
    help = DjangoFlushCommand.help + " Outside production this includes the audit trail."

    def handle(self, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "flush would erase the audit trail, which is append-only; refused in production."
            )
        with erasure_for_flush(connections[options["database"]]):
            super().handle(**options)
