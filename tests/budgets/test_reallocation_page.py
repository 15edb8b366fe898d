"""The reallocation page: who may use it, the suggestion prefilled, the what-if after an edit,
and the proposal — one proposed decision, audited, or nothing at all."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.budgets.models import Reallocation
from teilhabe.programmes.models import Amendment, AmendmentKind, Decision, DecisionStatus
from tests.budgets.test_reallocation import build_budget
from tests.factories import (
    FundingNoticeFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _summer_2021():
    with time_machine.travel(dt.datetime(2021, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def budget(municipality):
    return build_budget(municipality)


def _url(budget) -> str:
    return reverse("budgets:reallocation", args=[budget.programme.pk])


def _user(organisation, role):  # type: ignore[no-untyped-def]
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def test_only_the_coordination_of_the_city_reallocates(
    client: Client, budget, coordinator, coach_a, provider_a, funder
) -> None:
    FundingNoticeFactory(programme=budget.programme, funder=funder)
    expected = [
        (coordinator, 200),
        (coach_a, 403),
        (_user(provider_a, Role.PROVIDER_ADMIN), 403),
        (_user(funder, Role.FUNDER), 403),
        (_user(MunicipalityFactory(), Role.COORDINATOR), 404),
    ]
    for user, status in expected:
        client.force_login(user)
        assert client.get(_url(budget)).status_code == status, user
        assert client.post(_url(budget), {"action": "propose"}).status_code == status, user
    assert not Decision.objects.filter(status=DecisionStatus.PROPOSED).exists()


def _rows(page: str) -> list[tuple[str, str, str]]:
    """Each row's chosen modules (their codes) and amount, as the form shows them."""
    rows = []
    for index in range(len(re.findall(r'data-testid="move-row"', page))):
        chosen = [
            re.search(
                rf'name="row-{index}-{side}".*?<option value="\d+" selected>(\w+)', page, re.S
            ).group(1)  # type: ignore[union-attr]
            for side in ("from_module", "to_module")
        ]
        amount = re.search(rf'name="row-{index}-amount" value="([^"]*)"', page)
        rows.append((chosen[0], chosen[1], amount.group(1)))  # type: ignore[union-attr]
    return rows


def _planned_after(page: str, code: str) -> str:
    found = re.search(rf'data-module="{code}">.*?data-planned-after="([^"]+)"', page, re.S)
    return found.group(1)  # type: ignore[union-attr]


def test_the_page_is_prefilled_with_the_suggestion_and_its_effect(
    client: Client, budget, coordinator
) -> None:
    client.force_login(coordinator)
    response = client.get(_url(budget), {"jahr": "2021", "stand": "2021-06-30"})

    page = response.content.decode()
    assert _rows(page) == [
        ("F3", "F1", "12700,00"),
        ("F4", "F1", "3922,00"),
        ("F4", "F2", "3578,00"),
    ]
    assert "F3: Prognose 12.700,00 € nicht verausgabt" in page
    assert _planned_after(page, "F1") == "36622.00"
    assert _planned_after(page, "F3") == "7300.00"
    assert re.search(r'data-testid="what-if-total">.*?data-change="0.00"', page, re.S)


def _post(budget, rows, **extra):  # type: ignore[no-untyped-def]
    data = {
        "jahr": "2021",
        "stand": "2021-06-30",
        "row-TOTAL_FORMS": str(len(rows)),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "1000",
    }
    for index, (giving, receiving, amount) in enumerate(rows):
        data[f"row-{index}-from_module"] = str(giving.pk)
        data[f"row-{index}-to_module"] = str(receiving.pk)
        data[f"row-{index}-amount"] = amount
    data.update(extra)
    return data


DRAFT = {
    "body": "Rat der Stadt",
    "decided_on": "2021-07-01",
    "reference": "0815/2021",
    "title": "Umschichtung 2021",
    "text": "Der Rat beschließt die Umschichtung.",
    "effective_on": "2021-07-01",
}


