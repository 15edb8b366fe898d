"""A case at a provider in a programme with two modules: F4 (with a course, in which the person
is enrolled and so takes part) and F6 (without offers, ended early by the council).

Used by the participation page tests, the URL matrix, the audit walk and the browser test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from teilhabe.accounts.models import Organisation
from teilhabe.cases.models import Case, Enrolment, ModuleParticipation
from teilhabe.participants.models import ParticipantFile
from teilhabe.programmes.models import AmendmentKind, Module, Programme
from tests.factories import (
    AmendmentFactory,
    CaseFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    EnrolmentFactory,
    ModuleFactory,
    OfferFactory,
    ProgrammeFactory,
)

D = dt.date
ENTRY = D(2021, 2, 1)
F6_LAST_DAY = D(2022, 6, 30)


@dataclass
class ParticipationScenario:
    programme: Programme
    f4: Module
    f6: Module
    case: Case
    file: ParticipantFile
    enrolment: Enrolment
    # The person takes part in F4 through the enrolment.
    in_f4: ModuleParticipation


def build(lead: Organisation) -> ParticipationScenario:
    municipality = lead.municipality or lead
    programme = ProgrammeFactory(
        owner=municipality, name="Durchstarten", starts_on=D(2020, 7, 1), ends_on=D(2023, 6, 30)
    )
    EligibilityRuleFactory(programme=programme)
    f4 = ModuleFactory(programme=programme, code="F4", name="Qualifizierung")
    f6 = ModuleFactory(programme=programme, code="F6", name="Teilhabemanagement")
    AmendmentFactory(
        decision=DecisionFactory(programme=programme, decided_on=D(2022, 3, 17)),
        kind=AmendmentKind.END_MODULE,
        module=f6,
        new_end_date=F6_LAST_DAY,
    )
    case = CaseFactory(
        programme=programme,
        lead_provider=lead,
        participant__municipality=municipality,
        participant__family_name="Haddad",
        entry_date=ENTRY,
    )
    offer = OfferFactory(module=f4, provider=lead, title="Gastro 8.0", starts_on=D(2021, 3, 1))
    enrolment = EnrolmentFactory(
        case=case,
        offer=offer,
        status=Enrolment.Status.ACTIVE,
        requested_on=D(2021, 2, 15),
        started_on=D(2021, 3, 1),
    )
    in_f4 = ModuleParticipation.objects.create(case=case, module=f4, from_date=D(2021, 3, 1))
    return ParticipationScenario(
        programme=programme,
        f4=f4,
        f6=f6,
        case=case,
        file=ParticipantFile.objects.get(participant=case.participant, controller=lead),
        enrolment=enrolment,
        in_f4=in_f4,
    )
