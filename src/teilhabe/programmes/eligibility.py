"""Who may take part in a programme on a given day, and why.

The answer is not a yes/no but a target-group category (``TargetGroup``) together with one
explained criterion per check, so that a case can keep a snapshot of why it was opened and a
coach can see at a glance what is missing. This module only reads: it writes nothing and
audits nothing; the services that open or re-check a case store the result.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from teilhabe.accounts.models import User
from teilhabe.core.codes import ResidenceType, TargetGroup
from teilhabe.participants.models import ParticipantFile, ResidenceDocument
from teilhabe.programmes.models import EligibilityRule, Programme
from teilhabe.programmes.selectors import RuleBook, eligibility_rule_in_force


@dataclass(frozen=True)
class Criterion:
    code: str
    passed: bool
    explanation: str


@dataclass(frozen=True)
class AgeException:
    justification: str
    approved_by: User


@dataclass(frozen=True)
class EligibilityResult:
    category: str
    on: dt.date
    rule: EligibilityRule | None
    criteria: tuple[Criterion, ...]

    @property
    def is_eligible(self) -> bool:
        return self.category != TargetGroup.NOT_ELIGIBLE

    def as_snapshot(self) -> list[dict[str, object]]:
        return [
            {"code": c.code, "passed": c.passed, "explanation": c.explanation}
            for c in self.criteria
        ]


def _day_reaching_age(date_of_birth: dt.date, years: int) -> dt.date:
    """The first day on which someone born on ``date_of_birth`` is ``years`` old."""
    year = date_of_birth.year + years
    # § 187(2), § 188(2) BGB: the day of birth counts, so a year of life is completed when the
    # day before the birthday expires, and the new age holds from the start of the birthday.
    # For a 29 February birthday the day before is 28 February, so in a non-leap year the
    # person is a year older from 1 March, not already on 28 February.
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not _is_leap(year):
        return dt.date(year, 3, 1)
    return date_of_birth.replace(year=year)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    if day < date_of_birth:
        raise ValueError("The day lies before the date of birth.")
    years = day.year - date_of_birth.year
    if day < _day_reaching_age(date_of_birth, years):
        years -= 1
    return years


def residence_document_on(
    *,
    file: ParticipantFile,
    day: dt.date,
    documents: Iterable[ResidenceDocument] | None = None,
) -> ResidenceDocument | None:
    """The document valid on the day; of overlapping ones, the one issued last.

    ``documents`` is the residence history when the caller has it in hand (e.g. a bulk load
    that just built it); otherwise it is read from the file through ``residence_documents.all()``,
    which costs no query when the caller prefetched it.
    """
    history = file.residence_documents.all() if documents is None else documents
    valid = [d for d in history if d.is_valid_on(day)]
    if not valid:
        return None
    return max(valid, key=lambda d: (d.valid_from, d.pk or 0))


def evaluate_eligibility(
    *,
    file: ParticipantFile,
    programme: Programme,
    on: dt.date,
    no_double_funding_confirmed: bool = False,
    age_exception: AgeException | None = None,
    rule_book: RuleBook | None = None,
    residence_documents: Iterable[ResidenceDocument] | None = None,
) -> EligibilityResult:
    """Judge one person for one programme on one day, from what one organisation's file says.

    The date of birth comes from the register; residence, place and reception facility come
    from the file of the organisation that judges (each provider decides on its own record).

    Pass a ``rule_book`` (``programmes.selectors.rule_book_for``) when judging many people of
    the same programme, so that the rules are read once instead of once per person.
    """
    if rule_book is not None:
        if rule_book.programme_id != programme.pk:
            raise ValueError("the rule book belongs to another programme")
        rule = rule_book.in_force_on(on)
    else:
        rule = eligibility_rule_in_force(programme=programme, on=on)
    if rule is None:
        return EligibilityResult(
            category=TargetGroup.NOT_ELIGIBLE,
            on=on,
            rule=None,
            criteria=(
                Criterion(
                    code="rule",
                    passed=False,
                    explanation=_("Am %(day)s galt für „%(programme)s“ keine Förderregel.")
                    % {"day": _date(on), "programme": programme.name},
                ),
            ),
        )

    criteria: list[Criterion] = [
        Criterion(
            code="rule",
            passed=True,
            explanation=_("Angewendet: die seit %(since)s geltende Förderregel.")
            % {"since": _date(rule.valid_from)},
        )
    ]

    age_criterion = _age_criterion(date_of_birth=file.participant.date_of_birth, rule=rule, on=on)
    criteria.append(age_criterion)
    exception_criterion = None
    if not age_criterion.passed and age_exception is not None:
        exception_criterion = _age_exception_criterion(age_exception)
        criteria.append(exception_criterion)

    status_criteria, group = _status_criteria(
        document=residence_document_on(file=file, day=on, documents=residence_documents),
        rule=rule,
        on=on,
        no_double_funding_confirmed=no_double_funding_confirmed,
    )
    criteria.extend(status_criteria)
    criteria.extend(_exclusion_criteria(file=file, rule=rule))

    others_pass = all(c.passed for c in criteria if c.code not in {"age", "age_exception"})
    category: str
    if not others_pass or group is None:
        category = TargetGroup.NOT_ELIGIBLE
    elif age_criterion.passed:
        category = group
    elif exception_criterion is not None and exception_criterion.passed:
        category = TargetGroup.AGE_EXCEPTION
    else:
        category = TargetGroup.NOT_ELIGIBLE
    return EligibilityResult(category=category, on=on, rule=rule, criteria=tuple(criteria))


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _age_criterion(*, date_of_birth: dt.date, rule: EligibilityRule, on: dt.date) -> Criterion:
    born = date_of_birth
    if on < born:
        return Criterion(
            code="age",
            passed=False,
            explanation=_("Am %(day)s noch nicht geboren (Geburtsdatum %(born)s).")
            % {"day": _date(on), "born": _date(born)},
        )
    age = age_on(born, on)
    values = {"age": age, "day": _date(on), "min": rule.min_age, "max": rule.max_age}
    if age < rule.min_age:
        values["from"] = _date(_day_reaching_age(born, rule.min_age))
        explanation = (
            _(
                "%(age)d Jahre am %(day)s: außerhalb von %(min)d–%(max)d; "
                "%(min)d Jahre alt ab dem %(from)s."
            )
            % values
        )
        return Criterion(code="age", passed=False, explanation=explanation)
    if age > rule.max_age:
        last_day = _day_reaching_age(born, rule.max_age + 1) - dt.timedelta(days=1)
        values["until"] = _date(last_day)
        explanation = (
            _(
                "%(age)d Jahre am %(day)s: außerhalb von %(min)d–%(max)d; "
                "die Altersgrenze war bis zum %(until)s eingehalten."
            )
            % values
        )
        return Criterion(code="age", passed=False, explanation=explanation)
    return Criterion(
        code="age",
        passed=True,
        explanation=_("%(age)d Jahre am %(day)s: innerhalb von %(min)d–%(max)d.") % values,
    )


def _age_exception_criterion(exception: AgeException) -> Criterion:
    justification = exception.justification.strip()
    if not justification:
        explanation = _(
            "Ausnahme von der Altersgrenze nicht anerkannt: Die Begründung fehlt; "
            "eine Ausnahme ist nur im begründeten Einzelfall möglich."
        )
        return Criterion(code="age_exception", passed=False, explanation=explanation)
    # Typed as a user, but forms hand over what they got; an unnamed approval does not count.
    if exception.approved_by is None:
        explanation = _(
            "Ausnahme von der Altersgrenze nicht anerkannt: Es ist nicht erfasst, "
            "wer sie genehmigt hat."
        )
        return Criterion(code="age_exception", passed=False, explanation=explanation)
    return Criterion(
        code="age_exception",
        passed=True,
        explanation=_("Ausnahme von der Altersgrenze genehmigt von %(approver)s: „%(reason)s“.")
        % {"approver": str(exception.approved_by), "reason": justification},
    )


def _status_criteria(
    *,
    document: ResidenceDocument | None,
    rule: EligibilityRule,
    on: dt.date,
    no_double_funding_confirmed: bool,
) -> tuple[list[Criterion], str | None]:
    """The residence-status criteria and the group they lead to (None: none)."""
    if document is None:
        explanation = _("Kein gültiges Aufenthaltsdokument am %(day)s.") % {"day": _date(on)}
        return [Criterion(code="residence_status", passed=False, explanation=explanation)], None

    values = {
        "status": str(ResidenceType(document.residence_type).label),
        "since": _date(rule.valid_from),
    }
    if document.residence_type in rule.main_group_statuses:
        explanation = (
            _("%(status)s: Hauptzielgruppe nach der seit %(since)s geltenden Förderregel.") % values
        )
        return [
            Criterion(code="residence_status", passed=True, explanation=explanation)
        ], TargetGroup.MAIN
    if document.residence_type in rule.special_case_statuses:
        explanation = (
            _("%(status)s: Sonderfall nach der seit %(since)s geltenden Förderregel.") % values
        )
        return [
            Criterion(code="residence_status", passed=True, explanation=explanation)
        ], TargetGroup.SPECIAL_CASE
    if document.residence_type in rule.excluded_statuses:
        explanation = (
            _(
                "%(status)s: nach der seit %(since)s geltenden Förderregel weder Hauptzielgruppe "
                "noch sekundäre Zielgruppe."
            )
            % values
        )
        return [Criterion(code="residence_status", passed=False, explanation=explanation)], None
    if not rule.secondary_group_allowed:
        explanation = (
            _(
                "%(status)s: weder Hauptzielgruppe noch Sonderfall nach der seit %(since)s "
                "geltenden Förderregel, und eine sekundäre Zielgruppe ist nicht zugelassen."
            )
            % values
        )
        return [Criterion(code="residence_status", passed=False, explanation=explanation)], None

    status = Criterion(
        code="residence_status",
        passed=True,
        explanation=_(
            "%(status)s: weder Hauptzielgruppe noch Sonderfall nach der seit %(since)s "
            "geltenden Förderregel; förderfähig nur als sekundäre Zielgruppe."
        )
        % values,
    )
    if no_double_funding_confirmed:
        double_funding = Criterion(
            code="double_funding",
            passed=True,
            explanation=_("Mit dem Jobcenter abgestimmt: keine Doppelförderung."),
        )
    else:
        double_funding = Criterion(
            code="double_funding",
            passed=False,
            explanation=_(
                "Die Abstimmung mit dem Jobcenter fehlt: Für die sekundäre Zielgruppe muss "
                "bestätigt sein, dass keine Doppelförderung vorliegt."
            ),
        )
    return [status, double_funding], TargetGroup.SECONDARY


def _exclusion_criteria(*, file: ParticipantFile, rule: EligibilityRule) -> list[Criterion]:
    criteria = []
    if rule.excludes_state_reception:
        if file.lives_in_state_reception:
            criteria.append(
                Criterion(
                    code="state_reception",
                    passed=False,
                    explanation=_(
                        "Wohnt in einer Landeseinrichtung: nach der Förderregel ausgeschlossen."
                    ),
                )
            )
        else:
            criteria.append(
                Criterion(
                    code="state_reception",
                    passed=True,
                    explanation=_("Wohnt nicht in einer Landeseinrichtung."),
                )
            )

    required = rule.place_of_residence.strip()
    if required:
        city = unicodedata.normalize("NFC", file.city).strip()
        values = {"city": city, "required": required}
        if not city:
            passed = False
            explanation = _("Kein Wohnort erfasst; die Förderregel verlangt %(required)s.") % values
        elif _same_place(city, required):
            passed = True
            explanation = _("Wohnort %(city)s: entspricht der Vorgabe %(required)s.") % values
        else:
            passed = False
            explanation = _("Wohnort %(city)s: Die Förderregel verlangt %(required)s.") % values
        criteria.append(
            Criterion(code="place_of_residence", passed=passed, explanation=explanation)
        )
    return criteria


def _same_place(a: str, b: str) -> bool:
    # "Köln" typed on a Mac arrives decomposed (o + combining umlaut); compare canonically.
    def canonical(s: str) -> str:
        return unicodedata.normalize("NFC", s).strip().casefold()

    return canonical(a) == canonical(b)
