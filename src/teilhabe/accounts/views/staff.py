"""Mitarbeitende: invite staff, change their roles, deactivate them; accept an invitation."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.forms import AcceptInvitationForm, InviteForm, RoleForm
from teilhabe.accounts.models import Membership, Role, User
from teilhabe.accounts.selectors import (
    invitation_for_token,
    membership_get_for_manager,
    open_invitations_managed_by,
    organisations_managed_by,
    second_factor_required,
    staff_memberships_managed_by,
)
from teilhabe.accounts.services import (
    invitation_accept,
    login_record,
    membership_change_role,
    membership_deactivate,
    second_factor_after_password,
    staff_invite,
    staff_list_read_record,
)


def _manager(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not organisations_managed_by(user=user):
        raise PermissionDenied
    return user


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    memberships = list(staff_memberships_managed_by(user=user))
    staff_list_read_record(user=user, memberships=memberships, request=request)
    groups = [
        {
            "organisation": organisation,
            "memberships": [
                {"membership": m, "changeable": policy.may_change_membership(user, m)}
                for m in members
            ],
        }
        for organisation, members in groupby(memberships, key=lambda m: m.organisation)
    ]
    return render(
        request,
        "accounts/staff_list.html",
        {"groups": groups, "invitations": list(open_invitations_managed_by(user=user))},
    )


def _grantable_roles(user: User) -> list[str]:
    organisations = organisations_managed_by(user=user)
    return [
        role
        for role in Role
        if any(policy.may_grant_role(user, organisation, role) for organisation in organisations)
    ]


@login_required
def staff_invite_view(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    organisations = organisations_managed_by(user=user)
    roles = _grantable_roles(user)
    form = InviteForm(
        request.POST or None,
        organisations=organisations,
        roles=roles,
        initial={"role": Role.COACH if Role.COACH in roles else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = staff_invite(
                acting_user=user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Die Einladung ist an %(email)s verschickt.") % {"email": invitation.email},
            )
            return HttpResponseRedirect(reverse("accounts:staff_list"))
    return render(request, "accounts/staff_invite.html", {"form": form})


def _membership_or_404(request: HttpRequest, pk: int) -> tuple[User, Membership]:
    user = request.user
    assert isinstance(user, User)
    membership = membership_get_for_manager(user=user, pk=pk)
    if membership is None:
        raise Http404
    return user, membership


@login_required
def staff_role(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = _membership_or_404(request, pk)
    roles = policy.roles_grantable_by(user, membership.organisation)
    form = RoleForm(request.POST or None, roles=roles, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership_change_role(
                acting_user=user,
                membership=membership,
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Rolle ist geändert."))
            return HttpResponseRedirect(reverse("accounts:staff_list"))
    return render(request, "accounts/staff_role.html", {"form": form, "membership": membership})


@login_required
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = _membership_or_404(request, pk)
    if not membership.is_active:
        return HttpResponseRedirect(reverse("accounts:staff_list"))
    if request.method == "POST":
        account_ended = membership_deactivate(
            acting_user=user, membership=membership, request=request
        )
        if account_ended:
            messages.success(
                request,
                _("Der Zugang ist beendet. Die Person ist ab sofort abgemeldet."),
            )
        else:
            messages.success(
                request,
                _(
                    "Die Mitgliedschaft ist beendet. Die Person hat ab sofort keinen Zugriff mehr "
                    "auf die Daten dieser Organisation."
                ),
            )
        return HttpResponseRedirect(reverse("accounts:staff_list"))
    return render(request, "accounts/staff_deactivate.html", {"membership": membership})


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            status = second_factor_after_password(user=user, request=request)
            login_record(user=user, request=request, second_factor=status)
            if second_factor_required(user=user):
                messages.success(
                    request,
                    _("Ihr Konto ist angelegt. Richten Sie jetzt den zweiten Faktor ein."),
                )
                return HttpResponseRedirect(reverse("accounts:two_factor_enrol"))
            messages.success(request, _("Ihr Konto ist angelegt."))
            return HttpResponseRedirect(reverse("core:start"))
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
