"""The Cologne set-up: organisations, staff, the programmes with their modules, offers and
course runs, then the decisions and the money.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.core.codes import ResidenceType
from teilhabe.demo.cologne.decisions import adopt_decisions
from teilhabe.demo.cologne.facts import (
    COURSES,
    EXTENDED_END,
    GASTRO,
    KIM_CODE,
    KIM_COURSE,
    KIM_DECIDED,
    KIM_START,
    KULTUR,
    MINISTRY,
    OFFERS_START,
    PROGRAMME_CODE,
    PROGRAMME_END,
    PROGRAMME_START,
    PROVIDERS,
    SCHOOL_CLASS,
    SCHOOL_YEARS,
    SET_UP_DAY,
)
from teilhabe.demo.cologne.money import plan_money
from teilhabe.demo.durchstarten import (
    CourseSpec,
    course_runs,
    eligibility_rule_row,
    module_rows,
    rule_in_set_up,
    run_starts,
    set_up_rows,
)
from teilhabe.demo.logins import CITY, DISTRICT_GOVERNMENT, PERSONAS, StaffSpec, ensure_staff
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.privacy.models import ProofOfUse, RetentionCategory, RetentionRule
from teilhabe.programmes.models import (
    CostBasis,
    EligibilityRule,
    Module,
    Offer,
    Programme,
)


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


# Months after a person's last exit until each kind of data goes; the funding facts stay five
# years after the proof of use was submitted (Nr. 6.9 ANBest-P).
RETENTION_MONTHS = {
    RetentionCategory.CASE_NOTES: 24,
    RetentionCategory.CONTACT: 12,
    RetentionCategory.RESIDENCE: 12,
    RetentionCategory.EDUCATION: 24,
    RetentionCategory.IDENTITY: 36,
}
PROOF_OF_USE = "Nr. 6.9 ANBest-P: fünf Jahre nach Vorlage des Verwendungsnachweises"


def _retention(writer: BulkWriter, *, programme: Programme, kim: Programme) -> None:
    writer.save(
        [
            RetentionRule(programme=p, category=category, months_after_exit=months)
            for p in (programme, kim)
            for category, months in RETENTION_MONTHS.items()
        ]
    )
    writer.save(
        [
            ProofOfUse(
                programme=programme, keep_facts_until=dt.date(2028, 12, 31), basis=PROOF_OF_USE
            ),
            ProofOfUse(programme=kim, keep_facts_until=dt.date(2033, 12, 31), basis=PROOF_OF_USE),
        ]
    )


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
    set_up = set_up_rows(
        writer,
        programme,
        body="Rat der Stadt Köln",
        decided_on=SET_UP_DAY,
        reference="0815/2020",
        title="Teilnahme an der Landesinitiative „Durchstarten in Ausbildung und Arbeit“",
        text="Teilnahme der Stadt Köln; Projektzeitraum 01.07.2020 bis 31.12.2022.",
    )
    kim_set_up = set_up_rows(
        writer,
        kim,
        body="Rat der Stadt Köln",
        decided_on=KIM_DECIDED,
        reference="2107/2021",
        title="Kommunales Integrationsmanagement (KIM): Umsetzung in Köln",
        text="Rechtskreisübergreifendes Case Management im Kommunalen Integrationszentrum.",
    )
    # F6 ran in Cologne from March 2020 under "Gemeinsam klappt's", before the programme
    # started; a module cannot begin before its programme, so it starts on 1 July 2020 here.
    modules = {
        m.code: m
        for m in writer.save(module_rows(programme, valid_from=PROGRAMME_START, added_by=set_up))
    }
    (kim_module,) = writer.save(
        [
            Module(
                programme=kim,
                added_by=kim_set_up,
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
    rule_in_set_up(writer, set_up, rule_2020)
    rule_in_set_up(writer, kim_set_up, kim_rule)

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
    # F6 ("Gemeinsam klappt's") has no offer: the city's case management runs it, and its
    # people take part in the module directly (ModuleParticipation).

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

    decision_rule, extension = adopt_decisions(
        writer, city=city, programme=programme, kim=kim, modules=modules
    )
    _retention(writer, programme=programme, kim=kim)
    plan_money(
        rng,
        writer,
        programme=programme,
        funder=funder,
        providers=providers,
        modules=modules,
        runs=[run for runs in courses.values() for run, _ in runs],
        set_up=set_up,
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
        courses=courses,
        kim_courses=[(run, KIM_COURSE) for run in kim_runs],
    )
