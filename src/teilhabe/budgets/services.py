"""Every write to budgets: validated, atomic, permission-checked (coordination only), audited.

Planned amounts (budget lines) and moves between modules are part of a programme's decisions
(``programmes.services``); here are the funding notice and what is spent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import Organisation, User
from teilhabe.budgets.costs import calculate
from teilhabe.budgets.imports import (
    RawRow,
    UnreadableFile,
    parse_date,
    parse_money,
    parse_quantity,
    parse_year,
    read_rows,
)
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice
from teilhabe.budgets.reallocation import Move, euro, reallocation_errors
from teilhabe.budgets.selectors import budget_overview
from teilhabe.core.services import create_audited, validation_errors
from teilhabe.programmes.models import AmendmentKind, Decision, Offer, Programme
from teilhabe.programmes.selectors import ProgrammeState, not_in_force_reason, programme_as_of
from teilhabe.programmes.services import (
    DecisionDraft,
    NewAmendment,
    NewReallocation,
    decision_propose,
)


def _require_coordinator(user: User, programme: Programme) -> None:
    if not policy.may_book_expenditures(user, programme):
        raise PermissionDenied(_("Nur die Programmkoordination der Kommune verwaltet das Budget."))


def funding_notice_create(
    *,
    acting_user: User,
    programme: Programme,
    funder: Organisation,
    reference: str,
    issued_on: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    total_amount: Decimal,
    state_share_percent: Decimal = Decimal("80"),
    conditions: str = "",
) -> FundingNotice:
    _require_coordinator(acting_user, programme)
    notice = FundingNotice(
        programme=programme,
        funder=funder,
        reference=reference,
        issued_on=issued_on,
        period_start=period_start,
        period_end=period_end,
        total_amount=total_amount,
        state_share_percent=state_share_percent,
        conditions=conditions,
    )
    errors: dict[str, list[str]] = {}
    if funder.kind != Organisation.Kind.FUNDER:
        errors["funder"] = [_("Einen Zuwendungsbescheid erlässt ein Fördermittelgeber.")]
    return create_audited(
        notice, acting_user=acting_user, organisation=programme.owner, found=errors
    )


def line_in_force(line: BudgetLine, state: ProgrammeState) -> bool:
    """Whether the decision that planned the line is in force on the day read (not revoked,
    not yet to come), as known today."""
    budget = state.budget_for(line.module.code, line.budget_year)
    return budget is not None and any(a.pk == line.adopted_by_id for a in budget.sources)


def _line_not_in_force(line: BudgetLine, day: dt.date) -> str:
    return _("Der Haushaltsansatz %(line)s war am %(day)s nicht in Kraft.") % {
        "line": str(line),
        "day": day.strftime("%d.%m.%Y"),
    }


def expenditure_errors(
    *,
    budget_line: BudgetLine,
    spent_on: dt.date,
    amount: Decimal | None,
    quantity: Decimal | None,
    receipt_reference: str,
) -> dict[str, list[str]]:
    """What the programme's time and the books say against an expenditure (the model's own
    checks come on top): the module not running on the day, no amount and no quantity to
    price, a receipt reference already booked."""
    errors: dict[str, list[str]] = {}
    programme = budget_line.module.programme
    not_running = not_in_force_reason(programme=programme, on=spent_on, module=budget_line.module)
    if not_running is not None:
        errors["spent_on"] = [not_running]
    elif not line_in_force(budget_line, programme_as_of(programme=programme, as_of=spent_on)):
        errors["budget_line"] = [_line_not_in_force(budget_line, spent_on)]
    if amount is None:
        if quantity is None:
            errors["amount"] = [_("Geben Sie einen Betrag oder eine Menge an.")]
        elif not_running is None:
            try:
                calculate(module=budget_line.module, on=spent_on, quantity=quantity)
            except ValidationError as refused:
                errors["quantity"] = list(refused.messages)
    if (
        receipt_reference
        and Expenditure.objects.filter(
            budget_line__module__programme=programme, receipt_reference=receipt_reference
        ).exists()
    ):
        errors["receipt_reference"] = [
            _("Der Beleg %(reference)s ist schon gebucht.") % {"reference": receipt_reference}
        ]
    return errors


def expenditure_record(
    *,
    acting_user: User,
    budget_line: BudgetLine,
    spent_on: dt.date,
    category: str,
    amount: Decimal | None = None,
    quantity: Decimal | None = None,
    receipt_reference: str = "",
    offer: Offer | None = None,
) -> Expenditure:
    """Book an expenditure. Without an amount, the quantity is priced by the module's cost
    basis at the rate in force on the day (``costs.calculate``)."""
    programme = budget_line.module.programme
    _require_coordinator(acting_user, programme)
    errors = expenditure_errors(
        budget_line=budget_line,
        spent_on=spent_on,
        amount=amount,
        quantity=quantity,
        receipt_reference=receipt_reference,
    )
    if amount is None and quantity is not None and not {"spent_on", "quantity"} & set(errors):
        amount = calculate(module=budget_line.module, on=spent_on, quantity=quantity).amount
    if amount is None:  # nothing to price it with: the errors say why
        raise ValidationError(errors)
    expenditure = Expenditure(
        budget_line=budget_line,
        spent_on=spent_on,
        category=category,
        amount=amount,
        quantity=quantity,
        receipt_reference=receipt_reference,
        offer=offer,
    )
    return create_audited(
        expenditure, acting_user=acting_user, organisation=programme.owner, found=errors
    )


# --- Importing expenditures --------------------------------------------------------------


@dataclass
class ImportRow:
    """One row of an expenditure list as read, with every problem found in it."""

    number: int
    module: str
    budget_year: str
    provider: str
    spent_on: dt.date | None
    category: str
    amount: Decimal | None
    quantity: Decimal | None
    receipt_reference: str
    course_run: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[ImportRow] = field(default_factory=list)
    # Problems of the file as a whole (format, columns): then no row was read.
    file_problems: list[str] = field(default_factory=list)
    saved: int = 0

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [row for row in self.rows if row.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.file_problems and not self.rows_with_problems

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows if row.amount is not None), Decimal("0"))


class _RollBack(Exception):
    pass


def _category_of(text: str) -> str | None:
    wanted = text.strip().lower()
    for value, label in Expenditure.Category.choices:
        if wanted == value:
            return str(value)
        with translation.override("de"):
            if wanted == str(label).lower():
                return str(value)
        if wanted == str(label).lower():
            return str(value)
    return None


def _checked_rows(
    programme: Programme, raw_rows: list[RawRow]
) -> list[tuple[ImportRow, Expenditure | None]]:
    lines: dict[tuple[str, int, str], list[BudgetLine]] = defaultdict(list)
    for budget_line in (
        BudgetLine.objects.filter(module__programme=programme)
        .select_related("module__programme", "provider")
        .order_by("pk")
    ):
        key = (
            budget_line.module.code.lower(),
            budget_line.budget_year,
            budget_line.provider.name.lower() if budget_line.provider else "",
        )
        lines[key].append(budget_line)
    module_codes = {code.lower() for code in programme.modules.values_list("code", flat=True)}
    booked = set(
        Expenditure.objects.filter(budget_line__module__programme=programme)
        .exclude(receipt_reference="")
        .values_list("receipt_reference", flat=True)
    )
    runs = {
        (run.module_id, run.title.lower()): run
        for run in Offer.objects.filter(
            module__programme=programme, kind=Offer.Kind.COURSE_RUN
        ).select_related("module")
    }
    not_running: dict[tuple[int, dt.date], str | None] = {}
    states: dict[dt.date, ProgrammeState] = {}
    seen_receipts: dict[str, int] = {}
    checked: list[tuple[ImportRow, Expenditure | None]] = []
    for raw in raw_rows:
        values = raw.values
        row = ImportRow(
            number=raw.number,
            module=values.get("module", ""),
            budget_year=values.get("budget_year", ""),
            provider=values.get("provider", ""),
            spent_on=None,
            category=values.get("category", ""),
            amount=None,
            quantity=None,
            receipt_reference=values.get("receipt_reference", ""),
            course_run=values.get("course_run", ""),
        )
        problems = row.problems
        year: int | None = None
        try:
            year = parse_year(row.budget_year)
        except ValueError as bad:
            problems.append(str(bad))
        try:
            row.spent_on = parse_date(values.get("spent_on", ""))
        except ValueError as bad:
            problems.append(str(bad))
        category = _category_of(row.category)
        if category is None:
            problems.append(_("Unbekannte Kostenart „%(text)s“.") % {"text": row.category})
        if values.get("amount"):
            try:
                row.amount = parse_money(values["amount"])
                if row.amount <= 0:
                    problems.append(_("Eine Ausgabe ist größer als 0 €."))
            except ValueError as bad:
                problems.append(str(bad))
        if values.get("quantity"):
            try:
                row.quantity = parse_quantity(values["quantity"])
            except ValueError as bad:
                problems.append(str(bad))
        if not values.get("amount") and not values.get("quantity"):
            problems.append(_("Geben Sie einen Betrag oder eine Menge an."))
        line: BudgetLine | None = None
        candidates: list[BudgetLine] = []
        if row.module.lower() not in module_codes:
            problems.append(_("Unbekannter Baustein „%(code)s“.") % {"code": row.module})
        elif year is not None:
            candidates = lines.get((row.module.lower(), year, row.provider.strip().lower()), [])
            line = candidates[0] if candidates else None
            if line is None:
                problems.append(
                    _("Kein Haushaltsansatz für %(code)s %(year)s (%(who)s).")
                    % {
                        "code": row.module,
                        "year": year,
                        "who": row.provider or _("Kommune"),
                    }
                )
        if line is not None and row.spent_on is not None:
            if row.spent_on.year != line.budget_year:
                problems.append(
                    _("Das Datum %(day)s liegt nicht im Haushaltsjahr %(year)s.")
                    % {"day": row.spent_on.strftime("%d.%m.%Y"), "year": line.budget_year}
                )
            day_key = (line.module_id, row.spent_on)
            if day_key not in not_running:
                not_running[day_key] = not_in_force_reason(
                    programme=programme, on=row.spent_on, module=line.module
                )
            if not_running[day_key]:
                problems.append(str(not_running[day_key]))
            else:
                if row.spent_on not in states:
                    states[row.spent_on] = programme_as_of(programme=programme, as_of=row.spent_on)
                # Of the lines for module, year and provider: the first whose decision is in
                # force on the day (a revoked or later line takes no expenditure).
                in_force = [c for c in candidates if line_in_force(c, states[row.spent_on])]
                if not in_force:
                    problems.append(_line_not_in_force(line, row.spent_on))
                else:
                    line = in_force[0]
                    if row.amount is None and row.quantity is not None:
                        try:
                            row.amount = calculate(
                                module=line.module, on=row.spent_on, quantity=row.quantity
                            ).amount
                        except ValidationError as refused:
                            problems.extend(refused.messages)
        if row.receipt_reference:
            if row.receipt_reference in booked:
                problems.append(
                    _("Der Beleg %(reference)s ist schon gebucht.")
                    % {"reference": row.receipt_reference}
                )
            elif row.receipt_reference in seen_receipts:
                problems.append(
                    _("Der Beleg %(reference)s steht schon in Zeile %(row)d.")
                    % {
                        "reference": row.receipt_reference,
                        "row": seen_receipts[row.receipt_reference],
                    }
                )
            else:
                seen_receipts[row.receipt_reference] = row.number
        offer = None
        if row.course_run and line is not None:
            offer = runs.get((line.module_id, row.course_run.strip().lower()))
            if offer is None:
                problems.append(
                    _("Keinen Kursdurchgang „%(title)s“ in %(code)s.")
                    % {"title": row.course_run, "code": line.module.code}
                )
        expenditure = None
        if not problems and line is not None and row.spent_on and category and row.amount:
            expenditure = Expenditure(
                budget_line=line,
                spent_on=row.spent_on,
                category=category,
                amount=row.amount,
                quantity=row.quantity,
                receipt_reference=row.receipt_reference,
                offer=offer,
            )
            problems.extend(
                message
                for messages in validation_errors(expenditure).values()
                for message in messages
            )
        checked.append((row, expenditure))
    return checked


def expenditures_import(
    *,
    acting_user: User,
    programme: Programme,
    file: IO[bytes],
    dry_run: bool,
    name: str | None = None,
) -> ImportReport:
    """Check every row of an expenditure list (CSV or XLSX) and, unless it is a dry run and
    only if no row has a problem, book them all in one transaction: all rows or none.
    ``name`` (default: the file's own) tells CSV from XLSX by its ending."""
    _require_coordinator(acting_user, programme)
    report = ImportReport(dry_run=dry_run)
    try:
        raw_rows = read_rows(file, name if name is not None else getattr(file, "name", ""))
    except UnreadableFile as unreadable:
        report.file_problems.append(str(unreadable))
        return report
    if not raw_rows:
        report.file_problems.append(_("Die Datei enthält keine Buchungen."))
        return report
    checked = _checked_rows(programme, raw_rows)
    report.rows = [row for row, _expenditure in checked]
    if dry_run or not report.ok:
        return report
    try:
        with transaction.atomic():
            for row, expenditure in checked:
                assert expenditure is not None
                try:
                    create_audited(
                        expenditure,
                        acting_user=acting_user,
                        organisation=programme.owner,
                        details={"import_row": row.number},
                    )
                except ValidationError as refused:
                    row.problems.extend(refused.messages)
                    raise _RollBack from refused
    except _RollBack:
        return report
    report.saved = len(checked)
    return report


def reallocation_propose(
    *,
    acting_user: User,
    programme: Programme,
    as_of: dt.date,
    budget_year: int,
    moves: list[Move],
    decision: DecisionDraft,
    effective_on: dt.date,
    summary: str = "",
) -> Decision:
    """Enter the moves as a proposed decision with one budget move (``MOVE_BUDGET``): checked
    against the budget read on ``as_of`` (``reallocation.reallocation_errors``, keys as there),
    then saved with the decision in one transaction by ``programmes.services.decision_propose``
    (which audits it), or nothing is saved."""
    _require_coordinator(acting_user, programme)
    with transaction.atomic():
        errors: dict[str, list[str]] = {}
        if not moves:
            errors["moves"] = [_("Nennen Sie mindestens eine Umschichtung.")]
        errors.update(
            reallocation_errors(
                programme=programme,
                overview=budget_overview(programme=programme, as_of=as_of),
                budget_year=budget_year,
                moves=moves,
            )
        )
        if errors:
            raise ValidationError(errors)
        return decision_propose(
            acting_user=acting_user,
            programme=programme,
            decision=decision,
            amendments=[
                NewAmendment(
                    kind=AmendmentKind.MOVE_BUDGET,
                    effective_on=effective_on,
                    summary=summary
                    or "; ".join(
                        f"{m.from_module.code} → {m.to_module.code}: {euro(m.amount)} €"
                        for m in moves
                    ),
                    reallocations=tuple(
                        NewReallocation(m.budget_year, m.from_module, m.to_module, m.amount)
                        for m in moves
                    ),
                )
            ],
        )
