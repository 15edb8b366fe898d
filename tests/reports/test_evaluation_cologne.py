"""The usage evaluation and the council paper on the Cologne demo (tests/reports/test_evaluation.py
has the hand-built scenario). Apart because the Cologne data, loaded once per module, would
otherwise meet the other tests' organisations."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.demo.cologne.load import LoadResult
from teilhabe.programmes.models import Programme
from teilhabe.reports.evaluation import council_paper, first_year, usage_evaluation
from tests.demo.conftest import cologne as cologne

START, END = dt.date(2020, 7, 1), dt.date(2021, 6, 30)


COUNCIL_DAY = dt.date(2022, 3, 17)


@pytest.mark.django_db
def test_cologne_council_paper_shows_300_reached_and_57_successes(
    cologne: LoadResult,
) -> None:
    programme = Programme.objects.get(code="durchstarten-koeln")
    paper = council_paper(programme, as_of=COUNCIL_DAY)
    assert (paper.reach.persons_reached, paper.reach.persons_with_success) == (300, 57)
    assert paper.latest_decision is not None
    assert paper.latest_decision.reference == "0642/2022"
    # The reallocation moves money between modules; the total stays.
    before = sum(row.before or Decimal("0") for row in paper.modules)
    after = sum(row.after for row in paper.modules)
    assert paper.per_year
    assert sum(row.after for row in paper.per_year) == after
    assert sum(row.before or Decimal("0") for row in paper.per_year) == before
    assert any(row.change for row in paper.modules)
    assert after >= before


@pytest.mark.django_db
def test_cologne_first_year_evaluation_is_consistent(
    cologne: LoadResult,
) -> None:
    programme = Programme.objects.get(code="durchstarten-koeln")
    start, end = first_year(programme)
    assert (start, end) == (START, END)
    result = usage_evaluation(programme, start, end)
    assert result.modules
    assert result.spent > 0
    for row in result.modules:
        usage = row.usage
        assert usage.entries <= usage.active
        if usage.places_offered is not None:
            assert usage.places_used is not None
        if usage.attendance_rate is not None:
            assert Decimal("0") <= usage.attendance_rate <= Decimal("100")
        for item in row.offers:
            assert item.usage.entries <= item.usage.active
            if item.usage.places_used is not None:
                # A success counts for a run only after the person started it.
                assert item.usage.successes <= item.usage.places_used


@pytest.mark.django_db
def test_cologne_council_paper_page_shows_300_and_57_to_the_coordination(
    cologne: LoadResult,
    client: Client,
) -> None:
    programme = Programme.objects.get(code="durchstarten-koeln")
    coordination = User.objects.get(username="koordination.koeln")
    assert policy.reads_programme_evaluation(coordination, programme)
    client.force_login(coordination)
    url = reverse("reports:council_paper", kwargs={"programme_id": programme.pk})
    html = client.get(url, {"stand": "2022-03-17"}).content.decode()
    assert re.search(r'data-testid="reached">\s*300\s*<', html)
    assert re.search(r'data-testid="successes">\s*57\s*<', html)
    assert "0642/2022" in html
    evaluation = reverse("reports:evaluation", kwargs={"programme_id": programme.pk})
    page = client.get(evaluation).content.decode()
    assert "Zeitraum 1. Juli 2020 bis 30. Juni 2021" in page
