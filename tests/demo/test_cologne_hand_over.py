"""The hand-over of F6 to KIM in the Cologne demo, as the city's coordination reads it later."""

from __future__ import annotations

import datetime as dt

import pytest

from teilhabe.accounts.models import User
from teilhabe.cases.selectors import HandOverState, module_end_report
from teilhabe.demo.cologne.load import LoadResult
from teilhabe.programmes.models import Amendment, AmendmentKind

pytestmark = pytest.mark.django_db

YEARS_LATER = dt.date(2026, 11, 26)


def test_the_people_handed_over_to_kim_show_the_consent_they_gave_and_years_later_too(
    cologne: LoadResult,
) -> None:
    """The transfer spent each consent on its day: the report reads it on that day, not on
    the day it is looked at (before, it said "keine" for all fourteen)."""
    amendment = Amendment.objects.get(
        programme__code="durchstarten-koeln",
        kind=AmendmentKind.END_MODULE,
        module__code="F6",
        successor_programme__code="kim-koeln",
    )
    coordinator = User.objects.get(username="koordination.koeln")
    report = module_end_report(user=coordinator, amendment=amendment, on=YEARS_LATER)
    transferred = [row for row in report.rows if row.state == HandOverState.TRANSFERRED]
    closed = [row for row in report.rows if row.state == HandOverState.CLOSED]
    assert len(transferred) == 14
    assert all(row.has_consent for row in transferred)
    assert closed
    assert not any(row.has_consent for row in closed)
    assert report.open_count == report.without_consent_count == 0
