"""Guards for the layering rules in docs/architecture.md."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_only_the_policy_module_filters_by_membership_organisation() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "memberships__organisation" in path.read_text() and path.name != "policy.py"
    ]
    assert offenders == []
