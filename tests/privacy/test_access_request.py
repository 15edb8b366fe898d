"""Art. 15: the package holds everything about the person — and only about that person."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Case
from teilhabe.cases.selectors import case_get_for_user
from teilhabe.participants.models import ParticipantFile
from teilhabe.privacy.access_request import access_request_package, package_pdf
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    ContactFactory,
    OutcomeFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ResidenceDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_case(provider_a: Organisation, provider_b: Organisation, coach_a: User) -> Case:
    """A person with files at two providers, a duplicate registration, consents, case work."""
    case = CaseFactory(
        lead_provider=provider_a,
        participant__municipality=provider_a.municipality,
        participant__family_name="Tesfay",
    )
    person = case.participant
    file_a = ParticipantFile.objects.get(participant=person, controller=provider_a)
    ResidenceDocumentFactory(file=file_a, valid_from=dt.date(2020, 1, 1))
    case.eligibility_explanation = [
        {"code": "age", "passed": True, "explanation": "22 Jahre: innerhalb von 18 bis 27"},
        {"code": "residence_status", "passed": True, "explanation": "Duldung: zugelassen"},
    ]
    case.save()
    ContactFactory(case=case, note="Bewerbung bei der Bäckerei besprochen")
    OutcomeFactory(case=case, outcome_type="vocational_training")
    ConsentFactory(file=file_a, recipient=provider_b, data_categories=["outcomes"])
    duplicate = ParticipantFactory(
        municipality=person.municipality, duplicate_of=person, family_name="Tesfai"
    )
    CaseFactory(
        participant=duplicate,
        lead_provider=provider_b,
        programme=ProgrammeFactory(owner=person.municipality),
    )
    case_get_for_user(user=coach_a, pk=case.pk)  # one audited read
    return case


def test_the_package_holds_every_row_about_the_person(person_case: Case, auditor: User) -> None:
    person = person_case.participant
    package = access_request_package(acting_user=auditor, participant=person)
    data = json.loads(package.as_json())

    assert data["person_key"] == person.person_key
    assert [e["person_key"] for e in data["register"]] == [
        person.person_key,
        person.duplicates.get().person_key,
    ]
    files = ParticipantFile.objects.filter(participant__in=[person, person.duplicates.get()])
    assert sorted(f["controller"] for f in data["files"]) == sorted(
        f.controller.name for f in files
    )
    file_a = next(f for f in data["files"] if f["controller"] == person_case.lead_provider.name)
    assert len(file_a["residence_documents"]) == 1
    assert len(file_a["consents"]) == 1
    [case] = file_a["cases"]
    notes = [field["value"] for c in case["contacts"] for field in c if field["field"] == "note"]
    assert notes == ["Bewerbung bei der Bäckerei besprochen"]
    assert len(case["outcomes"]) == 1
    assert [r["categories"] for r in data["recipients"]] == [["outcomes"]]
    assert any(e["object"] == "cases.case" for e in data["audit_trail"])


def test_the_package_names_no_other_person(person_case: Case, auditor: User, provider_a) -> None:
    CaseFactory(
        lead_provider=provider_a,
        participant__municipality=provider_a.municipality,
        participant__family_name="Nachbar",
    )
    package = access_request_package(acting_user=auditor, participant=person_case.participant)
    assert "Nachbar" not in package.as_json()


def test_producing_the_package_is_audited(person_case: Case, auditor: User) -> None:
    access_request_package(acting_user=auditor, participant=person_case.participant)
    assert AuditEvent.objects.filter(action="export", actor=auditor).count() == 1


@pytest.mark.parametrize("persona", ["coach_a", "coordinator", "funder_user"])
def test_only_the_citys_data_protection_produces_it(
    person_case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        access_request_package(
            acting_user=request.getfixturevalue(persona), participant=person_case.participant
        )


def test_the_pdf_is_readable_and_names_each_controller(person_case: Case, auditor: User) -> None:
    package = access_request_package(acting_user=auditor, participant=person_case.participant)
    reader = PdfReader(io.BytesIO(package_pdf(package)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Auskunft nach Art. 15 DSGVO" in text
    assert person_case.participant.person_key in text
    assert person_case.lead_provider.name in text
    assert "Bewerbung bei der Bäckerei besprochen" in text
    assert "22 Jahre: innerhalb von 18 bis 27" in text


def test_a_pdf_that_cannot_be_made_leaves_no_export_in_the_trail(
    person_case: Case, auditor: User, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from teilhabe.privacy import views

    def broken(package: object) -> bytes:
        raise RuntimeError("typst failed")

    monkeypatch.setattr(views, "package_pdf", broken)
    client.raise_request_exception = False
    client.force_login(auditor)
    response = client.post(
        reverse("privacy:access_request"),
        {"person_key": person_case.participant.person_key, "output": "pdf"},
    )
    assert response.status_code == 500
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_page_hands_out_json_and_pdf(person_case: Case, auditor: User, client: Client) -> None:
    client.force_login(auditor)
    url = reverse("privacy:access_request")
    key = person_case.participant.person_key
    as_json = client.post(url, {"person_key": key.lower(), "output": "json"})
    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content)["person_key"] == key
    as_pdf = client.post(url, {"person_key": key, "output": "pdf"})
    assert as_pdf.content.startswith(b"%PDF")
    assert "attachment" in as_pdf["Content-Disposition"]


def test_an_unknown_key_gets_a_message_next_to_the_field(auditor: User, client: Client) -> None:
    client.force_login(auditor)
    response = client.post(
        reverse("privacy:access_request"), {"person_key": "P-00000000", "output": "pdf"}
    )
    assert response.status_code == 200
    assert (
        "Zu dieser Personenkennung gibt es in Ihrer Kommune niemanden." in response.content.decode()
    )
    malformed = client.post(reverse("privacy:access_request"), {"person_key": "x", "output": "pdf"})
    assert "acht Zeichen" in malformed.content.decode()
