"""The days Teilhabe works with: from 1 January 2000 to 31 December 2100.

Programmes, decisions, bookings and readings all fall in this range (the budget years a
``BudgetLine`` accepts). A day outside it is a typing error — year 1, year 9999 — and would
break date arithmetic at the edges (31.12.9999 has no next day), so forms and models refuse it
with the same message.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)


def validate_supported_day(day: dt.date | None) -> None:
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            _("Bitte wählen Sie einen Tag zwischen dem %(earliest)s und dem %(latest)s."),
            code="out_of_range",
            params={
                "earliest": date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT"),
                "latest": date_format(LATEST_DAY, "SHORT_DATE_FORMAT"),
            },
        )
