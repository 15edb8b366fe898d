import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.accounts.policy import consent_in_force_q
from teilhabe.audit.models import AuditEvent
from teilhabe.core.codes import ResidenceType
from teilhabe.participants.models import Consent, Participant, ResidenceDocument
from teilhabe.participants.services import (
    consent_record,
    consent_withdraw,
    participant_register,
    residence_document_add,
)
from tests.factories import CaseFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "given_names": "Yonas",
    "family_name": "Tesfay",
    "given_names_original": "ዮናስ",
    "family_name_original": "ተስፋይ",
    "date_of_birth": dt.date(2001, 4, 12),
    "nationality": "ER",
    "languages": ["ti", "ar"],
    "registered_on": dt.date(2021, 3, 1),
}


def test_a_coach_registers_a_person_with_their_residence_document(coach_a, municipality) -> None:
    participant = participant_register(
        acting_user=coach_a,
        municipality=municipality,
        residence_type=ResidenceType.TOLERATED,
        residence_valid_from=dt.date(2021, 1, 1),
        residence_valid_until=dt.date(2021, 6, 30),
        **PERSON,
    )
    assert participant.residence_documents.get().residence_type == ResidenceType.TOLERATED
    event = AuditEvent.objects.get(action="create", object_type="participants.participant")
    assert event.actor == coach_a
    assert "Tesfay" not in str(event.details)


def test_a_future_date_of_birth_saves_nothing_and_says_why(coach_a, municipality) -> None:
    with pytest.raises(ValidationError) as error:
        participant_register(
            acting_user=coach_a,
            municipality=municipality,
            residence_type=ResidenceType.TOLERATED,
            residence_valid_from=dt.date(2021, 1, 1),
            **{**PERSON, "date_of_birth": dt.date(2099, 1, 1)},
        )
    assert (
        "Das Geburtsdatum darf nicht in der Zukunft liegen."
        in error.value.message_dict["date_of_birth"]
    )
    assert not Participant.objects.exists()
    assert not ResidenceDocument.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_problem_of_person_and_document_is_reported_at_once(coach_a, municipality) -> None:
    with pytest.raises(ValidationError) as error:
        participant_register(
            acting_user=coach_a,
            municipality=municipality,
            residence_type="visum",
            residence_valid_from=dt.date(2021, 6, 1),
            residence_valid_until=dt.date(2021, 1, 1),
            **{**PERSON, "nationality": "er"},
        )
    assert set(error.value.message_dict) >= {"nationality", "residence_residence_type"}
    assert not Participant.objects.exists()


def test_a_coach_of_another_municipality_cannot_register_here(coach_a) -> None:
    elsewhere = MunicipalityFactory(name="Stadt Bonn")
    with pytest.raises(PermissionDenied):
        participant_register(
            acting_user=coach_a,
            municipality=elsewhere,
            residence_type=ResidenceType.TOLERATED,
            residence_valid_from=dt.date(2021, 1, 1),
            **PERSON,
        )


def test_only_the_case_provider_adds_to_the_residence_history(coach_a, coach_b, provider_a) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    residence_document_add(
        acting_user=coach_a,
        participant=case.participant,
        residence_type=ResidenceType.WELL_INTEGRATED_YOUTH,
        valid_from=dt.date(2022, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        residence_document_add(
            acting_user=coach_b,
            participant=case.participant,
            residence_type=ResidenceType.TOLERATED,
            valid_from=dt.date(2022, 2, 1),
        )
    assert case.participant.residence_documents.count() == 1


def test_an_unknown_residence_type_is_refused_with_a_message(coach_a, provider_a) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    with pytest.raises(ValidationError) as error:
        residence_document_add(
            acting_user=coach_a,
            participant=case.participant,
            residence_type="visum",
            valid_from=dt.date(2022, 1, 1),
        )
    assert error.value.message_dict["residence_type"] == ["Wert 'visum' ist keine gültige Option."]


def test_consent_is_recorded_and_withdrawn_with_an_audit_trail(
    coach_a, provider_a, provider_b
) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    consent = consent_record(
        acting_user=coach_a,
        participant=case.participant,
        purpose="case_sharing",
        recipient=provider_b,
        data_categories=["identity", "case_notes"],
        given_on=dt.date(2022, 1, 5),
    )
    consent_withdraw(acting_user=coach_a, consent=consent, withdrawn_on=dt.date(2022, 2, 1))
    in_force_on_withdrawal = consent_in_force_q(
        organisation_ids=[provider_b.pk], on=dt.date(2022, 2, 1)
    )
    assert not Consent.objects.filter(in_force_on_withdrawal).exists()
    assert AuditEvent.objects.filter(object_type="participants.consent").count() == 2
