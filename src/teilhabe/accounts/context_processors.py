"""What the page header needs to link to the account pages."""

from __future__ import annotations

from django.http import HttpRequest

from teilhabe.accounts import policy
from teilhabe.accounts.models import Role, User

STAFF_MANAGER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.COORDINATOR})


def account_links(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"manages_staff": False}
    return {
        "manages_staff": any(m.role in STAFF_MANAGER_ROLES for m in policy.active_memberships(user))
    }
