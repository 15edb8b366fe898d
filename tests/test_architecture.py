"""Guards for the layering rules in docs/architecture.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "teilhabe"
PERSONAL_DATA_MODELS = (
    "Participant",
    "ResidenceDocument",
    "Consent",
    "Case",
    "Contact",
    "Enrolment",
    "Attendance",
    "Outcome",
    "Referral",
    "SupportGoal",
)
DIRECT_ACCESS = re.compile(r"\b(" + "|".join(PERSONAL_DATA_MODELS) + r")\.objects\b")


def _thin_layer_files() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/views.py", "*/forms.py", "*/views/*.py", "*/templatetags/*.py")
        for path in SRC.glob(pattern)
    )


def test_views_and_forms_read_personal_data_only_through_selectors() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in _thin_layer_files()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DIRECT_ACCESS.search(line)
    ]
    assert offenders == [], "use a selector from <app>/selectors.py instead"


def test_the_guard_recognises_direct_access() -> None:
    assert DIRECT_ACCESS.search("qs = Participant.objects.filter(pk=1)")
    assert not DIRECT_ACCESS.search("participants_visible_to(user)")


# Filtering by organisation, membership or consent is an access decision: only the policy
# module makes one. The demo builds data (it decides nothing) and migrations move it.
ACCESS_DECISION = re.compile(
    r"\b(?:lead_provider|controller|recipient|organisation|offer__provider)(?:_id)?__in\b"
    r"|\bmemberships__"
    r"|\bMembership\.objects\.filter\("
    r"|\b(?:consent_in_force_q|organisation_ids_with_role|case_work_organisation_ids)\("
    r"|\bConsent\.objects\.filter\("
)
POLICY = SRC / "accounts" / "policy.py"


def _access_decision_offenders() -> list[str]:
    return [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path != POLICY and "migrations" not in path.parts and "demo" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ACCESS_DECISION.search(line)
    ]


def test_only_the_policy_module_decides_by_organisation_membership_or_consent() -> None:
    assert _access_decision_offenders() == [], "ask accounts.policy instead"


@pytest.mark.parametrize(
    "line",
    [
        "Case.objects.filter(lead_provider_id__in=ids)",
        "qs.filter(controller__in=orgs)",
        "User.objects.filter(memberships__organisation=org)",
        "Membership.objects.filter(user=user)",
        "Consent.objects.filter(consent_in_force_q(on=day))",
        "policy.organisation_ids_with_role(user, roles)",
        "Enrolment.objects.filter(offer__provider_id__in=orgs)",
    ],
)
def test_the_access_guard_recognises_decisions(line: str) -> None:
    assert ACCESS_DECISION.search(line)


def test_the_access_guard_leaves_plain_reads_alone() -> None:
    assert not ACCESS_DECISION.search("cases_visible_to(user).filter(pk=pk)")
    assert not ACCESS_DECISION.search("policy.visible_case_filter(user)")
