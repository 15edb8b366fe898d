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


# Staff accounts
#
# Who may invite staff, change their roles and deactivate them, for which organisation:
# a provider admin for their provider; the coordination for its municipality and that
# municipality's providers; never across municipalities. Nobody grants a role above their
# own (a provider admin cannot make anyone coordinator), and nobody changes their own.

# Imported here to keep this block apart from the rest of the module.
from teilhabe.accounts.models import ROLES_BY_ORGANISATION_KIND, Invitation  # noqa: E402

# A role's weight when granting: equal or lower roles may be granted, higher ones not.
STAFF_ROLE_RANK: dict[str, int] = {
    Role.COACH: 1,
    Role.COURSE_STAFF: 1,
    Role.AUDITOR: 1,
    Role.FUNDER: 1,
    Role.PROVIDER_ADMIN: 2,
    Role.COORDINATOR: 3,
}


def staff_rank_at(user: User, organisation: Organisation) -> int:
    """The rank with which the user manages this organisation's staff; 0 when they do not."""
    if not organisation.is_active:
        return 0
    if organisation.kind == Organisation.Kind.MUNICIPALITY:
        return (
            STAFF_ROLE_RANK[Role.COORDINATOR]
            if has_role(user, Role.COORDINATOR, organisation)
            else 0
        )
    if organisation.kind == Organisation.Kind.PROVIDER:
        municipality = organisation.municipality
        if municipality is not None and has_role(user, Role.COORDINATOR, municipality):
            return STAFF_ROLE_RANK[Role.COORDINATOR]
        if has_role(user, Role.PROVIDER_ADMIN, organisation):
            return STAFF_ROLE_RANK[Role.PROVIDER_ADMIN]
    return 0


def manages_staff_of(user: User, organisation: Organisation) -> bool:
    return staff_rank_at(user, organisation) > 0


def may_grant_role(user: User, organisation: Organisation, role: str) -> bool:
    rank = staff_rank_at(user, organisation)
    return (
        rank > 0
        and role in ROLES_BY_ORGANISATION_KIND[organisation.kind]
        and STAFF_ROLE_RANK[role] <= rank
    )


def roles_grantable_by(user: User, organisation: Organisation) -> list[str]:
    return [role for role in Role if may_grant_role(user, organisation, role)]


def may_change_membership(user: User, membership: Membership) -> bool:
    """Change the role of, or deactivate, someone else's membership of equal or lower rank."""
    return membership.user_id != user.pk and may_grant_role(
        user, membership.organisation, membership.role
    )


def organisations_whose_staff_user_manages(user: User) -> QuerySet[Organisation]:
    provider_admin_of = [
        m.organisation_id for m in active_memberships(user) if m.role == Role.PROVIDER_ADMIN
    ]
    coordinator_of = [
        m.organisation_id
        for m in active_memberships(user)
        if m.role == Role.COORDINATOR and m.organisation.kind == Organisation.Kind.MUNICIPALITY
    ]
    return Organisation.objects.filter(
        Q(pk__in=coordinator_of)
        | Q(kind=Organisation.Kind.PROVIDER, municipality_id__in=coordinator_of)
        | Q(kind=Organisation.Kind.PROVIDER, pk__in=provider_admin_of),
        is_active=True,
    ).select_related("municipality")


def memberships_in_organisations_managed_by(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation__in=organisations_whose_staff_user_manages(user))


def invitations_in_organisations_managed_by(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation__in=organisations_whose_staff_user_manages(user))
