"""Template helpers: KERN-UX markup, figures in the active language, the header's memberships."""

from __future__ import annotations

from decimal import Decimal

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from teilhabe.accounts.models import Membership, User
from teilhabe.core.selectors import memberships_for
from teilhabe.reports.selectors import SMALL_NUMBER_LIMIT

register = template.Library()

# Django's message levels, mapped to KERN's alert variants.
ALERT_VARIANTS = {"debug": "info", "info": "info", "success": "success", "warning": "warning"}


@register.simple_tag
def kern_widget(field: BoundField) -> SafeString:
    """The field's widget with KERN's classes; Django adds aria-invalid and aria-describedby."""
    if isinstance(field.field.widget, forms.Select):
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    if field.errors:
        css += f" {css}--error"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def url_in_default_language(request: HttpRequest) -> str:
    """The current page's address without a language prefix, for the language switcher.

    Django's set_language resolves ``next`` in the default language (its own URL has no
    prefix), so an English address like /en/ would not be recognised and the switch back
    to German would keep the user on the English page.
    """
    return translate_url(request.get_full_path(), settings.LANGUAGE_CODE)


@register.simple_tag
def memberships_of(user: User) -> list[Membership]:
    """For the page header: where the logged-in user works and in which role."""
    return list(memberships_for(user=user))


@register.filter
def alert_variant(level_tag: str) -> str:
    return ALERT_VARIANTS.get(level_tag, "danger")


@register.filter
def euro(amount: Decimal | int | None) -> str:
    """An amount in euros with grouping as the active language writes it: 1.234,56 € in German."""
    if amount is None:
        return ""
    figure = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    # Translators: %(amount)s is a formatted number; English puts the sign first (€1,234.56).
    # The space becomes a no-break space so that the sign never wraps away from the figure.
    return (gettext("%(amount)s €") % {"amount": figure}).replace(" ", "\u00a0")


@register.filter
def count(number: int | None) -> str:
    if number is None:
        return ""
    return number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def count_or_few(number: int | None) -> str:
    """A published count: a suppressed small number (None) reads "fewer than 5"."""
    if number is None:
        return gettext("weniger als %(limit)s") % {"limit": SMALL_NUMBER_LIMIT}
    return count(number)


@register.filter
def before_full_stop(name: str) -> str:
    """A name that ends a sentence: "Lernhaus e.V." keeps one point, not two."""
    return name[:-1] if name.endswith(".") else name
