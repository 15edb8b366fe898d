"""What a decision would change, before it is adopted: each amendment in words, and whom it
touches ("F6 endet am 30.06.2022: 23 offene Fälle, 4 ohne Einwilligung in eine Übergabe").

The same reading answers for an adopted decision whose effect began before it was known (a
retroactive one): what falls into the gap is listed — the cases a shortened programme or an
ended module leaves open, the costs booked at the rate then known. Only counts leave this module,
no persons: the coordination prepares decisions; case workers handle the people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.cases.models import Case, Enrolment, EnrolmentStatus, ModuleParticipation
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    Decision,
    ForwardingContract,
    Programme,
)
from teilhabe.programmes.selectors import (
    ProgrammeNotDecided,
    ProgrammeState,
    programme_as_of,
)


@dataclass(frozen=True)
class PreviewLine:
    amendment: Amendment
    # What changes, in one sentence.
    change: str
    retroactive: bool
    # Cases the change touches (None: it touches none by its nature, e.g. a budget move).
    affected_cases: int | None = None
    # Of those, the persons without a consent to be handed over to the successor programme.
    without_transfer_consent: int | None = None
    # For a retroactive change: what was recorded under the old state in the gap between the
    # day it takes effect and the day the record holds it (cases taken in, costs booked).
    touched: str = ""


def _day(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _euro(amount: Decimal) -> str:
    return f"{amount:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def _state(programme: Programme, on: dt.date, including: Decision | None) -> ProgrammeState | None:
    try:
        return programme_as_of(programme=programme, as_of=on, including=including)
    except ProgrammeNotDecided:
        return None


def decision_preview(decision: Decision) -> list[PreviewLine]:
    """Each amendment of the decision, read against the record as it stands today."""
    programme = decision.programme
    lines = []
    for amendment in decision.amendments.select_related(
        "module", "successor_programme", "eligibility_rule", "revokes__decision"
    ).order_by("position"):
        day = amendment.effective_on
        before = _state(programme, day, None) if decision.sequence is None else None
        if before is None and decision.sequence is not None:
            # An adopted decision: compare with the day before it took effect.
            before = _state(programme, day - dt.timedelta(days=1), None)
        after = _state(programme, day, decision)
        lines.append(_line(amendment, before, after))
    return lines


def _known_day(amendment: Amendment) -> dt.date:
    """The day the record holds (or, for a proposal, would hold) the amendment."""
    decision = amendment.decision
    return decision.known_from or max(decision.decided_on, timezone.localdate())


def _retroactive_rate(amendment: Amendment) -> str:
    """Costs of the module booked in the gap at the rate then known."""
    from teilhabe.budgets.models import Expenditure

    gap_end = _known_day(amendment) - dt.timedelta(days=1)
    booked = Expenditure.objects.filter(
        budget_line__module=amendment.module,
        spent_on__gte=amendment.effective_on,
        spent_on__lte=gap_end,
    )
    total = sum((x.amount for x in booked.only("amount")), Decimal(0))
    return _(
        "Rückwirkend: %(count)s Ausgaben über %(total)s vom %(start)s bis %(end)s wurden zum "
        "damals bekannten Satz gebucht."
    ) % {
        "count": booked.count(),
        "total": _euro(total),
        "start": _day(amendment.effective_on),
        "end": _day(gap_end),
    }


def _line(
    amendment: Amendment, before: ProgrammeState | None, after: ProgrammeState | None
) -> PreviewLine:
    kind = amendment.kind
    retroactive = amendment.is_retroactive
    programme = amendment.programme
    if kind in (AmendmentKind.SET_UP, AmendmentKind.EXTEND_PROGRAMME) and after is not None:
        old_end = before.ends_on if before else None
        new_end = after.ends_on
        change = (
            _("Programmende: %(old)s → %(new)s") % {"old": _day(old_end), "new": _day(new_end)}
            if old_end
            else _("Laufzeit bis %(new)s") % {"new": _day(new_end)}
        )
        if old_end is not None and new_end < old_end:
            open_cases = Case.objects.filter(programme=programme).filter(
                Q(exit_date__isnull=True) | Q(exit_date__gt=new_end)
            )
            return PreviewLine(amendment, change, retroactive, open_cases.count())
        return PreviewLine(amendment, change, retroactive)
    if kind == AmendmentKind.END_MODULE and amendment.module is not None and after is not None:
        module = amendment.module
        last_day = amendment.new_end_date or amendment.effective_on
        successor = amendment.successor_programme
        change = _("%(code)s endet am %(day)s") % {"code": module.code, "day": _day(last_day)}
        if successor is not None:
            change += _(", offene Fälle gehen in „%(name)s“ über") % {"name": successor.name}
        open_enrolments = Enrolment.objects.filter(
            offer__module=module,
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING],
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=last_day))
        # Taking part in the module after its new last day: in one of its offers, or in the
        # module itself (one the city runs without offers).
        open_participations = ModuleParticipation.objects.filter(module=module).filter(
            Q(to_date__isnull=True) | Q(to_date__gt=last_day)
        )
        cases = Case.objects.filter(
            Q(pk__in=open_enrolments.values("case_id"))
            | Q(pk__in=open_participations.values("case_id"))
        ).filter(Q(exit_date__isnull=True) | Q(exit_date__gt=last_day))
        without = None
        if successor is not None:
            # The hand-over reads the consent on the day it transfers: the module's last day,
            # or today once that has passed (a consent given since counts, one withdrawn or
            # spent since does not).
            transfer_day = max(last_day, timezone.localdate())
            without = (
                cases.exclude(policy.transfer_consent_to_programme(successor.pk, on=transfer_day))
                .values("participant_id")
                .distinct()
                .count()
            )
        return PreviewLine(amendment, change, retroactive, cases.count(), without)
    if kind == AmendmentKind.ADD_MODULE:
        codes = ", ".join(m.code for m in amendment.added_modules.all())
        return PreviewLine(
            amendment,
            _("Neuer Baustein %(codes)s ab %(day)s")
            % {"codes": codes, "day": _day(amendment.effective_on)},
            retroactive,
        )
    if kind == AmendmentKind.CHANGE_ELIGIBILITY and amendment.eligibility_rule is not None:
        # Never retroactive: rules change from the day they are decided (services).
        return PreviewLine(amendment, _eligibility_change(amendment, before), retroactive)
    if kind == AmendmentKind.CHANGE_RATE and amendment.module is not None:
        old_rate = None
        if before is not None and (state := before.module_by_id(amendment.module.pk)):
            old_rate = state.unit_rate
        return PreviewLine(
            amendment,
            _("Satz je Einheit %(code)s: %(old)s → %(new)s ab %(day)s")
            % {
                "code": amendment.module.code,
                "old": _euro(old_rate) if old_rate is not None else "–",
                "new": _euro(amendment.new_rate or Decimal(0)),
                "day": _day(amendment.effective_on),
            },
            retroactive,
            touched=_retroactive_rate(amendment) if retroactive else "",
        )
    if kind == AmendmentKind.ADD_BUDGET:
        parts = [
            f"{line.module.code} {line.budget_year}: + {_euro(line.planned_amount)}"
            for line in amendment.budget_lines.select_related("module")
        ]
        return PreviewLine(amendment, "; ".join(parts), retroactive)
    if kind == AmendmentKind.MOVE_BUDGET:
        parts = []
        for move in amendment.reallocations.select_related("from_module", "to_module"):
            left = after.budget_for(move.from_module.code, move.budget_year) if after else None
            parts.append(
                _("%(year)s: %(source)s → %(target)s %(amount)s (%(source)s danach %(left)s)")
                % {
                    "year": move.budget_year,
                    "source": move.from_module.code,
                    "target": move.to_module.code,
                    "amount": _euro(move.amount),
                    "left": _euro(left.in_force) if left else "–",
                }
            )
        return PreviewLine(amendment, "; ".join(parts), retroactive)
    if kind == AmendmentKind.FORWARD_FUNDS:
        return PreviewLine(
            amendment,
            "; ".join(_contract_change(c) for c in amendment.forwarding_contracts.all()),
            retroactive,
        )
    if kind == AmendmentKind.REVOKE and amendment.revokes is not None:
        target = amendment.revokes
        return PreviewLine(
            amendment,
            _("Hebt ab %(day)s auf: %(kind)s aus dem Beschluss %(reference)s")
            % {
                "day": _day(amendment.effective_on),
                "kind": target.get_kind_display(),
                "reference": target.decision.reference,
            },
            retroactive,
        )
    return PreviewLine(amendment, amendment.get_kind_display(), retroactive)


def _contract_change(contract: ForwardingContract) -> str:
    change = _("Weiterleitungsvertrag %(reference)s mit %(provider)s für %(code)s ab %(day)s") % {
        "reference": contract.reference,
        "provider": contract.provider.name,
        "code": contract.module.code,
        "day": _day(contract.valid_from),
    }
    if contract.valid_until is not None:
        change += _(" bis %(day)s") % {"day": _day(contract.valid_until)}
    if contract.maximum_amount is not None:
        change += _(", höchstens %(amount)s") % {"amount": _euro(contract.maximum_amount)}
    return change


def _eligibility_change(amendment: Amendment, before: ProgrammeState | None) -> str:
    from teilhabe.core.codes import ResidenceType

    new = amendment.eligibility_rule
    assert new is not None
    old = before.eligibility_rule if before else None

    def labels(codes: set[str]) -> str:
        return ", ".join(
            sorted(str(ResidenceType(c).label) for c in codes if c in ResidenceType.values)
        )

    parts = [_("Förderregel ab %(day)s") % {"day": _day(amendment.effective_on)}]
    for field_name, title in (
        ("main_group_statuses", _("Hauptzielgruppe")),
        ("special_case_statuses", _("Sonderfall")),
        ("excluded_statuses", _("ohne Förderung")),
    ):
        now = set(getattr(new, field_name))
        was = set(getattr(old, field_name)) if old else set()
        if now - was:
            parts.append(
                _("%(group)s neu: %(codes)s") % {"group": title, "codes": labels(now - was)}
            )
        if was - now:
            parts.append(
                _("%(group)s nicht mehr: %(codes)s") % {"group": title, "codes": labels(was - now)}
            )
    if old is None or (old.min_age, old.max_age) != (new.min_age, new.max_age):
        parts.append(_("Alter %(low)s–%(high)s") % {"low": new.min_age, "high": new.max_age})
    return "; ".join(parts)
