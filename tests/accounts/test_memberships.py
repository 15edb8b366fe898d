import pytest
from django.core.exceptions import ValidationError

from teilhabe.accounts.models import Membership, Organisation, Role
from tests.factories import FunderFactory, MembershipFactory, MunicipalityFactory, ProviderFactory
from tests.invariants import assert_refused

pytestmark = pytest.mark.django_db


def test_a_provider_without_municipality_is_refused() -> None:
    provider = Organisation(name="Ohne Kommune", kind=Organisation.Kind.PROVIDER)
    assert_refused(provider, message="Ein Träger gehört zu genau einer Kommune")


def test_a_municipality_cannot_belong_to_another_municipality() -> None:
    other = MunicipalityFactory()
    city = Organisation(name="Stadt X", kind=Organisation.Kind.MUNICIPALITY, municipality=other)
    assert_refused(city, message="Ein Träger gehört zu genau einer Kommune")


def test_a_provider_cannot_belong_to_a_funder() -> None:
    provider = Organisation(
        name="Falsch", kind=Organisation.Kind.PROVIDER, municipality=FunderFactory()
    )
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "Hier ist nur eine Kommune wählbar." in error.value.message_dict["municipality"]


def test_a_coach_role_at_a_funder_is_refused() -> None:
    membership = MembershipFactory.build(organisation=FunderFactory(), role=Role.COACH)
    membership.user.save()
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "Jobcoach" in error.value.message_dict["role"][0]


def test_the_same_role_twice_in_one_organisation_is_refused() -> None:
    first = MembershipFactory(organisation=ProviderFactory(), role=Role.COACH)
    twin = Membership(user=first.user, organisation=first.organisation, role=Role.COACH)
    assert_refused(twin, message="Diese Person hat diese Rolle in der Organisation schon.")


def test_one_person_may_hold_two_roles_in_one_organisation() -> None:
    first = MembershipFactory(organisation=ProviderFactory(), role=Role.COACH)
    second = Membership(user=first.user, organisation=first.organisation, role=Role.PROVIDER_ADMIN)
    second.full_clean()
    second.save()
    assert first.user.memberships.count() == 2
