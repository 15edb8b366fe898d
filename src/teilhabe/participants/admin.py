from django.contrib import admin

from teilhabe.core.admin import AuditedAdmin
from teilhabe.participants.models import Consent, Participant, ResidenceDocument


class ResidenceDocumentInline(admin.TabularInline):
    model = ResidenceDocument
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    fk_name = "participant"
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(AuditedAdmin):
    # No names in the list: a superuser browsing the list should not read through people.
    list_display = ["pk", "municipality", "registered_on", "nationality", "gender"]
    list_filter = ["municipality", "gender"]
    raw_id_fields = ["duplicate_of"]
    inlines = [ResidenceDocumentInline, ConsentInline]
