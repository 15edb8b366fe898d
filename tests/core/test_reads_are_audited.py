"""Every page that shows a person writes an audit event naming that person.

The walk over the URL configuration makes each new URL take a side: it shows people (and
gets a row in ``SHOWS_PEOPLE`` with the visit that proves its read is audited) or it does not
(``SHOWS_NO_ONE``, with the reason in a comment). The admin shows no personal data at all
(tests/participants/test_admin.py) and audits what it shows (tests/audit/test_admin_audit.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditEvent
from tests.core.test_url_matrix import named_urls
from tests.factories import CaseFactory, ConsentFactory, ProgrammeFactory


@dataclass(frozen=True)
class Visit:
    persona: str
    # Builds the person (and what the URL points to); returns (URL kwargs, the person's key).
    setup: Callable[[pytest.FixtureRequest], tuple[dict[str, object], str]]
    method: str = "get"
    data: dict[str, str] | None = None


def _case_at_a(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    provider = request.getfixturevalue("provider_a")
    case = CaseFactory(lead_provider=provider, participant__municipality=provider.municipality)
    return case, case.participant.files.get(controller=provider)


def file_of_a(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    _, file = _case_at_a(request)
    return {"pk": file.pk}, file.participant.person_key


def no_kwargs_person_at_a(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    _, file = _case_at_a(request)
    return {}, file.participant.person_key


def consent_of_a(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    _, file = _case_at_a(request)
    consent = ConsentFactory(file=file, recipient=request.getfixturevalue("provider_b"))
    return {"pk": file.pk, "consent_pk": consent.pk}, file.participant.person_key


def programme_with_a_case(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    municipality = request.getfixturevalue("municipality")
    programme = ProgrammeFactory(owner=municipality)
    case = CaseFactory(
        programme=programme,
        lead_provider=request.getfixturevalue("provider_a"),
        participant__municipality=municipality,
    )
    return {"programme_id": programme.pk}, case.participant.person_key


def trail_about_a_person(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    """The auditor's trail lists events; each names its persons."""
    from teilhabe.cases.selectors import case_get_for_user

    case, _ = _case_at_a(request)
    case_get_for_user(user=request.getfixturevalue("coach_a"), pk=case.pk)
    return {}, case.participant.person_key


