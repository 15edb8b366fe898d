import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from teilhabe.participants.models import ParticipantFile, ResidenceDocument
from tests.factories import (
    ConsentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
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
    file = ParticipantFileFactory.build(participant=ParticipantFactory(), nationality="sy")
    file.controller.save()
    with pytest.raises(ValidationError) as error:
        file.full_clean()
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
    document = ResidenceDocumentFactory.build(file=ParticipantFileFactory(), residence_type="visum")
    assert_refused(document, message="Wert 'visum' ist keine gültige Option.")


def test_a_residence_document_ending_before_it_starts_is_refused() -> None:
    document = ResidenceDocumentFactory.build(
        file=ParticipantFileFactory(),
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
    consent = ConsentFactory.build(file=ParticipantFileFactory(), recipient=None)
    assert_refused(
        consent,
        message="Eine Einwilligung nennt genau einen Empfänger: eine Organisation oder ein Programm.",
    )


def test_a_consent_naming_both_an_organisation_and_a_programme_is_refused() -> None:
    file = ParticipantFileFactory()
    consent = ConsentFactory.build(
        file=file,
        recipient=ProviderFactory(municipality=file.participant.municipality),
        recipient_programme=ProgrammeFactory(owner=file.participant.municipality),
    )
    assert_refused(
        consent,
        message="Eine Einwilligung nennt genau einen Empfänger: eine Organisation oder ein Programm.",
    )


def test_only_a_transfer_consent_can_be_spent() -> None:
    consent = ConsentFactory(given_on=dt.date(2021, 3, 1))
    consent.used_on = dt.date(2021, 4, 1)
    assert_refused(
        consent,
        message="Nur eine Übergabe-Einwilligung wird verbraucht, und nicht vor ihrer Erteilung.",
    )


def test_a_file_is_kept_by_an_organisation_of_the_persons_municipality() -> None:
    file = ParticipantFileFactory.build(
        participant=ParticipantFactory(), controller=ProviderFactory()
    )
    with pytest.raises(ValidationError) as error:
        file.full_clean()
    assert "Kommune" in error.value.message_dict["controller"][0]


def test_an_organisation_keeps_one_file_per_person() -> None:
    file = ParticipantFileFactory()
    duplicate = ParticipantFile(participant=file.participant, controller=file.controller)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "schon eine Akte" in str(error.value)


def test_every_person_gets_a_different_random_key() -> None:
    keys = {ParticipantFactory().person_key for _ in range(20)}
    assert len(keys) == 20
    assert all(key.startswith("P-") and len(key) == 10 for key in keys)


def test_a_consent_withdrawn_before_it_was_given_is_refused() -> None:
    consent = ConsentFactory(given_on=dt.date(2021, 3, 1))
    consent.withdrawn_on = dt.date(2021, 2, 1)
    assert_refused(consent, message="Ein Widerruf kann nicht vor der Erteilung liegen.")


def test_a_consent_needs_known_data_categories() -> None:
    consent = ConsentFactory.build(file=ParticipantFileFactory(), data_categories=["health"])
    consent.recipient.save()
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert error.value.message_dict["data_categories"] == ["Unbekannte Datenkategorie: health"]
