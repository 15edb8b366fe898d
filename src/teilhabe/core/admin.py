"""The Django admin is for superusers only; it is audited like every other door."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event for every change, deletion and opened record."""

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
