"""The coordination sees its programme's people by person key: never names, never case content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Attendance
from teilhabe.cases.selectors import age_group, pseudonymised_cases
from teilhabe.programmes.models import Programme
from tests.factories import (
    CaseFactory,
    ContactFactory,
    EnrolmentFactory,
    MunicipalityFactory,
    OutcomeFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(municipality: Organisation) -> Programme:
    return ProgrammeFactory(owner=municipality, name="Durchstarten Köln")


@pytest.fixture
def case(programme: Programme, provider_a: Organisation):
    case = CaseFactory(
        programme=programme,
        lead_provider=provider_a,
        participant__municipality=programme.owner,
        participant__given_names="Amina",
        participant__family_name="Haddad",
        participant__date_of_birth=dt.date(2000, 5, 17),
        entry_date=dt.date(2021, 2, 1),
    )
    enrolment = EnrolmentFactory(
        case=case, offer__module__programme=programme, offer__module__code="F2"
    )
    Attendance.objects.create(
        enrolment=enrolment,
        session_date=dt.date(2021, 3, 1),
        status="present",
        hours=Decimal("3.5"),
    )
    ContactFactory(case=case, duration_minutes=90, note="Vertrauliche Notiz")
    OutcomeFactory(case=case, outcome_type="vocational_training")
    return case


def test_the_coordinator_sees_key_age_group_modules_hours_and_outcomes(
    case, programme: Programme, coordinator: User
) -> None:
    listing = pseudonymised_cases(user=coordinator, programme=programme)
    [row] = listing.rows
    assert row.person_key == case.participant.person_key
    assert str(row.age_group) == "18–20"
    assert row.modules == ("F2",)
    assert row.hours == Decimal("5.00")
    assert [str(o) for o in row.outcomes] == ["Beginn einer Berufsausbildung"]


def test_the_page_shows_no_name_and_no_note(
    case, programme: Programme, coordinator: User, client: Client
) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("cases:programme_participants", args=[programme.pk]))
    html = response.content.decode()
    assert case.participant.person_key in html
    assert "Haddad" not in html
    assert "Amina" not in html
    assert "Vertrauliche" not in html


def test_reading_the_list_is_audited_with_every_person_shown(
    case, programme: Programme, coordinator: User
) -> None:
    pseudonymised_cases(user=coordinator, programme=programme)
    event = AuditEvent.objects.get(action="read", actor=coordinator)
    assert [s.person_key for s in event.subjects.all()] == [case.participant.person_key]
    assert (event.organisation, event.role) == (programme.owner, "coordinator")


@pytest.mark.parametrize("persona", ["coach_a", "coach_b", "funder_user", "auditor"])
def test_nobody_else_gets_the_list(
    case, programme: Programme, persona: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(Http404):
        pseudonymised_cases(user=request.getfixturevalue(persona), programme=programme)


def test_a_coordinator_of_another_city_gets_nothing(case, programme: Programme) -> None:
    from tests.factories import MembershipFactory, UserFactory

    bonn = MunicipalityFactory(name="Stadt Bonn")
    other = UserFactory(username="bonn")
    MembershipFactory(user=other, organisation=bonn, role="coordinator")
    with pytest.raises(Http404):
        pseudonymised_cases(user=other, programme=programme)


@pytest.mark.parametrize(
    ("age", "group"),
    [(17, "unter 18"), (18, "18–20"), (21, "21–24"), (27, "25–27"), (28, "über 27")],
)
def test_age_groups_have_their_edges_where_the_programme_has_them(age: int, group: str) -> None:
    assert str(age_group(age)) == group


def test_the_list_costs_the_same_few_queries_for_many_people(
    programme: Programme, provider_a: Organisation, coordinator: User, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        CaseFactory(
            programme=programme, lead_provider=provider_a, participant__municipality=programme.owner
        )
    # The page's reads (count, the page's ids, its cases with their people, enrolments,
    # module participations, attendance, contacts, outcomes), plus the fixed cost of one
    # chained audit event (on PostgreSQL one statement more: its advisory lock).
    chain_lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(12 + chain_lock):
        pseudonymised_cases(user=coordinator, programme=programme)
