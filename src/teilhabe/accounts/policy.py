"""The access policy: who may see and do what. The one place that knows roles × organisations × consent.

Views, services and selectors ask these predicates and filters; none of them decides by
organisation, membership or consent on its own (``tests/test_architecture.py`` keeps it so).

The model behind it (docs/decisions/0004-register-and-provider-files.md):

- The municipality's coordination keeps a **register** of people (``Participant``): the least
  that matching, assignment and reporting need.
- Each organisation that works with a person keeps its own **file** (``ParticipantFile``) and is
  its controller. Its coaches and its lead read and write it; nobody else does.
- Another organisation reads named categories of a file only while a consent *recorded in that
  file by its controller* names it (or a programme it runs the person's case in) as recipient,
  for the purpose "case sharing", on that day. The coordination reads case content only through
  a consent for the purpose "coordination details"; otherwise it sees people pseudonymised.
- A transfer consent opens nothing: it lets the controller copy named categories once.
- Course staff see the people enrolled in their organisation's course runs, and only what
  attendance needs (name, enrolment, attendance). Funders see aggregates, auditors the trail.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import (
    ROLES_BY_ORGANISATION_KIND,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)
from teilhabe.participants.models import (
    Consent,
    ConsentPurpose,
    DataCategory,
    Participant,
    ParticipantFile,
)
from teilhabe.programmes.models import Decision, DecisionStatus, Programme

CASE_WORK_ROLES = frozenset({Role.COACH, Role.PROVIDER_ADMIN})
COURSE_ROLES = frozenset({Role.COURSE_STAFF})
PROVIDER_STAFF_ROLES = CASE_WORK_ROLES | COURSE_ROLES

ALL_CATEGORIES = frozenset(DataCategory.values)
# The parts of a file that belong to a case rather than to the file itself.
CASE_CATEGORIES = frozenset({DataCategory.CASE_NOTES.value, DataCategory.OUTCOMES.value})
# What a coordinator sees of every participant in the municipality's programmes.
PSEUDONYMISED_FIELDS = (
    "person_key",
    "age_group",
    "gender",
    "modules",
    "entry_date",
    "exit_date",
    "hours",
    "outcomes",
)


# --- Memberships ---------------------------------------------------------------------------


def active_memberships(user: User) -> list[Membership]:
    """Memberships of an active user in active organisations, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, is_active=True, organisation__is_active=True
            ).select_related("organisation", "organisation__municipality")
        )
        user._active_memberships = cached  # type: ignore[attr-defined]
    return cached


def organisation_ids_with_role(user: User, roles: Iterable[str]) -> set[int]:
    wanted = set(roles)
    return {m.organisation_id for m in active_memberships(user) if m.role in wanted}


def has_role(user: User, role: str, organisation: Organisation | None = None) -> bool:
    return any(
        m.role == role and (organisation is None or m.organisation_id == organisation.pk)
        for m in active_memberships(user)
    )


def is_coordinator_of(user: User, municipality: Organisation) -> bool:
    return has_role(user, Role.COORDINATOR, municipality)


def does_case_work_at(user: User, organisation: Organisation) -> bool:
    """Coach or lead at that organisation (a provider, or the city for modules it runs)."""
    return any(
        m.organisation_id == organisation.pk and m.role in CASE_WORK_ROLES
        for m in active_memberships(user)
    )


def case_work_organisation_ids(user: User) -> set[int]:
    return organisation_ids_with_role(user, CASE_WORK_ROLES)


def may_lead_cases_in(organisation: Organisation, programme: Programme) -> bool:
    """Who leads cases in a programme: a provider of the owning municipality, or the
    municipality itself for the modules it runs (its coach-role members do the case work;
    its coordinators do not)."""
    return organisation.is_active and (
        organisation.pk == programme.owner_id
        or (
            organisation.kind == Organisation.Kind.PROVIDER
            and organisation.municipality_id == programme.owner_id
        )
    )


