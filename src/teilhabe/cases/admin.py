from django.contrib import admin

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
from teilhabe.core.admin import AuditedAdmin


class SupportGoalInline(admin.TabularInline):
    model = SupportGoal
    extra = 0


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    raw_id_fields = ["verified_by"]


@admin.register(Case)
class CaseAdmin(AuditedAdmin):
    list_display = [
        "pk",
        "programme",
        "lead_provider",
        "status",
        "entry_date",
        "exit_date",
        "target_group",
    ]
    list_filter = ["programme", "status", "target_group", "lead_provider"]
    list_select_related = ["programme", "lead_provider"]
    raw_id_fields = ["participant", "coach", "predecessor", "age_exception_approved_by"]
    inlines = [SupportGoalInline, OutcomeInline]


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ["occurred_on", "case", "kind", "topic", "duration_minutes"]
    raw_id_fields = ["case", "recorded_by"]


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedAdmin):
    list_display = ["case", "offer", "status", "requested_on", "started_on", "ended_on"]
    list_filter = ["status"]
    raw_id_fields = ["case", "offer"]


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin):
    list_display = ["enrolment", "session_date", "status", "hours"]
    raw_id_fields = ["enrolment"]


@admin.register(OutcomeFollowUp)
class OutcomeFollowUpAdmin(AuditedAdmin):
    list_display = ["outcome", "due_on", "checked_on", "still_in_place"]
    raw_id_fields = ["outcome"]


@admin.register(Referral)
class ReferralAdmin(AuditedAdmin):
    list_display = [
        "case",
        "from_provider",
        "to_provider",
        "to_programme",
        "status",
        "sent_on",
        "due_on",
    ]
    list_filter = ["status"]
    raw_id_fields = ["case", "consent"]
