"""Reads of case data, always scoped to what the user may see (see ``accounts.policy``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record, audit_record_reads
from teilhabe.cases.models import (
    Attendance,
    Case,
    CaseStatus,
    Contact,
    Enrolment,
    EnrolmentStatus,
    HandOver,
    ModuleParticipation,
    Outcome,
    Referral,
    ReferralStatus,
    SupportGoal,
)
from teilhabe.core.codes import Gender, OutcomeType
from teilhabe.participants.models import Participant, ParticipantFile
from teilhabe.programmes.eligibility import age_on
from teilhabe.programmes.models import (
    RECORDED_STATUSES,
    Amendment,
    AmendmentKind,
    Module,
    Programme,
)
from teilhabe.programmes.selectors import (
    ProgrammeNotDecided,
    not_in_force_reason,
    programme_as_of,
)


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(policy.visible_case_filter(user))


def _visible_case(user: User, pk: int) -> Case:
    case = (
        cases_visible_to(user)
        .select_related("participant", "programme", "lead_provider", "coach")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _audit_case_read(user: User, case: Case, request: HttpRequest | None) -> None:
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=case,
        subjects=[case.participant.person_key],
        organisation=case.lead_provider,
        request=request,
    )


def case_get_for_user(*, user: User, pk: int, request: HttpRequest | None = None) -> Case:
    """One case, or 404 when it does not exist *or* the user may not see it (no existence leak)."""
    case = _visible_case(user, pk)
    _audit_case_read(user, case, request)
    return case


def case_get_for_case_work(*, user: User, pk: int, request: HttpRequest | None = None) -> Case:
    """A case to work on: 404 where the user may not see it, 403 where they only read it (a
    consent shared it with them); the read is audited."""
    case = _visible_case(user, pk)
    if not policy.does_case_work_at(user, case.lead_provider):
        raise PermissionDenied(_("Diesen Fall führt ein anderer Träger."))
    _audit_case_read(user, case, request)
    return case


# --- Module participation of a case ----------------------------------------------------------


@dataclass(frozen=True)
class ParticipationLine:
    participation: ModuleParticipation
    # The enrolments in the module's offers that began while it was open: what placed the
    # person in the module (a module without offers is joined on its own).
    enrolments: tuple[Enrolment, ...]


@dataclass(frozen=True)
class ParticipationSection:
    """A case's module participations as its case workers see them, with the modules in force
    on the day the start form offers."""

    case: Case
    file_id: int
    lines: list[ParticipationLine]
    day: dt.date
    modules: list[Module]
    # Why no module can be begun on the day (the programme did not run, say), or None.
    nothing_on_day: StrOrPromise | None

    @property
    def open_lines(self) -> list[ParticipationLine]:
        return [line for line in self.lines if line.participation.is_open]

    @property
    def may_start(self) -> bool:
        return self.case.status != CaseStatus.CLOSED


def modules_in_force(*, programme: Programme, day: dt.date) -> tuple[list[Module], str | None]:
    """The programme's modules in force on the day (as known today), or why there are none."""
    try:
        state = programme_as_of(programme=programme, as_of=day)
    except ProgrammeNotDecided:
        state = None
    if state is None or not state.is_running:
        # The services' own words for why the day is closed.
        return [], not_in_force_reason(programme=programme, on=day)
    running = state.running_modules
    if not running:
        return [], _("Am %(day)s lief kein Baustein.") % {"day": day.strftime("%d.%m.%Y")}
    return [module.module for module in running], None


def participation_sections(
    *, user: User, cases: Iterable[Case], day: dt.date, file_id: int | None = None
) -> list[ParticipationSection]:
    """The participations of those cases the user works on (others are left out), for a page
    that has already audited reading the cases or their file."""
    worked = [case for case in cases if policy.does_case_work_at(user, case.lead_provider)]
    ids = [case.pk for case in worked]
    participations: dict[int, list[ModuleParticipation]] = {}
    for participation in (
        ModuleParticipation.objects.filter(case_id__in=ids)
        .select_related("module")
        .order_by("from_date", "module__code", "pk")
    ):
        participations.setdefault(participation.case_id, []).append(participation)
    enrolments: dict[int, list[Enrolment]] = {}
    for enrolment in (
        Enrolment.objects.filter(case_id__in=ids)
        .select_related("offer")
        .order_by("requested_on", "pk")
    ):
        enrolments.setdefault(enrolment.case_id, []).append(enrolment)
    files: dict[tuple[int, int], int] = {}
    if file_id is None:
        files = {
            (f.participant_id, f.controller_id): f.pk
            for f in ParticipantFile.objects.filter(
                participant_id__in=[case.participant_id for case in worked]
            ).only("pk", "participant_id", "controller_id")
        }
    sections = []
    for case in worked:
        # A closed case begins nothing: no need to read its programme.
        modules, nothing = (
            modules_in_force(programme=case.programme, day=day)
            if case.status != CaseStatus.CLOSED
            else ([], None)
        )
        sections.append(
            ParticipationSection(
                case=case,
                file_id=file_id or files[(case.participant_id, case.lead_provider_id)],
                lines=[
                    ParticipationLine(
                        participation=participation,
                        enrolments=tuple(
                            e
                            for e in enrolments.get(case.pk, ())
                            if e.offer.module_id == participation.module_id
                            and _placed(participation, e.started_on or e.requested_on)
                        ),
                    )
                    for participation in participations.get(case.pk, ())
                ],
                day=day,
                modules=modules,
                nothing_on_day=nothing,
            )
        )
    return sections


