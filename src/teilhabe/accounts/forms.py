from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.accounts.selectors import account_locked, address_throttled, user_by_username

THROTTLED_MESSAGE = _(
    "Zu viele fehlgeschlagene Anmeldeversuche. "
    "Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."
)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Checks no password while the account is locked or the address is throttled.

    ``target_user`` is the account the typed username names (None when there is none), so
    that a failure can be counted against that account.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Benutzername oder Passwort ist falsch."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.target_user: User | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            self.target_user = user_by_username(username=username)
        ip_address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if address_throttled(ip_address=ip_address) or (
            self.target_user is not None and account_locked(user=self.target_user)
        ):
            raise ValidationError(THROTTLED_MESSAGE, code="throttled")
        return super().clean()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "Der sechsstellige Code aus Ihrer Authentifizierungs-App oder einer Ihrer Wiederherstellungscodes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _("Bitte geben Sie den Code ein.")},
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code aus der App"),
        max_length=12,
        help_text=_("Der sechsstellige Code, den die App nach dem Einrichten zeigt."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Bitte geben Sie den Code aus der App ein.")},
    )


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine der Organisationen.")},
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=(),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine der Rollen.")},
    )
    first_name = forms.CharField(
        label=_("Vorname"),
        max_length=150,
        error_messages={"required": _("Bitte geben Sie den Vornamen ein.")},
    )
    last_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        error_messages={"required": _("Bitte geben Sie den Nachnamen ein.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("An diese Adresse geht der Link, mit dem die Person ihr Passwort festlegt."),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse ein."),
            "invalid": _(
                "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@traeger.de."
            ),
        },
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], roles: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(role, Role(role).label) for role in roles]
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Neue Rolle"),
        choices=(),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine der Rollen.")},
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(role, Role(role).label) for role in roles]


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Benutzername"),
        max_length=150,
        help_text=_("Damit melden Sie sich an. Buchstaben, Ziffern und . @ + - _ sind erlaubt."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        error_messages={"required": _("Bitte wählen Sie einen Benutzernamen.")},
    )
    password = forms.CharField(
        label=_("Passwort"),
        strip=False,
        help_text=_("Mindestens 12 Zeichen; nicht nur Ziffern und kein gängiges Passwort."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Bitte wählen Sie ein Passwort.")},
    )
    password_again = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Bitte geben Sie das Passwort noch einmal ein.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, again = cleaned.get("password"), cleaned.get("password_again")
        if first and again and first != again:
            self.add_error("password_again", _("Die beiden Passwörter stimmen nicht überein."))
        return cleaned


class PasswordResetForm(DjangoPasswordResetForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Die Adresse, die zu Ihrem Konto gehört."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
            "invalid": _(
                "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@traeger.de."
            ),
        },
    )


class SetPasswordForm(DjangoSetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Neues Passwort")
        self.fields["new_password1"].help_text = _(
            "Mindestens 12 Zeichen; nicht nur Ziffern und kein gängiges Passwort."
        )
        self.fields["new_password2"].label = _("Neues Passwort wiederholen")
