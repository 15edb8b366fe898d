"""The Cologne demo scenario: load it once, or delete and load it again.

The set-up is built by ``setup``, the people by ``people_build``. Loading is
deterministic (a fixed seed) and idempotent: the programme code is the marker that the
scenario is there.

A ``DemoDataset`` row, written in the same transaction as the load, names the organisations
the demo created. A reset deletes only what lies inside them; and the demo refuses to load
when an organisation or programme of the same name belongs to someone else (a real tenant
called "Stadt Köln" must never be mixed into, let alone wiped by, a reset).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice, Reallocation
from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    HandOver,
    ModuleParticipation,
    Outcome,
    OutcomeFollowUp,
    Referral,
    SupportGoal,
)
from teilhabe.demo.cologne.facts import (
    KIM_CODE,
    MINISTRY,
    PROGRAMME_CODE,
    PROVIDERS,
)
from teilhabe.demo.cologne.people_build import build_people
from teilhabe.demo.cologne.setup import build_programme
from teilhabe.demo.logins import CITY, DISTRICT_GOVERNMENT
from teilhabe.demo.models import DemoDataset
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.participants.models import (
    Consent,
    Participant,
    ParticipantFile,
    ResidenceDocument,
)
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    Decision,
    EligibilityRule,
    ForwardingContract,
    Module,
    Offer,
    Programme,
)

SEED = 20220317
DATASET = "cologne"


class DemoConflict(Exception):
    """Loading would mix the demo into organisations or programmes that are not the demo's."""


@dataclass
class LoadResult:
    loaded: bool
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


def organisation_names() -> set[str]:
    """Every organisation the scenario creates (``setup`` finds or creates them by name)."""
    return {CITY, DISTRICT_GOVERNMENT, MINISTRY} | {p.name for p in PROVIDERS}


def demo_organisations() -> QuerySet[Organisation]:
    """The organisations the loaded scenario created: none before the first load."""
    return Organisation.objects.filter(
        pk__in=DemoDataset.organisations.through.objects.filter(demodataset__key=DATASET).values(
            "organisation"
        )
    )


def _refuse_namesakes() -> None:
    ours = demo_organisations()
    organisations = sorted(
        Organisation.objects.filter(name__in=organisation_names())
        .exclude(pk__in=ours)
        .values_list("name", flat=True)
    )
    programmes = sorted(
        Programme.objects.filter(code__in=[PROGRAMME_CODE, KIM_CODE])
        .exclude(owner__in=ours)
        .values_list("code", flat=True)
    )
    if organisations or programmes:
        raise DemoConflict(
            "Das Kölner Szenario wird nicht geladen: "
            + ", ".join(f"„{name}“" for name in organisations + programmes)
            + " besteht schon und wurde nicht von der Demo angelegt. Die Demo mischt sich nicht "
            "in echte Daten und löscht sie nicht; für eine Demo eine eigene, leere Datenbank "
            "verwenden (TEILHABE_VAR_DIR oder DATABASE_URL)."
        )


def scenario_exists() -> bool:
    return Programme.objects.filter(code=PROGRAMME_CODE, owner__in=demo_organisations()).exists()


def load_cologne(
    *, reset: bool = False, progress: Callable[[str], None] | None = None
) -> LoadResult:
    started = time.perf_counter()
    with transaction.atomic():
        _refuse_namesakes()
        if reset:
            delete_cologne()
        elif scenario_exists():
            return LoadResult(loaded=False)
        rng = random.Random(SEED)
        writer = BulkWriter(batch_size=2000)
        setup = build_programme(rng, writer)
        if progress:
            progress(f"Programm, Träger und Haushalt angelegt ({writer.total} Zeilen)")
        build_people(rng, writer, setup)
        # Every organisation of these names is the demo's: _refuse_namesakes saw to that.
        dataset, _ = DemoDataset.objects.get_or_create(key=DATASET)
        dataset.organisations.add(*Organisation.objects.filter(name__in=organisation_names()))
    return LoadResult(
        loaded=True, seconds=time.perf_counter() - started, rows=dict(sorted(writer.counts.items()))
    )


def delete_cologne() -> None:
    """Delete what lies inside the demo's organisations, in an order no foreign key blocks.

    Only the organisations recorded in the ``DemoDataset`` count; without one nothing is
    deleted. Organisations and staff accounts stay: they may carry audit events, and loading
    again reuses them. The audit trail is never deleted (it is append-only): its rows name
    records by type and id, not by foreign key, so deleting the records leaves them alone.
    """
    organisations = demo_organisations()
    programmes = Programme.objects.filter(owner__in=organisations)
    with transaction.atomic():
        participant_ids = set(
            Participant.objects.filter(municipality__in=organisations).values_list("pk", flat=True)
        )
        participants = Participant.objects.filter(pk__in=participant_ids)
        # Only the demo's people's cases: anyone else's case in a demo programme would make
        # deleting the programme fail (its foreign keys protect), and the reset with it.
        cases = Case.objects.filter(participant__in=participants)
        HandOver.objects.filter(participation__case__in=cases).delete()
        ModuleParticipation.objects.filter(case__in=cases).delete()
        Attendance.objects.filter(enrolment__case__in=cases).delete()
        Enrolment.objects.filter(case__in=cases).delete()
        OutcomeFollowUp.objects.filter(outcome__case__in=cases).delete()
        Outcome.objects.filter(case__in=cases).delete()
        Referral.objects.filter(case__in=cases).delete()
        Contact.objects.filter(case__in=cases).delete()
        SupportGoal.objects.filter(case__in=cases).delete()
        # Successor cases point to their predecessors; remove them first.
        cases.filter(predecessor__isnull=False).delete()
        cases.delete()
        files = ParticipantFile.objects.filter(participant__in=participants)
        ResidenceDocument.objects.filter(file__in=files).delete()
        Consent.objects.filter(file__in=files).delete()
        files.delete()
        participants.filter(duplicate_of__isnull=False).delete()
        participants.delete()
        lines = BudgetLine.objects.filter(module__programme__in=programmes)
        Expenditure.objects.filter(budget_line__in=lines).delete()
        Reallocation.objects.filter(amendment__programme__in=programmes).delete()
        lines.delete()
        FundingNotice.objects.filter(programme__in=programmes).delete()
        Offer.objects.filter(module__programme__in=programmes).delete()
        ForwardingContract.objects.filter(module__programme__in=programmes).delete()
        # Modules point to the amendment that added them, amendments to the module they
        # end or re-rate, revocations to what they revoke: unknot them in this order.
        amendments = Amendment.objects.filter(programme__in=programmes)
        amendments.filter(kind=AmendmentKind.REVOKE).delete()
        amendments.filter(module__isnull=False).delete()
        Module.objects.filter(programme__in=programmes).delete()
        amendments.delete()
        EligibilityRule.objects.filter(programme__in=programmes).delete()
        Decision.objects.filter(programme__in=programmes).delete()
        programmes.delete()
