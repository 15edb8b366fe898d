"""How report figures read: money to the cent, rates to one decimal, "–" for nothing."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

NOTHING = "–"


@register.filter
def euro(value: Decimal | None) -> str:
    if value is None:
        return NOTHING
    return f"{floatformat(value, '2g')}\u00a0€"


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return NOTHING
    return f"{floatformat(value, '1g')}\u00a0%"


@register.filter
def count_or_dash(value: int | None) -> str:
    return NOTHING if value is None else str(value)
