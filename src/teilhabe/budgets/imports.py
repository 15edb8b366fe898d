"""Reading an expenditure list (CSV or XLSX) into rows, and checking each row.

The first row holds the column names (German or English, case and spaces ignored):

    Baustein | Haushaltsjahr | Träger | Datum | Kostenart | Betrag | Menge | Beleg | Kursdurchgang
    module   | budget year   | provider | date | category | amount | quantity | receipt | course run

``Träger`` is empty for lines the city runs itself. ``Betrag`` may be empty when ``Menge`` is
given: the module's cost basis prices it. Amounts are read as text into ``Decimal`` (German
"7.500,00" or "7500.00"; a cell of a spreadsheet via its shortest text form), never as float.
Row numbers are the spreadsheet's: the column names are row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

COLUMNS: dict[str, tuple[str, ...]] = {
    "module": ("baustein", "module"),
    "budget_year": ("haushaltsjahr", "budgetyear", "year", "jahr"),
    "provider": ("träger", "traeger", "provider"),
    "spent_on": ("datum", "date"),
    "category": ("kostenart", "category"),
    "amount": ("betrag", "amount", "betrag(€)", "amount(€)"),
    "quantity": ("menge", "quantity"),
    "receipt_reference": ("beleg", "belegnummer", "receipt", "receiptreference"),
    # Optional: the title of the course run the expenditure pays (it releases its commitment).
    "course_run": ("kursdurchgang", "courserun"),
}
REQUIRED = ("module", "budget_year", "spent_on", "category")
MAX_ROWS = 5000


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class RawRow:
    number: int
    values: dict[str, str] = field(default_factory=dict)


def _key(header: object) -> str:
    return re.sub(r"\s+", "", str(header or "")).lower()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # A spreadsheet stores numbers as binary floats; their shortest text is what was typed.
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return str(value).strip()


def _rows_of_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as unreadable:  # e.g. a cell longer than csv's field limit (128 KiB)
        raise UnreadableFile(_("Die CSV-Datei lässt sich nicht lesen.")) from unreadable


def _rows_of_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as unreadable:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(_("Die Excel-Datei lässt sich nicht lesen.")) from unreadable
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield [_cell_text(value) for value in row]
    workbook.close()


def read_rows(file: IO[bytes], name: str) -> list[RawRow]:
    """The data rows of an uploaded file, with their row numbers; blank rows are skipped."""
    data = file.read()
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        lines = _rows_of_xlsx(data)
    elif lowered.endswith(".csv"):
        lines = _rows_of_csv(data)
    else:
        raise UnreadableFile(_("Laden Sie eine CSV- oder XLSX-Datei hoch."))
    header = next(lines, None)
    if header is None:
        raise UnreadableFile(_("Die Datei ist leer."))
    aliases = {alias: name for name, names in COLUMNS.items() for alias in names}
    positions = {aliases[_key(h)]: i for i, h in enumerate(header) if _key(h) in aliases}
    missing = [COLUMNS[name][0].capitalize() for name in REQUIRED if name not in positions]
    if "amount" not in positions and "quantity" not in positions:
        missing.append(_("Betrag oder Menge"))
    if missing:
        raise UnreadableFile(_("Es fehlen Spalten: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for number, line in enumerate(lines, start=2):
        cells = [_cell_text(c) for c in line]
        if not any(cells):
            continue
        rows.append(
            RawRow(
                number,
                {
                    name: cells[index] if index < len(cells) else ""
                    for name, index in positions.items()
                },
            )
        )
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(
                _("Mehr als %(max)d Zeilen: teilen Sie die Datei.") % {"max": MAX_ROWS}
            )
    return rows


def parse_money(text: str) -> Decimal:
    """ "7.500,00", "7500,5", "7500.00", "1 234,56 €" → Decimal; more than two decimals, or
    anything else, is refused (so "7.500" is never silently 7.50 €)."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(_("„%(text)s“ ist kein Betrag.") % {"text": text})
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as bad:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(_("„%(text)s“ ist kein Betrag.") % {"text": text}) from bad
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(_("„%(text)s“ hat mehr als zwei Nachkommastellen.") % {"text": text})
    return amount


def parse_quantity(text: str) -> Decimal:
    cleaned = text.replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValueError(_("„%(text)s“ ist keine Menge.") % {"text": text})
    return Decimal(cleaned)


def parse_date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, no time
        except ValueError:
            continue
    raise ValueError(_("„%(text)s“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).") % {"text": text})


def parse_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(_("„%(text)s“ ist kein Haushaltsjahr.") % {"text": text})
    return int(text)
