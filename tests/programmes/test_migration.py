"""Offers set up before forwarding contracts existed stay in force: the migration gives their
providers a contract for the module in the programme's set-up decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teilhabe.programmes.models import AmendmentKind, ForwardingContract
from teilhabe.programmes.selectors import offers_in_force, programme_as_of
from tests.factories import ModuleFactory, OfferFactory

BEFORE = [("programmes", "0006_forwarding_contracts")]


@pytest.mark.django_db(transaction=True)
def test_existing_offers_get_a_contract_in_the_set_up_decision(db: None) -> None:
    module = ModuleFactory()
    offers = [
        OfferFactory(module=module, contract=False),
        OfferFactory(
            module=module,
            contract=False,
            starts_on=dt.date(2021, 9, 1),
            ends_on=dt.date(2021, 12, 1),
        ),
    ]
    OfferFactory(module=module, provider=offers[0].provider, contract=False)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    contracts = ForwardingContract.objects.select_related("added_by__decision")
    assert {(c.provider_id, c.module_id) for c in contracts} == {
        (o.provider_id, module.pk) for o in offers
    }
    assert {(c.added_by.kind, c.added_by.decision.sequence) for c in contracts} == {
        (AmendmentKind.FORWARD_FUNDS, 1)
    }
    state = programme_as_of(programme=module.programme, as_of=dt.date(2021, 10, 1))
    assert len(offers_in_force(state)) == 3