def _placed(participation: ModuleParticipation, day: dt.date) -> bool:
    return participation.from_date <= day and (
        participation.to_date is None or day <= participation.to_date
    )


def participation_of_case(*, case: Case, pk: int) -> ModuleParticipation:
    """A participation of a case the caller already got for case work; 404 in another case."""
    participation = (
        ModuleParticipation.objects.select_related("module").filter(case=case, pk=pk).first()
    )
    if participation is None:
        raise Http404
    participation.case = case
    return participation


AGE_GROUPS: tuple[tuple[int, int, StrOrPromise], ...] = (
    (0, 17, _("unter 18")),
    (18, 20, "18–20"),
    (21, 24, "21–24"),
    (25, 27, "25–27"),
)


def age_group(age: int) -> StrOrPromise:
    """Age in bands wide enough that, with gender and dates, it does not point to one person."""
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return _("über 27")


@dataclass(frozen=True)
class PseudonymisedCase:
    """What the coordination sees of a person in its programme: no name, no case content."""

    person_key: str
    age_group: StrOrPromise
    gender: StrOrPromise
    modules: tuple[str, ...]
    entry_date: dt.date
    exit_date: dt.date | None
    hours: Decimal
    outcomes: tuple[StrOrPromise, ...]


@dataclass(frozen=True)
class PseudonymisedPage:
    rows: list[PseudonymisedCase]
    page: Page[int]  # the case ids of the page, for its navigation


