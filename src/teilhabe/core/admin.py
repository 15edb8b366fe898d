"""The Django admin is for superusers only; it is audited like every other door.

The site itself (accounts.admin_site) sends its login to the app's login and lets in only
active superusers who passed the second factor.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event for every change, deletion and page that shows records."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def _audit(self, request: HttpRequest, action: str, obj: Any, **details: Any) -> None:
        audit_record(
            action=action,
            actor=request.user,
            obj=obj,
            request=request,
            details={"via": "admin", **details},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = AuditAction.UPDATE if change else AuditAction.CREATE
        self._audit(request, action, obj, fields=sorted(form.changed_data))

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        """Inline rows: one event per row created, changed or deleted, naming changed fields."""
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, AuditAction.CREATE, obj, fields=_changed_fields(formset, obj))
        for obj, fields in formset.changed_objects:
            self._audit(request, AuditAction.UPDATE, obj, fields=sorted(fields))
        for obj in formset.deleted_objects:
            self._audit(request, AuditAction.DELETE, obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, AuditAction.DELETE, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, AuditAction.DELETE, obj)
        super().delete_queryset(request, queryset)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._audit(request, AuditAction.READ, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One read event for the list, naming the records shown by id."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if isinstance(response, TemplateResponse) and changelist is not None:
            ids = [obj.pk for obj in changelist.result_list]
            audit_record(
                action=AuditAction.READ,
                actor=request.user,
                request=request,
                details={
                    "via": "admin",
                    "view": "changelist",
                    "model": self.model._meta.label_lower,
                    "ids": ids,
                },
            )
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._audit_shown_object(request, response, "history")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().delete_view(request, object_id, extra_context)
        if request.method == "GET":
            self._audit_shown_object(request, response, "delete_confirmation")
        return response

    def _audit_shown_object(self, request: HttpRequest, response: HttpResponse, view: str) -> None:
        obj = getattr(response, "context_data", {}).get("object")
        if isinstance(response, TemplateResponse) and obj is not None:
            self._audit(request, AuditAction.READ, obj, view=view)


def _changed_fields(formset: BaseInlineFormSet, obj: models.Model) -> list[str]:
    for form in formset.forms:
        if form.instance is obj:
            return sorted(form.changed_data)
    return []


class RecordAdmin(AuditedAdmin):
    """Rows that only decisions create (programme set-up, decisions, their amendments and
    budgets): the admin shows them and changes nothing — history is not edited away."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
