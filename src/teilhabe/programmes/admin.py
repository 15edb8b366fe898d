"""Programme set-up in the admin: to look at. Every change goes through a decision
(``programmes.services``); offers, which providers run under a module, stay editable."""

from django.contrib import admin

from teilhabe.core.admin import AuditedAdmin, RecordAdmin
from teilhabe.programmes.models import (
    Amendment,
    Decision,
    EligibilityRule,
    ForwardingContract,
    Module,
    Offer,
    Programme,
)


@admin.register(Programme)
class ProgrammeAdmin(RecordAdmin):
    list_display = ["name", "code", "owner", "starts_on", "ends_on"]
    search_fields = ["name", "code"]


@admin.register(Module)
class ModuleAdmin(RecordAdmin):
    list_display = ["code", "name", "programme", "valid_from", "valid_until", "cost_basis"]
    list_filter = ["programme", "cost_basis"]
    search_fields = ["code", "name", "local_name"]


@admin.register(Offer)
class OfferAdmin(AuditedAdmin):
    list_display = ["title", "module", "provider", "kind", "starts_on", "ends_on", "places"]
    list_filter = ["kind", "module__programme", "module"]
    search_fields = ["title", "location"]
    autocomplete_fields = ["provider", "module"]


@admin.register(ForwardingContract)
class ForwardingContractAdmin(RecordAdmin):
    list_display = ["reference", "provider", "module", "valid_from", "valid_until", "added_by"]
    list_filter = ["module__programme", "module"]
    search_fields = ["reference", "provider__name"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(RecordAdmin):
    list_display = ["programme", "valid_from", "min_age", "max_age", "secondary_group_allowed"]
    list_filter = ["programme"]


class AmendmentInline(admin.StackedInline):
    model = Amendment
    extra = 0
    fk_name = "decision"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(RecordAdmin):
    list_display = ["programme", "sequence", "decided_on", "body", "reference", "title", "status"]
    list_filter = ["programme", "status"]
    search_fields = ["reference", "title"]
    inlines = [AmendmentInline]
