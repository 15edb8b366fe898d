"""Writes about accounts: logging in, the second factor, invitations, roles, deactivation.

Every step writes an audit event. The trail names accounts and organisations by id and
codes, never by name or email address.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts import policy
from teilhabe.accounts.models import Invitation, Membership, Organisation, User
from teilhabe.accounts.selectors import (
    SECOND_FACTOR_PENDING_KEY,
    demo_exemption_applies,
    has_second_factor,
    invitation_token,
    second_factor_required,
)
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record

RECOVERY_CODE_COUNT = 10


# Logging in


def login_record(*, user: User, request: HttpRequest, second_factor: str) -> None:
    """A completed step of logging in; ``second_factor`` says which (or why none was asked)."""
    audit_record(
        action=AuditAction.LOGIN,
        actor=user,
        request=request,
        details={"second_factor": second_factor},
    )


def login_failure_record(*, user: User | None, request: HttpRequest, reason: str) -> None:
    """A failed attempt, counted against the account it targeted (when there is one)."""
    audit_record(
        action=AuditAction.LOGIN_FAILED, actor=user, request=request, details={"reason": reason}
    )


def logout_record(*, user: User, request: HttpRequest) -> None:
    audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


def second_factor_after_password(*, user: User, request: HttpRequest) -> str:
    """What follows a correct password: "pending" when a code is to be asked next, else why not.

    Mandatory for staff (TEILHABE_REQUIRE_2FA); asked anyway from anyone who set one up,
    except the demo personas outside production.
    """
    if demo_exemption_applies(user=user):
        return "demo_exempt"
    if second_factor_required(user=user):
        return "pending"
    if has_second_factor(user=user):
        request.session[SECOND_FACTOR_PENDING_KEY] = True
        return "pending"
    return "not_required"


def _second_factor_passed(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(SECOND_FACTOR_PENDING_KEY, None)


# The second factor


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up; the same one while the page is reloaded."""
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        raise PermissionDenied
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Authentifizierungs-App"), confirmed=False
        )
    return device


