import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.accounts.policy import consent_in_force_q
from teilhabe.audit.models import AuditEvent
from teilhabe.core.codes import ResidenceType
from teilhabe.participants.models import Consent, Participant, ParticipantFile, ResidenceDocument
from teilhabe.participants.services import (
    consent_record,
    consent_withdraw,
    file_open,
    participant_register,
    residence_document_add,
)
from tests.factories import CaseFactory, ConsentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "given_names": "Yonas",
    "family_name": "Tesfay",
    "given_names_original": "ዮናስ",
    "family_name_original": "ተስፋይ",
    "date_of_birth": dt.date(2001, 4, 12),
    "registered_on": dt.date(2021, 3, 1),
}
RECORDED = {"nationality": "ER", "languages": ["ti", "ar"]}


def test_a_coach_registers_a_walk_in_with_their_own_file(coach_a, municipality, provider_a) -> None:
    participant = participant_register(
        acting_user=coach_a,
        municipality=municipality,
        file_controller=provider_a,
        residence_type=ResidenceType.TOLERATED,
        residence_valid_from=dt.date(2021, 1, 1),
        residence_valid_until=dt.date(2021, 6, 30),
        file_fields=RECORDED,
        **PERSON,
    )
    file = participant.files.get()
    assert file.controller == provider_a
    assert file.nationality == "ER"
    assert file.residence_documents.get().residence_type == ResidenceType.TOLERATED
    events = AuditEvent.objects.filter(action="create", actor=coach_a)
    assert {e.object_type for e in events} == {
        "participants.participant",
        "participants.participantfile",
    }
    assert all("Tesfay" not in str(e.details) for e in events)


def test_a_coach_opens_files_only_for_their_own_organisation(
    coach_a, municipality, provider_b
) -> None:
    with pytest.raises(PermissionDenied):
        participant_register(
            acting_user=coach_a, municipality=municipality, file_controller=provider_b, **PERSON
        )
    assert not Participant.objects.exists()


def test_the_coordination_assigns_a_registered_person_to_a_provider(
    coordinator, coach_a, municipality, provider_a
) -> None:
    participant = participant_register(acting_user=coordinator, municipality=municipality, **PERSON)
    assert not participant.files.exists()
    with pytest.raises(PermissionDenied):
        file_open(acting_user=coach_a, participant=participant, controller=provider_a)
    file = file_open(acting_user=coordinator, participant=participant, controller=provider_a)
    assert file.controller == provider_a


def test_a_future_date_of_birth_saves_nothing_and_says_why(
    coach_a, municipality, provider_a
) -> None:
    with pytest.raises(ValidationError) as error:
        participant_register(
            acting_user=coach_a,
            municipality=municipality,
            file_controller=provider_a,
            residence_type=ResidenceType.TOLERATED,
            residence_valid_from=dt.date(2021, 1, 1),
            **{**PERSON, "date_of_birth": dt.date(2099, 1, 1)},
        )
    assert (
        "Das Geburtsdatum darf nicht in der Zukunft liegen."
        in error.value.message_dict["date_of_birth"]
    )
    assert not Participant.objects.exists()
    assert not ParticipantFile.objects.exists()
    assert not ResidenceDocument.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_problem_of_person_file_and_document_is_reported_at_once(
    coach_a, municipality, provider_a
) -> None:
    with pytest.raises(ValidationError) as error:
        participant_register(
            acting_user=coach_a,
            municipality=municipality,
            file_controller=provider_a,
            residence_type="visum",
            residence_valid_from=dt.date(2021, 6, 1),
            residence_valid_until=dt.date(2021, 1, 1),
            file_fields={"nationality": "er"},
            **{**PERSON, "date_of_birth": dt.date(2099, 1, 1)},
        )
    assert set(error.value.message_dict) >= {
        "date_of_birth",
        "nationality",
        "residence_residence_type",
    }
    assert not Participant.objects.exists()


def test_a_coach_of_another_municipality_cannot_register_here(coach_a) -> None:
    elsewhere = MunicipalityFactory(name="Stadt Bonn")
    with pytest.raises(PermissionDenied):
        participant_register(acting_user=coach_a, municipality=elsewhere, **PERSON)


def test_only_the_controller_adds_to_the_residence_history(coach_a, coach_b, provider_a) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    file = case.participant.files.get()
    residence_document_add(
        acting_user=coach_a,
        file=file,
        residence_type=ResidenceType.WELL_INTEGRATED_YOUTH,
        valid_from=dt.date(2022, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        residence_document_add(
            acting_user=coach_b,
            file=file,
            residence_type=ResidenceType.TOLERATED,
            valid_from=dt.date(2022, 2, 1),
        )
    assert file.residence_documents.count() == 1


def test_an_unknown_residence_type_is_refused_with_a_message(coach_a, provider_a) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    with pytest.raises(ValidationError) as error:
        residence_document_add(
            acting_user=coach_a,
            file=case.participant.files.get(),
            residence_type="visum",
            valid_from=dt.date(2022, 1, 1),
        )
    assert error.value.message_dict["residence_type"] == ["Wert 'visum' ist keine gültige Option."]


def test_consent_is_recorded_with_its_evidence_and_withdrawn_with_an_audit_trail(
    coach_a, provider_a, provider_b
) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    consent = consent_record(
        acting_user=coach_a,
        file=case.participant.files.get(),
        purpose="case_sharing",
        recipient=provider_b,
        data_categories=["identity", "case_notes"],
        given_on=dt.date(2022, 1, 5),
        evidence=Consent.Evidence.WRITTEN,
        form_version=" EW-2022-01 ",
        language="ti",
    )
    assert (consent.form_version, consent.language, consent.recorded_by) == (
        "EW-2022-01",
        "ti",
        coach_a,
    )
    consent_withdraw(acting_user=coach_a, consent=consent, withdrawn_on=dt.date(2022, 2, 1))
    in_force_on_withdrawal = consent_in_force_q(on=dt.date(2022, 2, 1))
    assert not Consent.objects.filter(in_force_on_withdrawal).exists()
    assert AuditEvent.objects.filter(object_type="participants.consent").count() == 2


def test_a_withdrawal_cannot_be_dated_in_the_future(coach_a, provider_a) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    consent = ConsentFactory(file=case.participant.files.get())
    with pytest.raises(ValidationError) as error:
        consent_withdraw(acting_user=coach_a, consent=consent, withdrawn_on=dt.date(2999, 1, 1))
    assert "withdrawn_on" in error.value.message_dict
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_funder_is_never_a_recipient(coach_a, provider_a, funder) -> None:
    case = CaseFactory(lead_provider=provider_a, participant__municipality=provider_a.municipality)
    with pytest.raises(ValidationError) as error:
        consent_record(
            acting_user=coach_a,
            file=case.participant.files.get(),
            purpose="case_sharing",
            recipient=funder,
            data_categories=["outcomes"],
            given_on=dt.date(2022, 1, 5),
        )
    assert "recipient" in error.value.message_dict
