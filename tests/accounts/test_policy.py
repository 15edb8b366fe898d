"""Who sees which participant: own provider's cases, others only by consent; nobody else."""

import datetime as dt

import pytest
from django.http import Http404

from teilhabe.accounts.policy import consent_in_force_q
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.selectors import case_get_for_user, cases_visible_to
from teilhabe.participants.models import Consent
from teilhabe.participants.selectors import participant_get_for_user, participants_visible_to
from tests.factories import CaseFactory, ConsentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(provider_a):
    return CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)


def test_coaches_see_the_cases_of_their_provider(case_a, coach_a, colleague_a, coach_b) -> None:
    assert list(cases_visible_to(coach_a)) == [case_a]
    assert list(cases_visible_to(colleague_a)) == [case_a]
    assert list(cases_visible_to(coach_b)) == []


@pytest.mark.parametrize("persona", ["coordinator", "funder_user", "auditor"])
def test_nobody_outside_the_provider_sees_case_content(case_a, persona, request) -> None:
    user = request.getfixturevalue(persona)
    assert not cases_visible_to(user).exists()
    assert not participants_visible_to(user).exists()


def test_another_provider_sees_the_case_while_the_consent_is_in_force(
    case_a, coach_b, provider_b
) -> None:
    consent = ConsentFactory(
        participant=case_a.participant, recipient=provider_b, given_on=dt.date(2021, 3, 1)
    )
    assert list(participants_visible_to(coach_b)) == [case_a.participant]
    consent.withdrawn_on = dt.date(2021, 4, 1)
    consent.save()
    assert not participants_visible_to(coach_b).exists()


def test_an_expired_consent_shares_nothing(case_a, coach_b, provider_b) -> None:
    ConsentFactory(
        participant=case_a.participant,
        recipient=provider_b,
        given_on=dt.date(2021, 3, 1),
        expires_on=dt.date(2021, 12, 31),
    )
    assert not cases_visible_to(coach_b).exists()


def test_opening_a_participant_is_audited_without_names(case_a, coach_a) -> None:
    participant = participant_get_for_user(user=coach_a, pk=case_a.participant_id)
    event = AuditEvent.objects.get(action="read")
    assert (event.actor, event.object_type, event.object_id) == (
        coach_a,
        "participants.participant",
        str(participant.pk),
    )
    assert participant.family_name not in str(event.details)


def test_a_stranger_gets_not_found_rather_than_forbidden(case_a, coach_b) -> None:
    with pytest.raises(Http404):
        participant_get_for_user(user=coach_b, pk=case_a.participant_id)
    with pytest.raises(Http404):
        case_get_for_user(user=coach_b, pk=case_a.pk)
    assert not AuditEvent.objects.exists()


def test_a_deactivated_membership_ends_access(case_a, coach_a) -> None:
    coach_a.memberships.update(is_active=False)
    coach_a.refresh_from_db()
    assert not cases_visible_to(coach_a).exists()


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (dt.date(2021, 2, 28), False),
        (dt.date(2021, 3, 1), True),
        (dt.date(2021, 8, 31), True),
        (dt.date(2021, 9, 1), False),
    ],
)
def test_a_consent_shares_from_the_day_given_until_the_day_withdrawn(
    case_a, provider_b, day, in_force
) -> None:
    ConsentFactory(
        participant=case_a.participant,
        recipient=provider_b,
        given_on=dt.date(2021, 3, 1),
        expires_on=dt.date(2021, 12, 31),
        withdrawn_on=dt.date(2021, 9, 1),
    )
    query = consent_in_force_q(organisation_ids=[provider_b.pk], on=day)
    assert Consent.objects.filter(query).exists() is in_force


@pytest.mark.parametrize(
    ("day", "in_force"), [(dt.date(2021, 12, 31), True), (dt.date(2022, 1, 1), False)]
)
def test_a_consent_shares_until_its_last_valid_day(case_a, provider_b, day, in_force) -> None:
    ConsentFactory(
        participant=case_a.participant,
        recipient=provider_b,
        given_on=dt.date(2021, 3, 1),
        expires_on=dt.date(2021, 12, 31),
    )
    query = consent_in_force_q(organisation_ids=[provider_b.pk], on=day)
    assert Consent.objects.filter(query).exists() is in_force
