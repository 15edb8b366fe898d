"""The auditor's pages: whose trail each auditor sees, the filters, the CSV, and that reading
the trail leaves a trace of its own."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.audit.selectors import events_visible_to
from teilhabe.audit.services import audit_record
from tests.factories import MembershipFactory, MunicipalityFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENTS = reverse("audit:events")
CSV = reverse("audit:events_csv")


@pytest.fixture
def other_city() -> Organisation:
    return MunicipalityFactory(name="Stadt Düsseldorf")


@pytest.fixture
def other_coach(other_city: Organisation) -> User:
    user = UserFactory(username="coach_dus")
    MembershipFactory(
        user=user, organisation=ProviderFactory(municipality=other_city), role=Role.COACH
    )
    return user


@pytest.fixture
def other_auditor(other_city: Organisation) -> User:
    user = UserFactory(username="auditor_dus")
    MembershipFactory(user=user, organisation=other_city, role=Role.AUDITOR)
    return user


@pytest.fixture
def provider_auditor(provider_b: Organisation) -> User:
    user = UserFactory(username="auditor_b")
    MembershipFactory(user=user, organisation=provider_b, role=Role.AUDITOR)
    return user


@pytest.fixture
def trail(
    coach_a: User, coach_b: User, coordinator: User, other_coach: User, municipality: Organisation
) -> dict[str, AuditEvent]:
    return {
        "coach_a": audit_record(action="read", actor=coach_a, subjects=["P-AAAA0001"]),
        "coach_b": audit_record(
            action="update", actor=coach_b, subjects=["P-BBBB0002"], fields=["status"]
        ),
        "coordinator": audit_record(action="create", actor=coordinator, organisation=municipality),
        # An event without an organisation, by a member of our provider: a login, say.
        "login": audit_record(action="login", actor=coach_a, organisation=None, role="-"),
        "other_city": audit_record(action="read", actor=other_coach, subjects=["P-DDDD0004"]),
    }


def seen(user: User) -> set[int]:
    return set(events_visible_to(user).values_list("sequence", flat=True))


def test_a_municipal_auditor_sees_the_city_its_providers_and_their_members(
    auditor: User, trail: dict[str, AuditEvent]
) -> None:
    assert seen(auditor) == {trail[k].sequence for k in ("coach_a", "coach_b", "coordinator")} | {
        AuditEvent.objects.get(action="login").sequence
    }


def test_an_auditor_of_another_city_sees_nothing_of_ours(
    other_auditor: User, trail: dict[str, AuditEvent]
) -> None:
    assert seen(other_auditor) == {trail["other_city"].sequence}


def test_an_auditor_at_a_provider_sees_that_provider_only(
    provider_auditor: User, trail: dict[str, AuditEvent]
) -> None:
    assert seen(provider_auditor) == {trail["coach_b"].sequence}


@pytest.mark.parametrize("persona", ["coach_a", "coordinator", "funder_user"])
def test_staff_who_are_not_auditors_are_refused(
    client: Client, request: pytest.FixtureRequest, persona: str, trail: dict[str, AuditEvent]
) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(EVENTS).status_code == 403
    assert client.get(CSV).status_code == 403
    assert events_visible_to(user).count() == 0


def test_a_coach_with_an_auditor_membership_elsewhere_is_no_auditor_here(
    coach_a: User, other_city: Organisation, trail: dict[str, AuditEvent]
) -> None:
    MembershipFactory(user=coach_a, organisation=other_city, role=Role.AUDITOR)
    assert seen(User.objects.get(pk=coach_a.pk)) == {trail["other_city"].sequence}


def test_the_list_shows_who_where_role_action_object_subjects_and_fields_newest_first(
    client: Client, auditor: User, trail: dict[str, AuditEvent]
) -> None:
    client.force_login(auditor)
    html = client.get(EVENTS).content.decode()
    assert "4 Einträge, die neuesten zuerst." in html
    assert html.index('data-sequence="4"') < html.index('data-sequence="1"')
    assert "P-BBBB0002" in html
    assert "status" in html
    assert "Jobcoach" in html
    assert "P-DDDD0004" not in html


def test_each_filter_narrows_the_list(
    client: Client, auditor: User, trail: dict[str, AuditEvent], provider_b: Organisation
) -> None:
    client.force_login(auditor)

    def sequences(**params: str) -> set[int]:
        response = client.get(EVENTS, params)
        assert response.status_code == 200
        return {e.sequence for e in response.context["page"].object_list}

    assert sequences(person="p-bbbb0002") == {trail["coach_b"].sequence}
    assert sequences(benutzer="coach_a") == {trail["coach_a"].sequence, 4}
    assert sequences(organisation=str(provider_b.pk)) == {trail["coach_b"].sequence}
    assert sequences(vorgang="create") == {trail["coordinator"].sequence}
    assert sequences(von="2000-01-01", bis="2000-01-02") == set()


def test_the_time_filter_includes_the_whole_last_day(
    client: Client, auditor: User, coach_a: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)):
        late = audit_record(action="read", actor=coach_a)
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)):
        audit_record(action="read", actor=coach_a)
    client.force_login(auditor)
    response = client.get(EVENTS, {"von": "2026-03-01", "bis": "2026-03-01"})
    assert [e.sequence for e in response.context["page"].object_list] == [late.sequence]


def test_a_day_range_ending_before_it_starts_is_explained(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    html = client.get(EVENTS, {"von": "2026-03-02", "bis": "2026-03-01"}).content.decode()
    assert "Der letzte Tag liegt vor dem ersten." in html


def test_an_organisation_outside_the_auditors_scope_cannot_be_chosen(
    client: Client, auditor: User, other_city: Organisation, trail: dict[str, AuditEvent]
) -> None:
    client.force_login(auditor)
    response = client.get(EVENTS, {"organisation": str(other_city.pk)})
    assert response.context["form"].errors["organisation"]
    assert "P-DDDD0004" not in response.content.decode()


def test_reading_the_trail_is_audited_with_the_filters_used_and_the_person_looked_up(
    client: Client, auditor: User, municipality: Organisation, trail: dict[str, AuditEvent]
) -> None:
    client.force_login(auditor)
    client.get(EVENTS, {"person": "P-AAAA0001", "vorgang": "read"})
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.actor, event.organisation, event.role) == (
        AuditAction.READ,
        auditor,
        municipality,
        Role.AUDITOR,
    )
    assert event.details == {"view": "audit_trail", "filters": ["person", "action"]}
    assert list(event.subjects.values_list("person_key", flat=True)) == ["P-AAAA0001"]


def test_the_page_is_paginated_and_its_queries_do_not_grow_with_the_rows(
    client: Client, auditor: User, coach_a: User, django_assert_max_num_queries
) -> None:
    for n in range(60):
        audit_record(action="read", actor=coach_a, subjects=[f"P-{n:08d}"])
    client.force_login(auditor)
    with django_assert_max_num_queries(20):
        first = client.get(EVENTS)
    assert len(first.context["page"].object_list) == 50
    assert "ältere Einträge" in first.content.decode()
    # The auditor's own read of the first page is in the trail now, and in scope.
    second = client.get(EVENTS, {"seite": "2"})
    assert len(second.context["page"].object_list) == 11


def test_the_csv_holds_the_filtered_events_and_the_export_is_audited(
    client: Client, auditor: User, trail: dict[str, AuditEvent], coach_b: User
) -> None:
    client.force_login(auditor)
    response = client.get(CSV, {"benutzer": "coach_b"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="protokoll-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Nr.", "Zeitpunkt (UTC)", "Benutzername"]
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == str(trail["coach_b"].sequence)
    assert row[2:] == [
        "coach_b",
        "Träger B",
        "coach",
        "update",
        "",
        "P-BBBB0002",
        "status",
        trail["coach_b"].entry_hash,
    ]
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (export.actor, export.details) == (
        auditor,
        {"view": "audit_trail", "filters": ["username"]},
    )


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(
    client: Client, auditor: User, provider_a: Organisation
) -> None:
    user = UserFactory(username="=cmd")
    MembershipFactory(user=user, organisation=provider_a, role=Role.COACH)
    audit_record(action="read", actor=user)
    client.force_login(auditor)
    body = b"".join(client.get(CSV).streaming_content).decode()
    assert "'=cmd" in body


def test_the_auditors_start_page_links_to_the_trail(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    html = client.get(reverse("core:start")).content.decode()
    assert f'href="{EVENTS}"' in html


def test_an_event_without_organisation_shows_to_the_auditors_of_where_its_actor_works(
    auditor: User, other_auditor: User, provider_a: Organisation, other_city: Organisation
) -> None:
    """A login by someone with memberships in two cities names no organisation: each city's
    auditor sees it; an event without an actor (a failed login) no auditor sees."""
    two_cities = UserFactory(username="two_cities")
    MembershipFactory(user=two_cities, organisation=provider_a, role=Role.COACH)
    MembershipFactory(
        user=two_cities, organisation=ProviderFactory(municipality=other_city), role=Role.COACH
    )
    only_there = UserFactory(username="only_there")
    for _ in range(2):
        MembershipFactory(
            user=only_there, organisation=ProviderFactory(municipality=other_city), role=Role.COACH
        )
    login = audit_record(action="login", actor=two_cities, organisation=None)
    theirs = audit_record(action="login", actor=only_there, organisation=None)
    anonymous = audit_record(action="login_failed", actor=None, organisation=None)
    assert login.organisation is None
    assert theirs.organisation is None
    assert login.sequence in seen(auditor)
    assert login.sequence in seen(other_auditor)
    assert theirs.sequence not in seen(auditor)
    assert theirs.sequence in seen(other_auditor)
    assert anonymous.sequence not in seen(auditor) | seen(other_auditor)