def _proposal(budget, rows, **draft):  # type: ignore[no-untyped-def]
    owner = {"organisation": str(budget.programme.owner_id)}
    return _post(budget, rows, action="propose", **{**DRAFT, **owner, **draft})


def test_a_preview_shows_the_edited_amount(client: Client, budget, coordinator) -> None:
    client.force_login(coordinator)
    data = _post(budget, [(budget.f3, budget.f2, "1.000,50")], action="preview")

    response = client.post(_url(budget), data)
    htmx = client.post(_url(budget), data, headers={"HX-Request": "true"})

    for answer in (response, htmx):
        page = answer.content.decode()
        assert _planned_after(page, "F2") == "11000.50"
        assert _planned_after(page, "F3") == "18999.50"
    assert not Decision.objects.filter(status=DecisionStatus.PROPOSED).exists()


def test_a_row_can_be_added_and_removed_without_javascript(
    client: Client, budget, coordinator
) -> None:
    client.force_login(coordinator)
    data = _post(budget, [(budget.f3, budget.f2, "100"), (budget.f4, budget.f1, "50")])

    added = client.post(_url(budget), {**data, "action": "add"})
    removed = client.post(_url(budget), {**data, "row-1-DELETE": "on", "action": "preview"})

    assert added.content.decode().count('data-testid="move-row"') == 3
    page = removed.content.decode()
    assert _planned_after(page, "F1") == "20000.00"
    assert _planned_after(page, "F2") == "10100.00"


def test_the_proposal_is_one_proposed_decision_with_the_moves(
    client: Client, budget, coordinator
) -> None:
    client.force_login(coordinator)
    data = _proposal(
        budget, [(budget.f3, budget.f1, "12700,00"), (budget.f4, budget.f2, "3578,00")]
    )

    response = client.post(_url(budget), data)

    decision = Decision.objects.get(reference="0815/2021")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "programmes:decision_detail", args=[budget.programme.pk, decision.pk]
    )
    assert decision.status == DecisionStatus.PROPOSED
    [amendment] = Amendment.objects.filter(decision=decision)
    assert amendment.kind == AmendmentKind.MOVE_BUDGET
    assert amendment.effective_on == dt.date(2021, 7, 1)
    assert sorted(
        (r.from_module.code, r.to_module.code, r.budget_year, r.amount)
        for r in Reallocation.objects.filter(amendment=amendment)
    ) == [("F3", "F1", 2021, Decimal("12700.00")), ("F4", "F2", 2021, Decimal("3578.00"))]
    assert AuditEvent.objects.filter(
        actor=coordinator, object_type="programmes.decision", object_id=str(decision.pk)
    ).exists()


@pytest.mark.parametrize(
    ("rows", "draft", "message"),
    [
        # More than F4 has free: 7,500 € are bound by a booked run.
        (
            lambda b: [(b.f3, b.f1, "100"), (b.f4, b.f1, "7500,01")],
            {},
            "F4 hat 2021 nur noch 7.500,00 €",
        ),
        (lambda b: [(b.f3, b.f5, "100")], {}, "Ein beendeter Baustein erhält kein Geld mehr (F5)."),
        (lambda b: [(b.f3, b.f1, "100")], {"reference": ""}, "Dieses Feld ist zwingend"),
        (lambda b: [], {}, "Nennen Sie mindestens eine Umschichtung."),
    ],
)
def test_bad_input_saves_nothing_and_says_why(
    client: Client, budget, coordinator, rows, draft, message
) -> None:
    client.force_login(coordinator)
    before = (Decision.objects.count(), Amendment.objects.count(), Reallocation.objects.count())
    data = _proposal(budget, rows(budget), **draft)

    response = client.post(_url(budget), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert message in page
    after = (Decision.objects.count(), Amendment.objects.count(), Reallocation.objects.count())
    assert after == before


def test_the_budget_overview_and_the_evaluation_link_the_page(
    client: Client, budget, coordinator
) -> None:
    client.force_login(coordinator)
    for page in ("budgets:overview", "reports:evaluation"):
        response = client.get(reverse(page, args=[budget.programme.pk]))
        assert _url(budget) in response.content.decode(), page
