"""Importing expenditures: the dry run reports every row's problems and saves nothing; the
real import saves all rows or none."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from teilhabe.audit.models import AuditEvent
from teilhabe.budgets.models import Expenditure
from teilhabe.budgets.services import expenditures_import
from teilhabe.programmes.models import CostBasis
from tests.factories import BudgetLineFactory, ModuleFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

HEADER = "Baustein;Haushaltsjahr;Träger;Datum;Kostenart;Betrag;Menge;Beleg\n"
GOOD = (
    "F1;2021;Träger A;15.03.2021;Unterrichtsstunden;;200;R-1\n"
    "F2;2021;;2021-04-01;Fahrtkosten;12,40;;R-2\n"
    "F2;2021;;30.04.2021;exam_fees;1.234,56 €;;R-3\n"
)


@pytest.fixture
def programme(municipality, provider_a):
    programme = ProgrammeFactory(owner=municipality)
    f1 = ModuleFactory(
        programme=programme,
        code="F1",
        cost_basis=CostBasis.TEACHING_HOURS,
        unit_rate=Decimal("37.50"),
    )
    f2 = ModuleFactory(
        programme=programme,
        code="F2",
        cost_basis=CostBasis.ACTUAL_COSTS,
        valid_until=dt.date(2021, 6, 30),
    )
    BudgetLineFactory(module=f1, budget_year=2021, provider=provider_a)
    BudgetLineFactory(module=f2, budget_year=2021)
    return programme


def _import(user, programme, text: str, *, dry_run: bool, name: str = "ausgaben.csv"):
    return expenditures_import(
        acting_user=user,
        programme=programme,
        file=io.BytesIO(text.encode()),
        name=name,
        dry_run=dry_run,
    )


def test_a_dry_run_of_a_good_file_prices_and_totals_but_saves_nothing(
    coordinator, programme
) -> None:
    report = _import(coordinator, programme, HEADER + GOOD, dry_run=True)
    assert report.ok
    assert [row.number for row in report.rows] == [2, 3, 4]
    assert [row.amount for row in report.rows] == [
        Decimal("7500.00"),
        Decimal("12.40"),
        Decimal("1234.56"),
    ]
    assert report.total == Decimal("8746.96")
    assert report.saved == 0
    assert not Expenditure.objects.exists()


def test_the_import_books_every_row_with_an_audit_event(coordinator, programme) -> None:
    report = _import(coordinator, programme, HEADER + GOOD, dry_run=False)
    assert report.saved == 3
    assert sorted(Expenditure.objects.values_list("receipt_reference", flat=True)) == [
        "R-1",
        "R-2",
        "R-3",
    ]
    assert AuditEvent.objects.filter(details__import_row=4).count() == 1


def test_every_row_problem_is_reported_with_its_row_number_and_nothing_is_saved(
    coordinator, programme
) -> None:
    Expenditure.objects.create(
        budget_line=programme.modules.get(code="F2").budget_lines.get(),
        spent_on=dt.date(2021, 2, 1),
        category="travel",
        amount=Decimal("5"),
        receipt_reference="R-OLD",
    )
    bad = (
        "F9;2021;;15.03.2021;Fahrtkosten;10,00;;\n"  # 2 unknown module
        "F1;2021;Träger B;15.03.2021;Fahrtkosten;10,00;;\n"  # 3 no line for this provider
        "F1;2021;Träger A;15.03.2022;Fahrtkosten;10,00;;\n"  # 4 outside the budget year
        "F2;2021;;01.07.2021;Fahrtkosten;10,00;;\n"  # 5 after the module's end
        "F2;2021;;01.05.2021;Fahrtkosten;zehn;;\n"  # 6 bad amount
        "F2;2021;;01.05.2021;Fahrtkosten;7.500;;\n"  # 7 three decimals: ambiguous
        "F2;2021;;01.05.2021;Fahrtkosten;10,00;;R-OLD\n"  # 8 already booked
        "F2;2021;;01.05.2021;Fahrtkosten;10,00;;R-9\n"  # 9 fine
        "F2;2021;;02.05.2021;Fahrtkosten;10,00;;R-9\n"  # 10 same receipt as row 9
        "F2;2021;;31.02.2021;Urlaub;0;;\n"  # 11 bad date, category, amount
    )
    report = _import(coordinator, programme, HEADER + bad, dry_run=False)
    problems = {row.number: row.problems for row in report.rows}
    assert problems[2] == ["Unbekannter Baustein „F9“."]
    assert problems[3] == ["Kein Haushaltsansatz für F1 2021 (Träger B)."]
    assert problems[4] == [
        "Das Datum 15.03.2022 liegt nicht im Haushaltsjahr 2021.",
    ]
    assert problems[5] == ["Der Baustein F2 lief am 01.07.2021 nicht (01.07.2020 bis 30.06.2021)."]
    assert problems[6] == ["„zehn“ ist kein Betrag."]
    assert problems[7] == ["„7.500“ hat mehr als zwei Nachkommastellen."]
    assert problems[8] == ["Der Beleg R-OLD ist schon gebucht."]
    assert problems[9] == []
    assert problems[10] == ["Der Beleg R-9 steht schon in Zeile 9."]
    assert problems[11] == [
        "„31.02.2021“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).",
        "Unbekannte Kostenart „Urlaub“.",
        "Eine Ausgabe ist größer als 0 €.",
    ]
    assert not report.ok
    assert report.saved == 0
    assert list(Expenditure.objects.values_list("receipt_reference", flat=True)) == ["R-OLD"]


def test_one_bad_row_keeps_the_good_ones_out_too(coordinator, programme) -> None:
    text = HEADER + GOOD + "F2;2021;;01.05.2021;Fahrtkosten;-3;;\n"
    report = _import(coordinator, programme, text, dry_run=False)
    assert [row.number for row in report.rows_with_problems] == [5]
    assert not Expenditure.objects.exists()


def test_an_xlsx_file_is_read_like_a_csv(coordinator, programme) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Module", "Budget year", "Provider", "Date", "Category", "Amount", "Receipt"])
    naive_cell = dt.datetime(2021, 4, 1)  # noqa: DTZ001 - a spreadsheet cell has no zone
    sheet.append(["F2", 2021, None, naive_cell, "travel", 12.4, "X-1"])
    sheet.append([None] * 7)
    sheet.append(["F2", 2021, None, dt.date(2021, 4, 2), "childcare", 100, "X-2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = expenditures_import(
        acting_user=coordinator,
        programme=programme,
        file=io.BytesIO(buffer.getvalue()),
        name="Ausgaben.XLSX",
        dry_run=False,
    )
    assert report.ok, report.rows_with_problems
    assert [(row.number, row.amount) for row in report.rows] == [
        (2, Decimal("12.40")),
        (4, Decimal("100")),
    ]
    assert report.saved == 2


@pytest.mark.parametrize(
    ("text", "name", "problem"),
    [
        ("Baustein;Datum\nF1;01.01.2021\n", "a.csv", "Es fehlen Spalten: Haushaltsjahr"),
        ("", "a.csv", "Die Datei ist leer."),
        (HEADER, "a.csv", "Die Datei enthält keine Buchungen."),
        (HEADER + GOOD, "a.pdf", "Laden Sie eine CSV- oder XLSX-Datei hoch."),
        ("kein excel", "a.xlsx", "Die Excel-Datei lässt sich nicht lesen."),
    ],
)
def test_an_unreadable_file_is_reported_as_a_whole(
    coordinator, programme, text, name, problem
) -> None:
    report = _import(coordinator, programme, text, dry_run=False, name=name)
    assert report.file_problems[0].startswith(problem)
    assert not report.ok
    assert not Expenditure.objects.exists()


def test_only_the_coordination_imports(coach_a, auditor, programme) -> None:
    for user in (coach_a, auditor):
        with pytest.raises(PermissionDenied):
            _import(user, programme, HEADER + GOOD, dry_run=True)


def test_a_row_naming_a_course_run_pays_it_and_an_unknown_run_is_reported(
    coordinator, programme
) -> None:
    from teilhabe.budgets.selectors import budget_overview
    from tests.factories import OfferFactory

    f1 = programme.modules.get(code="F1")
    OfferFactory(module=f1, title="Deutsch A1 Frühjahr", teaching_hours=200)
    header = "Baustein;Haushaltsjahr;Träger;Datum;Menge;Kostenart;Kursdurchgang\n"
    unknown = header + "F1;2021;Träger A;30.06.2021;200;Unterrichtsstunden;Deutsch B2\n"
    report = _import(coordinator, programme, unknown, dry_run=True)
    assert report.rows[0].problems == ["Keinen Kursdurchgang „Deutsch B2“ in F1."]
    before = budget_overview(programme=programme, as_of=dt.date(2021, 6, 30)).by_year[2021]
    assert before.committed == Decimal("7500.00")

    paying = header + "F1;2021;Träger A;30.06.2021;200;Unterrichtsstunden;deutsch a1 frühjahr\n"
    assert _import(coordinator, programme, paying, dry_run=False).saved == 1
    after = budget_overview(programme=programme, as_of=dt.date(2021, 6, 30)).by_year[2021]
    assert (after.committed, after.spent) == (Decimal("0.00"), Decimal("7500.00"))


def test_the_file_name_defaults_to_the_uploads_own(coordinator, programme) -> None:
    upload = io.BytesIO((HEADER + GOOD).encode())
    upload.name = "liste.csv"
    report = expenditures_import(
        acting_user=coordinator, programme=programme, file=upload, dry_run=True
    )
    assert report.ok


def test_a_revoked_budget_line_takes_no_expenditure_by_hand_or_by_import(
    coordinator, programme
) -> None:
    from django.core.exceptions import ValidationError

    from teilhabe.budgets.services import expenditure_record
    from teilhabe.programmes.models import AmendmentKind
    from tests.factories import AmendmentFactory, DecisionFactory

    f2 = programme.modules.get(code="F2")
    planned = AmendmentFactory(
        decision=DecisionFactory(programme=programme, decided_on=dt.date(2020, 12, 1)),
        kind=AmendmentKind.ADD_BUDGET,
        new_end_date=None,
        effective_on=dt.date(2021, 1, 1),
    )
    extra = BudgetLineFactory(module=f2, budget_year=2021, adopted_by=planned)
    AmendmentFactory(
        decision=DecisionFactory(programme=programme, decided_on=dt.date(2021, 3, 1)),
        kind=AmendmentKind.REVOKE,
        revokes=planned,
        new_end_date=None,
        effective_on=dt.date(2021, 4, 1),
    )
    booking = {
        "acting_user": coordinator,
        "budget_line": extra,
        "category": "travel",
        "amount": Decimal("5.00"),
    }
    expenditure_record(spent_on=dt.date(2021, 3, 31), **booking)
    with pytest.raises(ValidationError) as refused:
        expenditure_record(spent_on=dt.date(2021, 4, 1), **booking)
    assert refused.value.message_dict["budget_line"] == [
        f"Der Haushaltsansatz {extra} war am 01.04.2021 nicht in Kraft."
    ]
    # The import books F2 2021 (city) to the set-up's line, which stays in force.
    report = _import(
        coordinator, programme, HEADER + "F2;2021;;01.05.2021;Fahrtkosten;7,00;;\n", dry_run=False
    )
    assert report.saved == 1
    assert Expenditure.objects.get(amount=Decimal("7.00")).budget_line != extra


def test_an_import_row_for_a_line_not_yet_in_force_is_reported(coordinator, municipality) -> None:
    from teilhabe.programmes.models import AmendmentKind
    from tests.factories import AmendmentFactory, DecisionFactory

    programme = ProgrammeFactory(owner=municipality)
    f1 = ModuleFactory(programme=programme, code="F1", cost_basis=CostBasis.ACTUAL_COSTS)
    later = AmendmentFactory(
        decision=DecisionFactory(programme=programme, decided_on=dt.date(2021, 5, 1)),
        kind=AmendmentKind.ADD_BUDGET,
        new_end_date=None,
        effective_on=dt.date(2021, 6, 1),
    )
    line = BudgetLineFactory(module=f1, budget_year=2021, adopted_by=later)
    text = (
        HEADER + "F1;2021;;31.05.2021;Fahrtkosten;7,00;;\nF1;2021;;01.06.2021;Fahrtkosten;7,00;;\n"
    )
    report = _import(coordinator, programme, text, dry_run=True)
    assert [row.problems for row in report.rows] == [
        [f"Der Haushaltsansatz {line} war am 31.05.2021 nicht in Kraft."],
        [],
    ]
