"""Forwarding contracts and offers on the pages: the decision form concludes a contract, the
programme page and the offers page show what is in force with the decision behind it, and
only the coordination and a provider's own management set offers up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.programmes.models import Decision, ForwardingContract, Offer, Programme
from tests.core.scenario import build_programme
from tests.factories import MembershipFactory, MunicipalityFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2022, 4, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def _amendment(number: int, **fields: str) -> dict[str, str]:
    return {f"amendment_{number}-{name}": value for name, value in fields.items()}


def _post_contract(
    client: Client, programme: Programme, provider: Organisation, reference: str, **fields: str
):  # type: ignore[no-untyped-def]
    """Post the decision form with one forwarding contract for F2 from 1 May 2022."""
    return client.post(
        reverse("programmes:decision_new", args=[programme.pk]),
        {
            "body": "Rat der Stadt Köln",
            "decided_on": "2022-04-01",
            "reference": reference,
            "title": "Weiterleitung",
            "organisation": str(programme.owner_id),
            "kinds": "forward_funds",
            **_amendment(
                1,
                effective_on="2022-04-01",
                provider=str(provider.pk),
                module=str(programme.modules.get(code="F2").pk),
                reference="WV 2022/04",
                valid_from="2022-05-01",
                **fields,
            ),
            "action": "save",
        },
    )


def test_the_decision_form_concludes_a_contract_and_its_preview_names_it(
    client: Client, programme: Programme, coordinator: User, provider_a: Organisation
) -> None:
    client.force_login(coordinator)
    url = reverse("programmes:decision_new", args=[programme.pk])
    with time_machine.travel(TODAY, tick=False):
        assert provider_a.name in _text(client.get(url + "?art=forward_funds"))
        response = _post_contract(
            client,
            programme,
            provider_a,
            "4000/2022",
            valid_until="2022-12-31",
            maximum_amount="12000.00",
        )
        assert response.status_code == 302
        contract = ForwardingContract.objects.get(added_by__decision__reference="4000/2022")
        assert (contract.provider, contract.module.code, contract.reference) == (
            provider_a,
            "F2",
            "WV 2022/04",
        )
        preview = _text(client.get(response["Location"]))
    assert (
        f"Weiterleitungsvertrag WV 2022/04 mit {provider_a.name} für F2 ab 01.05.2022 "
        "bis 31.12.2022, höchstens 12.000,00 €"
    ) in preview


def test_a_contract_beyond_the_programme_stands_next_to_its_field_and_nothing_is_saved(
    client: Client, programme: Programme, coordinator: User, provider_a: Organisation
) -> None:
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        response = _post_contract(
            client, programme, provider_a, "4001/2022", valid_until="2030-12-31"
        )
    assert response.status_code == 200
    assert 'id="id_amendment_1-valid_until_error"' in response.content.decode()
    assert "kann nicht über die Laufzeit hinaus gelten" in _text(response)
    assert not Decision.objects.filter(reference="4001/2022").exists()


# --- The offers pages -------------------------------------------------------------------------


def _admin_of(provider: Organisation, username: str) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=provider, role=Role.PROVIDER_ADMIN)
    return user


@pytest.fixture
def offers(programme: Programme, provider_a: Organisation, provider_b: Organisation):  # type: ignore[no-untyped-def]
    f2 = programme.modules.get(code="F2")
    return (
        OfferFactory(module=f2, provider=provider_a, title="Deutsch B1 bei A"),
        OfferFactory(module=f2, provider=provider_b, title="Deutsch B2 bei B"),
    )


def _list(programme: Programme) -> str:
    return reverse("programmes:offers", args=[programme.pk]) + "?stand=2021-03-01"


def test_the_coordination_sees_every_offer_in_force_with_its_contract_and_decision(
    client: Client, programme: Programme, coordinator: User, offers: tuple[Offer, Offer]
) -> None:
    client.force_login(coordinator)
    text = _text(client.get(_list(programme)))
    assert "Deutsch B1 bei A" in text
    assert "Deutsch B2 bei B" in text
    assert f"Beschluss setup-{programme.code}" in text
    before = _text(
        client.get(reverse("programmes:offers", args=[programme.pk]) + "?stand=2020-01-01")
    )
    assert "Deutsch B1 bei A" not in before


def test_a_provider_admin_sees_and_sets_up_only_their_own_offers(
    client: Client,
    programme: Programme,
    provider_a: Organisation,
    provider_b: Organisation,
    offers: tuple[Offer, Offer],
) -> None:
    client.force_login(_admin_of(provider_a, "leitung_a"))
    text = _text(client.get(_list(programme)))
    assert "Deutsch B1 bei A" in text
    assert "Deutsch B2 bei B" not in text
    new = reverse("programmes:offer_new", args=[programme.pk])
    form = client.get(new)
    assert form.status_code == 200
    assert provider_b.name not in _text(form)
    f2 = programme.modules.get(code="F2")
    fields = {
        "module": str(f2.pk),
        "title": "Deutsch A2",
        "kind": "course_run",
        "starts_on": "2021-09-01",
        "ends_on": "2021-12-15",
        "places": "12",
        "language": "de",
    }
    refused = client.post(new, {**fields, "provider": str(provider_b.pk)})
    assert refused.status_code == 200
    created = client.post(new, {**fields, "provider": str(provider_a.pk)})
    assert created.status_code == 302
    assert Offer.objects.filter(title="Deutsch A2", provider=provider_a).count() == 1


def test_an_offer_without_a_contract_is_refused_next_to_the_provider(
    client: Client, programme: Programme, coordinator: User, provider_a: Organisation
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:offer_new", args=[programme.pk]),
        {
            "provider": str(provider_a.pk),
            "module": str(programme.modules.get(code="F1").pk),
            "title": "Jobcoaching A",
            "kind": "continuous_service",
            "starts_on": "2021-09-01",
            "language": "de",
        },
    )
    assert response.status_code == 200
    assert 'id="id_provider_error"' in response.content.decode()
    assert "keinen Weiterleitungsvertrag für den Baustein F1" in _text(response)
    assert not Offer.objects.filter(title="Jobcoaching A").exists()


@pytest.mark.parametrize("persona", ["coach_a", "funder_user", "auditor", "course_staff"])
def test_who_only_reads_the_programme_is_refused_the_offers_pages(
    request: pytest.FixtureRequest, client: Client, programme: Programme, persona: str
) -> None:
    if persona == "course_staff":
        user = UserFactory(username="kurs_a")
        MembershipFactory(
            user=user, organisation=request.getfixturevalue("provider_a"), role=Role.COURSE_STAFF
        )
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(_list(programme)).status_code == 403
    new = reverse("programmes:offer_new", args=[programme.pk])
    assert client.get(new).status_code == 403
    assert client.post(new, {"title": "x"}).status_code == 403


def test_the_coordination_of_another_city_cannot_tell_the_pages_exist(
    client: Client, programme: Programme
) -> None:
    other = UserFactory(username="koordination_bonn")
    MembershipFactory(
        user=other, organisation=MunicipalityFactory(name="Stadt Bonn"), role=Role.COORDINATOR
    )
    client.force_login(other)
    assert client.get(_list(programme)).status_code == 404
    assert client.get(reverse("programmes:offer_new", args=[programme.pk])).status_code == 404


def test_the_programme_page_lists_contracts_in_force_with_their_offers_and_decision(
    client: Client, programme: Programme, coordinator: User, offers: tuple[Offer, Offer]
) -> None:
    client.force_login(coordinator)
    text = _text(
        client.get(reverse("programmes:detail", args=[programme.pk]) + "?stand=2021-03-01")
    )
    assert "Weiterleitungsverträge am" in text
    offer = offers[0]
    reference = ForwardingContract.objects.get(
        provider=offer.provider, module=offer.module
    ).reference
    # The contract's row names its reference, its offers and the decision behind it.
    row = next(part for part in text.split("<tr") if reference in part)
    assert f"Beschluss setup-{programme.code}" in row
    # The page counts the offers (a programme may run hundreds); the offers page of the same
    # day lists them, each with its contract and decision.
    assert "An diesem Tag gelten 2 Angebote." in " ".join(text.split())
    assert offer.title not in text
    assert reverse("programmes:offers", args=[programme.pk]) + "?stand=2021-03-01" in text
