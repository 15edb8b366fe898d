"""The synthetic generator builds the Cologne shape at any size."""

from __future__ import annotations

import datetime as dt

import pytest

from teilhabe.accounts.models import Organisation
from teilhabe.cases.models import Attendance, Case, Contact, Enrolment, Outcome
from teilhabe.demo.generator import generate
from teilhabe.participants.models import Participant, ResidenceDocument
from teilhabe.programmes.models import Module, Offer, Programme
from teilhabe.reports.selectors import programme_reach, reach_by_municipality

pytestmark = pytest.mark.django_db


def test_a_small_data_set_has_the_expected_shape_and_counts_persons_once() -> None:
    result = generate(participants=300, municipalities=2, seed=7)

    municipalities = Organisation.objects.filter(
        name__startswith="Synthetische Kommune 7-", kind=Organisation.Kind.MUNICIPALITY
    )
    assert municipalities.count() == 2
    programmes = Programme.objects.filter(owner__in=municipalities)
    assert programmes.count() == 2
    assert Module.objects.filter(programme__in=programmes).count() == 12
    assert Offer.objects.filter(module__programme__in=programmes, kind="course_run").exists()
    originals = Participant.objects.filter(duplicate_of__isnull=True)
    assert originals.count() == 300
    assert Case.objects.count() == Participant.objects.count()
    for model in (ResidenceDocument, Contact, Enrolment, Attendance, Outcome):
        assert model.objects.exists(), model
    assert result.total > 3000

    end = dt.date(2023, 6, 30)
    reached = sum(programme_reach(programme=p, as_of=end).persons_reached for p in programmes)
    assert reached == 300
    by_municipality = reach_by_municipality(as_of=end)
    assert sum(r.persons_reached for r in by_municipality) == 300
    assert {r.municipality_name for r in by_municipality} == set(
        municipalities.values_list("name", flat=True)
    )


def test_the_same_seed_cannot_be_generated_twice() -> None:
    generate(participants=10, municipalities=1, seed=8)
    with pytest.raises(ValueError, match="seed 8"):
        generate(participants=10, municipalities=1, seed=8)
