"""Personas shared by all tests: two coaches at one provider, one at another, and the rest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from teilhabe.accounts.models import Organisation, Role, User
from tests.factories import (
    FunderFactory,
    MembershipFactory,
    MunicipalityFactory,
    ProviderFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    """A request under /en/ leaves English active in the thread; every test starts in German."""
    yield
    translation.deactivate()


@pytest.fixture
def municipality(db: None) -> Organisation:
    return MunicipalityFactory(name="Stadt Köln")


@pytest.fixture
def provider_a(municipality: Organisation) -> Organisation:
    return ProviderFactory(name="Träger A", municipality=municipality)


@pytest.fixture
def provider_b(municipality: Organisation) -> Organisation:
    return ProviderFactory(name="Träger B", municipality=municipality)


@pytest.fixture
def funder(db: None) -> Organisation:
    return FunderFactory(name="Bezirksregierung Arnsberg")


def _member(username: str, organisation: Organisation, role: str) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def coach_a(provider_a: Organisation) -> User:
    return _member("coach_a", provider_a, Role.COACH)


@pytest.fixture
def colleague_a(provider_a: Organisation) -> User:
    return _member("colleague_a", provider_a, Role.COACH)


@pytest.fixture
def coach_b(provider_b: Organisation) -> User:
    return _member("coach_b", provider_b, Role.COACH)


@pytest.fixture
def coordinator(municipality: Organisation) -> User:
    return _member("coordinator", municipality, Role.COORDINATOR)


@pytest.fixture
def funder_user(funder: Organisation) -> User:
    return _member("funder", funder, Role.FUNDER)


@pytest.fixture
def auditor(municipality: Organisation) -> User:
    return _member("auditor", municipality, Role.AUDITOR)
