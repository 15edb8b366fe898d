"""Beginning and ending a module participation from the person's file page: the lead's coach
does it (with and without JavaScript), refusals say why and save nothing, everyone else is
turned away, and every read is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teilhabe.accounts.models import Role, User
from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.cases.models import Case, Enrolment, ModuleParticipation
from tests.cases.handover_scenario import city_coach
from tests.cases.participation_scenario import ParticipationScenario, build
from tests.factories import ConsentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scenario(provider_a) -> ParticipationScenario:
    return build(provider_a)


def _file_url(scenario: ParticipationScenario) -> str:
    return reverse("participants:file_detail", kwargs={"pk": scenario.file.pk})


def _show_url(scenario: ParticipationScenario) -> str:
    return reverse("cases:participations", kwargs={"case_id": scenario.case.pk})


def _start_url(scenario: ParticipationScenario) -> str:
    return reverse("cases:participation_start", kwargs={"case_id": scenario.case.pk})


def _end_url(scenario: ParticipationScenario, participation: ModuleParticipation) -> str:
    return reverse(
        "cases:participation_end",
        kwargs={"case_id": scenario.case.pk, "participation_id": participation.pk},
    )


def _state() -> list[tuple[object, ...]]:
    """Everything the pages could change: participations and enrolments."""
    return sorted(
        ModuleParticipation.objects.values_list(
            "pk", "case_id", "module_id", "from_date", "to_date", "exit_reason"
        )
    ) + sorted(Enrolment.objects.values_list("pk", "status", "ended_on", "exit_reason"))


def _changes_since(before: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(sequence__gt=before)
        .exclude(action=AuditAction.READ)
        .values_list("action", flat=True)
    )


def _last_sequence() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


# --- The coach of the lead ----------------------------------------------------------------------


def test_the_file_page_lists_the_participations_with_the_enrolment_that_placed_them(
    client: Client, coach_a, scenario
) -> None:
    client.force_login(coach_a)
    page = client.get(_file_url(scenario)).content.decode()
    assert "Teilnahme an Bausteinen" in page
    assert "F4 Qualifizierung" in page
    assert "Gastro 8.0 (angemeldet am 15. Februar 2021, aktiv)" in page
    assert "Teilnahme an F4 beenden (seit 1. März 2021)" in page
    assert "Teilnahme an Baustein beginnen" in page


def test_the_coach_begins_and_ends_a_participation_without_javascript(
    client: Client, coach_a, scenario
) -> None:
    client.force_login(coach_a)
    # The modules in force on the chosen day: F6 ran until 30 June 2022.
    shown = client.get(_show_url(scenario), {"tag": "2021-04-01"}).content.decode()
    assert "<h1" in shown
    assert "F6 Teilhabemanagement</option>" in shown
    later = client.get(_show_url(scenario), {"tag": "2022-07-01"}).content.decode()
    assert "F6 Teilhabemanagement</option>" not in later
    assert "F4 Qualifizierung</option>" in later

    response = client.post(_start_url(scenario), {"tag": "2021-04-01", "module": scenario.f6.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{_file_url(scenario)}#participations-{scenario.case.pk}"
    started = ModuleParticipation.objects.get(case=scenario.case, module=scenario.f6)
    assert (started.from_date, started.to_date) == (D(2021, 4, 1), None)
    page = client.get(response["Location"]).content.decode()
    assert "Die Teilnahme an F6 beginnt am 01.04.2021." in page
    assert "Teilnahme an F6 beenden (seit 1. April 2021)" in page

    response = client.post(
        _end_url(scenario, started), {"to_date": "2022-06-30", "exit_reason": "goal_reached"}
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.to_date, started.exit_reason) == (D(2022, 6, 30), "goal_reached")
    page = client.get(response["Location"]).content.decode()
    assert "Die Teilnahme an F6 endet am 30.06.2022." in page
    assert "Ziel erreicht" in page
    assert "Teilnahme an F6 beenden" not in page


def test_with_htmx_the_section_comes_back_with_the_news(client: Client, coach_a, scenario) -> None:
    client.force_login(coach_a)
    response = client.post(
        _end_url(scenario, scenario.in_f4),
        {"to_date": "2021-06-30", "exit_reason": "completed"},
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert f'id="participations-{scenario.case.pk}"' in page
    assert "Die Teilnahme an F4 endet am 30.06.2021." in page
    # Ending the module ends its offer with it.
    scenario.enrolment.refresh_from_db()
    assert (scenario.enrolment.status, scenario.enrolment.ended_on) == (
        Enrolment.Status.COMPLETED,
        D(2021, 6, 30),
    )


def test_the_citys_coach_begins_f6_in_a_case_the_city_leads(
    client: Client, municipality, coordinator
) -> None:
    coach = city_coach(municipality)
    scenario = build(municipality)
    client.force_login(coach)
    response = client.post(_start_url(scenario), {"tag": "2021-03-01", "module": scenario.f6.pk})
    assert response.status_code == 302
    assert ModuleParticipation.objects.filter(case=scenario.case, module=scenario.f6).exists()
    # Its coordinators do not work (or read) the city's cases.
    client.force_login(coordinator)
    assert client.get(_show_url(scenario)).status_code == 404


# --- Refusals: a clear message, nothing saved -------------------------------------------------


def _close(case: Case, on: dt.date) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, exit_date=on, exit_reason=Case.ExitReason.DROPPED_OUT
    )


TOMORROW = "tomorrow"


@pytest.mark.parametrize(
    ("what", "tag", "module", "message"),
    [
        ("not in force", "2022-07-01", "f6", "Der Baustein F6 lief am 01.07.2022 nicht"),
        ("before entry", "2021-01-15", "f6", "nicht vor dem Eintritt in das Programm"),
        ("in the future", TOMORROW, "f6", "liegt in der Zukunft"),
        ("already open", "2021-05-01", "f4", "Der Fall nimmt an diesem Baustein schon teil."),
        ("no day", "", "f6", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_refused_start_says_why_and_saves_nothing(
    client: Client, coach_a, scenario, what, tag, module, message
) -> None:
    client.force_login(coach_a)
    if tag == TOMORROW:
        tag = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    before = _state()
    for headers in ({}, HTMX):
        response = client.post(
            _start_url(scenario), {"tag": tag, "module": getattr(scenario, module).pk}, **headers
        )
        assert response.status_code == 200, what
        assert message in response.content.decode(), what
        assert "Nicht gespeichert" in response.content.decode()
    assert _state() == before


def test_a_closed_case_begins_nothing(client: Client, coach_a, scenario) -> None:
    _close(scenario.case, D(2021, 9, 30))
    client.force_login(coach_a)
    assert "Teilnahme an Baustein beginnen" not in client.get(_file_url(scenario)).content.decode()
    before = _state()
    response = client.post(_start_url(scenario), {"tag": "2021-04-01", "module": scenario.f6.pk})
    assert "Der Fall ist abgeschlossen." in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    ("what", "to_date", "reason", "message"),
    [
        (
            "before its start",
            "2021-02-20",
            "completed",
            "Das Ende darf nicht vor dem Beginn liegen.",
        ),
        ("after the case's exit", "2021-10-15", "completed", "Der Fall endete am 30.09.2021"),
        ("in the future", TOMORROW, "completed", "liegt in der Zukunft"),
        (
            "a hand-over's reason",
            "2021-06-30",
            "transferred",
            "transferred ist keine gültige Auswahl.",
        ),
        ("no reason", "2021-06-30", "", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_refused_end_says_why_and_saves_nothing(
    client: Client, coach_a, scenario, what, to_date, reason, message
) -> None:
    # An open participation in a case that closed (as the migration may have left one).
    _close(scenario.case, D(2021, 9, 30))
    client.force_login(coach_a)
    if to_date == TOMORROW:
        to_date = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    before = _state()
    for headers in ({}, HTMX):
        response = client.post(
            _end_url(scenario, scenario.in_f4),
            {"to_date": to_date, "exit_reason": reason},
            **headers,
        )
        page = response.content.decode()
        assert response.status_code == 200, what
        assert message in page, what
        # Shown as read again: still open, not as if it had ended.
        assert "Teilnahme an F4 beenden" in page, what
    assert _state() == before


def test_an_ended_participation_is_not_ended_again(client: Client, coach_a, scenario) -> None:
    ModuleParticipation.objects.filter(pk=scenario.in_f4.pk).update(
        to_date=D(2021, 6, 30), exit_reason="completed"
    )
    client.force_login(coach_a)
    before = _state()
    response = client.post(
        _end_url(scenario, scenario.in_f4), {"to_date": "2021-07-30", "exit_reason": "other"}
    )
    assert "Diese Teilnahme ist schon beendet." in response.content.decode()
    assert _state() == before


# --- Everyone else ------------------------------------------------------------------------------


@pytest.fixture
def admin_b(provider_b) -> User:
    user = UserFactory(username="admin_b")
    MembershipFactory(user=user, organisation=provider_b, role=Role.PROVIDER_ADMIN)
    return user


@pytest.fixture
def course_staff_a(provider_a) -> User:
    """Course staff at the lead itself: they see their course's people, no case."""
    user = UserFactory(username="kurs_a")
    MembershipFactory(user=user, organisation=provider_a, role=Role.COURSE_STAFF)
    return user


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coach_b", 404),
        ("admin_b", 404),
        ("course_staff_a", 404),
        ("coordinator", 404),
        ("funder_user", 404),
        ("auditor", 404),
        ("anonymous", 302),
    ],
)
def test_who_does_not_work_the_case_is_turned_away_and_nothing_changes(
    client: Client, request: pytest.FixtureRequest, scenario, persona, status
) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    before, sequence = _state(), _last_sequence()
    responses = [
        client.get(_show_url(scenario), {"tag": "2021-04-01"}),
        client.post(_start_url(scenario), {"tag": "2021-04-01", "module": scenario.f6.pk}),
        client.post(
            _end_url(scenario, scenario.in_f4),
            {"to_date": "2021-06-30", "exit_reason": "completed"},
        ),
    ]
    assert [r.status_code for r in responses] == [status] * 3
    if persona != "anonymous":
        page = client.get(_file_url(scenario)).content.decode()
        assert "Teilnahme an Bausteinen" not in page
    assert _state() == before
    assert _changes_since(sequence) == []


