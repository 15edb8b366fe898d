from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to check any password while the address is throttled."""

    def __init__(self, *args: Any, throttled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.throttled = throttled

    def clean(self) -> dict[str, Any]:
        if self.throttled:
            raise ValidationError(
                _(
                    "Zu viele fehlgeschlagene Anmeldeversuche von diesem Gerät. "
                    "Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."
                ),
                code="throttled",
            )
        return super().clean()
