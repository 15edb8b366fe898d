import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from teilhabe.participants.models import ResidenceDocument
from tests.factories import (
    ConsentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProviderFactory,
    ResidenceDocumentFactory,
)
from tests.invariants import assert_refused

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2022, 5, 1, 12, tzinfo=dt.UTC))
def test_a_date_of_birth_in_the_future_is_refused() -> None:
    participant = ParticipantFactory.build(
        municipality=MunicipalityFactory(),
        date_of_birth=dt.date(2022, 5, 2),
        registered_on=dt.date(2022, 5, 1),
    )
    assert_refused(participant, message="Das Geburtsdatum darf nicht in der Zukunft liegen.")


def test_a_lowercase_nationality_code_is_refused() -> None:
    participant = ParticipantFactory.build(municipality=MunicipalityFactory(), nationality="sy")
    with pytest.raises(ValidationError) as error:
        participant.full_clean()
    assert "Großbuchstaben" in error.value.message_dict["nationality"][0]


def test_a_duplicate_links_to_the_original_not_to_another_duplicate() -> None:
    original = ParticipantFactory()
    duplicate = ParticipantFactory(municipality=original.municipality, duplicate_of=original)
    third = ParticipantFactory.build(municipality=original.municipality, duplicate_of=duplicate)
    with pytest.raises(ValidationError) as error:
        third.full_clean()
    assert "mit dem Original verknüpfen" in error.value.message_dict["duplicate_of"][0]
    assert duplicate.duplicate_of == original


def test_an_unknown_residence_type_is_refused() -> None:
    document = ResidenceDocumentFactory.build(
        participant=ParticipantFactory(), residence_type="visum"
    )
    assert_refused(document, message="Wert 'visum' ist keine gültige Option.")


def test_a_residence_document_ending_before_it_starts_is_refused() -> None:
    document = ResidenceDocumentFactory.build(
        participant=ParticipantFactory(),
        valid_from=dt.date(2021, 6, 1),
        valid_until=dt.date(2021, 5, 31),
    )
    assert_refused(document, message="„gültig bis“ darf nicht vor „gültig ab“ liegen.")


def test_a_residence_document_is_valid_on_its_first_and_last_day_only() -> None:
    document = ResidenceDocument(valid_from=dt.date(2021, 1, 1), valid_until=dt.date(2021, 6, 30))
    assert not document.is_valid_on(dt.date(2020, 12, 31))
    assert document.is_valid_on(dt.date(2021, 1, 1))
    assert document.is_valid_on(dt.date(2021, 6, 30))
    assert not document.is_valid_on(dt.date(2021, 7, 1))


def test_a_consent_without_recipient_is_refused() -> None:
    consent = ConsentFactory.build(participant=ParticipantFactory(), recipient=None)
    assert_refused(consent, message="Eine Einwilligung nennt einen Empfänger.")


def test_a_consent_withdrawn_before_it_was_given_is_refused() -> None:
    consent = ConsentFactory(given_on=dt.date(2021, 3, 1))
    consent.withdrawn_on = dt.date(2021, 2, 1)
    assert_refused(consent, message="Ein Widerruf kann nicht vor der Erteilung liegen.")


def test_a_consent_needs_known_data_categories() -> None:
    consent = ConsentFactory.build(
        participant=ParticipantFactory(), recipient=ProviderFactory(), data_categories=["health"]
    )
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert error.value.message_dict["data_categories"] == ["Unbekannte Datenkategorie: health"]
