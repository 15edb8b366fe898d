"""A small programme in the personas' municipality (see ``scenario``)."""

from __future__ import annotations

import pytest

from teilhabe.accounts.models import Organisation
from teilhabe.programmes.models import Programme
from tests.core.scenario import build_programme


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)