def prepares_hand_over(user: User, programme: Programme) -> bool:
    """The coordination of the owning municipality prepares what happens to the people of
    an ended module. It sees them by person key; case content stays with the lead."""
    return programme.owner_id in organisation_ids_with_role(user, {Role.COORDINATOR})


def referral_task_filter(user: User) -> Q:
    """Referrals on the user's task list: sent by, or addressed to, an organisation where
    they do case work (for a hand-over to a programme: the receiving side it names)."""
    orgs = case_work_organisation_ids(user)
    return (
        Q(from_provider_id__in=orgs)
        | Q(to_provider_id__in=orgs)
        | Q(hand_over__to_organisation_id__in=orgs)
    )


def answers_referral(
    user: User, *, to_provider_id: int | None, to_organisation_id: int | None
) -> bool:
    """The receiving side answers a referral: case workers of the organisation it is
    addressed to (a provider, or the organisation a hand-over names)."""
    receiver = to_provider_id or to_organisation_id
    return receiver is not None and receiver in case_work_organisation_ids(user)


# --- Consents ------------------------------------------------------------------------------


def consent_in_force_q(
    *, on: dt.date | OuterRef, prefix: str = "", looking_back: bool = False
) -> Q:
    """Consents in force on that day: given, not expired, not withdrawn, not spent.

    A withdrawal takes effect on its day; an expiry date is the last day of force. A spent
    consent opens nothing more; but looking back at a day (what a transfer then went on), a
    consent spent on that day or later was still in force on it.
    """
    p = prefix
    not_spent = Q(**{f"{p}used_on__isnull": True})
    if looking_back:
        not_spent |= Q(**{f"{p}used_on__gte": on})
    return (
        Q(**{f"{p}given_on__lte": on})
        & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": on}))
        & (Q(**{f"{p}withdrawn_on__isnull": True}) | Q(**{f"{p}withdrawn_on__gt": on}))
        & not_spent
    )


def takes_over_in_programme(
    organisation: Organisation, *, participant: Participant, programme: Programme
) -> bool:
    """Who may receive a transfer that a consent addresses to a programme: the organisation
    that owns and runs it, or one that keeps a file on the person — because the coordination
    assigned the person to it, or because it leads their case (a case lives in its lead's
    file, so that needs no test of its own)."""
    return (
        organisation.pk == programme.owner_id
        or ParticipantFile.objects.filter(participant=participant, controller=organisation).exists()
    )


def transfer_consent_to_programme(
    programme_id: int,
    *,
    on: dt.date | OuterRef,
    participant_ref: str = "participant_id",
    looking_back: bool = False,
) -> Exists:
    """Whether the person (``participant_ref`` of the outer query) has, in some file, a
    transfer consent to the programme in force on the day (a day of the outer query, too):
    what a module's hand-over needs. ``looking_back`` reads a past day as it was then."""
    return Exists(
        Consent.objects.filter(
            consent_in_force_q(on=on, looking_back=looking_back),
            purpose=ConsentPurpose.TRANSFER,
            recipient_programme_id=programme_id,
            file__participant_id=OuterRef(participant_ref),
        )
    )