def totp_enrolment_confirm(*, user: User, code: str, request: HttpRequest) -> list[str]:
    """Confirm the authenticator with a code from it; returns the new recovery codes.

    Raises ValidationError on ``code`` when the code does not match.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None or TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        raise PermissionDenied
    with transaction.atomic():
        matched = verify_token(user, device.persistent_id, _normalise_code(code))
    if matched is None:
        login_failure_record(user=user, request=request, reason="wrong_enrolment_code")
        raise ValidationError(
            {
                "code": _(
                    "Der Code stimmt nicht. Bitte geben Sie den Code ein, den die App gerade zeigt."
                )
            }
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        audit_record(
            action=AuditAction.CREATE,
            actor=user,
            obj=device,
            request=request,
            details={"event": "second_factor_enrolled"},
        )
    _second_factor_passed(request, device)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(
        user=user, name=_("Wiederherstellungscodes"), confirmed=True
    )
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@dataclass(frozen=True)
class Verified:
    kind: str  # "totp" or "recovery_code"
    recovery_codes_left: int


def _matching_device(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    token = _normalise_code(code)
    if not token:
        return None
    for device in list(devices_for_user(user, confirmed=True)):
        matched = verify_token(user, device.persistent_id, token)
        if matched is not None:
            return matched
    return None


def second_factor_verify(*, user: User, code: str, request: HttpRequest) -> Verified | None:
    """Check a code from the app or a recovery code (which then is used up)."""
    device = _matching_device(user, code)
    if device is None:
        login_failure_record(user=user, request=request, reason="wrong_code")
        return None
    kind = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    _second_factor_passed(request, device)
    login_record(user=user, request=request, second_factor=kind)
    left = StaticToken.objects.filter(device__user=user).count()
    return Verified(kind=kind, recovery_codes_left=left)


def second_factor_remove(*, user: User, code: str, request: HttpRequest) -> bool:
    """Remove the authenticator and the recovery codes; needs a current code."""
    device = _matching_device(user, code)
    if device is None:
        login_failure_record(user=user, request=request, reason="wrong_code")
        return False
    with transaction.atomic():
        for existing in list(devices_for_user(user, confirmed=None)):
            audit_record(
                action=AuditAction.DELETE,
                actor=user,
                obj=existing,
                request=request,
                details={"event": "second_factor_removed"},
            )
            existing.delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    return True


# Staff accounts


def staff_invite(
    *,
    acting_user: User,
    organisation: Organisation,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    request: HttpRequest,
) -> Invitation:
    """Invite someone to a staff account; the link goes out by email after the commit."""
    if not policy.manages_staff_of(acting_user, organisation):
        raise PermissionDenied
    email = email.strip()
    problems: dict[str, list[str]] = {}
    if not policy.may_grant_role(acting_user, organisation, role):
        problems["role"] = [_("Diese Rolle können Sie bei dieser Organisation nicht vergeben.")]
    if User.objects.filter(email__iexact=email).exists():
        problems["email"] = [
            _(
                "Für diese E-Mail-Adresse gibt es schon ein Konto. Bitte wenden Sie sich an die Programmkoordination."
            )
        ]
    elif Invitation.objects.filter(
        email__iexact=email,
        organisation=organisation,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        problems["email"] = [_("An diese E-Mail-Adresse ist schon eine Einladung unterwegs.")]
    invitation = Invitation(
        organisation=organisation,
        role=role,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        invited_by=acting_user,
        key=secrets.token_urlsafe(32),
        expires_at=timezone.now() + dt.timedelta(days=settings.TEILHABE_INVITATION_DAYS),
    )
    try:
        invitation.full_clean(exclude=["invited_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        invitation.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=invitation,
            organisation=organisation,
            request=request,
            details={"role": role},
        )
        link = request.build_absolute_uri(
            reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
        )
        context = {"invitation": invitation, "link": link}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [invitation.email], fail_silently=False)
        )
    return invitation


def invitation_accept(
    *, invitation: Invitation, username: str, password: str, request: HttpRequest
) -> User:
    """Create the invited person's account with the password they chose."""
    if invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise PermissionDenied
    username = username.strip()
    user = User(
        username=username,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    problems: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if User.objects.filter(username__iexact=username).exists() and "username" not in problems:
        problems["username"] = [
            _("Diesen Benutzernamen gibt es schon. Bitte wählen Sie einen anderen.")
        ]
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        problems["password"] = list(error.messages)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user", "updated_at"])
        audit_record(
            action=AuditAction.CREATE,
            actor=user,
            obj=user,
            organisation=invitation.organisation,
            request=request,
            details={"via": "invitation", "invitation": invitation.pk},
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=user,
            obj=membership,
            organisation=invitation.organisation,
            request=request,
            details={"via": "invitation", "role": membership.role},
        )
    return user


def membership_change_role(
    *, acting_user: User, membership: Membership, role: str, request: HttpRequest
) -> Membership:
    if not policy.may_change_membership(acting_user, membership):
        raise PermissionDenied
    if role == membership.role:
        return membership
    if not policy.may_grant_role(acting_user, membership.organisation, role):
        raise ValidationError(
            {"role": [_("Diese Rolle können Sie bei dieser Organisation nicht vergeben.")]}
        )
    previous = membership.role
    membership.role = role
    try:
        # Also checks that the person does not hold the new role there already.
        membership.full_clean()
    except ValidationError as error:
        membership.role = previous
        raise ValidationError({"role": error.messages}) from None
    with transaction.atomic():
        membership.save(update_fields=["role", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=membership,
            organisation=membership.organisation,
            request=request,
            details={"fields": ["role"], "from": previous, "to": role},
        )
    return membership


def membership_deactivate(
    *, acting_user: User, membership: Membership, request: HttpRequest
) -> bool:
    """End a membership at once; the account too when it was the person's last one.

    Returns whether the account was deactivated. A deactivated account's next request
    is anonymous (the authentication backend refuses inactive users).
    """
    if not policy.may_change_membership(acting_user, membership):
        raise PermissionDenied
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=membership,
            organisation=membership.organisation,
            request=request,
            details={"fields": ["is_active"], "event": "membership_deactivated"},
        )
        user = User.objects.get(pk=membership.user_id)  # fresh: no cached memberships
        others = [m for m in policy.active_memberships(user) if m.pk != membership.pk]
        account_ended = not others and not user.is_superuser
        if account_ended:
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=acting_user,
                obj=user,
                organisation=membership.organisation,
                request=request,
                details={"fields": ["is_active"], "event": "account_deactivated"},
            )
    return account_ended


# Password reset


def password_reset_requested_record(*, users: list[User], request: HttpRequest) -> None:
    for user in users:
        audit_record(
            action=AuditAction.UPDATE,
            actor=None,
            obj=user,
            request=request,
            details={"event": "password_reset_requested"},
        )


def password_reset_completed_record(*, user: User, request: HttpRequest) -> None:
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        obj=user,
        request=request,
        details={"fields": ["password"], "event": "password_reset"},
    )


def staff_list_read_record(
    *, user: User, memberships: list[Membership], request: HttpRequest
) -> None:
    """The staff list shows colleagues' names and addresses: one event for the page."""
    audit_record(
        action=AuditAction.READ,
        actor=user,
        request=request,
        details={
            "view": "staff_list",
            "model": "accounts.membership",
            "ids": [m.pk for m in memberships],
        },
    )
