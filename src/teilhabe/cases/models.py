"""Case work: a participant in a programme, with plan, contacts, enrolments and outcomes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from teilhabe.core.codes import SUCCESS_OUTCOME_TYPES, OutcomeType, TargetGroup
from teilhabe.core.models import TimeStampedModel


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Aufnahme")
    ACTIVE = "active", _("aktiv")
    PAUSED = "paused", _("ruhend")
    CLOSED = "closed", _("abgeschlossen")


class Case(TimeStampedModel):
    """Fall / Teilnahme. Its eligibility is a snapshot taken at entry: rules change later."""

    Status = CaseStatus

    class ExitReason(models.TextChoices):
        GOAL_REACHED = "goal_reached", _("Ziel erreicht")
        TRANSFER_PROGRAMME = "transfer_programme", _("Übergabe an ein anderes Programm")
        TRANSFER_PROVIDER = "transfer_provider", _("Wechsel zu einem anderen Träger")
        MODULE_ENDED = "module_ended", _("Baustein beendet")
        PROGRAMME_ENDED = "programme_ended", _("Programm beendet")
        AGE_LIMIT = "age_limit", _("Altersgrenze erreicht")
        MOVED_AWAY = "moved_away", _("weggezogen")
        NO_CONTACT = "no_contact", _("kein Kontakt mehr")
        DROPPED_OUT = "dropped_out", _("Abbruch durch die Person")
        NOT_ELIGIBLE = "not_eligible", _("nicht förderfähig")
        OTHER = "other", _("Sonstiges")

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("Teilnehmende Person"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("Programm"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    lead_provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("federführender Träger"),
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Jobcoach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coached_cases",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.INTAKE
    )
    entry_date = models.DateField(_("Eintritt"))
    exit_date = models.DateField(_("Austritt"), null=True, blank=True)
    exit_reason = models.CharField(
        _("Austrittsgrund"), max_length=30, choices=ExitReason.choices, blank=True
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("Vorgängerfall"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text=_("bei einer Übergabe: der Fall im abgebenden Programm"),
    )
    # The eligibility snapshot taken at entry.
    target_group = models.CharField(_("Zielgruppe"), max_length=20, choices=TargetGroup.choices)
    eligibility_rule = models.ForeignKey(
        "programmes.EligibilityRule",
        verbose_name=_("angewandte Förderregel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    eligibility_explanation = models.JSONField(
        _("Begründung der Förderfähigkeit"), default=list, blank=True
    )
    no_double_funding_confirmed = models.BooleanField(
        _("keine Doppelförderung (mit dem Jobcenter abgestimmt)"), default=False
    )
    age_exception_justification = models.TextField(_("Begründung der Altersausnahme"), blank=True)
    age_exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Altersausnahme genehmigt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Fall")
        verbose_name_plural = _("Fälle")
        ordering = ["-entry_date"]
        constraints = [
            models.CheckConstraint(
                name="case_status_valid", condition=Q(status__in=CaseStatus.values)
            ),
            models.CheckConstraint(
                name="case_exit_after_entry",
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                violation_error_message=_("Der Austritt darf nicht vor dem Eintritt liegen."),
            ),
            models.CheckConstraint(
                name="case_closed_has_exit",
                condition=(Q(status="closed") & Q(exit_date__isnull=False) & ~Q(exit_reason=""))
                | (~Q(status="closed") & Q(exit_date__isnull=True) & Q(exit_reason="")),
                violation_error_message=_(
                    "Ein abgeschlossener Fall hat Austrittsdatum und -grund; ein offener hat keine."
                ),
            ),
            models.CheckConstraint(
                name="case_target_group_eligible",
                condition=Q(
                    target_group__in=[
                        t for t in TargetGroup.values if t != TargetGroup.NOT_ELIGIBLE
                    ]
                ),
                violation_error_message=_(
                    "Ein Fall wird nur für eine förderfähige Person eröffnet."
                ),
            ),
            models.CheckConstraint(
                name="case_age_exception_justified",
                condition=~Q(target_group="age_exception")
                | (~Q(age_exception_justification="") & Q(age_exception_approved_by__isnull=False)),
                violation_error_message=_(
                    "Eine Altersausnahme braucht eine Begründung und eine Genehmigung."
                ),
            ),
            models.CheckConstraint(
                name="case_secondary_group_checked_with_job_centre",
                condition=~Q(target_group="secondary") | Q(no_double_funding_confirmed=True),
                violation_error_message=_(
                    "Die sekundäre Zielgruppe setzt die Abstimmung mit dem Jobcenter voraus (keine Doppelförderung)."
                ),
            ),
            models.UniqueConstraint(
                fields=["participant", "programme"],
                condition=~Q(status="closed"),
                name="case_one_open_per_programme",
                violation_error_message=_(
                    "Für diese Person gibt es in diesem Programm schon einen offenen Fall."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "entry_date"], name="case_programme_entry_idx"),
            models.Index(fields=["lead_provider", "status"], name="case_provider_status_idx"),
            models.Index(fields=["coach", "status"], name="case_coach_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{_('Fall')} {self.pk} · {self.programme}"

    def clean(self) -> None:
        if self.lead_provider_id and self.lead_provider.kind == "funder":
            raise ValidationError({"lead_provider": _("Fälle führt ein Träger oder die Kommune.")})


class SupportGoal(TimeStampedModel):
    """A goal of the support plan (Förderplan)."""

    class Area(models.TextChoices):
        LANGUAGE = "language", _("Spracherwerb")
        SCHOOL = "school", _("Schule")
        TRAINING = "training", _("Ausbildung")
        WORK = "work", _("Arbeit")
        RESIDENCE = "residence", _("Aufenthalt")
        HOUSING = "housing", _("Wohnen")
        EVERYDAY = "everyday", _("Alltag und Behörden")

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ACHIEVED = "achieved", _("erreicht")
        DROPPED = "dropped", _("aufgegeben")

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="goals"
    )
    area = models.CharField(_("Bereich"), max_length=20, choices=Area.choices)
    description = models.TextField(_("Ziel"))
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Förderziel")
        verbose_name_plural = _("Förderziele")
        ordering = ["case", "target_date"]
        constraints = [
            models.CheckConstraint(
                name="supportgoal_closed_has_date",
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                violation_error_message=_("Ein erledigtes Ziel hat ein Datum; ein offenes nicht."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.description[:40]}"


class Contact(TimeStampedModel):
    """Beratungskontakt: a coaching session, call, outreach visit …"""

    class Kind(models.TextChoices):
        SESSION = "session", _("Beratungsgespräch")
        PHONE = "phone", _("Telefonat")
        MESSAGE = "message", _("Nachricht")
        OUTREACH = "outreach", _("aufsuchende Arbeit")
        ACCOMPANIMENT = "accompaniment", _("Begleitung")

    class Topic(models.TextChoices):
        LANGUAGE = "language", _("Spracherwerb")
        SCHOOL = "school", _("Schule")
        TRAINING = "training", _("Ausbildung")
        WORK = "work", _("Arbeit")
        RESIDENCE = "residence", _("Aufenthalt")
        HOUSING = "housing", _("Wohnen")
        HEALTH = "health", _("Gesundheit")
        EVERYDAY = "everyday", _("Alltag und Behörden")

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="contacts"
    )
    occurred_on = models.DateField(_("Datum"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    topic = models.CharField(_("Thema"), max_length=20, choices=Topic.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"))
    note = models.TextField(_("Notiz"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Beratungskontakt")
        verbose_name_plural = _("Beratungskontakte")
        ordering = ["case", "-occurred_on"]
        constraints = [
            models.CheckConstraint(
                name="contact_duration_range",
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                violation_error_message=_("Die Dauer liegt zwischen 1 und 600 Minuten."),
            )
        ]
        indexes = [models.Index(fields=["case", "occurred_on"], name="contact_case_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d.%m.%Y}"


class ParticipationEnd(models.TextChoices):
    """Why a person's taking part in a module, or in one of its offers, ended."""

    TRANSFERRED = "transferred", _("an das Nachfolgeprogramm übergeben")
    CLOSED_WITHOUT_CONSENT = (
        "closed_without_consent",
        _("ohne Einwilligung in eine Übergabe beendet"),
    )
    MODULE_ENDED = "module_ended", _("Baustein beendet")
    COMPLETED = "completed", _("Angebot abgeschlossen")
    GOAL_REACHED = "goal_reached", _("Ziel erreicht")
    DROPPED_OUT = "dropped_out", _("Abbruch durch die Person")
    NO_CONTACT = "no_contact", _("kein Kontakt mehr")
    MOVED_AWAY = "moved_away", _("weggezogen")
    CASE_CLOSED = "case_closed", _("Fall abgeschlossen")
    OTHER = "other", _("Sonstiges")