def transfer_consent_in_file(
    *, participant_id: int, controller_id: int, programme_id: int, on: dt.date
) -> Consent | None:
    """The transfer consent to a programme, in force on the day, that the sending side
    recorded in its own file on the person: what a hand-over of that file needs."""
    return (
        Consent.objects.filter(
            consent_in_force_q(on=on),
            purpose=ConsentPurpose.TRANSFER,
            recipient_programme_id=programme_id,
            file__participant_id=participant_id,
            file__controller_id=controller_id,
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def consent_is_in_force(consent: Consent, *, on: dt.date) -> bool:
    return Consent.objects.filter(pk=consent.pk).filter(consent_in_force_q(on=on)).exists()


def _names_category_q(category: str) -> Q:
    # JSON "contains" is not portable to SQLite; the quoted code cannot match another code.
    return Q(data_categories__icontains=f'"{category}"')


def _granting_consents_q(user: User, *, on: dt.date) -> Q:
    """Consents in force that let this user read the file they were recorded in."""
    from teilhabe.cases.models import Case

    case_orgs = case_work_organisation_ids(user)
    coordination = organisation_ids_with_role(user, {Role.COORDINATOR})
    to_organisation = Q(purpose=ConsentPurpose.CASE_SHARING, recipient_id__in=case_orgs)
    runs_the_persons_case_in_programme = Exists(
        Case.objects.filter(
            programme_id=OuterRef("recipient_programme_id"),
            participant_id=OuterRef("file__participant_id"),
            lead_provider_id__in=case_orgs,
            entry_date__lte=on,
        ).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=on))
    )
    # A consent to an organisation has no programme, and no case runs in none.
    to_programme = Q(purpose=ConsentPurpose.CASE_SHARING) & runs_the_persons_case_in_programme
    to_coordination = Q(purpose=ConsentPurpose.COORDINATION_DETAILS, recipient_id__in=coordination)
    if not case_orgs and not coordination:
        return Q(pk__in=[])
    # Sharing is between organisations. The controller's own staff need no consent (every
    # reading asks first whether the user works where the file is kept), and a consent naming
    # the controller itself is refused when it is recorded.
    return consent_in_force_q(on=on) & (to_organisation | to_programme | to_coordination)


def _granting_consents(
    user: User, *, on: dt.date, categories: Iterable[str] = ()
) -> QuerySet[Consent]:
    consents = Consent.objects.filter(_granting_consents_q(user, on=on))
    wanted = [_names_category_q(category) for category in categories]
    if wanted:
        consents = consents.filter(reduce(operator.or_, wanted))
    return consents


# --- Files and cases -----------------------------------------------------------------------


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def controls_file(user: User, file: ParticipantFile) -> bool:
    """The user works cases at the organisation that keeps this file."""
    return does_case_work_at(user, file.controller)


def file_categories_for(
    user: User, file: ParticipantFile, *, on: dt.date | None = None
) -> frozenset[str]:
    """Which categories of this file the user may read on that day (empty: none)."""
    if controls_file(user, file):
        return ALL_CATEGORIES
    granted: set[str] = set()
    for categories in (
        _granting_consents(user, on=_today(on))
        .filter(file=file)
        .values_list("data_categories", flat=True)
    ):
        granted.update(categories)
    return frozenset(granted)


def visible_file_filter(user: User, *, on: dt.date | None = None) -> Q:
    """Files the user may open: their organisation's own, and files shared with them."""
    day = _today(on)
    shared = Exists(_granting_consents(user, on=day).filter(file_id=OuterRef("pk")))
    return Q(controller_id__in=case_work_organisation_ids(user)) | Q(shared)


def visible_case_filter(user: User, *, on: dt.date | None = None, prefix: str = "") -> Q:
    """Cases (or rows reached through ``prefix``) whose content the user may read.

    Case content is part of the lead organisation's file: its case workers read it; another
    organisation or the coordination only where a consent in that file names case notes or
    outcomes for them.
    """
    day = _today(on)
    p = prefix
    shared = Exists(
        _granting_consents(user, on=day, categories=CASE_CATEGORIES).filter(
            file__participant_id=OuterRef(f"{p}participant_id"),
            file__controller_id=OuterRef(f"{p}lead_provider_id"),
        )
    )
    return Q(**{f"{p}lead_provider_id__in": case_work_organisation_ids(user)}) | Q(shared)


def course_enrolment_filter(user: User, *, prefix: str = "") -> Q:
    """Enrolments in course runs of the organisations where the user is course staff."""
    organisations = organisation_ids_with_role(user, COURSE_ROLES)
    return Q(**{f"{prefix}offer__provider_id__in": organisations})


# --- The register --------------------------------------------------------------------------


