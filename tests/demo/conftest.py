"""The Cologne scenario, loaded once per test module and rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from teilhabe.demo.cologne.load import LoadResult, load_cologne


@pytest.fixture(scope="module")
def cologne(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[LoadResult]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        result = load_cologne()
        yield result
        transaction.set_rollback(True)
