"""Forwarding contracts: concluded only by a decision, ended by revoking it, and the ground on
which a provider runs offers of a module (docs/decisions/0010)."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from teilhabe.programmes.models import Amendment, AmendmentKind, ForwardingContract
from teilhabe.programmes.selectors import offers_in_force, programme_as_of, programme_reading
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewContract,
    NewModule,
    decision_record,
    offer_create,
    programme_set_up,
)
from tests.factories import ModuleFactory, OfferFactory, ProgrammeFactory, ProviderFactory

pytestmark = pytest.mark.django_db

D = dt.date
MARCH = D(2021, 3, 1)
APRIL = D(2021, 4, 1)


def _draft(reference: str, decided_on: dt.date = MARCH) -> DecisionDraft:
    return DecisionDraft(body="Rat", decided_on=decided_on, reference=reference, title="Vertrag")


def _contract(coordinator, module, provider, *, reference="1/2021", decided_on=MARCH, **kw):
    return decision_record(
        acting_user=coordinator,
        programme=module.programme,
        decision=_draft(reference, decided_on),
        amendments=[
            NewAmendment(
                kind=AmendmentKind.FORWARD_FUNDS,
                effective_on=decided_on,
                new_contract=NewContract(
                    provider=provider,
                    module=module,
                    reference=kw.pop("contract_reference", "WV-7"),
                    valid_from=kw.pop("valid_from", decided_on),
                    **kw,
                ),
            )
        ],
    )


def _offer(coordinator, module, provider, starts_on=APRIL):
    return offer_create(
        acting_user=coordinator,
        module=module,
        provider=provider,
        title="Deutsch B1",
        kind="course_run",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=90),
        places=12,
    )


@pytest.fixture
def module(municipality):
    return ModuleFactory(programme=ProgrammeFactory(owner=municipality), code="F4")


def test_a_contract_exists_only_through_a_decision(module, provider_a) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ForwardingContract.objects.create(
            provider=provider_a, module=module, reference="WV", valid_from=D(2021, 1, 1)
        )


def test_a_decision_concludes_a_contract_in_force_with_its_decision(
    coordinator, module, provider_a
) -> None:
    decision = _contract(coordinator, module, provider_a, maximum_amount=Decimal("50000.00"))
    state = programme_as_of(programme=module.programme, as_of=D(2021, 6, 1))
    (contract,) = state.contracts
    assert (contract.provider, contract.module, contract.added_by.decision) == (
        provider_a,
        module,
        decision,
    )
    assert contract.valid_until == state.ends_on  # no end of its own: as long as the module
    (entry,) = programme_reading(state)["contracts"]
    assert entry["decision"]["reference"] == "1/2021"
    assert entry["maximum_amount"] == "50000.00"
    assert programme_as_of(programme=module.programme, as_of=D(2021, 2, 28)).contracts == []


def test_an_offer_without_a_contract_in_force_on_its_first_day_is_refused(
    coordinator, module, provider_a
) -> None:
    with pytest.raises(ValidationError) as error:
        _offer(coordinator, module, provider_a)
    assert (
        "keinen Weiterleitungsvertrag für den Baustein F4"
        in (error.value.message_dict["provider"][0])
    )
    _contract(coordinator, module, provider_a)
    with pytest.raises(ValidationError):
        _offer(coordinator, module, provider_a, starts_on=D(2021, 2, 1))  # before the contract
    offer = _offer(coordinator, module, provider_a)
    state = programme_as_of(programme=module.programme, as_of=D(2021, 6, 1))
    assert [o for o, _c in offers_in_force(state)] == [offer]


def test_revoking_the_contract_ends_it_and_its_offers_from_that_day(
    coordinator, module, provider_a
) -> None:
    decision = _contract(coordinator, module, provider_a)
    offer = _offer(coordinator, module, provider_a)
    concluding = decision.amendments.get()
    decision_record(
        acting_user=coordinator,
        programme=module.programme,
        decision=_draft("2/2021", D(2021, 9, 1)),
        amendments=[
            NewAmendment(kind=AmendmentKind.REVOKE, effective_on=D(2021, 9, 1), revokes=concluding)
        ],
    )
    before = programme_as_of(programme=module.programme, as_of=D(2021, 8, 31))
    after = programme_as_of(programme=module.programme, as_of=D(2021, 9, 1))
    assert [o for o, _c in offers_in_force(before)] == [offer]
    assert (after.contracts, offers_in_force(after)) == ([], [])
    with pytest.raises(ValidationError):
        _offer(coordinator, module, provider_a, starts_on=D(2021, 10, 1))


def test_a_contract_decided_later_with_an_earlier_effect_is_not_known_before(
    coordinator, module, provider_a
) -> None:
    OfferFactory(module=module, provider=provider_a, contract=False, starts_on=D(2021, 2, 1))
    decision = _contract(
        coordinator, module, provider_a, decided_on=D(2021, 3, 1), valid_from=D(2021, 1, 15)
    )
    Amendment.objects.filter(decision=decision).update(effective_on=D(2021, 1, 15))
    programme = module.programme
    day = D(2021, 2, 1)
    known_then = programme_as_of(programme=programme, as_of=day, known_on=D(2021, 2, 15))
    known_now = programme_as_of(programme=programme, as_of=day)
    assert (known_then.contracts, offers_in_force(known_then)) == ([], [])
    assert len(offers_in_force(known_now)) == 1
    assert [a.kind for a in known_now.retroactive] == [AmendmentKind.FORWARD_FUNDS]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"provider": "other_city"}, "amendment_1.contract.provider"),
        ({"valid_from": D(2019, 1, 1)}, "amendment_1.contract.valid_from"),
        ({"valid_until": D(2030, 1, 1)}, "amendment_1.contract.valid_until"),
        ({"maximum_amount": Decimal("-1")}, "__all__"),
    ],
)
def test_a_contract_outside_the_city_or_the_programme_is_refused(
    coordinator, module, provider_a, change, field
) -> None:
    provider = ProviderFactory() if change.pop("provider", None) else provider_a
    with pytest.raises(ValidationError) as error:
        _contract(coordinator, module, provider, **change)
    assert field in error.value.message_dict
    assert not ForwardingContract.objects.exists()


def test_a_contract_for_a_module_that_has_ended_is_refused(coordinator, municipality) -> None:
    module = ModuleFactory(
        programme=ProgrammeFactory(owner=municipality), valid_until=D(2020, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        _contract(coordinator, module, ProviderFactory(municipality=municipality))
    assert "läuft am 01.03.2021 nicht" in error.value.message_dict["amendment_1.contract.module"][0]


def test_the_set_up_decision_may_conclude_contracts(coordinator, municipality, provider_a) -> None:
    programme = programme_set_up(
        acting_user=coordinator,
        owner=municipality,
        code="durchstarten",
        name="Durchstarten",
        starts_on=D(2020, 7, 1),
        ends_on=D(2022, 12, 31),
        decision=_draft("0815/2020", D(2020, 3, 26)),
        modules=[NewModule("F1", "Coaching", D(2020, 7, 1), "staff_positions")],
        contracts=[NewContract(provider_a, "F1", "WV-1", D(2020, 9, 1), D(2021, 12, 31))],
    )
    (contract,) = programme_as_of(programme=programme, as_of=D(2021, 1, 1)).contracts
    assert (contract.module.code, contract.added_by.decision.reference) == ("F1", "0815/2020")
    assert contract.valid_until == D(2021, 12, 31)
    assert programme_as_of(programme=programme, as_of=D(2022, 1, 1)).contracts == []


def _show(programme, *options: str) -> str:
    out = StringIO()
    call_command("programme", "show", programme.code, "--as-of", "2021-06-01", *options, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_contracts_in_force_with_their_offers_and_decision(
    coordinator, module, provider_a
) -> None:
    _contract(coordinator, module, provider_a, maximum_amount=Decimal("50000.00"))
    _offer(coordinator, module, provider_a)
    reading = json.loads(_show(module.programme, "--format", "json"))
    assert {"code", "modules", "eligibility", "budgets", "decisions", "retroactive"} <= set(reading)
    assert reading["contracts"] == [
        {
            "module": "F4",
            "provider": provider_a.name,
            "reference": "WV-7",
            "valid_from": "2021-03-01",
            "valid_until": module.programme.ends_on.isoformat(),
            "maximum_amount": "50000.00",
            "offers": 1,
            "decision": {"reference": "1/2021", "date": "2021-03-01", "body": "Rat"},
        }
    ]
    assert f"F4 {provider_a.name}: WV-7" in _show(module.programme)
    assert "1 Angebote (Beschluss 1/2021 vom 2021-03-01)" in _show(module.programme)
