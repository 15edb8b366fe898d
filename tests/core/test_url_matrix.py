"""Who gets what from every page: a row per named URL, a column per persona.

A new URL without a row fails ``test_every_named_url_has_a_row``: decide who may use it
and add the row here. The admin (which has its own permission checks and tests) and
Django's language switch are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from teilhabe.accounts.models import User

PERSONAS = ("anonymous", "coach_a", "coach_b", "coordinator", "funder_user", "auditor")
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_URLCONFS = {"django.conf.urls.i18n"}
OK, REDIRECT, NOT_ALLOWED, FORBIDDEN, NOT_FOUND = 200, 302, 405, 403, 404


@dataclass(frozen=True)
class Row:
    expected: dict[str, int]
    method: str = "get"
    kwargs: dict[str, object] = field(default_factory=dict)


def staff_only(status_for_staff: int = OK) -> dict[str, int]:
    """Logged-in users get the page, anonymous visitors are sent to the login."""
    return {p: (REDIRECT if p == "anonymous" else status_for_staff) for p in PERSONAS}


MATRIX: dict[str, Row] = {
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
}


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
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_expected_status(
    client: Client,
    request: pytest.FixtureRequest,
    db: None,
    name: str,
    persona: str,
    language: str,
) -> None:
    row = MATRIX[name]
    if persona != "anonymous":
        user: User = request.getfixturevalue(persona)
        client.force_login(user)
    with translation.override(language):
        url = reverse(name, kwargs=row.kwargs)
    response = getattr(client, row.method)(url)
    assert response.status_code == row.expected[persona], (
        f"{row.method.upper()} {url} as {persona}: {response.status_code}"
    )
    if persona == "anonymous" and response.status_code == REDIRECT and name != "accounts:logout":
        with translation.override(language):
            login = reverse("accounts:login")
        assert response["Location"].startswith(f"{login}?next=")
