"""Who works with Teilhabe: organisations, users and the roles that join them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune / Programmkoordination")
        PROVIDER = "provider", _("Träger")
        FUNDER = "funder", _("Fördermittelgeber")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=40, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "self",
        verbose_name=_("Kommune"),
        help_text=_("Die Kommune, in deren Programmen der Träger arbeitet."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        limit_choices_to={"kind": "municipality"},
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="organisation_kind_valid",
                condition=Q(kind__in=["municipality", "provider", "funder"]),
            ),
            models.CheckConstraint(
                name="organisation_provider_has_municipality",
                condition=Q(kind="provider", municipality__isnull=False)
                | (~Q(kind="provider") & Q(municipality__isnull=True)),
                violation_error_message=_(
                    "Ein Träger gehört zu genau einer Kommune; Kommunen und Fördermittelgeber zu keiner."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.municipality is not None and self.municipality.kind != self.Kind.MUNICIPALITY:
            raise ValidationError({"municipality": _("Hier ist nur eine Kommune wählbar.")})


class User(AbstractUser):
    """A person who logs in. Names and roles come from memberships, not from flags here."""

    # Set only by demo/logins.py for the published demo personas, so that the demo can be
    # tried at once; production ignores it (accounts.selectors.second_factor_required).
    password_only_demo_login = models.BooleanField(
        _("Demo-Zugang ohne zweiten Faktor"),
        default=False,
        help_text=_("Nur für Demo-Zugänge; in der Produktion ohne Wirkung."),
    )

    class Meta:
        verbose_name = _("Benutzer/in")
        verbose_name_plural = _("Benutzer/innen")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    COACH = "coach", _("Jobcoach")
    COURSE_STAFF = "course_staff", _("Kurspersonal")
    PROVIDER_ADMIN = "provider_admin", _("Trägerleitung")
    COORDINATOR = "coordinator", _("Programmkoordination")
    FUNDER = "funder", _("Fördermittelgeber")
    AUDITOR = "auditor", _("Datenschutz / Revision")


# Which roles make sense in which kind of organisation; a coach at a funder is a typo.
ROLES_BY_ORGANISATION_KIND: dict[str, frozenset[str]] = {
    Organisation.Kind.PROVIDER: frozenset(
        {Role.COACH, Role.COURSE_STAFF, Role.PROVIDER_ADMIN, Role.AUDITOR}
    ),
    Organisation.Kind.MUNICIPALITY: frozenset({Role.COORDINATOR, Role.AUDITOR, Role.COACH}),
    Organisation.Kind.FUNDER: frozenset({Role.FUNDER, Role.AUDITOR}),
}


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        User, verbose_name=_("Benutzer/in"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role_per_organisation",
                violation_error_message=_(
                    "Diese Person hat diese Rolle in der Organisation schon."
                ),
            ),
            models.CheckConstraint(
                name="membership_role_valid", condition=Q(role__in=[r.value for r in Role])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def clean(self) -> None:
        if self.organisation_id and self.role:
            allowed = ROLES_BY_ORGANISATION_KIND[self.organisation.kind]
            if self.role not in allowed:
                raise ValidationError(
                    {
                        "role": _("Die Rolle „%(role)s“ gibt es bei „%(kind)s“ nicht.")
                        % {
                            "role": self.get_role_display(),
                            "kind": self.organisation.get_kind_display(),
                        }
                    }
                )


class Invitation(TimeStampedModel):
    """An invitation to a staff account, sent by email; one-time and expiring.

    The link carries ``key`` signed with a timestamp (accounts.selectors.invitation_for_token),
    so an old link stops working on its own and a used one is refused by ``accepted_at``.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("E-Mail-Adresse"))
    first_name = models.CharField(_("Vorname"), max_length=150)
    last_name = models.CharField(_("Nachname"), max_length=150)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("eingeladen von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.CharField(_("Schlüssel"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("Benutzer/in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Das Konto, das mit der Einladung angelegt wurde."),
    )

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="invitation_role_valid", condition=Q(role__in=[r.value for r in Role])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.organisation}"