class ModuleParticipation(TimeStampedModel):
    """A case takes part in a module from one day to another (open while ``to_date`` is empty).

    Enrolments in an offer place the person in the offer's module; modules without offers
    (participation management at the city, say) are joined and left explicitly.
    """

    End = ParticipationEnd

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="participations"
    )
    module = models.ForeignKey(
        "programmes.Module",
        verbose_name=_("Förderbaustein"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    from_date = models.DateField(_("von"))
    to_date = models.DateField(_("bis"), null=True, blank=True)
    exit_reason = models.CharField(
        _("Grund des Endes"), max_length=30, choices=ParticipationEnd.choices, blank=True
    )

    class Meta:
        verbose_name = _("Teilnahme an einem Baustein")
        verbose_name_plural = _("Teilnahmen an Bausteinen")
        ordering = ["case", "from_date"]
        constraints = [
            models.CheckConstraint(
                name="participation_to_after_from",
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")),
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
            models.CheckConstraint(
                name="participation_ended_has_reason",
                condition=(Q(to_date__isnull=True) & Q(exit_reason=""))
                | (Q(to_date__isnull=False) & Q(exit_reason__in=ParticipationEnd.values)),
                violation_error_message=_(
                    "Eine beendete Teilnahme hat ein Ende und einen Grund; eine laufende keins."
                ),
            ),
            models.UniqueConstraint(
                fields=["case", "module"],
                condition=Q(to_date__isnull=True),
                name="participation_one_open_per_module",
                violation_error_message=_("Der Fall nimmt an diesem Baustein schon teil."),
            ),
        ]
        indexes = [models.Index(fields=["module", "to_date"], name="participation_module_to_idx")]

    def __str__(self) -> str:
        return f"{self.module} · {self.from_date:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.to_date is None


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("Warteliste")
    ACTIVE = "active", _("aktiv")
    COMPLETED = "completed", _("abgeschlossen")
    DROPPED = "dropped", _("abgebrochen")
    # Left the waiting list before a place was free: never begun, so neither an entry nor a
    # dropout in the figures.
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class Enrolment(TimeStampedModel):
    Status = EnrolmentStatus

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="enrolments"
    )
    offer = models.ForeignKey(
        "programmes.Offer",
        verbose_name=_("Angebot"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    requested_on = models.DateField(_("angemeldet am"))
    started_on = models.DateField(_("Beginn"), null=True, blank=True)
    ended_on = models.DateField(_("Ende"), null=True, blank=True)
    exit_reason = models.CharField(
        _("Grund des Endes"), max_length=30, choices=ParticipationEnd.choices, blank=True
    )

    class Meta:
        verbose_name = _("Teilnahme an einem Angebot")
        verbose_name_plural = _("Teilnahmen an Angeboten")
        ordering = ["case", "requested_on"]
        constraints = [
            models.CheckConstraint(
                name="enrolment_status_valid", condition=Q(status__in=EnrolmentStatus.values)
            ),
            models.CheckConstraint(
                name="enrolment_dates_match_status",
                condition=(
                    Q(status="waiting") & Q(started_on__isnull=True) & Q(ended_on__isnull=True)
                )
                | (Q(status="active") & Q(started_on__isnull=False) & Q(ended_on__isnull=True))
                | (
                    Q(status__in=["completed", "dropped"])
                    & Q(started_on__isnull=False)
                    & Q(ended_on__isnull=False)
                )
                | (Q(status="withdrawn") & Q(started_on__isnull=True) & Q(ended_on__isnull=False)),
                violation_error_message=_(
                    "Warteliste: ohne Daten; aktiv: mit Beginn; abgeschlossen/abgebrochen: mit "
                    "Beginn und Ende; zurückgezogen: ohne Beginn, mit Ende."
                ),
            ),
            models.CheckConstraint(
                name="enrolment_start_after_request",
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("requested_on")),
                violation_error_message=_("Der Beginn liegt nicht vor der Anmeldung."),
            ),
            models.CheckConstraint(
                name="enrolment_end_after_start",
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True, ended_on__gte=F("requested_on"))
                | Q(ended_on__gte=F("started_on")),
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
            models.CheckConstraint(
                name="enrolment_reason_only_when_ended",
                condition=Q(ended_on__isnull=False) | Q(exit_reason=""),
                violation_error_message=_("Einen Grund des Endes hat nur eine beendete Teilnahme."),
            ),
            models.UniqueConstraint(
                fields=["case", "offer"],
                condition=Q(status__in=["waiting", "active"]),
                name="enrolment_one_open_per_offer",
                violation_error_message=_("Die Person ist für dieses Angebot schon angemeldet."),
            ),
        ]
        indexes = [models.Index(fields=["offer", "status"], name="enrolment_offer_status_idx")]

    def __str__(self) -> str:
        return f"{self.offer} · {self.get_status_display()}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("anwesend")
    EXCUSED = "excused", _("entschuldigt")
    ABSENT = "absent", _("unentschuldigt")


class Attendance(models.Model):
    Status = AttendanceStatus

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("Teilnahme"), on_delete=models.CASCADE, related_name="attendances"
    )
    session_date = models.DateField(_("Termin"))
    status = models.CharField(_("Anwesenheit"), max_length=20, choices=Status.choices)
    hours = models.DecimalField(_("Stunden"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        ordering = ["enrolment", "session_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session_date"],
                name="attendance_once_per_session",
                violation_error_message=_("Für diesen Termin ist die Anwesenheit schon erfasst."),
            ),
            models.CheckConstraint(
                name="attendance_hours_range",
                condition=Q(hours__gte=0, hours__lte=12),
                violation_error_message=_("Die Stunden liegen zwischen 0 und 12."),
            ),
            models.CheckConstraint(
                name="attendance_status_valid", condition=Q(status__in=AttendanceStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_date:%d.%m.%Y} {self.get_status_display()}"


class Outcome(TimeStampedModel):
    """Verbleib / Erfolg, dated and verifiable, followed up months later."""

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="outcomes"
    )
    outcome_type = models.CharField(_("Art"), max_length=30, choices=OutcomeType.choices)
    achieved_on = models.DateField(_("erreicht am"))
    verified_on = models.DateField(_("belegt am"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("belegt durch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_note = models.TextField(
        _("Nachweis"), blank=True, help_text=_("z. B. Ausbildungsvertrag liegt vor")
    )

    class Meta:
        verbose_name = _("Verbleib")
        verbose_name_plural = _("Verbleibe")
        ordering = ["case", "achieved_on"]
        constraints = [
            models.CheckConstraint(
                name="outcome_type_valid",
                condition=Q(outcome_type__in=OutcomeType.values),
                violation_error_message=_("Unbekannte Art des Verbleibs."),
            ),
            models.CheckConstraint(
                name="outcome_verified_after_achieved",
                condition=Q(verified_on__isnull=True) | Q(verified_on__gte=F("achieved_on")),
                violation_error_message=_("Ein Nachweis kann nicht vor dem Ereignis liegen."),
            ),
        ]
        indexes = [
            models.Index(fields=["outcome_type", "achieved_on"], name="outcome_type_date_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_type_display()} {self.achieved_on:%d.%m.%Y}"

    @property
    def is_success(self) -> bool:
        return self.outcome_type in SUCCESS_OUTCOME_TYPES


class OutcomeFollowUp(TimeStampedModel):
    """A check weeks or months after exit: is the person still in training or work?"""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("Verbleib"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("fällig am"))
    checked_on = models.DateField(_("geprüft am"), null=True, blank=True)
    still_in_place = models.BooleanField(_("besteht noch"), null=True, blank=True)
    note = models.TextField(_("Notiz"), blank=True)

    class Meta:
        verbose_name = _("Nachbefragung")
        verbose_name_plural = _("Nachbefragungen")
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                name="outcomefollowup_checked_has_result",
                condition=Q(checked_on__isnull=True, still_in_place__isnull=True)
                | Q(checked_on__isnull=False, still_in_place__isnull=False),
                violation_error_message=_("Eine erledigte Nachbefragung hat ein Ergebnis."),
            )
        ]

    def __str__(self) -> str:
        return f"{_('Nachbefragung')} {self.due_on:%d.%m.%Y}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("gesendet")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    COMPLETED = "completed", _("abgeschlossen")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class Referral(TimeStampedModel):
    """A referral or transfer to another provider or programme, with the participant's consent."""

    Status = ReferralStatus

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="referrals"
    )
    from_provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("von"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("an Träger"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    to_programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("an Programm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    consent = models.ForeignKey(
        "participants.Consent",
        verbose_name=_("Einwilligung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    sent_on = models.DateField(_("gesendet am"))
    due_on = models.DateField(_("Antwort bis"))
    answered_on = models.DateField(_("beantwortet am"), null=True, blank=True)
    reason = models.TextField(_("Anlass"), blank=True)

    class Meta:
        verbose_name = _("Überweisung")
        verbose_name_plural = _("Überweisungen")
        ordering = ["-sent_on"]
        constraints = [
            models.CheckConstraint(
                name="referral_status_valid", condition=Q(status__in=ReferralStatus.values)
            ),
            models.CheckConstraint(
                name="referral_one_target",
                condition=Q(to_provider__isnull=False, to_programme__isnull=True)
                | Q(to_provider__isnull=True, to_programme__isnull=False),
                violation_error_message=_(
                    "Eine Überweisung geht an genau einen Träger oder ein Programm."
                ),
            ),
            models.CheckConstraint(
                name="referral_due_after_sent",
                condition=Q(due_on__gte=F("sent_on")),
                violation_error_message=_("Die Antwortfrist liegt nicht vor dem Versand."),
            ),
            models.CheckConstraint(
                name="referral_answer_after_sent",
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                violation_error_message=_("Eine Antwort kann nicht vor dem Versand liegen."),
            ),
            models.CheckConstraint(
                name="referral_not_to_self",
                condition=Q(to_provider__isnull=True) | ~Q(to_provider=F("from_provider")),
                violation_error_message=_("Ein Träger überweist nicht an sich selbst."),
            ),
            models.CheckConstraint(
                name="referral_has_consent",
                condition=Q(status="withdrawn") | Q(consent__isnull=False),
                violation_error_message=_("Eine Überweisung braucht die Einwilligung der Person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Überweisung')} {self.sent_on:%d.%m.%Y} ({self.get_status_display()})"


class HandOver(TimeStampedModel):
    """What became of a participation open when its module ended with a successor programme.

    Transferred (the person consented): the sending and receiving side, what was open
    (goals, deadlines, residence documents), the new case on the receiving side and the
    referral it answers. Closed without consent: the day and the way the person was told.
    """

    class Result(models.TextChoices):
        TRANSFERRED = "transferred", _("übergeben")
        CLOSED = "closed", _("ohne Einwilligung beendet")

    class Informed(models.TextChoices):
        IN_PERSON = "in_person", _("persönlich")
        PHONE = "phone", _("telefonisch")
        LETTER = "letter", _("per Brief")
        EMAIL = "email", _("per E-Mail")

    participation = models.OneToOneField(
        ModuleParticipation,
        verbose_name=_("Teilnahme"),
        on_delete=models.PROTECT,
        related_name="hand_over",
    )
    ended_by = models.ForeignKey(
        "programmes.Amendment",
        verbose_name=_("Ende des Bausteins"),
        on_delete=models.PROTECT,
        related_name="hand_overs",
    )
    result = models.CharField(_("Ergebnis"), max_length=20, choices=Result.choices)
    recorded_on = models.DateField(_("erfasst am"))
    from_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("abgebende Stelle"),
        on_delete=models.PROTECT,
        related_name="hand_overs_sent",
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("aufnehmende Stelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hand_overs_received",
    )
    to_programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("Nachfolgeprogramm"),
        on_delete=models.PROTECT,
        related_name="hand_overs_received",
    )
    consent = models.ForeignKey(
        "participants.Consent",
        verbose_name=_("Einwilligung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hand_overs",
    )
    successor_case = models.OneToOneField(
        Case,
        verbose_name=_("Fall im Nachfolgeprogramm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handed_over_by",
    )
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("Überweisung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hand_over",
    )
    # What was open on the sending side: [{"area", "description", "target_date"}, …]
    open_goals = models.JSONField(_("offene Ziele"), default=list, blank=True)
    # [{"what", "due_on"}, …]
    deadlines = models.JSONField(_("Fristen"), default=list, blank=True)
    # [{"residence_type", "valid_from", "valid_until"}, …]
    documents = models.JSONField(_("Unterlagen"), default=list, blank=True)
    informed_on = models.DateField(_("informiert am"), null=True, blank=True)
    informed_how = models.CharField(
        _("informiert"), max_length=20, choices=Informed.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Übergabe")
        verbose_name_plural = _("Übergaben")
        ordering = ["recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="handover_result_valid", condition=Q(result__in=["transferred", "closed"])
            ),
            models.CheckConstraint(
                name="handover_transferred_is_complete",
                condition=~Q(result="transferred")
                | Q(
                    consent__isnull=False,
                    successor_case__isnull=False,
                    referral__isnull=False,
                    to_organisation__isnull=False,
                ),
                violation_error_message=_(
                    "Eine Übergabe braucht die Einwilligung, den neuen Fall, die Überweisung "
                    "und die aufnehmende Stelle."
                ),
            ),
            models.CheckConstraint(
                name="handover_closed_person_informed",
                condition=~Q(result="closed")
                | (Q(informed_on__isnull=False) & ~Q(informed_how="")),
                violation_error_message=_(
                    "Ohne Übergabe wird festgehalten, wann und wie die Person informiert wurde."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Übergabe')} {self.recorded_on:%d.%m.%Y} ({self.get_result_display()})"