def test_a_provider_that_reads_the_case_by_consent_may_not_work_it(
    client: Client, coach_b, provider_b, scenario
) -> None:
    ConsentFactory(file=scenario.file, recipient=provider_b, data_categories=["case_notes"])
    client.force_login(coach_b)
    page = client.get(_file_url(scenario)).content.decode()
    assert "Durchstarten" in page  # the case, as shared
    assert "Teilnahme an Bausteinen" not in page
    before, sequence = _state(), _last_sequence()
    responses = [
        client.get(_show_url(scenario)),
        client.post(_start_url(scenario), {"tag": "2021-04-01", "module": scenario.f6.pk}),
        client.post(
            _end_url(scenario, scenario.in_f4),
            {"to_date": "2021-06-30", "exit_reason": "completed"},
        ),
    ]
    assert [r.status_code for r in responses] == [403] * 3
    assert _state() == before
    assert _changes_since(sequence) == []


def test_a_participation_of_another_case_is_not_found(client: Client, coach_a, scenario) -> None:
    other = build(scenario.case.lead_provider)
    client.force_login(coach_a)
    before = _state()
    response = client.post(
        _end_url(scenario, other.in_f4), {"to_date": "2021-06-30", "exit_reason": "completed"}
    )
    assert response.status_code == 404
    assert _state() == before


# --- Every read is audited ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "visit",
    ["file page", "show", "start", "refused start", "end", "refused end"],
)
def test_every_read_writes_an_audit_event_naming_the_person(
    client: Client, coach_a, scenario, visit
) -> None:
    client.force_login(coach_a)
    sequence = _last_sequence()
    if visit == "file page":
        client.get(_file_url(scenario))
    elif visit == "show":
        client.get(_show_url(scenario), {"tag": "2021-04-01"}, **HTMX)
    elif visit in ("start", "refused start"):
        tag = "2021-04-01" if visit == "start" else "2022-07-01"
        client.post(_start_url(scenario), {"tag": tag, "module": scenario.f6.pk}, **HTMX)
    else:
        day = "2021-06-30" if visit == "end" else "2021-01-01"
        client.post(
            _end_url(scenario, scenario.in_f4), {"to_date": day, "exit_reason": "other"}, **HTMX
        )
    reads = AuditEvent.objects.filter(
        sequence__gt=sequence, actor=coach_a, action=AuditAction.READ
    ).prefetch_related("subjects")
    named = {s.person_key for event in reads for s in event.subjects.all()}
    assert scenario.case.participant.person_key in named
