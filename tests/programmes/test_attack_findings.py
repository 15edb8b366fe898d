"""Regression tests for what an attack review and a newcomer walk of issue 6's pages found
(2026-11-26).

Each failed before its fix: a programme end of 31.12.9999 was adopted and then every reader
of the programme page got a server error; a decision dated in the year 9999 entered the
record with a "known since" that has not happened; a reallocation took effect after its
budget year was over; a funding notice of the year 1 was saved; notices entered later showed
on the budget as known on an earlier day; a double-clicked decision answered 500; a CSV cell
over csv's field limit answered 500; a course run ended eight thousand years after its module.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, User
from teilhabe.budgets.imports import UnreadableFile, read_rows
from teilhabe.budgets.models import FundingNotice
from teilhabe.budgets.selectors import budget_overview
from teilhabe.budgets.services import funding_notice_create
from teilhabe.programmes import services
from teilhabe.programmes.decision_forms import RevokeForm
from teilhabe.programmes.models import AmendmentKind, Decision, Offer, Programme
from teilhabe.programmes.preview import decision_preview
from teilhabe.programmes.selectors import programme_as_of, programme_reading
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewReallocation,
    decision_adopt,
    decision_propose,
    decision_record,
    offer_create,
)
from teilhabe.programmes.timeline import decision_form_choices
from tests.core.scenario import build_programme
from tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    OfferFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
SESSION = D(2023, 1, 10)


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


def _draft(reference: str, decided_on: dt.date = SESSION) -> DecisionDraft:
    return DecisionDraft(
        body="Rat der Stadt", decided_on=decided_on, reference=reference, title="Beschluss"
    )


def _extend(to: dt.date) -> NewAmendment:
    return NewAmendment(
        kind=AmendmentKind.EXTEND_PROGRAMME, effective_on=D(2023, 1, 10), new_end_date=to
    )


def test_an_end_in_the_year_9999_is_refused_and_the_page_keeps_working(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:decision_new", args=[programme.pk]),
        {
            "kinds": "extend_programme",
            "body": "Rat",
            "reference": "E-9999",
            "title": "Verlängerung",
            "organisation": programme.owner_id,
            "decided_on": "2023-01-10",
            "amendment_1-effective_on": "2023-01-10",
            "amendment_1-new_end_date": "9999-12-31",
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "31.12.2100" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        decision_record(
            acting_user=coordinator,
            programme=programme,
            decision=_draft("E-9999"),
            amendments=[_extend(D(9999, 12, 31))],
        )
    assert "amendment_1.new_end_date" in refused.value.message_dict
    assert not Decision.objects.filter(reference="E-9999").exists()
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 200


@time_machine.travel(dt.datetime(2023, 1, 5, 12, tzinfo=dt.UTC), tick=False)
def test_a_decision_dated_after_today_is_a_proposal_until_its_day(
    programme: Programme, coordinator: User
) -> None:
    # Prepared for the council's session on 10 January: a proposal may carry its date ...
    proposal = decision_propose(
        acting_user=coordinator,
        programme=programme,
        decision=_draft("S-2023"),
        amendments=[_extend(D(2023, 12, 31))],
    )
    # ... but it enters the record only on or after that day.
    with pytest.raises(ValidationError) as refused:
        decision_adopt(acting_user=coordinator, decision=proposal)
    assert "10.01.2023" in refused.value.message_dict["decided_on"][0]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.known_from) == ("proposed", None)
    with pytest.raises(ValidationError):
        decision_record(
            acting_user=coordinator,
            programme=programme,
            decision=_draft("S-2023-b"),
            amendments=[_extend(D(2023, 12, 31))],
        )
    with time_machine.travel(dt.datetime(2023, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        adopted = decision_adopt(acting_user=coordinator, decision=proposal)
    assert adopted.known_from == D(2023, 1, 10)


def test_money_of_a_budget_year_is_not_moved_after_the_year_is_over(
    programme: Programme, coordinator: User
) -> None:
    f1, f2 = programme.modules.get(code="F1"), programme.modules.get(code="F2")
    with pytest.raises(ValidationError) as refused:
        decision_propose(
            acting_user=coordinator,
            programme=programme,
            decision=_draft("U-2022"),
            amendments=[
                NewAmendment(
                    kind=AmendmentKind.MOVE_BUDGET,
                    effective_on=D(2023, 1, 10),
                    reallocations=(NewReallocation(2022, f1, f2, Decimal("100.00")),),
                )
            ],
        )
    assert "31.12.2022" in refused.value.message_dict["amendment_1.effective_on"][0]
    assert not Decision.objects.filter(reference="U-2022").exists()


def test_a_funding_notice_of_the_year_1_is_refused(
    programme: Programme, coordinator: User, funder: Organisation
) -> None:
    with pytest.raises(ValidationError) as refused:
        funding_notice_create(
            acting_user=coordinator,
            programme=programme,
            funder=funder,
            reference="N-1",
            issued_on=D(1, 1, 1),
            period_start=D(2021, 1, 1),
            period_end=D(2021, 12, 31),
            total_amount=Decimal("1000.00"),
        )
    assert "issued_on" in refused.value.message_dict
    assert not FundingNotice.objects.filter(reference="N-1").exists()


def test_the_budget_as_known_on_a_day_lists_only_the_notices_entered_by_then(
    programme: Programme,
) -> None:
    entered_today = programme.funding_notices.get()
    earlier = budget_overview(
        programme=programme, as_of=D(2022, 6, 1), known_on=entered_today.created_at.date()
    )
    assert earlier.notices == [entered_today]
    before = budget_overview(
        programme=programme,
        as_of=D(2022, 6, 1),
        known_on=entered_today.created_at.date() - dt.timedelta(days=1),
    )
    assert before.notices == []


def test_a_decision_saved_twice_at_once_gets_the_references_message(
    programme: Programme, coordinator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision_propose(
        acting_user=coordinator,
        programme=programme,
        decision=_draft("D-1"),
        amendments=[_extend(D(2023, 12, 31))],
    )
    # The second request checked before the first had saved: its first check finds nothing.
    checks = {"n": 0}
    real = services.raise_if_invalid

    def first_check_misses(*objects, found=None):  # type: ignore[no-untyped-def]
        checks["n"] += 1
        if checks["n"] == 1:
            return None
        return real(*objects, found=found)

    monkeypatch.setattr(services, "raise_if_invalid", first_check_misses)
    with pytest.raises(ValidationError) as refused:
        decision_propose(
            acting_user=coordinator,
            programme=programme,
            decision=_draft("D-1"),
            amendments=[_extend(D(2023, 12, 31))],
        )
    assert "Aktenzeichen" in str(refused.value)
    assert Decision.objects.filter(reference="D-1").count() == 1


def test_a_csv_cell_over_the_field_limit_is_an_unreadable_file() -> None:
    data = "Baustein;Haushaltsjahr;Datum;Kostenart;Betrag\nF1;2022;" + "A" * 200_000 + ";x;1\n"
    with pytest.raises(UnreadableFile):
        read_rows(io.BytesIO(data.encode()), "ausgaben.csv")


def test_a_course_run_ends_while_its_module_runs(
    programme: Programme, coordinator: User, provider_a: Organisation
) -> None:
    f2 = programme.modules.get(code="F2")
    OfferFactory(module=f2, provider=provider_a)  # the provider's contract for F2
    with pytest.raises(ValidationError) as refused:
        offer_create(
            acting_user=coordinator,
            module=f2,
            provider=provider_a,
            title="Deutsch B1",
            kind=Offer.Kind.COURSE_RUN,
            starts_on=D(2022, 1, 3),
            ends_on=D(2099, 12, 31),
            places=5,
        )
    assert "ends_on" in refused.value.message_dict
    assert not Offer.objects.filter(title="Deutsch B1").exists()


def test_each_module_names_the_decision_behind_its_period_and_its_rate(
    programme: Programme, coordinator: User
) -> None:
    """Found by a newcomer walk: module ends set by an extension and a changed rate were
    credited to the set-up decision."""
    f2 = programme.modules.get(code="F2")
    decision_record(
        acting_user=coordinator,
        programme=programme,
        decision=_draft("1111/2023"),
        amendments=[
            _extend(D(2023, 12, 31)),
            NewAmendment(
                kind=AmendmentKind.CHANGE_RATE,
                effective_on=SESSION,
                module=f2,
                new_rate=Decimal("40.00"),
            ),
        ],
    )
    state = programme_as_of(programme=programme, as_of=D(2023, 6, 1))
    f1, f2_state = state.module("F1"), state.module("F2")
    # F1 runs as long as the programme: its end is the extension's.
    assert f1.valid_until == D(2023, 12, 31)
    assert f1.decided_by.decision.reference == "1111/2023"
    assert f2_state.rate_set_by is not None
    assert f2_state.rate_set_by.decision.reference == "1111/2023"
    reading = programme_reading(state)
    [f2_row] = [m for m in reading["modules"] if m["code"] == "F2"]
    assert f2_row["unit_rate"] == "40.00"
    assert f2_row["unit_rate_decision"]["reference"] == "1111/2023"
    # Before the extension, the same module's end is the set-up's.
    before = programme_as_of(programme=programme, as_of=D(2021, 6, 1)).module("F1")
    assert before.decided_by.decision.reference != "1111/2023"


def test_the_revoke_list_tells_contracts_apart(
    programme: Programme, provider_a: Organisation, provider_b: Organisation
) -> None:
    """Found by a newcomer walk: 21 set-up contracts read "Weiterleitungsvertrag schließen"
    alike, so the coordinator could not tell which one a revocation would end."""
    f2 = programme.modules.get(code="F2")
    OfferFactory(module=f2, provider=provider_a)
    OfferFactory(module=f2, provider=provider_b)
    choices = decision_form_choices(programme=programme, today=D(2022, 6, 1))
    labels = [label for _value, label in RevokeForm(choices=choices).fields["revokes"].choices]
    contract_labels = [label for label in labels if "Weiterleitungsvertrag" in str(label)]
    assert len(contract_labels) == 2
    assert any(f"{provider_a.name}, F2" in str(label) for label in contract_labels)
    assert any(f"{provider_b.name}, F2" in str(label) for label in contract_labels)


def test_a_retroactive_change_lists_what_it_touches(
    programme: Programme, coordinator: User, client: Client, funder_user: User
) -> None:
    """Issue 6: retroactive changes are allowed but flagged, and the cases and figures they
    touch are listed (found by a newcomer walk: a retroactive rate showed only the flag)."""
    f1 = programme.modules.get(code="F1")
    line = BudgetLineFactory(module=f1, budget_year=2022, planned_amount=Decimal("9000.00"))
    for day in (D(2022, 10, 31), D(2022, 11, 30), D(2023, 1, 31)):  # the last one after it
        ExpenditureFactory(budget_line=line, spent_on=day, amount=Decimal("1250.50"))
    # Recorded on the day of the session, 10 January 2023: the gap ends the day before.
    with time_machine.travel(dt.datetime(2023, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        decision = decision_record(
            acting_user=coordinator,
            programme=programme,
            decision=_draft("R-2023"),
            amendments=[
                NewAmendment(
                    kind=AmendmentKind.CHANGE_RATE,
                    effective_on=D(2022, 10, 1),
                    module=f1,
                    new_rate=Decimal("40.00"),
                ),
            ],
        )
    [rate] = decision_preview(decision)
    assert rate.retroactive
    assert "2 Ausgaben über 2.501,00 € vom 01.10.2022 bis 09.01.2023" in rate.touched
    detail = reverse("programmes:decision_detail", args=[programme.pk, decision.pk])
    client.force_login(coordinator)
    assert "2 Ausgaben über 2.501,00 €" in client.get(detail).content.decode()
    # Whoever does not see the city's exact figures sees the flag, not what it touches.
    client.force_login(funder_user)
    page = client.get(detail).content.decode()
    assert "rückwirkend" in page
    assert "2 Ausgaben über" not in page