def pseudonymised_cases(
    *,
    user: User,
    programme: Programme,
    page_number: int | str = 1,
    per_page: int = 50,
    request: HttpRequest | None = None,
) -> PseudonymisedPage:
    """One page of a programme's cases by person key, for its coordination; audited as a list read.

    Hours are attendance hours in courses plus the time of coaching contacts.
    """
    if not policy.sees_programme_pseudonymised(user, programme.owner_id):
        raise Http404
    # Page through the ids alone, then read the page's cases with their people: sorting the
    # joined wide rows to skip to a middle page cost 92 ms on 10,000 cases, the ids 8 ms
    # (benchmarks/RESULTS.md).
    ordered_ids = (
        Case.objects.filter(programme=programme)
        .order_by("entry_date", "pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ordered_ids, per_page).get_page(page_number)
    ids = list(page.object_list)
    by_id = Case.objects.select_related("participant").in_bulk(ids)
    shown = [by_id[pk] for pk in ids]
    modules: dict[int, set[str]] = {}
    for case_id, code in (
        Enrolment.objects.filter(case_id__in=ids)
        .values_list("case_id", "offer__module__code")
        .distinct()
    ):
        modules.setdefault(case_id, set()).add(code)
    # Modules without offers (run by the city) are known from the participation alone.
    for case_id, code in (
        ModuleParticipation.objects.filter(case_id__in=ids)
        .values_list("case_id", "module__code")
        .distinct()
    ):
        modules.setdefault(case_id, set()).add(code)
    attended = dict(
        Attendance.objects.filter(enrolment__case_id__in=ids)
        .values("enrolment__case_id")
        .annotate(total=Sum("hours"))
        .values_list("enrolment__case_id", "total")
    )
    counselled = dict(
        Contact.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(total=Sum("duration_minutes"))
        .values_list("case_id", "total")
    )
    outcomes: dict[int, list[str]] = {}
    for case_id, outcome_type in Outcome.objects.filter(case_id__in=ids).values_list(
        "case_id", "outcome_type"
    ):
        outcomes.setdefault(case_id, []).append(outcome_type)
    rows = [
        PseudonymisedCase(
            person_key=case.participant.person_key,
            age_group=age_group(age_on(case.participant.date_of_birth, case.entry_date)),
            gender=Gender(case.participant.gender).label,
            modules=tuple(sorted(modules.get(case.pk, ()))),
            entry_date=case.entry_date,
            exit_date=case.exit_date,
            hours=(attended.get(case.pk) or Decimal(0))
            + (Decimal(counselled.get(case.pk) or 0) / 60).quantize(Decimal("0.01")),
            outcomes=tuple(OutcomeType(o).label for o in sorted(outcomes.get(case.pk, ()))),
        )
        for case in shown
    ]
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=programme,
        organisation=programme.owner,
        subjects=[row.person_key for row in rows],
        request=request,
        details={"view": "pseudonymised_cases", "page": page.number},
    )
    return PseudonymisedPage(rows=rows, page=page)


# --- Module end and hand-over --------------------------------------------------------------


def module_ends_with_successor(programme: Programme) -> list[Amendment]:
    """The adopted ends of the programme's modules that name a successor programme."""
    return list(
        Amendment.objects.filter(
            programme=programme,
            kind=AmendmentKind.END_MODULE,
            successor_programme__isnull=False,
            decision__status__in=RECORDED_STATUSES,
        )
        .select_related("module", "successor_programme", "decision")
        .order_by("new_end_date", "pk")
    )


class HandOverState:
    OPEN = "open"
    TRANSFERRED = "transferred"
    CLOSED = "closed"


@dataclass(frozen=True)
class HandOverRow:
    """One person of an ended module, as the coordination sees them: by key, no content."""

    participation: ModuleParticipation
    person_key: str
    lead: str
    from_date: dt.date
    open_offers: tuple[str, ...]
    has_consent: bool
    state: str
    hand_over: HandOver | None

    @property
    def state_label(self) -> StrOrPromise:
        return {
            HandOverState.OPEN: _("noch offen"),
            HandOverState.TRANSFERRED: _("übergeben"),
            HandOverState.CLOSED: _("ohne Übergabe beendet"),
        }[self.state]


@dataclass(frozen=True)
class ModuleEndReport:
    amendment: Amendment
    last_day: dt.date
    rows: list[HandOverRow]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def open_count(self) -> int:
        return self.count(HandOverState.OPEN)

    @property
    def transferred_count(self) -> int:
        return self.count(HandOverState.TRANSFERRED)

    @property
    def closed_count(self) -> int:
        return self.count(HandOverState.CLOSED)

    @property
    def without_consent_count(self) -> int:
        return sum(
            1 for row in self.rows if row.state == HandOverState.OPEN and not row.has_consent
        )


def open_on_last_day(amendment: Amendment) -> QuerySet[ModuleParticipation]:
    """Participations in the ended module that were open on its last day: still open, ended
    later, or closed by their hand-over (those that ended that day for another reason, a
    goal reached say, are not)."""
    last_day = amendment.new_end_date or amendment.effective_on
    return (
        ModuleParticipation.objects.filter(module=amendment.module, from_date__lte=last_day)
        .filter(
            Q(to_date__isnull=True) | Q(to_date__gt=last_day) | Q(hand_over__ended_by=amendment)
        )
        .select_related("case", "case__participant", "case__lead_provider", "module")
        .order_by("from_date", "pk")
    )


def module_end_report(
    *,
    user: User,
    amendment: Amendment,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ModuleEndReport:
    """Per person of an ended module: transferred, closed or still open, with whether a
    transfer consent was in force when it mattered: for those handed over or closed, on the
    day that was recorded (the transfer spent it that day); for those still open, on ``on``
    (default today), the day a transfer now reads it. For the coordination of the owning
    municipality, by person key; audited as a read naming them."""
    if not policy.prepares_hand_over(user, amendment.programme):
        raise Http404
    day = on or timezone.localdate()
    last_day = amendment.new_end_date or amendment.effective_on
    successor_id = amendment.successor_programme_id
    participations = open_on_last_day(amendment)
    if successor_id is not None:
        participations = participations.annotate(
            consent_now=policy.transfer_consent_to_programme(
                successor_id, on=day, participant_ref="case__participant_id"
            ),
            consent_at_hand_over=policy.transfer_consent_to_programme(
                successor_id,
                on=OuterRef("hand_over__recorded_on"),
                participant_ref="case__participant_id",
                looking_back=True,
            ),
        )
    shown = list(participations)
    offers: dict[int, list[str]] = {}
    for case_id, title in (
        Enrolment.objects.filter(
            case_id__in=[p.case_id for p in shown],
            offer__module=amendment.module,
            status__in=[EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE],
        )
        .values_list("case_id", "offer__title")
        .order_by("offer__title")
    ):
        offers.setdefault(case_id, []).append(title)
    hand_overs = {
        h.participation_id: h
        for h in HandOver.objects.filter(participation__in=[p.pk for p in shown])
    }
    rows = []
    for participation in shown:
        hand_over = hand_overs.get(participation.pk)
        state = (
            HandOverState.OPEN
            if hand_over is None
            else HandOverState.TRANSFERRED
            if hand_over.result == HandOver.Result.TRANSFERRED
            else HandOverState.CLOSED
        )
        rows.append(
            HandOverRow(
                participation=participation,
                person_key=participation.case.participant.person_key,
                lead=participation.case.lead_provider.name,
                from_date=participation.from_date,
                open_offers=tuple(offers.get(participation.case_id, ())),
                has_consent=bool(
                    getattr(
                        participation,
                        "consent_now" if hand_over is None else "consent_at_hand_over",
                        False,
                    )
                ),
                state=state,
                hand_over=hand_over,
            )
        )
    audit_record(
        action=AuditAction.READ,
        actor=user,
        obj=amendment,
        organisation=amendment.programme.owner,
        subjects=[row.person_key for row in rows],
        request=request,
        details={"view": "module_end_report"},
    )
    return ModuleEndReport(amendment=amendment, last_day=last_day, rows=rows)


def participations_for_hand_over(
    *, user: User, amendment: Amendment, ids: Iterable[int]
) -> list[ModuleParticipation]:
    """The participations the coordination picked on the hand-over page (only of that
    module end, only for its coordination)."""
    if not policy.prepares_hand_over(user, amendment.programme):
        raise Http404
    return list(open_on_last_day(amendment).filter(pk__in=list(ids)))


@dataclass(frozen=True)
class ReferralTask:
    referral: Referral
    person_key: str
    # The person's name, where the user's organisation keeps a file on them.
    name: str
    receiving: str
    answers: bool
    overdue: bool
    # For a module's hand-over: what was open on the sending side (goal areas with their
    # dates, deadlines), as the hand-over record keeps it.
    open_goals: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()


DEADLINE_LABELS: dict[str, StrOrPromise] = {
    "goal": _("Zieldatum"),
    "residence": _("Aufenthaltstitel gültig bis"),
}


def _dated(label: StrOrPromise, day: str | None) -> str:
    return f"{label} ({dt.date.fromisoformat(day):%d.%m.%Y})" if day else str(label)


def referral_tasks(
    *, user: User, on: dt.date | None = None, request: HttpRequest | None = None
) -> list[ReferralTask]:
    """Unanswered referrals sent by or addressed to the user's organisations; overdue ones
    (answer date passed) first. Audited as a read naming the persons."""
    day = on or timezone.localdate()
    referrals = list(
        Referral.objects.filter(policy.referral_task_filter(user), status=ReferralStatus.SENT)
        .select_related(
            "case__participant", "from_provider", "to_provider", "to_programme", "hand_over"
        )
        .order_by("due_on", "pk")
        .distinct()
    )
    named = set(
        Participant.objects.filter(
            policy.register_identity_filter(user),
            pk__in=[r.case.participant_id for r in referrals],
        ).values_list("pk", flat=True)
    )
    tasks = []
    for referral in referrals:
        hand_over = getattr(referral, "hand_over", None)
        receiving_id = referral.to_provider_id or (
            hand_over.to_organisation_id if hand_over else None
        )
        receiving = (
            referral.to_provider.name
            if referral.to_provider
            else hand_over.to_organisation.name
            if hand_over and hand_over.to_organisation
            else ""
        )
        participant = referral.case.participant
        tasks.append(
            ReferralTask(
                referral=referral,
                person_key=participant.person_key,
                name=f"{participant.given_names} {participant.family_name}"
                if participant.pk in named
                else "",
                receiving=receiving,
                answers=policy.answers_referral(
                    user, to_provider_id=referral.to_provider_id, to_organisation_id=receiving_id
                ),
                overdue=referral.due_on < day,
                open_goals=tuple(
                    _dated(SupportGoal.Area(goal["area"]).label, goal.get("target_date"))
                    for goal in (hand_over.open_goals if hand_over else [])
                ),
                deadlines=tuple(
                    _dated(DEADLINE_LABELS.get(item["what"], item["what"]), item["due_on"])
                    for item in (hand_over.deadlines if hand_over else [])
                ),
            )
        )
    tasks.sort(key=lambda t: (not t.overdue, t.referral.due_on, t.referral.pk))
    audit_record_reads(
        actor=user,
        objects=[t.referral for t in tasks],
        subjects=[t.person_key for t in tasks],
        request=request,
    )
    return tasks


def overdue_referrals(*, user: User, on: dt.date | None = None) -> list[ReferralTask]:
    """The referrals on the user's task list whose answer is overdue."""
    return [t for t in referral_tasks(user=user, on=on) if t.overdue]


def referral_for_answer(*, user: User, pk: int) -> Referral:
    """A referral the user's organisation sent or received, or 404."""
    referral = (
        Referral.objects.filter(policy.referral_task_filter(user), pk=pk)
        .select_related("case__participant")
        .distinct()
        .first()
    )
    if referral is None:
        raise Http404
    return referral
