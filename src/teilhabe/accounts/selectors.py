"""Reads for logging in and for managing staff accounts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts import policy
from teilhabe.accounts.models import Invitation, Membership, Organisation, User
from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.audit.selectors import failed_logins_from

# Ten failures for one account within 15 minutes lock that account for the rest of the
# window: enough for typos, too few for guessing. One address may fail far more often,
# because a whole city office may sit behind one NAT address.
ACCOUNT_FAILURE_LIMIT = 10
ADDRESS_FAILURE_LIMIT = 100
LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)
# Refusals while locked are not counted, so a lock ends 15 minutes after the last guess.
THROTTLED = "throttled"

INVITATION_SALT = "teilhabe.accounts.invitation"
# Set by the login when a second factor will be asked although it is not mandatory.
SECOND_FACTOR_PENDING_KEY = "teilhabe_second_factor_pending"


def failed_logins_for(*, user: User, within: dt.timedelta) -> int:
    """How often logging in as this account failed lately (password or code); the trail counts."""
    return (
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED,
            actor=user,
            occurred_at__gte=timezone.now() - within,
        )
        .exclude(details__reason=THROTTLED)
        .count()
    )


def account_locked(*, user: User) -> bool:
    return failed_logins_for(user=user, within=LOGIN_FAILURE_WINDOW) >= ACCOUNT_FAILURE_LIMIT


def address_throttled(*, ip_address: str | None) -> bool:
    return (
        failed_logins_from(ip_address=ip_address, within=LOGIN_FAILURE_WINDOW)
        >= ADDRESS_FAILURE_LIMIT
    )


def user_by_username(*, username: str) -> User | None:
    try:
        return User._default_manager.get_by_natural_key(username)
    except User.DoesNotExist:
        return None


def demo_exemption_applies(*, user: User) -> bool:
    """Demo personas log in with the password alone, anywhere but in production."""
    return bool(user.password_only_demo_login) and not settings.IS_PRODUCTION


def second_factor_required(*, user: User) -> bool:
    """Everyone who works with personal data needs a second factor (when the setting says so)."""
    if not settings.TEILHABE_REQUIRE_2FA or not user.is_authenticated:
        return False
    if demo_exemption_applies(user=user):
        return False
    return bool(user.is_staff or user.is_superuser or policy.active_memberships(user))


def second_factor_missing(*, request: HttpRequest) -> bool:
    """The session belongs to someone who must, but did not yet, pass the second factor.

    Where the second factor is mandatory this holds until the session is verified (fail
    closed). Where it is not, someone who set one up anyway is asked for it at login: the
    login marks the session until the code is given.
    """
    if not request.user.is_authenticated:
        return False
    user = request.user
    # OTPMiddleware adds is_verified(); without it nobody counts as verified.
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return False
    return second_factor_required(user=user) or bool(request.session.get(SECOND_FACTOR_PENDING_KEY))


def has_second_factor(*, user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def totp_device_for(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_device_for(*, user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def demo_logins_exist() -> bool:
    """Whether the login page should say that the demo personas need no second factor."""
    if settings.IS_PRODUCTION:
        return False
    return User.objects.filter(password_only_demo_login=True, is_active=True).exists()


# Staff accounts


def organisations_managed_by(*, user: User) -> list[Organisation]:
    return list(policy.organisations_whose_staff_user_manages(user))


def staff_memberships_managed_by(*, user: User) -> QuerySet[Membership]:
    """Memberships in the organisations whose staff the user manages, active ones first."""
    return (
        policy.memberships_in_organisations_managed_by(user)
        .select_related("user", "organisation")
        .order_by("organisation__name", "-is_active", "user__last_name", "user__first_name")
    )


def membership_get_for_manager(*, user: User, pk: int) -> Membership | None:
    """A membership the user may change; None (a 404 for the page) when not."""
    membership = staff_memberships_managed_by(user=user).filter(pk=pk).first()
    if membership is None or not policy.may_change_membership(user, membership):
        return None
    return membership


def open_invitations_managed_by(*, user: User) -> QuerySet[Invitation]:
    return (
        policy.invitations_in_organisations_managed_by(user)
        .filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("organisation")
    )


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(invitation.key)


def invitation_for_token(*, token: str) -> Invitation | None:
    """The open invitation a link names; None when the link is forged, expired or used."""
    max_age = dt.timedelta(days=settings.TEILHABE_INVITATION_DAYS)
    try:
        key = signing.TimestampSigner(salt=INVITATION_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None
    invitation = (
        Invitation.objects.filter(
            key=key,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
            organisation__is_active=True,
        )
        .select_related("organisation", "invited_by")
        .first()
    )
    # An invitation is only as good as its sender's right to grant the role today: one sent
    # by someone whose access has since ended (or who lost the rank) opens nothing.
    if invitation is None or not policy.may_grant_role(
        invitation.invited_by, invitation.organisation, invitation.role
    ):
        return None
    return invitation
