"""The budget pages: who sees what, booking by hand, the import's dry run and confirmation."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from teilhabe.budgets.models import Expenditure
from teilhabe.programmes.models import CostBasis
from tests.factories import (
    BudgetLineFactory,
    FundingNoticeFactory,
    ModuleFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _summer_2021():
    with time_machine.travel(dt.datetime(2021, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


HEADER = "Baustein;Haushaltsjahr;Träger;Datum;Kostenart;Betrag;Menge;Beleg\n"


@pytest.fixture
def programme(municipality, funder):
    programme = ProgrammeFactory(owner=municipality)
    FundingNoticeFactory(
        programme=programme,
        funder=funder,
        total_amount=Decimal("2956360.00"),
        conditions="Verwendungsnachweis bis 30.06.",
    )
    f1 = ModuleFactory(
        programme=programme,
        code="F1",
        name="Sprachkurse",
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    BudgetLineFactory(module=f1, budget_year=2021, planned_amount=Decimal("20000.00"))
    return programme


def _overview(programme) -> str:
    return reverse("budgets:overview", args=[programme.pk])


def test_the_coordination_sees_every_module_the_funder_only_totals(
    client: Client, programme, coordinator, funder_user
) -> None:
    client.force_login(coordinator)
    page = client.get(_overview(programme)).content.decode()
    assert 'data-testid="budget-modules"' in page
    assert 'data-module="F1"' in page
    assert "2.365.088,00 €" in page  # the state's 80 %
    assert "591.272,00 €" in page  # the city's 20 %
    assert "Verwendungsnachweis bis 30.06." in page
    assert "Ausgaben importieren" in page
    client.force_login(funder_user)
    page = client.get(_overview(programme)).content.decode()
    assert 'data-testid="budget-years"' in page
    assert "20.000,00 €" in page
    assert 'data-module="F1"' not in page
    assert "Ausgaben importieren" not in page


def test_the_programme_page_links_to_the_budget_for_those_who_see_it(
    client: Client, programme, coordinator, coach_a
) -> None:
    detail = reverse("programmes:detail", args=[programme.pk])
    client.force_login(coordinator)
    assert _overview(programme) in client.get(detail).content.decode()
    client.force_login(coach_a)
    assert _overview(programme) not in client.get(detail).content.decode()
    assert client.get(_overview(programme)).status_code == 403


def test_booking_teaching_hours_by_hand(client: Client, programme, coordinator) -> None:
    client.force_login(coordinator)
    line = programme.modules.get().budget_lines.get()
    response = client.post(
        reverse("budgets:expenditure_new", args=[programme.pk]),
        {
            "budget_line": line.pk,
            "spent_on": "2021-06-30",
            "category": "teaching_hours",
            "quantity": "200",
            "receipt_reference": "VHS-17",
        },
    )
    assert response.status_code == 302
    assert Expenditure.objects.get().amount == Decimal("7500.00")
    page = client.get(response["Location"]).content.decode()
    assert "7.500,00 €" in page


def test_a_booking_outside_the_budget_year_shows_the_reason(
    client: Client, programme, coordinator
) -> None:
    client.force_login(coordinator)
    line = programme.modules.get().budget_lines.get()
    response = client.post(
        reverse("budgets:expenditure_new", args=[programme.pk]),
        {"budget_line": line.pk, "spent_on": "2022-01-03", "category": "travel", "amount": "5"},
    )
    assert response.status_code == 200
    assert "nicht im Haushaltsjahr" in response.content.decode()
    assert not Expenditure.objects.exists()


def test_the_import_checks_first_and_books_only_when_confirmed(
    client: Client, programme, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("budgets:import", args=[programme.pk])
    bad = (
        HEADER + "F1;2021;;15.03.2021;Fahrtkosten;10,00;;A\nF9;2021;;15.03.2021;Fahrtkosten;1;;B\n"
    )
    page = client.post(
        url, {"file": SimpleUploadedFile("liste.csv", bad.encode()), "check": "1"}
    ).content.decode()
    assert 'data-row="3" data-problem="1"' in page
    assert "Unbekannter Baustein „F9“." in page
    assert 'name="book"' not in page
    assert not Expenditure.objects.exists()
    # Confirming without a checked file books nothing.
    assert client.post(url, {"book": "1"}).status_code == 302
    assert not Expenditure.objects.exists()

    good = HEADER + "F1;2021;;15.03.2021;Unterrichtsstunden;;200;A\n"
    page = client.post(
        url, {"file": SimpleUploadedFile("liste.csv", good.encode()), "check": "1"}
    ).content.decode()
    assert "7.500,00 €" in page
    assert 'name="book"' in page
    assert not Expenditure.objects.exists()
    response = client.post(url, {"book": "1"})
    assert response.status_code == 302
    assert Expenditure.objects.get().amount == Decimal("7500.00")


def test_recording_a_funding_notice_shows_its_shares_to_the_cent(
    client: Client, programme, coordinator, funder
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("budgets:notice_new", args=[programme.pk]),
        {
            "funder": funder.pk,
            "reference": "51.2-2021",
            "issued_on": "2021-05-03",
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
            "total_amount": "1000.06",
            "state_share_percent": "75",
            "conditions": "Zwischennachweis zum 31.03.",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "51.2-2021" in page
    assert "750,05 €" in page
    assert "250,01 €" in page
    assert "Eigenanteil (25 %)" in page


def test_a_funding_notice_ending_before_it_starts_is_refused(
    client: Client, programme, coordinator, funder
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("budgets:notice_new", args=[programme.pk]),
        {
            "funder": funder.pk,
            "reference": "X",
            "issued_on": "2021-05-03",
            "period_start": "2021-12-31",
            "period_end": "2021-01-01",
            "total_amount": "10",
            "state_share_percent": "80",
        },
    )
    assert response.status_code == 200
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert programme.funding_notices.count() == 1


def test_the_citys_auditor_reads_every_module_but_books_nothing(
    client: Client, programme, auditor
) -> None:
    client.force_login(auditor)
    page = client.get(_overview(programme)).content.decode()
    assert 'data-module="F1"' in page
    assert reverse("budgets:import", args=[programme.pk]) not in page
    assert client.get(reverse("budgets:import", args=[programme.pk])).status_code == 403


def test_a_day_before_the_programme_was_set_up_says_so(
    client: Client, programme, coordinator
) -> None:
    client.force_login(coordinator)
    response = client.get(_overview(programme), {"stand": "2019-01-01"})
    assert response.status_code == 200
    assert 'data-testid="budget-years"' not in response.content.decode()
    assert "Am 01.01.2019 war" in response.content.decode()


def test_the_expected_column_is_never_below_what_is_spent_and_committed(
    client: Client, programme, coordinator
) -> None:
    """Found by a newcomer walk: the column showed the burn rate (0 € before anything was
    paid) beside a surplus computed from the committed runs."""
    from tests.factories import OfferFactory

    f1 = programme.modules.get(code="F1")
    OfferFactory(
        module=f1, teaching_hours=100, starts_on=dt.date(2021, 9, 1), ends_on=dt.date(2021, 12, 1)
    )
    client.force_login(coordinator)
    page = " ".join(client.get(_overview(programme)).content.decode().split())
    assert "erwartet zum Ende" in page
    # 100 h × 37.50 € committed, nothing spent: 3,750 € expected, 16,250 € surplus.
    row = page.split('data-testid="budget-total"')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == [
        "20.000,00 €",
        "3.750,00 €",
        "0,00 €",
        "3.750,00 €",
        "16.250,00 €",
    ]
