"""Derive module participations from the enrolments recorded so far.

A case took part in a module while it was enrolled in one of the module's offers: from the
start (or, on the waiting list, the request) to the end. Overlapping or adjacent enrolments
in one module make one participation; one still open keeps it open, unless the case was
closed (then it ends with the case). Ended enrolments get the reason their status gives.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import migrations

DAY = dt.timedelta(days=1)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Enrolment = apps.get_model("cases", "Enrolment")
    Participation = apps.get_model("cases", "ModuleParticipation")
    Enrolment.objects.filter(status="completed", exit_reason="").update(exit_reason="completed")
    Enrolment.objects.filter(status="dropped", exit_reason="").update(exit_reason="dropped_out")

    spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    exits: dict[int, dt.date | None] = {}
    for (
        case_id,
        module_id,
        requested,
        started,
        ended,
        reason,
        exit_date,
    ) in Enrolment.objects.values_list(
        "case_id",
        "offer__module_id",
        "requested_on",
        "started_on",
        "ended_on",
        "exit_reason",
        "case__exit_date",
    ).iterator():
        spans[(case_id, module_id)].append((started or requested, ended, reason))
        exits[case_id] = exit_date

    rows = []
    for (case_id, module_id), items in spans.items():
        items.sort(key=lambda item: item[0])
        merged: list[list] = []
        for start, end, reason in items:
            last = merged[-1] if merged else None
            if last is not None and (last[1] is None or start <= last[1] + DAY):
                if last[1] is not None and (end is None or end > last[1]):
                    last[1], last[2] = end, reason
                continue
            merged.append([start, end, reason])
        exit_date = exits[case_id]
        for start, end, reason in merged:
            if end is None and exit_date is not None:
                end, reason = max(exit_date, start), "case_closed"
            rows.append(
                Participation(
                    case_id=case_id,
                    module_id=module_id,
                    from_date=start,
                    to_date=end,
                    exit_reason=(reason or "other") if end is not None else "",
                )
            )
    Participation.objects.bulk_create(rows, batch_size=2000)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("cases", "ModuleParticipation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_module_participation")]

    operations = [migrations.RunPython(forwards, backwards)]
