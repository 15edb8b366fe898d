"""The facts of the Cologne programme: dates, amounts, providers and courses.

Dates and amounts follow ``shared/reference/durchstarten-koeln.md``. Providers and people
are fictional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from teilhabe.demo.durchstarten import (
    CourseSpec,
)
from teilhabe.demo.rows.courses import (
    SCENARIO_TODAY,
)

PROGRAMME_CODE = "durchstarten-koeln"

KIM_CODE = "kim-koeln"

MINISTRY = "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW"


PROGRAMME_START = dt.date(2020, 7, 1)

PROGRAMME_END = dt.date(2022, 12, 31)

EXTENDED_END = dt.date(2023, 6, 30)

OFFERS_START = dt.date(2020, 9, 1)

KIM_START = dt.date(2021, 10, 1)
# The council's decisions that set the two programmes up.
SET_UP_DAY = dt.date(2020, 3, 26)
KIM_DECIDED = dt.date(2021, 7, 8)

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


# Nineteen fictional providers (Träger); F6 participation management the city runs itself.
# "coaching" means F1 job coaching.
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
