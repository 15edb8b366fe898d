"""Demo staff accounts: one login per role, plus the coaches the Cologne cases need.

All demo staff accounts share one published password and log in without a second factor
(outside production only: accounts.selectors.demo_exemption_applies). Argon2 is deliberately
slow, so the password is hashed once and the hash string is reused for every account.

The superuser is different: it reaches the admin, so its password is generated per
installation and printed once, when it is created.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from teilhabe.accounts.models import Membership, Organisation, Role, User

DEMO_PASSWORD = "Demo-Passwort-2023!"
ADMIN_USERNAME = "admin"

CITY = "Stadt Köln"
DISTRICT_GOVERNMENT = "Bezirksregierung Arnsberg"
PROVIDER_A = "Brückenwerk Köln gGmbH"
PROVIDER_B = "Lernhaus Ehrenfeld e.V."


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: str


# The personas a visitor logs in as; the table the demo command prints.
PERSONAS: tuple[StaffSpec, ...] = (
    StaffSpec("coach.brueckenwerk", "Jana", "Becker", PROVIDER_A, Role.COACH),
    StaffSpec("coach.lernhaus", "Murat", "Yıldız", PROVIDER_B, Role.COACH),
    StaffSpec("kurs.lernhaus", "Sabine", "Kowalski", PROVIDER_B, Role.COURSE_STAFF),
    StaffSpec("leitung.brueckenwerk", "Thomas", "Hoffmann", PROVIDER_A, Role.PROVIDER_ADMIN),
    StaffSpec("koordination.koeln", "Aylin", "Demir", CITY, Role.COORDINATOR),
    StaffSpec("foerderung.arnsberg", "Markus", "Schulte", DISTRICT_GOVERNMENT, Role.FUNDER),
    StaffSpec("datenschutz.koeln", "Claudia", "Neumann", CITY, Role.AUDITOR),
)


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    organisation: str
    password: str


def ensure_staff(specs: Iterable[StaffSpec]) -> dict[str, User]:
    """Create the accounts and memberships that are missing; leave existing ones alone."""
    specs = list(specs)
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in={s.organisation for s in specs})
    }
    missing_orgs = {s.organisation for s in specs} - set(organisations)
    if missing_orgs:
        raise ValueError(f"organisations missing for demo staff: {sorted(missing_orgs)}")
    with transaction.atomic():
        users = {
            u.username: u for u in User.objects.filter(username__in={s.username for s in specs})
        }
        new = [s for s in specs if s.username not in users]
        if new:
            password = make_password(DEMO_PASSWORD)
            created = User.objects.bulk_create(
                User(
                    username=s.username,
                    first_name=s.first_name,
                    last_name=s.last_name,
                    email=f"{s.username}@demo.invalid",
                    password=password,
                    password_only_demo_login=True,
                )
                for s in {s.username: s for s in new}.values()
            )
            users.update({u.username: u for u in created})
        # Accounts of a demo made before the flag existed get it too.
        User.objects.filter(
            username__in=[s.username for s in specs], password_only_demo_login=False
        ).update(password_only_demo_login=True)
        existing = set(
            Membership.objects.filter(user__in=users.values()).values_list(
                "user__username", "organisation__name", "role"
            )
        )
        Membership.objects.bulk_create(
            Membership(
                user=users[s.username], organisation=organisations[s.organisation], role=s.role
            )
            for s in specs
            if (s.username, s.organisation, s.role) not in existing
        )
    return users


@dataclass(frozen=True)
class AdminLogin:
    username: str
    # Only when the account was created just now; afterwards it is stored nowhere in plain text.
    new_password: str | None


def ensure_admin() -> AdminLogin:
    """The demo's superuser, with a password generated for this installation."""
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        return AdminLogin(ADMIN_USERNAME, None)
    password = secrets.token_urlsafe(15)
    admin = User(
        username=ADMIN_USERNAME,
        first_name="Demo",
        last_name="Administration",
        email="admin@demo.invalid",
        is_staff=True,
        is_superuser=True,
    )
    admin.set_password(password)
    admin.save()
    return AdminLogin(ADMIN_USERNAME, password)


@dataclass(frozen=True)
class DemoLogins:
    personas: list[LoginRow]
    admin: AdminLogin


def ensure_demo_logins() -> DemoLogins:
    """The persona accounts and the superuser; idempotent. Returns what to print."""
    ensure_staff(PERSONAS)
    admin = ensure_admin()
    rows = [
        LoginRow(s.username, str(Role(s.role).label), s.organisation, DEMO_PASSWORD)
        for s in PERSONAS
    ]
    return DemoLogins(personas=rows, admin=admin)