def register_identity_filter(user: User, *, on: dt.date | None = None) -> Q:
    """People whose names and date of birth the user may read.

    Case workers: people their organisation keeps a file on, or whose identity another
    controller shared with them. Course staff: people enrolled in their course runs. The
    coordination: people whose registration it is still working (no file at any provider
    yet); once assigned, the coordination sees them pseudonymised.
    """
    from teilhabe.cases.models import Enrolment

    day = _today(on)
    case_orgs = case_work_organisation_ids(user)
    keeps_a_file = Exists(
        ParticipantFile.objects.filter(participant_id=OuterRef("pk"), controller_id__in=case_orgs)
    )
    identity_shared = Exists(
        _granting_consents(user, on=day, categories=[DataCategory.IDENTITY]).filter(
            file__participant_id=OuterRef("pk")
        )
    )
    in_my_course = Exists(
        Enrolment.objects.filter(course_enrolment_filter(user), case__participant_id=OuterRef("pk"))
    )
    coordination = organisation_ids_with_role(user, {Role.COORDINATOR})
    registration_in_progress = Q(municipality_id__in=coordination) & ~Exists(
        ParticipantFile.objects.filter(participant_id=OuterRef("pk"))
    )
    return Q(keeps_a_file) | Q(identity_shared) | Q(in_my_course) | Q(registration_in_progress)


# --- Programmes ----------------------------------------------------------------------------
#
# A programme's set-up, decisions and budgets name no person. The coordination of the city
# that owns it changes it (through decisions). Whoever works in an organisation that takes
# part reads it, as on the start page (``programmes_for_organisation``): the city's staff,
# its providers' staff, the funders that pay for it. Everyone else cannot tell it exists.


def may_read_programme(user: User, programme: Programme) -> bool:
    funder_ids = set()
    for membership in active_memberships(user):
        organisation = membership.organisation
        if organisation.kind == Organisation.Kind.FUNDER:
            funder_ids.add(organisation.pk)
        elif programme.owner_id in (organisation.pk, organisation.municipality_id):
            return True
    return bool(funder_ids) and programme.funding_notices.filter(funder_id__in=funder_ids).exists()


def may_change_programme(user: User, programme: Programme) -> bool:
    """Propose, adopt and reject decisions, set a programme up: the owning coordination."""
    return is_coordinator_of(user, programme.owner)


class BudgetView:
    """How much of a programme's budget someone sees."""

    NONE = "none"
    # Per budget year and in total: the funder checks the notice is kept, not the modules.
    TOTALS = "totals"
    # Per module and budget year, with commitments and forecasts.
    DETAILS = "details"


def budget_view_for(user: User, programme: Programme) -> str:
    """The owning coordination and the city's auditors (read-only) see the budget per module;
    a funder that granted a notice for the programme sees its totals; nobody else sees it."""
    municipality_roles = {
        m.role for m in active_memberships(user) if m.organisation_id == programme.owner_id
    }
    if municipality_roles & {Role.COORDINATOR, Role.AUDITOR}:
        return BudgetView.DETAILS
    funder_ids = {
        m.organisation_id
        for m in active_memberships(user)
        if m.role == Role.FUNDER and m.organisation.kind == Organisation.Kind.FUNDER
    }
    if funder_ids and programme.funding_notices.filter(funder_id__in=funder_ids).exists():
        return BudgetView.TOTALS
    return BudgetView.NONE


def may_book_expenditures(user: User, programme: Programme) -> bool:
    """Book and import expenditures, record a funding notice: the owning coordination."""
    return is_coordinator_of(user, programme.owner)


def reads_programme_evaluation(user: User, programme: Programme) -> bool:
    """The usage evaluation and the council paper: exact figures per module and offer, for
    any period. Only the owning city's coordination reads them; providers and funders read
    the published figures (suppressed, closed periods only) elsewhere."""
    return is_coordinator_of(user, programme.owner)


def may_see_decision(user: User, decision: Decision) -> bool:
    """Proposals and rejected drafts are the coordination's working papers; decisions taken
    (also under a condition) are read by everyone who reads the programme."""
    if decision.status in (DecisionStatus.PROPOSED, DecisionStatus.REJECTED):
        return may_change_programme(user, decision.programme)
    return may_read_programme(user, decision.programme)


