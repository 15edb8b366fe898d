from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Membership, Organisation, User
from teilhabe.audit.models import AuditAction
from teilhabe.core.admin import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class TeilhabeUserAdmin(UserAdmin, AuditedAdmin):
    inlines = [MembershipInline]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Setting someone's password in the admin is a change like any other."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None:
                self._audit(request, AuditAction.UPDATE, user, fields=["password"])
        return response


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


# django-otp registers admins that show the secret keys. Here a superuser can only see
# whether someone has a second factor and remove it (when a phone is lost), audited.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class SecondFactorAdmin(AuditedAdmin):
    list_display = ["user", "name", "confirmed"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.register(TOTPDevice, SecondFactorAdmin)
admin.site.register(StaticDevice, SecondFactorAdmin)
