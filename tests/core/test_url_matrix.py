"""Who gets what from every page: a row per named URL, a column per persona.

A new URL without a row fails ``test_every_named_url_has_a_row``: decide who may use it
and add the row here. The admin (which has its own permission checks and tests) and
Django's language switch are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from teilhabe.accounts.models import User
from teilhabe.participants.models import Consent, ParticipantFile
from teilhabe.programmes.models import Programme

PERSONAS = ("anonymous", "coach_a", "coach_b", "coordinator", "funder_user", "auditor")
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_URLCONFS = {"django.conf.urls.i18n"}
OK, REDIRECT, NOT_ALLOWED, FORBIDDEN, NOT_FOUND = 200, 302, 405, 403, 404


@dataclass(frozen=True)
class Row:
    expected: dict[str, int]
    method: str = "get"
    kwargs: dict[str, object] = field(default_factory=dict)
    # Builds what the URL points to (with the personas' organisations) and returns its kwargs.
    setup: Callable[[pytest.FixtureRequest], dict[str, object]] | None = None
    # A URL may have several rows, one per situation (own file, shared by consent ...).
    label: str = ""


def _programme_of_the_coordinators_city(request: pytest.FixtureRequest) -> dict[str, object]:
    from tests.factories import CaseFactory, ProgrammeFactory

    municipality = request.getfixturevalue("municipality")
    provider = request.getfixturevalue("provider_a")
    programme = ProgrammeFactory(owner=municipality)
    CaseFactory(programme=programme, lead_provider=provider, participant__municipality=municipality)
    return {"programme_id": programme.pk}


def _funded_programme(request: pytest.FixtureRequest) -> Programme:
    """A programme of the coordinator's city that the funder persona pays for."""
    from tests.factories import FundingNoticeFactory, ProgrammeFactory

    programme: Programme = ProgrammeFactory(owner=request.getfixturevalue("municipality"))
    FundingNoticeFactory(programme=programme, funder=request.getfixturevalue("funder"))
    return programme


def programme_of_the_city(request: pytest.FixtureRequest) -> dict[str, object]:
    return {"programme_id": _funded_programme(request).pk}


def programme_of_another_city(request: pytest.FixtureRequest) -> dict[str, object]:
    from tests.factories import ProgrammeFactory

    return {"programme_id": ProgrammeFactory().pk}


def _decision(request: pytest.FixtureRequest, *, proposed: bool) -> dict[str, object]:
    from teilhabe.programmes.models import DecisionStatus
    from tests.factories import AmendmentFactory, DecisionFactory

    programme = _funded_programme(request)
    extra: dict[str, object] = (
        {"status": DecisionStatus.PROPOSED, "sequence": None, "known_from": None}
        if proposed
        else {}
    )
    decision = DecisionFactory(programme=programme, **extra)
    AmendmentFactory(decision=decision)
    return {"programme_id": decision.programme_id, "decision_id": decision.pk}


def proposal_of_the_city(request: pytest.FixtureRequest) -> dict[str, object]:
    return _decision(request, proposed=True)


def decision_of_the_city(request: pytest.FixtureRequest) -> dict[str, object]:
    return _decision(request, proposed=False)


def decision_of_another_city(request: pytest.FixtureRequest) -> dict[str, object]:
    from tests.factories import AmendmentFactory

    decision = AmendmentFactory().decision
    return {"programme_id": decision.programme_id, "decision_id": decision.pk}


def programme_readers(status: int = OK) -> dict[str, int]:
    """Everyone who works in the programme's city, at its providers or for its funder."""
    return {p: REDIRECT if p == "anonymous" else status for p in PERSONAS}


def nobody_but_anonymous_redirected() -> dict[str, int]:
    return {p: REDIRECT if p == "anonymous" else NOT_FOUND for p in PERSONAS}


def coordination_only(status: int, others: int = NOT_FOUND) -> dict[str, int]:
    return {
        p: REDIRECT if p == "anonymous" else status if p == "coordinator" else others
        for p in PERSONAS
    }