def municipalities_user_sets_up_programmes_for(user: User) -> list[Organisation]:
    return [
        m.organisation
        for m in active_memberships(user)
        if m.role == Role.COORDINATOR and m.organisation.kind == Organisation.Kind.MUNICIPALITY
    ]


def sees_programme_pseudonymised(user: User, programme_owner_id: int) -> bool:
    """The coordination of the municipality that owns a programme sees its people by key."""
    return programme_owner_id in organisation_ids_with_role(user, {Role.COORDINATOR})


def handles_access_requests(user: User) -> bool:
    """Data protection of a municipality (a provider answers for its own files itself)."""
    return bool(_municipality_auditor_ids(user))


def deletion_records_filter(user: User) -> Q:
    """The retention and erasure records a data-protection officer of a municipality reads."""
    return Q(municipality_id__in=_municipality_auditor_ids(user))


def _municipality_auditor_ids(user: User) -> set[int]:
    return {
        m.organisation_id
        for m in active_memberships(user)
        if m.role == Role.AUDITOR and m.organisation.kind == Organisation.Kind.MUNICIPALITY
    }


def handles_access_requests_for(user: User, participant: Participant) -> bool:
    """Requests under Art. 15 and 17 GDPR go to the data protection of the person's municipality."""
    return participant.municipality_id in _municipality_auditor_ids(user)


def may_register_in(user: User, municipality: Organisation) -> bool:
    """The coordination registers people; so do the municipality's providers for walk-ins."""
    return is_coordinator_of(user, municipality) or any(
        m.role in CASE_WORK_ROLES
        and (
            m.organisation_id == municipality.pk
            or m.organisation.municipality_id == municipality.pk
        )
        for m in active_memberships(user)
    )


def may_assign(user: User, participant: Participant) -> bool:
    """Opening a file for a person at an organisation is the coordination's assignment."""
    return participant.municipality_id in organisation_ids_with_role(user, {Role.COORDINATOR})


# --- The audit trail -----------------------------------------------------------------------


def auditor_organisation_ids(user: User) -> set[int]:
    """The organisations where the user holds the auditor role."""
    return organisation_ids_with_role(user, [Role.AUDITOR])


def is_auditor(user: User) -> bool:
    return bool(auditor_organisation_ids(user))


def audited_organisation_ids(user: User) -> set[int]:
    """The organisations whose trail this user audits.

    An auditor of a municipality audits the municipality and its providers; an auditor at a
    provider audits that provider alone. Nobody else audits anything.
    """
    auditor_at = auditor_organisation_ids(user)
    if not auditor_at:
        return set()
    municipality_ids = _municipality_auditor_ids(user)
    provider_ids = set(
        Organisation.objects.filter(municipality_id__in=municipality_ids).values_list(
            "pk", flat=True
        )
    )
    return auditor_at | provider_ids


def visible_audit_event_filter(user: User) -> Q:
    """A filter on audit events: those in the organisations the user audits, and those
    without an organisation (a login, say) by anyone who is or was a member there."""
    organisation_ids = audited_organisation_ids(user)
    if not organisation_ids:
        return Q(pk__in=[])
    members = Membership.objects.filter(
        organisation_id__in=organisation_ids, user_id=OuterRef("actor_id")
    )
    # An event without an actor matches no membership: anonymous events stay with nobody.
    return Q(organisation_id__in=organisation_ids) | Q(Exists(members), organisation__isnull=True)


# --- Who can see a file, in words ------------------------------------------------------------


@dataclass(frozen=True)
class AccessLine:
    """One line of "who can see this person's data": who, which categories, why, until when."""

    who: str | Promise
    categories: tuple[str | Promise, ...]
    why: str | Promise
    until: dt.date | None = None


def _category_labels(codes: Iterable[str]) -> tuple[str | Promise, ...]:
    order = list(DataCategory.values)
    return tuple(DataCategory(code).label for code in sorted(set(codes), key=order.index))


