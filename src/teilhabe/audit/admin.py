from django.contrib import admin
from django.http import HttpRequest

from teilhabe.audit.models import AuditEvent
from teilhabe.core.admin import AuditedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdmin):
    """Read-only: the trail can be inspected, never edited or deleted — and reading it there
    is recorded like every other read of the admin."""

    list_display = [
        "sequence",
        "occurred_at",
        "action",
        "actor",
        "organisation",
        "role",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "object_type"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "organisation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
