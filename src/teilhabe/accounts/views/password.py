"""Password reset by email: Django's views with the app's pages, audited, no enumeration.

The page after asking for a link says the same whether or not an account has the address.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from teilhabe.accounts.forms import PasswordResetForm, SetPasswordForm
from teilhabe.accounts.models import User
from teilhabe.accounts.services import (
    password_reset_completed_record,
    password_reset_requested_record,
)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:  # type: ignore[override]
        users = list(form.get_users(form.cleaned_data["email"]))
        password_reset_requested_record(users=users, request=self.request)
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.user
        assert isinstance(user, User)
        password_reset_completed_record(user=user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