def file_audience(file: ParticipantFile, *, on: dt.date | None = None) -> list[AccessLine]:
    """Everyone who can see something of this file on that day, and why — the policy in words."""
    day = _today(on)
    lines = [
        AccessLine(
            who=_("Jobcoaches und Leitung von %(org)s") % {"org": file.controller.name},
            categories=_category_labels(ALL_CATEGORIES),
            why=_("%(org)s führt diese Akte und ist dafür verantwortlich.")
            % {"org": file.controller.name},
        )
    ]
    consents = (
        Consent.objects.filter(file=file)
        .filter(consent_in_force_q(on=day))
        .select_related("recipient", "recipient_programme")
        .order_by("given_on", "pk")
    )
    for consent in consents:
        recipient = (
            consent.recipient.name
            if consent.recipient is not None
            else _("die Träger, die die Person im Programm „%(programme)s“ begleiten")
            % {"programme": consent.recipient_programme.name if consent.recipient_programme else ""}
        )
        given = f"{consent.given_on:%d.%m.%Y}"
        if consent.purpose == ConsentPurpose.CASE_SHARING:
            why = _("Einwilligung vom %(day)s: Fallinhalte teilen.") % {"day": given}
        elif consent.purpose == ConsentPurpose.COORDINATION_DETAILS:
            why = _("Einwilligung vom %(day)s: Einsicht der Programmkoordination.") % {"day": given}
        elif consent.purpose == ConsentPurpose.TRANSFER:
            why = _(
                "Einwilligung vom %(day)s: einmalige Übergabe; bis dahin sieht der Empfänger nichts."
            ) % {"day": given}
        else:
            continue
        lines.append(
            AccessLine(
                who=recipient,
                categories=_category_labels(consent.data_categories),
                why=why,
                until=consent.expires_on,
            )
        )
    from teilhabe.cases.models import Enrolment

    course_providers = (
        Enrolment.objects.filter(
            case__participant_id=file.participant_id, case__lead_provider_id=file.controller_id
        )
        .exclude(offer__provider_id=file.controller_id)
        .values_list("offer__provider__name", flat=True)
        .distinct()
        .order_by("offer__provider__name")
    )
    for provider_name in course_providers:
        lines.append(
            AccessLine(
                who=_("Kurspersonal von %(org)s") % {"org": provider_name},
                categories=(_("Name, Teilnahme und Anwesenheit im Kurs"),),
                why=_("Die Person ist in einem Kurs dieses Trägers angemeldet."),
            )
        )
    lines.append(
        AccessLine(
            who=_("Programmkoordination von %(org)s") % {"org": file.participant.municipality.name},
            categories=(
                _(
                    "Personenkennung, Altersgruppe, Geschlecht, Bausteine, Ein- und Austritt, Stunden, Erfolge"
                ),
            ),
            why=_(
                "Pseudonymisiert, für Steuerung und Verwendungsnachweis; Namen nur während der "
                "Bearbeitung der Anmeldung."
            ),
        )
    )
    lines.append(
        AccessLine(
            who=_("Fördermittelgeber"),
            categories=(_("keine Angaben zur Person, nur Gesamtzahlen ab 5 Personen"),),
            why=_("Berichte über das Programm."),
        )
    )
    lines.append(
        AccessLine(
            who=_("Datenschutz / Revision"),
            categories=(_("das Protokoll, wer wann was gelesen oder geändert hat"),),
            why=_("Kontrolle der Zugriffe; keine Fallinhalte."),
        )
    )
    return lines


# --- Figures -----------------------------------------------------------------------------------
#
# Counts of people for any day are exact only for those who work with the people counted;
# everyone else reads the published figures of closed reporting periods, with small numbers
# suppressed (reports.disclosure, docs/decisions/0005-published-figures.md).


