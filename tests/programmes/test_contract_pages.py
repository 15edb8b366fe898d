"""Forwarding contracts and offers on the pages: the decision form concludes a contract, the
programme page and the offers page show what is in force with the decision behind it, and
only the coordination and a provider's own management set offers up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, User
from teilhabe.programmes.models import Decision, ForwardingContract, Programme
from tests.core.scenario import build_programme

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2022, 4, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def _amendment(number: int, **fields: str) -> dict[str, str]:
    return {f"amendment_{number}-{name}": value for name, value in fields.items()}


def test_the_decision_form_concludes_a_contract_and_its_preview_names_it(
    client: Client, programme: Programme, coordinator: User, provider_a: Organisation
) -> None:
    f2 = programme.modules.get(code="F2")
    client.force_login(coordinator)
    url = reverse("programmes:decision_new", args=[programme.pk])
    with time_machine.travel(TODAY, tick=False):
        form = client.get(url + "?art=forward_funds")
        assert provider_a.name in _text(form)
        response = client.post(
            url,
            {
                "body": "Rat der Stadt Köln",
                "decided_on": "2022-04-01",
                "reference": "4000/2022",
                "title": "Weiterleitung an Träger A",
                "organisation": str(programme.owner_id),
                "kinds": "forward_funds",
                **_amendment(
                    1,
                    effective_on="2022-04-01",
                    provider=str(provider_a.pk),
                    module=str(f2.pk),
                    reference="WV 2022/04",
                    valid_from="2022-05-01",
                    valid_until="2022-12-31",
                    maximum_amount="12000.00",
                ),
                "action": "save",
            },
        )
        assert response.status_code == 302
        decision = Decision.objects.get(reference="4000/2022")
        contract = ForwardingContract.objects.get(added_by__decision=decision)
        assert (contract.provider, contract.module, contract.reference) == (
            provider_a,
            f2,
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
    f2 = programme.modules.get(code="F2")
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("programmes:decision_new", args=[programme.pk]),
            {
                "body": "Rat",
                "decided_on": "2022-04-01",
                "reference": "4001/2022",
                "title": "Weiterleitung",
                "organisation": str(programme.owner_id),
                "kinds": "forward_funds",
                **_amendment(
                    1,
                    effective_on="2022-04-01",
                    provider=str(provider_a.pk),
                    module=str(f2.pk),
                    reference="WV",
                    valid_from="2022-05-01",
                    valid_until="2030-12-31",
                ),
                "action": "save",
            },
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_amendment_1-valid_until_error"' in text
    assert "kann nicht über die Laufzeit hinaus gelten" in _text(response)
    assert not Decision.objects.filter(reference="4001/2022").exists()
