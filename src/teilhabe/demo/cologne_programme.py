"""The Cologne programme set-up: organisations, staff, programmes, modules, offers, rules,
the council decision of 17 March 2022 and the money.

Facts follow ``shared/reference/durchstarten-koeln.md``. Providers and people are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice, Reallocation
from teilhabe.core.codes import ResidenceType
from teilhabe.demo.builders import (
    SCENARIO_TODAY,
    BulkWriter,
    CourseSpec,
    course_runs,
    eligibility_rule_row,
    module_rows,
    run_starts,
    split_amount,
)
from teilhabe.demo.logins import CITY, DISTRICT_GOVERNMENT, PERSONAS, StaffSpec, ensure_staff
from teilhabe.programmes.models import (
    Amendment,
    CostBasis,
    Decision,
    EligibilityRule,
    Module,
    Offer,
    Programme,
)

PROGRAMME_CODE = "durchstarten-koeln"
KIM_CODE = "kim-koeln"
MINISTRY = "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW"

PROGRAMME_START = dt.date(2020, 7, 1)
PROGRAMME_END = dt.date(2022, 12, 31)
EXTENDED_END = dt.date(2023, 6, 30)
OFFERS_START = dt.date(2020, 9, 1)
KIM_START = dt.date(2021, 10, 1)
DECISION_DAY = dt.date(2022, 3, 17)
F6_END = dt.date(2022, 6, 30)
# The demo's "today" for the programme that still runs (KIM): fixed, so loads are repeatable.
DEMO_DAY = SCENARIO_TODAY

# F1–F4 money per budget year: the first two years as spent, 2022 and 2023 as the council
# set them on 17 March 2022. Together the 2,956,360 € of the funding notice. The 2022 lines
# belong to the original plan (the decision only moved money between modules within that
# year); the 2023 lines were adopted with the extension and count only from its date.
F1_F4_BY_YEAR: dict[int, Decimal] = {
    2020: Decimal("214627.82"),
    2021: Decimal("610000.00"),
    2022: Decimal("1389354.79"),
    2023: Decimal("742377.39"),
}
F1_F4_TOTAL = Decimal("2956360.00")
MODULE_SHARES = {"F1": 0.55, "F3": 0.15, "F4": 0.30}


@dataclass(frozen=True)
class ProviderSpec:
    key: str
    name: str
    district: str
    does: frozenset[str]


def _p(key: str, name: str, district: str, does: str) -> ProviderSpec:
    return ProviderSpec(key, name, district, frozenset(does.split()))


# Twenty fictional providers (Träger). "coaching" means F1 job coaching.
PROVIDERS: tuple[ProviderSpec, ...] = (
    _p("brueckenwerk", "Brückenwerk Köln gGmbH", "Innenstadt", "coaching kim"),
    _p("lernhaus", "Lernhaus Ehrenfeld e.V.", "Ehrenfeld", "coaching F4 kim"),
    _p("perspektive", "Perspektive Kalk e.V.", "Kalk", "coaching"),
    _p("werkstatt", "Werkstatt Zukunft Mülheim gGmbH", "Mülheim", "coaching F4"),
    _p("kompass", "Kompass Chorweiler e.V.", "Chorweiler", "coaching"),
    _p("startklar", "Startklar Porz gGmbH", "Porz", "coaching"),
    _p("ankerplatz", "Ankerplatz Sülz e.V.", "Lindenthal", "coaching"),
    _p("wegweiser", "Wegweiser Ausbildung Bickendorf e.V.", "Bickendorf", "coaching"),
    _p("mosaik", "Mosaik Jugendhilfe Buchheim e.V.", "Buchheim", "coaching"),
    _p("treffpunkt", "Treffpunkt Arbeit Nippes e.V.", "Nippes", "coaching"),
    _p("bildungsforum", "Bildungsforum Rheinufer e.V.", "Deutz", "F3"),
    _p("zweiterweg", "Zweiter Weg Bildungswerk Köln e.V.", "Neustadt-Süd", "F3"),
    _p("sprachbruecke", "Sprachbrücke Nippes e.V.", "Nippes", "F4"),
    _p("horizont", "Horizont Bildung Rodenkirchen gGmbH", "Rodenkirchen", "F4"),
    _p("sprungbrett", "Sprungbrett Deutz e.V.", "Deutz", "F4"),
    _p("lernwerft", "Lernwerft Lindenthal e.V.", "Lindenthal", "F4"),
    _p("sprachwerk", "Sprachwerk Longerich e.V.", "Longerich", "F2"),
    _p("kochwerk", "Kochwerk Südstadt gGmbH", "Neustadt-Süd", "F5"),
    _p("kulturkarawane", "Kulturkarawane Köln e.V.", "Innenstadt", "F5"),
    # The city runs F6 participation management; offers must come from a provider, so the
    # service is modelled at a provider the city commissioned.
    _p("netzwerk", "Netzwerk Teilhabe Köln gGmbH", "Kalk", "F6"),
)

# Recurring courses: (provider key, module, course, first start, last start, every n days).
COURSES: tuple[tuple[str, str, CourseSpec, dt.date, dt.date, int], ...] = (
    (
        "lernhaus",
        "F4",
        CourseSpec("Deutsch für Ausbildung und Beruf", 84, (0, 2, 4), Decimal("3"), 14),
        dt.date(2020, 9, 14),
        dt.date(2023, 2, 1),
        70,
    ),
    (
        "werkstatt",
        "F4",
        CourseSpec("Werkstattkurs Mathe und Fachrechnen", 70, (1, 3), Decimal("3"), 12),
        dt.date(2020, 10, 5),
        dt.date(2023, 3, 1),
        80,
    ),
    (
        "sprungbrett",
        "F4",
        CourseSpec("Orientierungskurs Ausbildung in Deutschland", 56, (0, 2), Decimal("3"), 15),
        dt.date(2020, 9, 21),
        dt.date(2023, 4, 1),
        60,
    ),
    (
        "lernwerft",
        "F4",
        CourseSpec("Englisch für die Berufsschule", 70, (1, 3), Decimal("2.5"), 14, "en"),
        dt.date(2021, 1, 11),
        dt.date(2023, 3, 1),
        90,
    ),
    (
        "sprachbruecke",
        "F4",
        CourseSpec("BAMF-Jugendintegrationskurs", 180, (0, 1, 2, 3), Decimal("4"), 18),
        dt.date(2020, 10, 1),
        dt.date(2022, 12, 1),
        150,
    ),
    (
        "horizont",
        "F4",
        CourseSpec("BAMF-Jugendintegrationskurs", 180, (0, 1, 3, 4), Decimal("4"), 18),
        dt.date(2021, 2, 1),
        dt.date(2022, 12, 1),
        160,
    ),
    (
        "sprachwerk",
        "F2",
        CourseSpec("Berufssprachkurs B1 (BAMF)", 120, (0, 1, 2, 3), Decimal("4"), 20),
        dt.date(2020, 10, 12),
        dt.date(2023, 1, 15),
        130,
    ),
)
SCHOOL_YEARS = (
    dt.date(2020, 9, 1),
    dt.date(2021, 8, 18),
    dt.date(2022, 8, 10),
)
SCHOOL_CLASS = CourseSpec(
    "Schulabschlussklasse 9/10A mit Sprachförderung", 295, (0, 1, 2, 3), Decimal("5"), 18
)
GASTRO = CourseSpec(
    "Gastro 8.0 – Qualifizierung im Pop-up-Restaurant", 180, (1, 2, 3), Decimal("6"), 12
)
KULTUR = CourseSpec("Kultur mobil – Kulturarbeit unterwegs", 150, (3, 4), Decimal("4"), 12)
KIM_COURSE = CourseSpec("Deutsch-Treff für Erwachsene (KIM)", 105, (1, 3), Decimal("2"), 12)


@dataclass
class CologneSetup:
    city: Organisation
    funder: Organisation
    providers: dict[str, Organisation]
    staff: dict[str, User]
    coaches: dict[str, User]  # provider key (or "city") -> coach
    coordinator: User
    programme: Programme
    kim: Programme
    modules: dict[str, Module]
    kim_module: Module
    rules: list[EligibilityRule]
    coaching_offers: dict[str, Offer]
    f6_offer: Offer
    courses: dict[str, list[tuple[Offer, CourseSpec]]] = field(default_factory=dict)
    kim_courses: list[tuple[Offer, CourseSpec]] = field(default_factory=list)


def _organisations() -> tuple[Organisation, Organisation, dict[str, Organisation]]:
    city, _ = Organisation.objects.get_or_create(
        name=CITY,
        defaults={"kind": Organisation.Kind.MUNICIPALITY, "short_name": "KI Köln"},
    )
    funder, _ = Organisation.objects.get_or_create(
        name=DISTRICT_GOVERNMENT,
        defaults={"kind": Organisation.Kind.FUNDER, "short_name": "BR Arnsberg"},
    )
    Organisation.objects.get_or_create(
        name=MINISTRY, defaults={"kind": Organisation.Kind.FUNDER, "short_name": "MKJFGFI"}
    )
    existing = {o.name: o for o in Organisation.objects.filter(municipality=city)}
    Organisation.objects.bulk_create(
        Organisation(
            name=p.name,
            short_name=p.name.split(" ")[0],
            kind=Organisation.Kind.PROVIDER,
            municipality=city,
        )
        for p in PROVIDERS
        if p.name not in existing
    )
    by_name = {o.name: o for o in Organisation.objects.filter(municipality=city)}
    return city, funder, {p.key: by_name[p.name] for p in PROVIDERS}


# Staff who are not personas: one coach per provider that leads cases, and the city's
# case manager for KIM. They share the demo password.
_COACH_NAMES = (
    ("Lena", "Schmitz"), ("Kemal", "Aydın"), ("Sophie", "Wagner"), ("Daniel", "Krüger"),
    ("Miriam", "Fischer"), ("Jonas", "Richter"), ("Nadia", "Bauer"), ("Felix", "Lange"),
    ("Hanna", "Wolf"), ("Tobias", "Klein"), ("Eva", "Schäfer"), ("Rami", "Saad"),
    ("Katrin", "Vogel"), ("Paul", "Jung"), ("Leyla", "Öztürk"), ("Max", "Weber"),
)  # fmt: skip


def _staff(providers: dict[str, Organisation]) -> tuple[dict[str, User], dict[str, User]]:
    specs = list(PERSONAS)
    coach_usernames = {"brueckenwerk": "coach.brueckenwerk", "lernhaus": "coach.lernhaus"}
    names = iter(_COACH_NAMES)
    for spec in PROVIDERS:
        if spec.key in coach_usernames:
            continue
        first, last = next(names, ("Alex", "Muster"))
        username = f"coach.{spec.key}"
        coach_usernames[spec.key] = username
        specs.append(StaffSpec(username, first, last, spec.name, Role.COACH))
    specs.append(StaffSpec("casemanagement.koeln", "Ömer", "Kaya", CITY, Role.COACH))
    coach_usernames["city"] = "casemanagement.koeln"
    staff = ensure_staff(specs)
    return staff, {key: staff[username] for key, username in coach_usernames.items()}


def build_programme(rng: random.Random, writer: BulkWriter) -> CologneSetup:
    city, funder, providers = _organisations()
    staff, coaches = _staff(providers)
    coordinator = staff["koordination.koeln"]

    programme = Programme.objects.create(
        code=PROGRAMME_CODE,
        name="Durchstarten in Ausbildung und Arbeit",
        owner=city,
        starts_on=PROGRAMME_START,
        ends_on=PROGRAMME_END,
        description=(
            "Landesinitiative NRW für junge Geflüchtete (18–27 Jahre) mit Duldung oder "
            "Aufenthaltsgestattung. Koordination seit Juli 2021 im Kommunalen "
            "Integrationszentrum (KI) des Amtes für Integration und Vielfalt."
        ),
    )
    kim = Programme.objects.create(
        code=KIM_CODE,
        name="Kommunales Integrationsmanagement (KIM)",
        owner=city,
        starts_on=KIM_START,
        # KIM is a standing state funding line; the demo gives it a long horizon.
        ends_on=dt.date(2027, 12, 31),
        description="Rechtskreisübergreifendes Case Management; übernimmt F6 ab Juli 2022.",
    )
    # F6 ran in Cologne from March 2020 under "Gemeinsam klappt's", before the programme
    # started; a module cannot begin before its programme, so it starts on 1 July 2020 here.
    modules = {m.code: m for m in writer.save(module_rows(programme, valid_from=PROGRAMME_START))}
    (kim_module,) = writer.save(
        [
            Module(
                programme=kim,
                code="CM",
                name="Rechtskreisübergreifendes Case Management",
                local_name="KIM Case Management",
                valid_from=KIM_START,
                cost_basis=CostBasis.STAFF_POSITIONS,
            )
        ]
    )
    rule_2020, kim_rule = writer.save(
        [
            eligibility_rule_row(programme, valid_from=PROGRAMME_START, place_of_residence="Köln"),
            EligibilityRule(
                programme=kim,
                valid_from=KIM_START,
                min_age=16,
                max_age=99,
                main_group_statuses=list(ResidenceType.values),
                secondary_group_allowed=True,
                excludes_state_reception=False,
                place_of_residence="Köln",
            ),
        ]
    )

    coaching_offers = {}
    offer_rows: list[Offer] = []
    for spec in PROVIDERS:
        if "coaching" in spec.does:
            offer = Offer(
                module=modules["F1"],
                provider=providers[spec.key],
                title=f"Jobcoaching {providers[spec.key].short_name}",
                kind=Offer.Kind.CONTINUOUS_SERVICE,
                starts_on=OFFERS_START,
                ends_on=EXTENDED_END,
                language="de",
                location=f"Köln-{spec.district}",
            )
            coaching_offers[spec.key] = offer
            offer_rows.append(offer)
    f6_offer = Offer(
        module=modules["F6"],
        provider=providers["netzwerk"],
        title="Teilhabemanagement „Gemeinsam klappt's“",
        kind=Offer.Kind.CONTINUOUS_SERVICE,
        starts_on=PROGRAMME_START,
        ends_on=F6_END,
        location="Köln-Kalk",
    )
    offer_rows.append(f6_offer)

    courses: dict[str, list[tuple[Offer, CourseSpec]]] = {"F2": [], "F3": [], "F4": [], "F5": []}
    district = {p.key: p.district for p in PROVIDERS}

    def add_runs(key: str, module: Module, spec: CourseSpec, starts: list[dt.date]) -> None:
        runs = course_runs(
            module=module,
            provider=providers[key],
            spec=spec,
            starts=starts,
            location=f"Köln-{district[key]}",
        )
        courses.setdefault(module.code, []).extend((run, spec) for run in runs)
        offer_rows.extend(runs)

    for key, code, course, first, last, every in COURSES:
        add_runs(
            key, modules[code], course, run_starts(rng, first=first, last=last, every_days=every)
        )
    for key in ("bildungsforum", "zweiterweg"):
        add_runs(key, modules["F3"], SCHOOL_CLASS, list(SCHOOL_YEARS))
    add_runs("kochwerk", modules["F5"], GASTRO, [dt.date(2021, 4, 12), dt.date(2022, 4, 11)])
    add_runs("kulturkarawane", modules["F5"], KULTUR, [dt.date(2021, 5, 7), dt.date(2022, 5, 6)])
    kim_runs = course_runs(
        module=kim_module,
        provider=providers["lernhaus"],
        spec=KIM_COURSE,
        starts=[dt.date(2026, 3, 3), dt.date(2026, 9, 1), dt.date(2027, 1, 12)],
        location="Köln-Ehrenfeld",
    )
    offer_rows.extend(kim_runs)
    writer.save(offer_rows)

    decision_rule, extension = _decision(
        writer, city=city, programme=programme, kim=kim, modules=modules
    )
    _money(
        rng,
        writer,
        programme=programme,
        funder=funder,
        providers=providers,
        modules=modules,
        extension=extension,
    )
    return CologneSetup(
        city=city,
        funder=funder,
        providers=providers,
        staff=staff,
        coaches=coaches,
        coordinator=coordinator,
        programme=programme,
        kim=kim,
        modules=modules,
        kim_module=kim_module,
        rules=[rule_2020, decision_rule, kim_rule],
        coaching_offers=coaching_offers,
        f6_offer=f6_offer,
        courses=courses,
        kim_courses=[(run, KIM_COURSE) for run in kim_runs],
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


def _decision(
    writer: BulkWriter,
    *,
    city: Organisation,
    programme: Programme,
    kim: Programme,
    modules: dict[str, Module],
) -> tuple[EligibilityRule, Amendment]:
    """The two council decisions; returns the rule and the extension the second one adopts."""
    Decision.objects.create(
        organisation=city,
        body="Rat der Stadt Köln",
        decided_on=dt.date(2020, 3, 26),
        reference="0815/2020",
        title="Teilnahme an der Landesinitiative „Durchstarten in Ausbildung und Arbeit“",
        text="Teilnahme der Stadt Köln; Projektzeitraum 01.07.2020 bis 31.12.2022.",
    )
    decision = Decision.objects.create(
        organisation=city,
        body="Rat der Stadt Köln",
        decided_on=DECISION_DAY,
        reference="0642/2022",
        title=(
            "Landesinitiative „Durchstarten in Ausbildung und Arbeit“: "
            "Projektverlängerung und Budgetumschichtung"
        ),
        text=DECISION_TEXT,
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
                kind=Amendment.Kind.EXTEND_PROGRAMME,
                new_end_date=EXTENDED_END,
                summary="Verlängerung um ein halbes Jahr bis 30.06.2023.",
            ),
            Amendment(
                **common,
                kind=Amendment.Kind.END_MODULE,
                module=modules["F6"],
                new_end_date=F6_END,
                successor_programme=kim,
                summary="Baustein 6 endet am 30.06.2022; offene Fälle gehen in das KIM über.",
            ),
            Amendment(
                **common,
                kind=Amendment.Kind.CHANGE_ELIGIBILITY,
                eligibility_rule=rule_2022,
                summary="Aus der Ukraine Geflüchtete (§ 24 AufenthG) als Sonderfall.",
            ),
            Amendment(
                **common,
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


def _money(
    rng: random.Random,
    writer: BulkWriter,
    *,
    programme: Programme,
    funder: Organisation,
    providers: dict[str, Organisation],
    modules: dict[str, Module],
    extension: Amendment,
) -> None:
    notice = FundingNotice.objects.create(
        programme=programme,
        funder=funder,
        reference="51.2-DAA-2020-KOELN",
        issued_on=dt.date(2020, 8, 20),
        period_start=PROGRAMME_START,
        period_end=PROGRAMME_END,
        total_amount=F1_F4_TOTAL,
        state_share_percent=Decimal("80"),
    )
    by_module: dict[str, list[str | None]] = {"F1": [], "F3": [], "F4": []}
    for spec in PROVIDERS:
        if "coaching" in spec.does:
            by_module["F1"].append(spec.key)
        for code in ("F3", "F4"):
            if code in spec.does:
                by_module[code].append(spec.key)
    # The city pays exam fees, travel and childcare under F4 itself.
    by_module["F4"].append(None)

    lines: list[BudgetLine] = []
    for year, year_total in F1_F4_BY_YEAR.items():
        module_totals = split_amount(year_total, list(MODULE_SHARES.values()))
        for code, module_total in zip(MODULE_SHARES, module_totals, strict=True):
            keys = by_module[code]
            weights = [0.4 if key is None else 1.0 + rng.random() for key in keys]
            for key, amount in zip(keys, split_amount(module_total, weights), strict=True):
                lines.append(
                    BudgetLine(
                        funding_notice=notice,
                        module=modules[code],
                        budget_year=year,
                        provider=providers[key] if key else None,
                        planned_amount=amount,
                        # The programme ran to the end of 2022; money for 2023 exists only
                        # since the extension of 17 March 2022.
                        adopted_by=extension if year > PROGRAMME_END.year else None,
                    )
                )
    # F5 projects are granted by the state directly (with the city's vote); F6 staff until
    # the module ended. Neither is part of the F1–F4 funding notice.
    for year, grant in ((2021, "58000.00"), (2022, "61500.00")):
        for key in ("kochwerk", "kulturkarawane"):
            lines.append(
                BudgetLine(
                    module=modules["F5"],
                    budget_year=year,
                    provider=providers[key],
                    planned_amount=Decimal(grant),
                )
            )
    for year, staff in ((2020, "46500.00"), (2021, "139500.00"), (2022, "142000.00")):
        lines.append(
            BudgetLine(
                module=modules["F6"],
                budget_year=year,
                provider=providers["netzwerk"],
                planned_amount=Decimal(staff),
            )
        )
    writer.save(lines)
    writer.save(_expenditures(rng, lines))


def _expenditures(rng: random.Random, lines: list[BudgetLine]) -> list[Expenditure]:
    rows: list[Expenditure] = []
    for line in lines:
        year = line.budget_year
        quarters = [q for q in (1, 2, 3, 4) if (year, q) >= (2020, 3) and (year, q) <= (2023, 2)]
        if not quarters or line.planned_amount <= 0:
            continue
        share = line.planned_amount * Decimal(str(0.82 + rng.random() * 0.15)) / len(quarters)
        for quarter in quarters:
            spent_on = dt.date(year, quarter * 3, 28)
            cost_basis = line.module.cost_basis
            if line.provider_id is None:
                category, quantity = Expenditure.Category.EXAM_FEES, None
            elif cost_basis == CostBasis.TEACHING_HOURS:
                category = Expenditure.Category.TEACHING_HOURS
                quantity = (share / Decimal("37.50")).quantize(Decimal("1"))
            elif cost_basis == CostBasis.STAFF_POSITIONS:
                category = Expenditure.Category.STAFF
                quantity = (share / Decimal("5200")).quantize(Decimal("0.1"))
            elif cost_basis == CostBasis.PROJECT_GRANT:
                category, quantity = Expenditure.Category.PROJECT_GRANT, None
            else:
                category, quantity = Expenditure.Category.OTHER, None
            amount = (
                quantity * Decimal("37.50")
                if category == Expenditure.Category.TEACHING_HOURS and quantity
                else share.quantize(Decimal("0.01"))
            )
            rows.append(
                Expenditure(
                    budget_line=line,
                    spent_on=spent_on,
                    category=category,
                    amount=amount,
                    quantity=quantity,
                    receipt_reference=f"KI-{year}-Q{quarter}-{line.module.code}-{len(rows) + 1:04d}",
                )
            )
    return rows