def programme_rows() -> dict[str, Row | tuple[Row, ...]]:
    """The programme pages: read by everyone who takes part, changed by the city's
    coordination; a programme of another city does not exist for anyone here."""
    foreign = Row(
        nobody_but_anonymous_redirected(), setup=programme_of_another_city, label="foreign"
    )
    foreign_decision = Row(
        nobody_but_anonymous_redirected(), setup=decision_of_another_city, label="foreign"
    )
    return {
        # Any coordinator sets up a programme of their own city; nobody else.
        "programmes:set_up": Row(coordination_only(OK, FORBIDDEN)),
        "programmes:detail": (
            Row(programme_readers(), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "programmes:decisions": (
            Row(programme_readers(), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "programmes:decision_new": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        # Offers: the coordination (and a provider's management, tested in
        # tests/programmes/test_contract_pages.py); other readers are refused.
        "programmes:offers": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "programmes:offer_new": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            Row(
                coordination_only(OK, FORBIDDEN),
                method="post",
                setup=programme_of_the_city,
                label="own, invalid post",
            ),
            foreign,
        ),
        "programmes:decision_detail": (
            Row(programme_readers(), setup=decision_of_the_city, label="adopted"),
            Row(coordination_only(OK), setup=proposal_of_the_city, label="proposal"),
            foreign_decision,
        ),
        "programmes:decision_adopt": (
            Row(
                coordination_only(REDIRECT),
                method="post",
                setup=proposal_of_the_city,
                label="proposal",
            ),
            # Already adopted: readers are refused, the coordination is told why not.
            Row(
                coordination_only(OK, FORBIDDEN),
                method="post",
                setup=decision_of_the_city,
                label="adopted",
            ),
            Row(
                nobody_but_anonymous_redirected(),
                method="post",
                setup=decision_of_another_city,
                label="foreign",
            ),
        ),
        "programmes:decision_reject": (
            Row(
                coordination_only(REDIRECT),
                method="post",
                setup=proposal_of_the_city,
                label="proposal",
            ),
            Row(
                nobody_but_anonymous_redirected(),
                method="post",
                setup=decision_of_another_city,
                label="foreign",
            ),
        ),
        # Exact figures per module and offer: the owning city's coordination only.
        "reports:evaluation": (
            Row(coordination_only(OK), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "reports:council_paper": (
            Row(coordination_only(OK), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "programmes:decision_condition_met": (
            Row(
                coordination_only(OK, FORBIDDEN),
                method="post",
                setup=decision_of_the_city,
                label="own",
            ),
            Row(
                nobody_but_anonymous_redirected(),
                method="post",
                setup=decision_of_another_city,
                label="foreign",
            ),
        ),
    }


def budget_rows() -> dict[str, Row | tuple[Row, ...]]:
    """The budget: the coordination and the city's auditors see it per module, the funder its
    totals, the providers are refused; only the coordination books. Another city's programme
    does not exist for anyone here."""
    foreign = Row(
        nobody_but_anonymous_redirected(), setup=programme_of_another_city, label="foreign"
    )
    readers = {**programme_readers(FORBIDDEN), "coordinator": OK, "auditor": OK, "funder_user": OK}
    return {
        "budgets:overview": (Row(readers, setup=programme_of_the_city, label="own"), foreign),
        "budgets:expenditure_new": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "budgets:notice_new": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            foreign,
        ),
        "budgets:import": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            # An empty upload shows the form again with its error.
            Row(
                coordination_only(OK, FORBIDDEN),
                method="post",
                setup=programme_of_the_city,
                label="empty upload",
            ),
            foreign,
        ),
        "budgets:reallocation": (
            Row(coordination_only(OK, FORBIDDEN), setup=programme_of_the_city, label="own"),
            # An empty preview shows the page again (nothing is saved).
            Row(
                coordination_only(OK, FORBIDDEN),
                method="post",
                setup=programme_of_the_city,
                label="preview",
            ),
            foreign,
        ),
    }


def module_end_in_the_coordinators_city(request: pytest.FixtureRequest) -> dict[str, object]:
    """F6 of the coordinator's city ended with a successor; two people were still in it."""
    from tests.cases.handover_scenario import build

    scenario = build(request.getfixturevalue("municipality"))
    return {"programme_id": scenario.programme.pk, "amendment_id": scenario.amendment.pk}


def referral_from_a_to_b(request: pytest.FixtureRequest) -> dict[str, object]:
    """Provider A referred a person to provider B (with the person's consent)."""
    import datetime as dt

    from teilhabe.cases.models import Referral
    from tests.factories import CaseFactory, ConsentFactory

    provider_a = request.getfixturevalue("provider_a")
    provider_b = request.getfixturevalue("provider_b")
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    consent = ConsentFactory(
        file=case.participant.files.get(controller=provider_a), recipient=provider_b
    )
    referral = Referral.objects.create(
        case=case,
        from_provider=provider_a,
        to_provider=provider_b,
        consent=consent,
        sent_on=dt.date(2022, 6, 1),
        due_on=dt.date(2022, 6, 15),
    )
    return {"pk": referral.pk}


def referral_exists(request: pytest.FixtureRequest) -> dict[str, object]:
    """For the task list: A's referral to B; the list itself takes no arguments."""
    referral_from_a_to_b(request)
    return {}


def participation_at_a(
    request: pytest.FixtureRequest, *, shared: bool = False
) -> dict[str, object]:
    """A case led by provider A, taking part in F4; with ``shared``, a consent in A's file
    shares the case's content with provider B, who then reads it."""
    from tests.cases.participation_scenario import build
    from tests.factories import ConsentFactory

    scenario = build(request.getfixturevalue("provider_a"))
    if shared:
        ConsentFactory(
            file=scenario.file,
            recipient=request.getfixturevalue("provider_b"),
            data_categories=["case_notes"],
        )
    return {"case_id": scenario.case.pk, "participation_id": scenario.in_f4.pk}


def participation_rows(*, method: str, owner: int, keep: tuple[str, ...]) -> tuple[Row, Row]:
    """A URL of a case that provider A leads: its case workers work it; provider B, reading
    it by consent, is refused; for everyone else it does not exist."""

    def setup(shared: bool) -> Callable[[pytest.FixtureRequest], dict[str, object]]:
        def kwargs(request: pytest.FixtureRequest) -> dict[str, object]:
            found = participation_at_a(request, shared=shared)
            return {key: found[key] for key in keep}

        return kwargs

    others = dict.fromkeys(("coordinator", "funder_user", "auditor"), NOT_FOUND)
    return (
        Row(
            {"anonymous": REDIRECT, "coach_a": owner, "coach_b": NOT_FOUND, **others},
            method=method,
            setup=setup(False),
            label="not shared",
        ),
        Row(
            {"anonymous": REDIRECT, "coach_a": owner, "coach_b": FORBIDDEN, **others},
            method=method,
            setup=setup(True),
            label="shared with B",
        ),
    )


def staff_only(status_for_staff: int = OK) -> dict[str, int]:
    """Logged-in users get the page, anonymous visitors are sent to the login."""
    return {p: (REDIRECT if p == "anonymous" else status_for_staff) for p in PERSONAS}


def auditor_only() -> dict[str, int]:
    """The audit trail: the auditor reads it, other staff are refused, anonymous log in first."""
    return {
        p: REDIRECT if p == "anonymous" else OK if p == "auditor" else FORBIDDEN for p in PERSONAS
    }


# --- Situations for the file pages: a file kept by provider A, with or without a consent ---


def _file_of_provider_a(request: pytest.FixtureRequest) -> ParticipantFile:
    from tests.factories import ParticipantFileFactory

    provider_a = request.getfixturevalue("provider_a")
    file: ParticipantFile = ParticipantFileFactory(
        controller=provider_a, participant__municipality=provider_a.municipality
    )
    return file


def _consent_to_provider_b(file: ParticipantFile, request: pytest.FixtureRequest) -> Consent:
    from tests.factories import ConsentFactory

    consent: Consent = ConsentFactory(
        file=file, recipient=request.getfixturevalue("provider_b"), data_categories=["outcomes"]
    )
    return consent


def file_without_consent(request: pytest.FixtureRequest) -> dict[str, object]:
    return {"pk": _file_of_provider_a(request).pk}


def file_shared_with_b(request: pytest.FixtureRequest) -> dict[str, object]:
    file = _file_of_provider_a(request)
    _consent_to_provider_b(file, request)
    return {"pk": file.pk}


def consent_of_file_shared_with_b(request: pytest.FixtureRequest) -> dict[str, object]:
    file = _file_of_provider_a(request)
    return {"pk": file.pk, "consent_pk": _consent_to_provider_b(file, request).pk}


def files_exist(request: pytest.FixtureRequest) -> dict[str, object]:
    """For the list: A's file, shared with B; the list itself takes no arguments."""
    file_shared_with_b(request)
    return {}


def file_rows(*, owner: int, recipient: int) -> tuple[Row, Row]:
    """A URL of one file that coach A's organisation keeps. Coach B is the foreign provider:
    without a consent (not found) and with one naming B (``recipient``). The coordination,
    the funder and the auditor never open a provider's file without a consent naming them."""
    others = dict.fromkeys(("coordinator", "funder_user", "auditor"), NOT_FOUND)
    return (
        Row(
            {"anonymous": REDIRECT, "coach_a": owner, "coach_b": NOT_FOUND, **others},
            setup=file_without_consent,
            label="without consent",
        ),
        Row(
            {"anonymous": REDIRECT, "coach_a": owner, "coach_b": recipient, **others},
            setup=file_shared_with_b,
            label="with consent",
        ),
    )


MATRIX: dict[str, Row | tuple[Row, ...]] = {
    "core:start": Row(staff_only()),
    "accounts:login": Row({p: (OK if p == "anonymous" else REDIRECT) for p in PERSONAS}),
    "accounts:logout": Row(dict.fromkeys(PERSONAS, REDIRECT), method="post"),
    "accounts:login_code": Row(staff_only(REDIRECT)),
    "accounts:two_factor": Row(staff_only()),
    "accounts:two_factor_enrol": Row(staff_only()),
    "accounts:two_factor_remove": Row(staff_only(REDIRECT)),
    "accounts:staff_list": Row({**staff_only(FORBIDDEN), "coordinator": OK}),
    "accounts:staff_invite": Row({**staff_only(FORBIDDEN), "coordinator": OK}),
    "accounts:staff_role": Row(staff_only(NOT_FOUND), kwargs={"pk": 999999}),
    "accounts:staff_deactivate": Row(staff_only(NOT_FOUND), kwargs={"pk": 999999}),
    "accounts:invitation_accept": Row(
        dict.fromkeys(PERSONAS, NOT_FOUND), kwargs={"token": "abc:def:ghi"}
    ),
    "accounts:password_reset": Row(dict.fromkeys(PERSONAS, OK)),
    "accounts:password_reset_sent": Row(dict.fromkeys(PERSONAS, OK)),
    "accounts:password_reset_confirm": Row(
        dict.fromkeys(PERSONAS, OK), kwargs={"uidb64": "MQ", "token": "abc-def"}
    ),
    "accounts:password_reset_complete": Row(dict.fromkeys(PERSONAS, OK)),
    # Everyone logged in gets "Meine Akten"; it lists only what they may open (tested in
    # tests/participants/test_views.py).
    "participants:file_list": Row(staff_only(), setup=files_exist),
    "participants:file_detail": file_rows(owner=OK, recipient=OK),
    "participants:consent_create": file_rows(owner=OK, recipient=FORBIDDEN),
    "participants:residence_document_create": file_rows(owner=OK, recipient=FORBIDDEN),
    "participants:consent_withdraw": (
        Row(
            {"anonymous": REDIRECT, "coach_a": OK, "coach_b": FORBIDDEN}
            | dict.fromkeys(("coordinator", "funder_user", "auditor"), NOT_FOUND),
            setup=consent_of_file_shared_with_b,
            label="confirmation",
        ),
        Row(
            {"anonymous": REDIRECT, "coach_a": REDIRECT, "coach_b": FORBIDDEN}
            | dict.fromkeys(("coordinator", "funder_user", "auditor"), NOT_FOUND),
            method="post",
            setup=consent_of_file_shared_with_b,
            label="withdrawal",
        ),
    ),
    # The data protection of a municipality answers access requests; nobody else.
    "privacy:access_request": Row(auditor_only()),
    "privacy:erasure": Row(auditor_only()),
    "privacy:deletion_records": Row(auditor_only()),
    # The coordination of the owning city only; everyone else cannot tell it exists.
    "cases:programme_participants": Row(
        {p: {"anonymous": REDIRECT, "coordinator": OK}.get(p, NOT_FOUND) for p in PERSONAS},
        setup=_programme_of_the_coordinators_city,
    ),
    "cases:module_ends": Row(coordination_only(OK), setup=_programme_of_the_coordinators_city),
    "cases:hand_over": (
        Row(coordination_only(OK), setup=module_end_in_the_coordinators_city, label="page"),
        # An empty submission shows the form again with its errors.
        Row(
            coordination_only(OK),
            method="post",
            setup=module_end_in_the_coordinators_city,
            label="submit",
        ),
    ),
    # Everyone logged in gets their organisation's referrals (the list may be empty).
    "cases:referrals": Row(
        staff_only(), setup=lambda request: referral_from_a_to_b(request) and {}
    ),
    # The receiving side answers; the sender may not; the rest cannot tell it exists.
    "cases:referral_answer": Row(
        {
            "anonymous": REDIRECT,
            "coach_a": FORBIDDEN,
            "coach_b": REDIRECT,
            "coordinator": NOT_FOUND,
            "funder_user": NOT_FOUND,
            "auditor": NOT_FOUND,
        },
        method="post",
        setup=referral_from_a_to_b,
    ),
    # A case's module participations: the lead's case workers (an empty form is shown
    # again with its errors).
    "cases:participations": participation_rows(method="get", owner=OK, keep=("case_id",)),
    "cases:participation_start": participation_rows(method="post", owner=OK, keep=("case_id",)),
    "cases:participation_end": participation_rows(
        method="post", owner=OK, keep=("case_id", "participation_id")
    ),
    "audit:events": Row(auditor_only()),
    "audit:events_csv": Row(auditor_only()),
    **programme_rows(),
    **budget_rows(),
}


def matrix_rows() -> list[tuple[str, Row]]:
    return [
        (name, row)
        for name, rows in sorted(MATRIX.items())
        for row in (rows if isinstance(rows, tuple) else (rows,))
    ]


def _named_patterns(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            urlconf = getattr(entry.urlconf_name, "__name__", None)
            if urlconf in EXCLUDED_URLCONFS:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}"


def named_urls() -> set[str]:
    return set(_named_patterns(get_resolver().url_patterns))


def test_the_walk_finds_the_known_urls_and_skips_the_admin() -> None:
    names = named_urls()
    assert {"core:start", "accounts:login", "accounts:logout"} <= names
    assert not any(name.startswith("admin:") for name in names)
    assert "set_language" not in names


def test_every_named_url_has_a_row() -> None:
    missing = sorted(named_urls() - set(MATRIX))
    assert not missing, f"Add a row to MATRIX in {__file__} for: {missing}"


def test_the_matrix_has_no_stale_rows() -> None:
    stale = sorted(set(MATRIX) - named_urls())
    assert not stale, f"These rows name no URL any more: {stale}"


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "row"),
    matrix_rows(),
    ids=[f"{name}[{row.label}]" if row.label else name for name, row in matrix_rows()],
)
def test_each_persona_gets_the_expected_status(
    client: Client,
    request: pytest.FixtureRequest,
    db: None,
    name: str,
    row: Row,
    persona: str,
    language: str,
) -> None:
    if persona != "anonymous":
        user: User = request.getfixturevalue(persona)
        client.force_login(user)
    kwargs = row.setup(request) if row.setup else row.kwargs
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)
    response = getattr(client, row.method)(url)
    assert response.status_code == row.expected[persona], (
        f"{row.method.upper()} {url} as {persona}: {response.status_code}"
    )
    if persona == "anonymous" and response.status_code == REDIRECT and name != "accounts:logout":
        with translation.override(language):
            login = reverse("accounts:login")
        assert response["Location"].startswith(f"{login}?next=")