def module_end_with_people(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    from tests.cases.handover_scenario import build

    scenario = build(request.getfixturevalue("municipality"))
    kwargs = {"programme_id": scenario.programme.pk, "amendment_id": scenario.amendment.pk}
    return kwargs, scenario.consenting.case.participant.person_key


def referral_to_b(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    from teilhabe.cases.models import Referral
    from tests.core.test_url_matrix import referral_from_a_to_b

    referral = Referral.objects.get(pk=referral_from_a_to_b(request)["pk"])
    return {}, referral.case.participant.person_key


def participations_at_a(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    from tests.cases.participation_scenario import build

    scenario = build(request.getfixturevalue("provider_a"))
    kwargs = {"case_id": scenario.case.pk, "participation_id": scenario.in_f4.pk}
    return kwargs, scenario.case.participant.person_key


def case_participations_at_a(request: pytest.FixtureRequest) -> tuple[dict[str, object], str]:
    kwargs, person_key = participations_at_a(request)
    return {"case_id": kwargs["case_id"]}, person_key


SHOWS_PEOPLE: dict[str, Visit] = {
    "participants:file_list": Visit("coach_a", no_kwargs_person_at_a),
    "participants:file_detail": Visit("coach_a", file_of_a),
    "participants:consent_create": Visit("coach_a", file_of_a),
    "participants:residence_document_create": Visit("coach_a", file_of_a),
    "participants:consent_withdraw": Visit("coach_a", consent_of_a),
    "cases:programme_participants": Visit("coordinator", programme_with_a_case),
    "cases:hand_over": Visit("coordinator", module_end_with_people),
    "cases:referrals": Visit("coach_b", referral_to_b),
    # The case's participations; a start or end sent shows them again (here: refused, empty).
    "cases:participations": Visit("coach_a", case_participations_at_a),
    "cases:participation_start": Visit("coach_a", case_participations_at_a, method="post"),
    "cases:participation_end": Visit("coach_a", participations_at_a, method="post"),
    "audit:events": Visit("auditor", trail_about_a_person),
    "audit:events_csv": Visit("auditor", trail_about_a_person),
    "privacy:access_request": Visit(
        "auditor", no_kwargs_person_at_a, method="post", data={"output": "json"}
    ),
}

SHOWS_NO_ONE = {
    # Programmes, figures (aggregates, suppressed where they leave the city) and the user's roles.
    "core:start",
    # The staff member's own account: login, second factor, password reset, invitation.
    "accounts:login",
    "accounts:login_code",
    "accounts:logout",
    "accounts:two_factor",
    "accounts:two_factor_enrol",
    "accounts:two_factor_remove",
    "accounts:password_reset",
    "accounts:password_reset_sent",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation_accept",
    # Staff of an organisation, not participants; audited as account changes in accounts.
    "accounts:staff_list",
    "accounts:staff_invite",
    "accounts:staff_role",
    "accounts:staff_deactivate",
    # A form asking for a person key; what it does with one is audited in privacy.services.
    "privacy:erasure",
    # Deletion records name rules and counts, never a person.
    "privacy:deletion_records",
    # A programme, its decisions and their preview: rules, modules, budgets and counts of
    # cases (for the coordination), never a person. Writes are audited by the services.
    "programmes:detail",
    "programmes:decisions",
    "programmes:decision_detail",
    "programmes:decision_new",
    "programmes:set_up",
    # Offers and course runs with their forwarding contracts: providers, modules, dates,
    # places, never a person. Setting one up is audited by the service.
    "programmes:offers",
    "programmes:offer_new",
    # Budgets: amounts per module and year, funding notices, expenditure rows (module, date,
    # amount, receipt number): no person. Bookings are audited by the services.
    "budgets:overview",
    "budgets:expenditure_new",
    "budgets:import",
    "budgets:notice_new",
    # The reallocation: amounts per module, counts of waiting persons and success rates;
    # the proposal is audited by programmes.services.decision_propose.
    "budgets:reallocation",
    "programmes:decision_adopt",
    "programmes:decision_reject",
    "programmes:decision_condition_met",
    # The usage evaluation and the council paper: aggregates per module and offer (persons
    # counted, hours, money), never a person.
    "reports:evaluation",
    "reports:council_paper",
    # A programme's module ends: decisions and modules, no person.
    "cases:module_ends",
    # Answers a referral and redirects; the answer is audited as a change naming the person.
    "cases:referral_answer",
}


def test_every_url_says_whether_it_shows_people() -> None:
    undecided = sorted(named_urls() - set(SHOWS_PEOPLE) - SHOWS_NO_ONE)
    assert not undecided, f"Decide in {__file__} whether these show people: {undecided}"
    assert not set(SHOWS_PEOPLE) & SHOWS_NO_ONE
    assert not (set(SHOWS_PEOPLE) | SHOWS_NO_ONE) - named_urls(), "stale entries"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SHOWS_PEOPLE))
def test_showing_a_person_writes_an_audit_event_naming_them(
    client: Client, request: pytest.FixtureRequest, name: str
) -> None:
    visit = SHOWS_PEOPLE[name]
    kwargs, person_key = visit.setup(request)
    user: User = request.getfixturevalue(visit.persona)
    client.force_login(user)
    data = dict(visit.data or {})
    if name == "privacy:access_request":
        data["person_key"] = person_key
    before = (
        AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    )
    response = getattr(client, visit.method)(reverse(name, kwargs=kwargs), data)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert response.status_code == 200, f"{name}: {response.status_code}"
    events = AuditEvent.objects.filter(sequence__gt=before, actor=user)
    named = {s.person_key for event in events for s in event.subjects.all()}
    assert person_key in named, f"{name} showed {person_key} without an audit event naming them"
