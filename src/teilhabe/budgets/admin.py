from django.contrib import admin

from teilhabe.budgets.models import BudgetLine, Expenditure, FundingNotice, Reallocation
from teilhabe.core.admin import AuditedAdmin, RecordAdmin


@admin.register(FundingNotice)
class FundingNoticeAdmin(AuditedAdmin):
    list_display = [
        "reference",
        "programme",
        "funder",
        "issued_on",
        "total_amount",
        "state_share_percent",
    ]


@admin.register(BudgetLine)
class BudgetLineAdmin(RecordAdmin):
    list_display = ["module", "budget_year", "provider", "planned_amount"]
    list_filter = ["budget_year", "module__programme"]
    list_select_related = ["module", "provider"]


@admin.register(Expenditure)
class ExpenditureAdmin(AuditedAdmin):
    list_display = ["spent_on", "budget_line", "category", "amount"]
    list_filter = ["category"]
    list_select_related = ["budget_line__module", "budget_line__provider"]


@admin.register(Reallocation)
class ReallocationAdmin(RecordAdmin):
    list_display = ["budget_year", "from_module", "to_module", "amount", "amendment"]
