"""factory_boy factories for the domain model. Tests build what they need from these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.db.models import Max
from factory.django import DjangoModelFactory

from teilhabe.accounts.models import Membership, Organisation, Role, User
from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice
from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    ModuleParticipation,
    Outcome,
)
from teilhabe.core.codes import EmploymentPermission, OutcomeType, ResidenceType, TargetGroup
from teilhabe.participants.models import Consent, Participant, ParticipantFile, ResidenceDocument
from teilhabe.programmes.models import (
    Amendment,
    AmendmentKind,
    CostBasis,
    Decision,
    EligibilityRule,
    ForwardingContract,
    Module,
    Offer,
    Programme,
)

MAIN_GROUP = [
    ResidenceType.ASYLUM_SEEKER,
    ResidenceType.TOLERATED,
    ResidenceType.TOLERATED_UNCLEAR_IDENTITY,
    ResidenceType.TRAINING_TOLERATION,
    ResidenceType.EMPLOYMENT_TOLERATION,
]


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Stadt {n}")
    kind = Organisation.Kind.MUNICIPALITY


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Träger {n}")
    kind = Organisation.Kind.PROVIDER
    municipality = factory.SubFactory(MunicipalityFactory)


class FunderFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Bezirksregierung {n}")
    kind = Organisation.Kind.FUNDER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(ProviderFactory)
    role = Role.COACH


# How long before its start a factory-made programme was set up by its decision.
SET_UP_LEAD = dt.timedelta(days=90)


def set_up_of(programme: Programme) -> Amendment:
    """The amendment of the decision that set the programme up (the factory records one)."""
    return Amendment.objects.get(programme=programme, kind=AmendmentKind.SET_UP)


def next_sequence(programme: Programme) -> int:
    last = Decision.objects.filter(programme=programme).aggregate(m=Max("sequence"))["m"]
    return (last or 0) + 1


class ProgrammeFactory(DjangoModelFactory):
    """A programme with the decision that set it up, in the record since then."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"programm-{n}")
    name = factory.Sequence(lambda n: f"Programm {n}")
    owner = factory.SubFactory(MunicipalityFactory)
    starts_on = dt.date(2020, 7, 1)
    ends_on = dt.date(2022, 12, 31)

    @factory.post_generation
    def set_up(obj: Programme, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        decided_on = obj.starts_on - SET_UP_LEAD
        decision = Decision.objects.create(
            programme=obj,
            organisation=obj.owner,
            body="Rat",
            decided_on=decided_on,
            reference=f"setup-{obj.code}",
            title="Einrichtung des Programms",
            status=Decision.Status.ADOPTED,
            sequence=next_sequence(obj),
            known_from=decided_on,
        )
        Amendment.objects.create(
            decision=decision,
            programme=obj,
            kind=AmendmentKind.SET_UP,
            position=1,
            effective_on=decided_on,
            new_end_date=obj.ends_on,
        )


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name = "Coaching"
    valid_from = factory.SelfAttribute("programme.starts_on")
    cost_basis = CostBasis.STAFF_POSITIONS
    added_by = factory.LazyAttribute(lambda o: set_up_of(o.programme))


def forwarding_in_set_up(module: Module) -> Amendment:
    """A forwarding amendment of the programme's set-up decision, for the module."""
    set_up = set_up_of(module.programme)
    return Amendment.objects.create(
        decision=set_up.decision,
        programme=module.programme,
        kind=AmendmentKind.FORWARD_FUNDS,
        effective_on=set_up.effective_on,
        module=module,
    )


class ForwardingContractFactory(DjangoModelFactory):
    """A contract for as long as the module runs; unless given ``added_by``, concluded by
    the programme's set-up decision."""

    class Meta:
        model = ForwardingContract

    module = factory.SubFactory(ModuleFactory)
    provider = factory.SubFactory(
        ProviderFactory, municipality=factory.SelfAttribute("..module.programme.owner")
    )
    added_by = factory.LazyAttribute(lambda o: forwarding_in_set_up(o.module))
    reference = factory.Sequence(lambda n: f"WV-{n:03d}")
    valid_from = factory.SelfAttribute("module.valid_from")


class OfferFactory(DjangoModelFactory):
    """An offer, with the provider's contract for the module (made in the set-up decision
    if the provider has none): offers run only under a forwarding contract."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    module = factory.SubFactory(ModuleFactory)
    provider = factory.SubFactory(
        ProviderFactory, municipality=factory.SelfAttribute("..module.programme.owner")
    )
    title = factory.Sequence(lambda n: f"Kurs {n}")
    kind = Offer.Kind.COURSE_RUN
    starts_on = dt.date(2021, 2, 1)
    ends_on = dt.date(2021, 6, 30)
    places = 12
    teaching_hours = 200

    @factory.post_generation
    def contract(obj: Offer, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        if not ForwardingContract.objects.filter(module=obj.module, provider=obj.provider).exists():
            ForwardingContractFactory(module=obj.module, provider=obj.provider)


class EligibilityRuleFactory(DjangoModelFactory):
    """A rule; unless ``in_set_up=False``, part of the programme's set-up decision."""

    class Meta:
        model = EligibilityRule
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    valid_from = factory.SelfAttribute("programme.starts_on")
    min_age = 18
    max_age = 27
    main_group_statuses = factory.LazyFunction(lambda: [s.value for s in MAIN_GROUP])
    special_case_statuses = factory.LazyFunction(list)
    # As in Durchstarten: § 24 is no target group at all until a rule makes it a special case.
    excluded_statuses = factory.LazyAttribute(
        lambda o: (
            []
            if ResidenceType.TEMPORARY_PROTECTION in o.special_case_statuses
            else [ResidenceType.TEMPORARY_PROTECTION.value]
        )
    )

    @factory.post_generation
    def in_set_up(obj: EligibilityRule, create: bool, extracted: bool | None, **kw: object) -> None:
        if not create or extracted is False:
            return
        set_up = set_up_of(obj.programme)
        Amendment.objects.create(
            decision=set_up.decision,
            programme=obj.programme,
            kind=AmendmentKind.CHANGE_ELIGIBILITY,
            effective_on=obj.valid_from,
            eligibility_rule=obj,
        )


class DecisionFactory(DjangoModelFactory):
    """A decision in the record from the day it was taken."""

    class Meta:
        model = Decision

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.owner")
    body = "Rat der Stadt"
    decided_on = dt.date(2022, 3, 17)
    reference = factory.Sequence(lambda n: f"{n:04d}/2022")
    title = "Verlängerung"
    status = Decision.Status.ADOPTED
    sequence = factory.LazyAttribute(lambda o: next_sequence(o.programme))
    known_from = factory.SelfAttribute("decided_on")


class AmendmentFactory(DjangoModelFactory):
    class Meta:
        model = Amendment

    decision = factory.SubFactory(DecisionFactory)
    programme = factory.SelfAttribute("decision.programme")
    kind = AmendmentKind.EXTEND_PROGRAMME
    effective_on = factory.SelfAttribute("decision.decided_on")
    new_end_date = dt.date(2023, 6, 30)


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    municipality = factory.SubFactory(MunicipalityFactory)
    given_names = "Amina"
    family_name = factory.Sequence(lambda n: f"Haddad{n}")
    date_of_birth = dt.date(2000, 5, 17)
    registered_on = dt.date(2021, 1, 15)


class ParticipantFileFactory(DjangoModelFactory):
    """A provider's file on a person; the provider works in the person's municipality."""

    class Meta:
        model = ParticipantFile
        django_get_or_create = ("participant", "controller")

    participant = factory.SubFactory(ParticipantFactory)
    controller = factory.SubFactory(
        ProviderFactory, municipality=factory.SelfAttribute("..participant.municipality")
    )
    opened_on = dt.date(2021, 1, 20)
    nationality = "SY"
    languages = factory.LazyFunction(lambda: ["ar"])
    city = "Köln"


class ResidenceDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ResidenceDocument

    file = factory.SubFactory(ParticipantFileFactory)
    residence_type = ResidenceType.TOLERATED
    valid_from = dt.date(2020, 1, 1)
    valid_until = None
    employment = EmploymentPermission.ON_PERMISSION


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    file = factory.SubFactory(ParticipantFileFactory)
    purpose = Consent.Purpose.CASE_SHARING
    recipient = factory.SubFactory(
        ProviderFactory, municipality=factory.SelfAttribute("..file.participant.municipality")
    )
    data_categories = factory.LazyFunction(lambda: ["identity", "case_notes"])
    given_on = dt.date(2021, 3, 1)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    programme = factory.SubFactory(
        ProgrammeFactory, owner=factory.SelfAttribute("..participant.municipality")
    )
    lead_provider = factory.SubFactory(
        ProviderFactory, municipality=factory.SelfAttribute("..participant.municipality")
    )
    status = Case.Status.ACTIVE
    entry_date = dt.date(2021, 2, 1)
    target_group = TargetGroup.MAIN

    @factory.post_generation
    def file(case: Case, create: bool, extracted: object, **kwargs: object) -> None:
        """A case is part of its lead organisation's file: make sure the file exists."""
        if create:
            ParticipantFileFactory(participant=case.participant, controller=case.lead_provider)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    case = factory.SubFactory(CaseFactory)
    occurred_on = dt.date(2021, 2, 3)
    kind = Contact.Kind.SESSION
    topic = Contact.Topic.TRAINING
    duration_minutes = 45


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    case = factory.SubFactory(CaseFactory)
    offer = factory.SubFactory(OfferFactory)
    status = Enrolment.Status.WAITING
    requested_on = dt.date(2021, 1, 20)


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    case = factory.SubFactory(CaseFactory)
    outcome_type = OutcomeType.VOCATIONAL_TRAINING
    achieved_on = dt.date(2021, 8, 1)


class FundingNoticeFactory(DjangoModelFactory):
    class Meta:
        model = FundingNotice

    programme = factory.SubFactory(ProgrammeFactory)
    funder = factory.SubFactory(FunderFactory)
    reference = factory.Sequence(lambda n: f"BRA-{n}")
    issued_on = dt.date(2020, 8, 3)
    period_start = dt.date(2020, 7, 1)
    period_end = dt.date(2022, 12, 31)
    total_amount = Decimal("2956360.00")


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    module = factory.SubFactory(ModuleFactory)
    budget_year = 2021
    planned_amount = Decimal("100000.00")
    adopted_by = factory.LazyAttribute(lambda o: set_up_of(o.module.programme))


class ExpenditureFactory(DjangoModelFactory):
    class Meta:
        model = Expenditure

    budget_line = factory.SubFactory(BudgetLineFactory)
    spent_on = factory.LazyAttribute(lambda o: dt.date(o.budget_line.budget_year, 3, 31))
    category = Expenditure.Category.STAFF
    amount = Decimal("1000.00")


class ModuleParticipationFactory(DjangoModelFactory):
    class Meta:
        model = ModuleParticipation

    case = factory.SubFactory(CaseFactory)
    module = factory.SubFactory(ModuleFactory, programme=factory.SelfAttribute("..case.programme"))
    from_date = factory.SelfAttribute("case.entry_date")


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session_date = dt.date(2021, 2, 8)
    status = Attendance.Status.PRESENT
    hours = Decimal("4.00")
