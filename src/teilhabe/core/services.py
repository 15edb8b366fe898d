"""Helpers every service uses: validate completely before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from teilhabe.audit.models import AuditAction
from teilhabe.audit.services import audit_record

if TYPE_CHECKING:
    from teilhabe.accounts.models import Organisation, User

M = TypeVar("M", bound=models.Model)


def validation_errors(
    obj: models.Model, *, exclude: Iterable[str] | None = None
) -> dict[str, list[str]]:
    """All of a model's validation errors (fields, clean(), constraints) without raising."""
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as error:
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {}


def raise_if_invalid(
    *objects: tuple[str, models.Model, Iterable[str] | None],
    found: dict[str, list[str]] | None = None,
) -> None:
    """Validate several unsaved objects and raise one error naming every problem.

    Each entry is ``(prefix, object, excluded fields)``; a non-empty prefix is put in front of
    the field names so that a form showing two records can place each message next to its field.
    ``found`` holds problems the calling service already found (e.g. a provider of another
    municipality), so that the user learns about all of them at once.
    """
    collected: dict[str, list[str]] = {key: list(value) for key, value in (found or {}).items()}
    for prefix, obj, exclude in objects:
        for field, messages in validation_errors(obj, exclude=exclude).items():
            key = field if not prefix or field == "__all__" else f"{prefix}{field}"
            collected.setdefault(key, []).extend(messages)
    if collected:
        raise ValidationError(collected)


def create_audited(
    obj: M,
    *,
    acting_user: User,
    organisation: Organisation | None = None,
    details: dict[str, Any] | None = None,
    found: dict[str, list[str]] | None = None,
    subjects: Iterable[str] = (),
) -> M:
    """The common shape of a service that creates one record: validate it completely, then
    save it and write its audit event in one transaction."""
    raise_if_invalid(("", obj, None), found=found)
    with transaction.atomic():
        obj.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=obj,
            organisation=organisation,
            details=details,
            subjects=subjects,
        )
    return obj


def update_audited(
    obj: M,
    *,
    fields: list[str],
    acting_user: User,
    organisation: Organisation | None = None,
    subjects: Iterable[str] = (),
    found: dict[str, list[str]] | None = None,
) -> M:
    """The common shape of a service that changes some fields of one record: validate it
    completely, then save those fields and write their audit event in one transaction."""
    raise_if_invalid(("", obj, None), found=found)
    with transaction.atomic():
        obj.save(update_fields=[*fields, "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=obj,
            organisation=organisation,
            subjects=subjects,
            fields=fields,
        )
    return obj
