"""The Cologne demo scenario: load it once, or delete and load it again.

The set-up is built by ``setup``, the people by ``people_build``. Loading is
deterministic (a fixed seed) and idempotent: the programme code is the marker that the
scenario is there.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from teilhabe.accounts.models import Organisation
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice, Reallocation
from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    Outcome,
    OutcomeFollowUp,
    Referral,
    SupportGoal,
)
from teilhabe.demo.cologne.facts import (
    KIM_CODE,
    PROGRAMME_CODE,
)
from teilhabe.demo.cologne.people_build import build_people
from teilhabe.demo.cologne.setup import build_programme
from teilhabe.demo.logins import CITY
from teilhabe.demo.rows.writer import BulkWriter
from teilhabe.participants.models import (
    Consent,
    Participant,
    ParticipantFile,
    ResidenceDocument,
)
from teilhabe.programmes.models import (
    Amendment,
    Decision,
    EligibilityRule,
    Module,
    Offer,
    Programme,
)

SEED = 20220317


@dataclass
class LoadResult:
    loaded: bool
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


def scenario_exists() -> bool:
    return Programme.objects.filter(code=PROGRAMME_CODE).exists()


def load_cologne(
    *, reset: bool = False, progress: Callable[[str], None] | None = None
) -> LoadResult:
    started = time.perf_counter()
    with transaction.atomic():
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
    return LoadResult(
        loaded=True, seconds=time.perf_counter() - started, rows=dict(sorted(writer.counts.items()))
    )


def delete_cologne() -> None:
    """Delete the scenario's data in an order that no protecting foreign key blocks.

    Organisations and staff accounts stay: they may carry audit events, and loading again
    reuses them.
    """
    programmes = Programme.objects.filter(code__in=[PROGRAMME_CODE, KIM_CODE])
    city = Organisation.objects.filter(name=CITY, kind=Organisation.Kind.MUNICIPALITY).first()
    with transaction.atomic():
        participant_ids = set(
            Participant.objects.filter(
                Q(cases__programme__in=programmes) | Q(municipality=city)
            ).values_list("pk", flat=True)
        )
        participants = Participant.objects.filter(pk__in=participant_ids)
        cases = Case.objects.filter(Q(programme__in=programmes) | Q(participant__in=participants))
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
        Amendment.objects.filter(programme__in=programmes).delete()
        EligibilityRule.objects.filter(programme__in=programmes).delete()
        Decision.objects.filter(organisation=city).delete()
        Module.objects.filter(programme__in=programmes).delete()
        programmes.delete()
