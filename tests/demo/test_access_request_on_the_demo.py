"""Art. 15 on the Cologne scenario: the package of a person who moved from F6 into KIM holds
every row the database has about them, file by file, and names each controller. (The city
ran F6 and runs KIM: both cases are in its file.)"""

from __future__ import annotations

import json

import pytest

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Case, Contact, Enrolment, HandOver, ModuleParticipation, Outcome
from teilhabe.demo.cologne.load import LoadResult
from teilhabe.participants.models import Consent, Participant, ParticipantFile, ResidenceDocument
from teilhabe.privacy.access_request import access_request_package, package_pdf


@pytest.mark.django_db
def test_the_package_of_a_transferred_person_is_complete(cologne: LoadResult) -> None:
    person = (
        Participant.objects.filter(duplicate_of__isnull=True, cases__successors__isnull=False)
        .order_by("pk")
        .first()
    )
    assert person is not None, "the demo has people handed over from F6 into KIM"
    dpo = User.objects.get(username="datenschutz.koeln")
    produced = access_request_package(acting_user=dpo, participant=person)
    # The PDF is made from real demo rows (eligibility explanations, lists, dates).
    assert package_pdf(produced).startswith(b"%PDF")
    package = json.loads(produced.as_json())

    people = [person, *person.duplicates.all()]
    files = ParticipantFile.objects.filter(participant__in=people)
    assert sorted(f["controller"] for f in package["files"]) == sorted(
        f.controller.name for f in files
    )
    for file in files:
        [entry] = [
            f
            for f in package["files"]
            if (f["person_key"], f["controller"])
            == (file.participant.person_key, file.controller.name)
        ]
        cases = Case.objects.filter(participant=file.participant, lead_provider=file.controller)
        assert (
            len(entry["residence_documents"]) == ResidenceDocument.objects.filter(file=file).count()
        )
        assert len(entry["consents"]) == Consent.objects.filter(file=file).count()
        assert len(entry["cases"]) == cases.count()
        assert (
            sum(len(c["contacts"]) for c in entry["cases"])
            == Contact.objects.filter(case__in=cases).count()
        )
        assert (
            sum(len(c["enrolments"]) for c in entry["cases"])
            == Enrolment.objects.filter(case__in=cases).count()
        )
        assert (
            sum(len(c["outcomes"]) for c in entry["cases"])
            == Outcome.objects.filter(case__in=cases).count()
        )
        assert (
            sum(len(c["module_participations"]) for c in entry["cases"])
            == ModuleParticipation.objects.filter(case__in=cases).count()
        )
        assert (
            sum(1 for c in entry["cases"] for p in c["module_participations"] if p["hand_over"])
            == HandOver.objects.filter(participation__case__in=cases).count()
        )
    assert len(package["recipients"]) == Consent.objects.filter(file__in=files).count()
    keys = [p.person_key for p in people]
    trail = AuditEvent.objects.filter(subjects__person_key__in=keys).distinct()
    # The package's own export event is written after the package is assembled.
    assert len(package["audit_trail"]) == trail.count() - 1
    assert {r["controller"] for r in package["retention"]} == {f.controller.name for f in files}
