"""The synthetic generator builds the Cologne shape at any size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from teilhabe.accounts.models import Membership, Organisation, Role
from teilhabe.cases.models import Attendance, Case, Contact, Enrolment, Outcome
from teilhabe.demo.generator import generate
from teilhabe.participants.models import Consent, Participant, ParticipantFile, ResidenceDocument
from teilhabe.participants.selectors import files_visible_to, participants_visible_to
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


def test_staff_and_consents_give_every_role_of_the_access_policy_something_to_see() -> None:
    generate(participants=400, municipalities=1, seed=10)
    city = Organisation.objects.get(name="Synthetische Kommune 10-001")
    memberships = Membership.objects.filter(organisation__municipality=city)
    coordinator = Membership.objects.get(organisation=city, role=Role.COORDINATOR).user
    course_staff = memberships.filter(role=Role.COURSE_STAFF)
    assert course_staff.exists()
    assert memberships.filter(role=Role.COACH).count() > course_staff.count()

    files = ParticipantFile.objects.filter(participant__municipality=city)
    consents = Consent.objects.filter(file__in=files)
    assert consents.filter(purpose=Consent.Purpose.CONTACT).count() == files.count()
    # The coordination reads by name exactly those whose coordination consent names the city
    # (everyone here is assigned to a provider already).
    coordination = consents.filter(purpose=Consent.Purpose.COORDINATION_DETAILS, recipient=city)
    assert 0 < coordination.count() < files.count() / 2
    assert set(participants_visible_to(coordinator).values_list("pk", flat=True)) == set(
        coordination.values_list("file__participant_id", flat=True)
    )
    # A coach sees their own provider's files and those another provider shared with them.
    sharing = consents.filter(purpose=Consent.Purpose.CASE_SHARING, recipient__isnull=False)
    assert sharing.exists()
    shared = sharing.filter(withdrawn_on__isnull=True, expires_on__isnull=True).first()
    assert shared is not None
    assert shared.recipient is not None
    coach = memberships.get(organisation=shared.recipient, role=Role.COACH).user
    visible = files_visible_to(coach)
    assert visible.filter(pk=shared.file_id).exists()
    assert visible.exclude(controller=shared.recipient).count() <= sharing.count()
    # Course staff see the people enrolled in their course runs.
    staff = course_staff.first()
    assert staff is not None
    assert participants_visible_to(staff.user).count() == (
        Participant.objects.filter(cases__enrolments__offer__provider=staff.organisation)
        .distinct()
        .count()
    )


def test_the_same_seed_cannot_be_generated_twice() -> None:
    generate(participants=10, municipalities=1, seed=8)
    with pytest.raises(ValueError, match="seed 8"):
        generate(participants=10, municipalities=1, seed=8)


def _fingerprint() -> tuple[object, ...]:
    people = list(
        Participant.objects.order_by("email").values_list(
            "given_names", "family_name", "date_of_birth", "duplicate_of__email"
        )
    )
    cases = list(
        Case.objects.order_by("participant__email").values_list(
            "entry_date", "exit_date", "target_group", "eligibility_explanation"
        )
    )
    attendance = list(
        Attendance.objects.order_by(
            "enrolment__case__participant__email", "session_date"
        ).values_list("session_date", "status", "hours")
    )
    return people, cases, attendance, Contact.objects.count(), Outcome.objects.count()


def test_the_same_seed_gives_the_same_data() -> None:
    with transaction.atomic():
        generate(participants=60, municipalities=1, seed=9)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Participant.objects.exists()
    generate(participants=60, municipalities=1, seed=9)
    assert _fingerprint() == first


def test_every_case_takes_part_in_the_modules_of_its_enrolments_until_it_closes() -> None:
    from django.db.models import Exists, OuterRef, Q

    from teilhabe.cases.models import ModuleParticipation
    from teilhabe.demo.rows.cases import PARTICIPATION_END_BY_CASE_EXIT

    generate(participants=300, municipalities=1, seed=11)
    participations = ModuleParticipation.objects.filter(
        case__programme__owner__name="Synthetische Kommune 11-001"
    )
    assert participations.exists()
    # Every enrolment lies in a participation of its offer's module.
    placed = participations.filter(
        case_id=OuterRef("case_id"),
        module_id=OuterRef("offer__module_id"),
        from_date__lte=OuterRef("started_on"),
    ).filter(Q(to_date__isnull=True) | Q(to_date__gte=OuterRef("started_on")))
    started = Enrolment.objects.filter(started_on__isnull=False)
    assert started.exists()
    assert not started.exclude(Exists(placed)).exists()
    cases = Case.objects.filter(programme__owner__name="Synthetische Kommune 11-001")
    for case in cases.prefetch_related("participations__module"):
        spans = list(case.participations.all())
        # The entry module (coaching) from the entry to the exit, with the case's reason.
        entry = next(p for p in spans if p.module.code == "F1")
        assert (entry.from_date, entry.to_date) == (case.entry_date, case.exit_date)
        assert entry.exit_reason == PARTICIPATION_END_BY_CASE_EXIT[case.exit_reason]
        for participation in spans:
            participation.full_clean()
            assert case.entry_date <= participation.from_date
            assert participation.to_date is not None
            assert participation.to_date <= case.exit_date