def sees_exact_figures_of(user: User, organisation: Organisation) -> bool:
    """Exact counts for any day: a municipality's coordination for its programmes, a
    provider's coaches and admins for the cases their provider leads."""
    wanted = {
        Organisation.Kind.MUNICIPALITY: {Role.COORDINATOR},
        Organisation.Kind.PROVIDER: {Role.COACH, Role.PROVIDER_ADMIN},
    }.get(Organisation.Kind(organisation.kind), set())
    return any(
        m.organisation_id == organisation.pk and m.role in wanted for m in active_memberships(user)
    )


# --- Staff accounts ------------------------------------------------------------------------
#
# Who may invite staff, change their roles and deactivate them, for which organisation:
# a provider admin for their provider; the coordination for its municipality and that
# municipality's providers; never across municipalities. Nobody grants a role above their
# own (a provider admin cannot make anyone coordinator), and nobody changes their own.

# A role's weight when granting: equal or lower roles may be granted, higher ones not.
STAFF_ROLE_RANK: dict[str, int] = {
    Role.COACH: 1,
    Role.COURSE_STAFF: 1,
    Role.AUDITOR: 1,
    Role.FUNDER: 1,
    Role.PROVIDER_ADMIN: 2,
    Role.COORDINATOR: 3,
}


def staff_rank_at(user: User, organisation: Organisation) -> int:
    """The rank with which the user manages this organisation's staff; 0 when they do not."""
    if not organisation.is_active:
        return 0
    if organisation.kind == Organisation.Kind.MUNICIPALITY:
        return (
            STAFF_ROLE_RANK[Role.COORDINATOR]
            if has_role(user, Role.COORDINATOR, organisation)
            else 0
        )
    if organisation.kind == Organisation.Kind.PROVIDER:
        municipality = organisation.municipality
        if municipality is not None and has_role(user, Role.COORDINATOR, municipality):
            return STAFF_ROLE_RANK[Role.COORDINATOR]
        if has_role(user, Role.PROVIDER_ADMIN, organisation):
            return STAFF_ROLE_RANK[Role.PROVIDER_ADMIN]
    return 0


def manages_staff_of(user: User, organisation: Organisation) -> bool:
    return staff_rank_at(user, organisation) > 0


def may_grant_role(user: User, organisation: Organisation, role: str) -> bool:
    # Data protection oversees the staff who grant roles; they do not appoint it (separation
    # of duties). Auditors are appointed by the operator in the admin.
    # Every role ranks at least 1: a user who manages nobody here (rank 0) grants nothing.
    return (
        role != Role.AUDITOR
        and role in ROLES_BY_ORGANISATION_KIND[organisation.kind]
        and STAFF_ROLE_RANK[role] <= staff_rank_at(user, organisation)
    )


def roles_grantable_by(user: User, organisation: Organisation) -> list[str]:
    return [role for role in Role if may_grant_role(user, organisation, role)]


def may_change_membership(user: User, membership: Membership) -> bool:
    """Change the role of, or deactivate, someone else's membership of equal or lower rank."""
    return membership.user_id != user.pk and may_grant_role(
        user, membership.organisation, membership.role
    )


def organisations_whose_staff_user_manages(user: User) -> QuerySet[Organisation]:
    provider_admin_of = [
        m.organisation_id for m in active_memberships(user) if m.role == Role.PROVIDER_ADMIN
    ]
    coordinator_of = [
        m.organisation_id
        for m in active_memberships(user)
        if m.role == Role.COORDINATOR and m.organisation.kind == Organisation.Kind.MUNICIPALITY
    ]
    return Organisation.objects.filter(
        Q(pk__in=coordinator_of)
        | Q(kind=Organisation.Kind.PROVIDER, municipality_id__in=coordinator_of)
        | Q(kind=Organisation.Kind.PROVIDER, pk__in=provider_admin_of),
        is_active=True,
    ).select_related("municipality")


def memberships_in_organisations_managed_by(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation__in=organisations_whose_staff_user_manages(user))


def invitations_in_organisations_managed_by(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation__in=organisations_whose_staff_user_manages(user))
