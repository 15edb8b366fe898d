"""Checks that an invariant holds at both doors: model validation and the database itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def assert_refused(obj: models.Model, *, message: str) -> None:
    """The object fails validation with ``message`` and the database refuses it too."""
    try:
        obj.full_clean()
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        assert any(message in m for m in messages), messages
    else:
        raise AssertionError(f"{obj!r} passed validation")
    with transaction.atomic(), _raises_integrity_error():
        obj.save()


class _raises_integrity_error:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:  # type: ignore[no-untyped-def]
        if exc_type is None:
            raise AssertionError("the database accepted a row that breaks an invariant")
        return issubclass(exc_type, IntegrityError)
