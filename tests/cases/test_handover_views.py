"""The hand-over page of the coordination and the receiving side's answer, through the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Case, HandOver, Referral
from tests.cases.handover_scenario import HandOverScenario, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(municipality) -> HandOverScenario:
    return build(municipality)


def _url(scenario: HandOverScenario) -> str:
    return reverse(
        "cases:hand_over",
        kwargs={"programme_id": scenario.programme.pk, "amendment_id": scenario.amendment.pk},
    )


def test_the_page_lists_each_person_by_key_with_consent_and_no_names(
    client: Client, coordinator, scenario
) -> None:
    client.force_login(coordinator)
    page = client.get(_url(scenario)).content.decode()
    for participation in (scenario.consenting, scenario.refusing):
        assert participation.case.participant.person_key in page
        assert participation.case.participant.family_name not in page
    assert "liegt vor" in page
    assert "davon 1 ohne Einwilligung" in page


def test_a_chosen_person_without_consent_needs_the_information_first(
    client: Client, coordinator, scenario
) -> None:
    client.force_login(coordinator)
    response = client.post(
        _url(scenario),
        {
            "participations": [scenario.refusing.pk],
            "answer_within_days": "14",
            "action": "selected",
        },
        follow=True,
    )
    assert "Information der Person fehlt" in response.content.decode()
    assert not HandOver.objects.exists()


def test_all_still_open_are_handed_over_or_closed_in_one_go(
    client: Client, coordinator, scenario
) -> None:
    client.force_login(coordinator)
    response = client.post(
        _url(scenario),
        {
            "informed_on": "2022-06-15",
            "informed_how": "letter",
            "answer_within_days": "10",
            "action": "all",
        },
        follow=True,
    )
    assert response.status_code == 200
    results = dict(
        HandOver.objects.values_list("participation__case__participant__person_key", "result")
    )
    assert results == {
        scenario.consenting.case.participant.person_key: HandOver.Result.TRANSFERRED,
        scenario.refusing.case.participant.person_key: HandOver.Result.CLOSED,
    }
    assert "2 Personen bearbeitet" in response.content.decode()
    # Each row says how its participation ended (found by a newcomer walk: closed rows did not).
    page = " ".join(client.get(_url(scenario)).content.decode().split())
    closed = scenario.refusing
    closed.refresh_from_db()
    assert f"Grund: {closed.get_exit_reason_display()}" in page


def test_the_receiving_side_accepts_on_its_task_list(client: Client, coordinator, scenario) -> None:
    client.force_login(coordinator)
    client.post(
        _url(scenario),
        {
            "participations": [scenario.consenting.pk],
            "answer_within_days": "14",
            "action": "selected",
        },
    )
    referral = Referral.objects.get()
    client.force_login(scenario.city_coach)
    tasks = client.get(reverse("cases:referrals")).content.decode()
    assert scenario.consenting.case.participant.person_key in tasks
    assert scenario.consenting.case.participant.family_name in tasks
    assert AuditEvent.objects.filter(
        actor=scenario.city_coach,
        subjects__person_key=scenario.consenting.case.participant.person_key,
    ).exists()
    client.post(reverse("cases:referral_answer", kwargs={"pk": referral.pk}), {"answer": "accept"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    successor = Case.objects.get(predecessor=scenario.consenting.case)
    assert successor.status == Case.Status.ACTIVE
