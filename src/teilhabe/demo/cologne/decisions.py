"""The council's decision of 17 March 2022 with its amendments (extension, F6 into KIM,
Ukrainians as a special case, budget reallocation). The set-up decision of 2020 is written with
the programme (``setup.build_programme``).
"""

from __future__ import annotations

from decimal import Decimal

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import Reallocation
from teilhabe.core.codes import ResidenceType
from teilhabe.demo.cologne.facts import (
    DECISION_DAY,
    EXTENDED_END,
    F6_END,
)
from teilhabe.demo.durchstarten import (
    eligibility_rule_row,
)
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.programmes.models import (
    Amendment,
    Decision,
    DecisionStatus,
    EligibilityRule,
    Module,
    Programme,
)

DECISION_TEXT = """\
1. Der Rat beschließt die Verlängerung der Landesinitiative „Durchstarten in Ausbildung und \
Arbeit“ bis zum 30.06.2023.
2. Der Rat beschließt die Umschichtung des Budgets zugunsten des Jobcoachings (Baustein 1) und \
der innovativen Kurse (Baustein 4) auf Grundlage der Auswertung der Nutzung der Bausteine nach \
einjähriger Laufzeit. Für das Haushaltsjahr 2022 werden 1.389.354,79 € und für das \
Haushaltsjahr 2023 742.377,39 € bereitgestellt (Teilplan 0504, Teilplanzeile 15 \
Transferaufwendungen; Deckung aus Teilplanzeile 02). Das Gesamtvolumen bleibt nahezu \
unverändert. Die Umsetzung steht unter dem Vorbehalt eines positiven Zuwendungsbescheids der \
Bezirksregierung Arnsberg.
3. Baustein 6 „Teilhabemanagement“ endet zum 30.06.2022 und wird in das Kommunale \
Integrationsmanagement (KIM) überführt; offene Fälle werden mit Einwilligung übergeben.
4. Die Angebote stehen ab sofort auch aus der Ukraine geflohenen Menschen der Altersgruppe \
offen (Sonderfall, § 24 AufenthG).
Bisher erreicht: 300 Personen der Zielgruppe, 57 Personen mit Erfolg (überwiegend Aufnahme \
einer Ausbildung oder Arbeit, bis hin zur Unabhängigkeit von Leistungen nach dem AsylbLG)."""

REALLOCATIONS = (
    (2022, "F3", "F1", Decimal("95000.00")),
    (2022, "F3", "F4", Decimal("60000.00")),
    (2023, "F3", "F1", Decimal("45000.00")),
    (2023, "F3", "F4", Decimal("25000.00")),
)


def adopt_decisions(
    writer: BulkWriter,
    *,
    city: Organisation,
    programme: Programme,
    kim: Programme,
    modules: dict[str, Module],
) -> tuple[EligibilityRule, Amendment]:
    """The council's decision of 17 March 2022 (the second in the programme's record, after
    the set-up of 2020); returns the rule and the extension it adopts."""
    decision = Decision.objects.create(
        programme=programme,
        organisation=city,
        body="Rat der Stadt Köln",
        decided_on=DECISION_DAY,
        reference="0642/2022",
        title=(
            "Landesinitiative „Durchstarten in Ausbildung und Arbeit“: "
            "Projektverlängerung und Budgetumschichtung"
        ),
        text=DECISION_TEXT,
        status=DecisionStatus.ADOPTED,
        sequence=2,
        known_from=DECISION_DAY,
    )
    (rule_2022,) = writer.save(
        [
            eligibility_rule_row(
                programme,
                valid_from=DECISION_DAY,
                place_of_residence="Köln",
                special_case_statuses=[ResidenceType.TEMPORARY_PROTECTION],
            )
        ]
    )
    common = {"decision": decision, "programme": programme, "effective_on": DECISION_DAY}
    amendments = writer.save(
        [
            Amendment(
                **common,
                position=1,
                kind=Amendment.Kind.EXTEND_PROGRAMME,
                new_end_date=EXTENDED_END,
                summary="Verlängerung um ein halbes Jahr bis 30.06.2023.",
            ),
            Amendment(
                **common,
                position=2,
                kind=Amendment.Kind.END_MODULE,
                module=modules["F6"],
                new_end_date=F6_END,
                successor_programme=kim,
                summary="Baustein 6 endet am 30.06.2022; offene Fälle gehen in das KIM über.",
            ),
            Amendment(
                **common,
                position=3,
                kind=Amendment.Kind.CHANGE_ELIGIBILITY,
                eligibility_rule=rule_2022,
                summary="Aus der Ukraine Geflüchtete (§ 24 AufenthG) als Sonderfall.",
            ),
            Amendment(
                **common,
                position=4,
                kind=Amendment.Kind.MOVE_BUDGET,
                summary="Umschichtung zugunsten Jobcoaching (F1) und innovativer Kurse (F4).",
            ),
        ]
    )
    extension, move = amendments[0], amendments[-1]
    writer.save(
        [
            Reallocation(
                amendment=move,
                budget_year=year,
                from_module=modules[source],
                to_module=modules[target],
                amount=amount,
            )
            for year, source, target, amount in REALLOCATIONS
        ]
    )
    return rule_2022, extension
