"""The access policy: who may see and do what. The one place that knows roles × organisations × consent.

Views, services and selectors ask these predicates; none of them filters by organisation
on its own. Providers are the controllers of their case files: a provider's staff see the
cases their organisation leads, and another organisation's cases only where the participant
consented to sharing with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from teilhabe.accounts.models import Membership, Organisation, Role, User

CASE_WORK_ROLES = frozenset({Role.COACH, Role.PROVIDER_ADMIN})
PROVIDER_STAFF_ROLES = frozenset({Role.COACH, Role.COURSE_STAFF, Role.PROVIDER_ADMIN})


def active_memberships(user: User) -> list[Membership]:
    """Memberships of an active user in active organisations, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, is_active=True, organisation__is_active=True
            ).select_related("organisation", "organisation__municipality")
        )
        user._active_memberships = cached  # type: ignore[attr-defined]
    return cached


def organisation_ids_with_role(user: User, roles: Iterable[str]) -> set[int]:
    wanted = set(roles)
    return {m.organisation_id for m in active_memberships(user) if m.role in wanted}


def has_role(user: User, role: str, organisation: Organisation | None = None) -> bool:
    return any(
        m.role == role and (organisation is None or m.organisation_id == organisation.pk)
        for m in active_memberships(user)
    )


def is_coordinator_of(user: User, municipality: Organisation) -> bool:
    return has_role(user, Role.COORDINATOR, municipality)


def does_case_work_at(user: User, provider: Organisation) -> bool:
    return any(
        m.organisation_id == provider.pk and m.role in CASE_WORK_ROLES
        for m in active_memberships(user)
    )


def works_in_municipality(user: User, municipality: Organisation) -> bool:
    """Staff of the municipality itself or of one of its providers."""
    for m in active_memberships(user):
        org = m.organisation
        if org.pk == municipality.pk or org.municipality_id == municipality.pk:
            return True
    return False


def consent_in_force_q(*, organisation_ids: Iterable[int], on: dt.date, prefix: str = "") -> Q:
    """Consents that let these organisations see a participant's case on that day."""
    p = prefix
    return (
        Q(**{f"{p}purpose__in": ["case_sharing", "transfer"]})
        & Q(**{f"{p}recipient_id__in": list(organisation_ids)})
        & Q(**{f"{p}given_on__lte": on})
        & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": on}))
        & (Q(**{f"{p}withdrawn_on__isnull": True}) | Q(**{f"{p}withdrawn_on__gt": on}))
    )


def visible_case_filter(user: User, *, on: dt.date | None = None, prefix: str = "") -> Q:
    """A filter on cases (or on rows reached through ``prefix``) that the user may open.

    Provider staff: cases their organisation leads, plus cases of participants who consented
    to sharing with their organisation. Nobody else sees case content in this version: the
    coordination gets pseudonymised figures, the funder aggregates only.
    """
    day = on or timezone.localdate()
    provider_ids = organisation_ids_with_role(user, PROVIDER_STAFF_ROLES)
    if not provider_ids:
        return Q(pk__in=[])
    p = prefix
    shared_participant_ids = _participant_ids_sharing_with(provider_ids, day)
    return Q(**{f"{p}lead_provider_id__in": provider_ids}) | Q(
        **{f"{p}participant_id__in": shared_participant_ids}
    )


def _participant_ids_sharing_with(organisation_ids: set[int], on: dt.date) -> QuerySet:
    from teilhabe.participants.models import Consent

    return Consent.objects.filter(
        consent_in_force_q(organisation_ids=organisation_ids, on=on)
    ).values("participant_id")


# Figures
#
# Counts of people for any day are exact only for those who work with the people counted;
# everyone else reads the published figures of closed reporting periods, with small numbers
# suppressed (reports.disclosure, docs/decisions/0005-published-figures.md).


def sees_exact_figures_of(user: User, organisation: Organisation) -> bool:
    """Exact counts for any day: a municipality's coordination for its programmes, a
    provider's coaches and admins for the cases their provider leads."""
    wanted = {
        Organisation.Kind.MUNICIPALITY: {Role.COORDINATOR},
        Organisation.Kind.PROVIDER: {Role.COACH, Role.PROVIDER_ADMIN},
    }.get(Organisation.Kind(organisation.kind), set())
    return any(
        m.organisation_id == organisation.pk and m.role in wanted for m in active_memberships(user)
    )
