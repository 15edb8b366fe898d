"""Retention on the Cologne scenario as of the demo's day: a dry run, then the commit; the
reach figures of every past reporting day are the same afterwards."""

from __future__ import annotations

import datetime as dt

import pytest

from teilhabe.cases.models import Contact
from teilhabe.demo.cologne.facts import PROGRAMME_CODE
from teilhabe.demo.cologne.load import LoadResult
from teilhabe.participants.models import Participant, ResidenceDocument
from teilhabe.privacy.models import DeletionRecord
from teilhabe.privacy.services import ANONYMISED, retention_run
from teilhabe.programmes.models import Programme
from teilhabe.reports.selectors import programme_reach

DEMO_DAY = dt.date(2026, 11, 16)
REPORTING_DAYS = [
    dt.date(2021, 6, 30),
    dt.date(2022, 3, 17),
    dt.date(2022, 12, 31),
    dt.date(2023, 6, 30),
]


@pytest.mark.django_db
def test_a_dry_run_then_a_commit_on_the_demo_keeps_past_figures(cologne: LoadResult) -> None:
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    before = [programme_reach(programme=programme, as_of=day) for day in REPORTING_DAYS]
    notes_before = Contact.objects.exclude(note="").count()
    documents_before = ResidenceDocument.objects.count()

    dry = retention_run(on=DEMO_DAY)
    assert Contact.objects.exclude(note="").count() == notes_before
    assert sum(sum(r.counts.values()) for r in dry) > 0

    done = retention_run(on=DEMO_DAY, commit=True)
    assert [r.counts for r in done] == [r.counts for r in dry]
    assert ResidenceDocument.objects.count() < documents_before
    assert Participant.objects.filter(family_name=ANONYMISED).exists()
    # People still in KIM keep their names and files.
    assert Participant.objects.exclude(family_name=ANONYMISED).exists()
    assert [programme_reach(programme=programme, as_of=day) for day in REPORTING_DAYS] == before
    assert DeletionRecord.objects.filter(committed=True).count() == len(done)
