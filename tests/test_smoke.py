import pytest

from tests.factories import CaseFactory


@pytest.mark.django_db
def test_a_case_can_be_built_from_factories() -> None:
    case = CaseFactory()
    assert case.lead_provider.municipality == case.participant.municipality
