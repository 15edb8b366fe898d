"""What the demo created, so that resetting it can never reach anyone else's data."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """A loaded demo scenario and the organisations it created.

    Everything inside these organisations is demo data: a reset deletes it, and nothing else.
    An organisation of the same name that is not listed here belongs to a real tenant, and
    the demo refuses to load next to it.
    """

    key = models.SlugField(_("Szenario"), max_length=40, unique=True)
    loaded_at = models.DateTimeField(_("geladen am"), default=timezone.now)
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("angelegte Organisationen"), related_name="+"
    )

    class Meta:
        verbose_name = _("Demo-Datenbestand")
        verbose_name_plural = _("Demo-Datenbestände")

    def __str__(self) -> str:
        return self.key
