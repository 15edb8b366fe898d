from django.contrib import admin

from teilhabe.core.admin import AuditedAdmin
from teilhabe.programmes.models import (
    Amendment,
    Decision,
    EligibilityRule,
    Module,
    Offer,
    Programme,
)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "code", "owner", "starts_on", "ends_on"]
    search_fields = ["name", "code"]
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(AuditedAdmin):
    list_display = ["code", "name", "programme", "valid_from", "valid_until", "cost_basis"]
    list_filter = ["programme", "cost_basis"]
    search_fields = ["code", "name", "local_name"]


@admin.register(Offer)
class OfferAdmin(AuditedAdmin):
    list_display = ["title", "module", "provider", "kind", "starts_on", "ends_on", "places"]
    list_filter = ["kind", "module__programme", "module"]
    search_fields = ["title", "location"]
    autocomplete_fields = ["provider", "module"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(AuditedAdmin):
    list_display = ["programme", "valid_from", "min_age", "max_age", "secondary_group_allowed"]
    list_filter = ["programme"]


class AmendmentInline(admin.StackedInline):
    model = Amendment
    extra = 0


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["decided_on", "body", "reference", "title"]
    search_fields = ["reference", "title"]
    inlines = [AmendmentInline]
