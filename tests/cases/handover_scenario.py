"""A module that ends with a successor programme: F6 run by the city, handed to a successor.

Two people take part in F6 at the city (its coach leads their cases): one consented to the
transfer, one did not. Used by the hand-over tests, the URL matrix and the browser test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.cases.models import Case, ModuleParticipation
from teilhabe.core.codes import ResidenceType
from teilhabe.participants.models import Consent, ParticipantFile
from teilhabe.programmes.models import Amendment, AmendmentKind, Module, Programme
from tests.factories import (
    AmendmentFactory,
    CaseFactory,
    ConsentFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    MembershipFactory,
    ModuleFactory,
    ParticipantFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
    ResidenceDocumentFactory,
    UserFactory,
)

D = dt.date
LAST_DAY = D(2022, 6, 30)
DECIDED = D(2022, 3, 17)
TRANSFER_CATEGORIES = ["identity", "contact", "residence", "education"]


@dataclass
class HandOverScenario:
    municipality: Organisation
    programme: Programme
    successor: Programme
    f6: Module
    amendment: Amendment
    city_coach: User
    consenting: ModuleParticipation
    refusing: ModuleParticipation

    @property
    def cases(self) -> list[Case]:
        return [self.consenting.case, self.refusing.case]


def city_coach(municipality: Organisation, username: str = "casemanagement") -> User:
    user = UserFactory(username=username, first_name="Ömer", last_name="Kaya")
    MembershipFactory(user=user, organisation=municipality, role=Role.COACH)
    return user


def city_case(
    programme: Programme, municipality: Organisation, coach: User, *, family_name: str
) -> Case:
    participant = ParticipantFactory(municipality=municipality, family_name=family_name)
    case = CaseFactory(
        participant=participant,
        programme=programme,
        lead_provider=municipality,
        coach=coach,
        entry_date=D(2021, 2, 1),
    )
    file = ParticipantFile.objects.get(participant=participant, controller=municipality)
    ResidenceDocumentFactory(
        file=file, residence_type=ResidenceType.TOLERATED, valid_from=D(2020, 1, 1)
    )
    return case


CONSENT_GIVEN = D(2022, 6, 1)


def transfer_consent(
    case: Case, successor: Programme, *, given_on: dt.date = CONSENT_GIVEN
) -> Consent:
    file = ParticipantFileFactory(participant=case.participant, controller=case.lead_provider)
    consent: Consent = ConsentFactory(
        file=file,
        purpose=Consent.Purpose.TRANSFER,
        recipient=None,
        recipient_programme=successor,
        data_categories=TRANSFER_CATEGORIES,
        given_on=given_on,
    )
    return consent


def build(municipality: Organisation, *, coach: User | None = None) -> HandOverScenario:
    programme = ProgrammeFactory(
        owner=municipality, name="Durchstarten", starts_on=D(2020, 7, 1), ends_on=D(2023, 6, 30)
    )
    EligibilityRuleFactory(programme=programme)
    f6 = ModuleFactory(programme=programme, code="F6", name="Teilhabemanagement")
    successor = ProgrammeFactory(
        owner=municipality,
        name="KIM",
        starts_on=D(2021, 10, 1),
        ends_on=D(2027, 12, 31),
    )
    EligibilityRuleFactory(programme=successor, valid_from=successor.starts_on, max_age=40)
    decision = DecisionFactory(programme=programme, decided_on=DECIDED, reference="0642/2022")
    amendment = AmendmentFactory(
        decision=decision,
        kind=AmendmentKind.END_MODULE,
        module=f6,
        new_end_date=LAST_DAY,
        successor_programme=successor,
    )
    coach = coach or city_coach(municipality)
    participations = []
    for name in ("Haddad", "Nasser"):
        case = city_case(programme, municipality, coach, family_name=name)
        participations.append(
            ModuleParticipation.objects.create(case=case, module=f6, from_date=case.entry_date)
        )
    transfer_consent(participations[0].case, successor)
    return HandOverScenario(
        municipality=municipality,
        programme=programme,
        successor=successor,
        f6=f6,
        amendment=amendment,
        city_coach=coach,
        consenting=participations[0],
        refusing=participations[1],
    )
