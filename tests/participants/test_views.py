"""The file pages from the outside: who gets which page, which parts it shows, what it writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.audit.models import AuditEvent
from teilhabe.cases.models import Case
from teilhabe.core.codes import OutcomeType, ResidenceType
from teilhabe.participants.models import Consent, ParticipantFile
from teilhabe.participants.selectors import FILES_PER_PAGE
from teilhabe.programmes.models import Programme
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    EnrolmentFactory,
    FunderFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfferFactory,
    OutcomeFactory,
    ParticipantFileFactory,
    ProgrammeFactory,
    ProviderFactory,
    ResidenceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = dt.date


def member(organisation: Organisation, role: str, username: str) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def subject_keys(event: AuditEvent) -> list[str]:
    """The person keys an audit event names, in the order they were written."""
    return [s.person_key for s in event.subjects.order_by("pk")]


@pytest.fixture
def case_a(provider_a: Organisation) -> Case:
    case = CaseFactory(
        lead_provider=provider_a,
        participant__municipality=provider_a.municipality,
        participant__given_names="Amina",
        participant__family_name="Haddad",
    )
    OutcomeFactory(case=case, outcome_type=OutcomeType.VOCATIONAL_TRAINING)
    return case


@pytest.fixture
def file_a(case_a: Case) -> ParticipantFile:
    file = ParticipantFile.objects.get(
        participant=case_a.participant, controller=case_a.lead_provider
    )
    file.german_level = "B1"
    file.postal_code = "50667"
    file.save()
    ResidenceDocumentFactory(file=file, residence_type=ResidenceType.TOLERATED)
    return file


def detail(file: ParticipantFile) -> str:
    return reverse("participants:file_detail", kwargs={"pk": file.pk})


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def sections(html: str) -> set[str]:
    return {
        category
        for category in ("identity", "contact", "residence", "education", "case_notes", "outcomes")
        if f'data-category="{category}"' in html
    }


ALL_SECTIONS = {"identity", "contact", "residence", "education", "case_notes", "outcomes"}


# --- The controller's own file ------------------------------------------------------------------


def test_a_coach_sees_every_part_of_their_organisations_file(
    client: Client, coach_a: User, file_a: ParticipantFile
) -> None:
    response = as_user(client, coach_a).get(detail(file_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert sections(html) == ALL_SECTIONS
    assert "Akte von Amina Haddad" in html
    assert "Duldung (§ 60a AufenthG)" in html
    assert "Beginn einer Berufsausbildung" in html
    assert 'data-testid="audience"' in html
    assert 'data-testid="consents"' in html
    assert "Einwilligung erfassen" in html


def test_the_who_can_see_panel_names_the_controller_and_the_fixed_roles(
    client: Client, coach_a: User, file_a: ParticipantFile
) -> None:
    html = as_user(client, coach_a).get(detail(file_a)).content.decode()
    assert "Wer kann diese Daten sehen?" in html
    assert "Jobcoaches und Leitung von Träger A" in html
    assert "Programmkoordination von Stadt Köln" in html
    assert "Fördermittelgeber" in html


def test_the_file_page_speaks_english(
    client: Client, coach_a: User, file_a: ParticipantFile
) -> None:
    as_user(client, coach_a)
    html = client.get(f"/en{detail(file_a)}").content.decode()
    assert "Who can see this data?" in html
    assert "Residence status" in html


# --- A file shared by consent -----------------------------------------------------------------


def test_a_recipient_of_an_outcomes_consent_sees_only_that_section(
    client: Client, coach_b: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    ConsentFactory(file=file_a, recipient=provider_b, data_categories=["outcomes"])
    response = as_user(client, coach_b).get(detail(file_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert sections(html) == {"outcomes"}
    assert "Haddad" not in html
    assert "Beginn einer Berufsausbildung" in html
    assert "Duldung" not in html
    assert "50667" not in html
    assert f"Akte {file_a.participant.person_key}" in html
    # It says plainly what is not shared, and does not show with whom else the person shares.
    assert "Nicht mit Ihnen geteilt: Name und Geburtsdatum, Kontaktdaten" in html
    assert 'data-testid="audience"' not in html
    assert 'data-testid="consents"' not in html
    assert "Einwilligung erfassen" not in html


def test_a_recipient_of_identity_and_residence_sees_those_sections(
    client: Client, coach_b: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    ConsentFactory(file=file_a, recipient=provider_b, data_categories=["identity", "residence"])
    html = as_user(client, coach_b).get(detail(file_a)).content.decode()
    assert sections(html) == {"identity", "residence"}
    assert "Akte von Amina Haddad" in html
    assert "Beginn einer Berufsausbildung" not in html


def test_a_recipient_may_not_record_a_consent_or_a_document(
    client: Client, coach_b: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    consent = ConsentFactory(file=file_a, recipient=provider_b, data_categories=["identity"])
    as_user(client, coach_b)
    for name, kwargs in [
        ("participants:consent_create", {"pk": file_a.pk}),
        ("participants:residence_document_create", {"pk": file_a.pk}),
        ("participants:consent_withdraw", {"pk": file_a.pk, "consent_pk": consent.pk}),
    ]:
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_recipient_of_every_category_is_not_the_files_own_staff(
    coach_b: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    from teilhabe.participants.selectors import file_get_for_user

    ConsentFactory(file=file_a, recipient=provider_b, data_categories=list(ALL_SECTIONS))
    assert not file_get_for_user(user=coach_b, pk=file_a.pk).is_own


def test_a_recipient_of_every_category_still_cannot_record_or_see_the_consents(
    client: Client, coach_b: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    ConsentFactory(file=file_a, recipient=provider_b, data_categories=list(ALL_SECTIONS))
    html = as_user(client, coach_b).get(detail(file_a)).content.decode()
    assert sections(html) == ALL_SECTIONS
    assert 'data-testid="consents"' not in html
    assert 'data-testid="audience"' not in html
    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    assert client.get(url).status_code == 403


# --- Everyone else: not found ---------------------------------------------------------------------


def test_another_providers_coach_gets_not_found(
    client: Client, coach_b: User, file_a: ParticipantFile
) -> None:
    as_user(client, coach_b)
    assert client.get(detail(file_a)).status_code == 404
    assert client.get(detail(file_a)).content == client.get("/akten/999999/").content
    assert not AuditEvent.objects.filter(object_type="participants.participantfile").exists()


@pytest.mark.parametrize("persona", ["coordinator", "funder_user", "auditor"])
def test_the_coordination_the_funder_and_the_auditor_get_not_found(
    client: Client, request: pytest.FixtureRequest, file_a: ParticipantFile, persona: str
) -> None:
    as_user(client, request.getfixturevalue(persona))
    assert client.get(detail(file_a)).status_code == 404
    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    assert client.get(url).status_code == 404


def test_course_staff_get_not_found_even_for_people_in_their_course(
    client: Client, case_a: Case, file_a: ParticipantFile, provider_a: Organisation
) -> None:
    teacher = member(provider_a, Role.COURSE_STAFF, "teacher_a")
    EnrolmentFactory(case=case_a, offer=OfferFactory(provider=provider_a))
    as_user(client, teacher)
    assert client.get(detail(file_a)).status_code == 404
    html = client.get(reverse("participants:file_list")).content.decode()
    assert file_a.participant.person_key not in html


def test_an_auditor_at_the_provider_gets_not_found(
    client: Client, file_a: ParticipantFile, provider_a: Organisation
) -> None:
    as_user(client, member(provider_a, Role.AUDITOR, "auditor_a"))
    assert client.get(detail(file_a)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client: Client, file_a: ParticipantFile) -> None:
    response = client.get(detail(file_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Recording and withdrawing a consent -------------------------------------------------------


def consent_data(recipient: Organisation | Programme, **changes: object) -> dict[str, object]:
    prefix = "organisation" if isinstance(recipient, Organisation) else "programme"
    data: dict[str, object] = {
        "purpose": Consent.Purpose.CASE_SHARING,
        "recipient": f"{prefix}-{recipient.pk}",
        "data_categories": ["identity", "outcomes"],
        "given_on": TODAY.isoformat(),
        "expires_on": "",
        "evidence": Consent.Evidence.WRITTEN,
        "form_version": "EW-2022-03",
        "language": "ar",
    }
    data.update(changes)
    return data


def test_a_consent_recorded_and_withdrawn_opens_and_closes_the_file_at_once(
    client: Client,
    coach_a: User,
    coach_b: User,
    provider_b: Organisation,
    file_a: ParticipantFile,
) -> None:
    owner, recipient = Client(), Client()
    owner.force_login(coach_a)
    recipient.force_login(coach_b)
    assert recipient.get(detail(file_a)).status_code == 404

    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    response = owner.post(url, consent_data(provider_b))
    assert response.status_code == 302
    assert response["Location"] == detail(file_a)
    consent = file_a.consents.get()
    assert (consent.recipient, consent.recorded_by) == (provider_b, coach_a)
    assert sorted(consent.data_categories) == ["identity", "outcomes"]
    assert (consent.form_version, consent.language) == ("EW-2022-03", "ar")

    page = owner.get(detail(file_a)).content.decode()
    assert "Die Einwilligung ist erfasst." in page
    assert (
        page.count('data-testid="audience-line"') == 5
    )  # controller, B, coordination, funder, audit
    assert sections(recipient.get(detail(file_a)).content.decode()) == {"identity", "outcomes"}

    withdraw = reverse(
        "participants:consent_withdraw", kwargs={"pk": file_a.pk, "consent_pk": consent.pk}
    )
    confirm = owner.get(withdraw)
    assert confirm.status_code == 200
    assert "Widerruf erfassen" in confirm.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None  # the confirmation page changes nothing

    response = owner.post(withdraw)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY
    assert recipient.get(detail(file_a)).status_code == 404
    page = owner.get(detail(file_a)).content.decode()
    assert page.count('data-testid="audience-line"') == 4
    assert 'data-state="withdrawn"' in page


def test_withdrawing_twice_says_so_and_changes_nothing(
    client: Client, coach_a: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    consent = ConsentFactory(
        file=file_a, recipient=provider_b, withdrawn_on=D(2021, 6, 1), data_categories=["identity"]
    )
    url = reverse(
        "participants:consent_withdraw", kwargs={"pk": file_a.pk, "consent_pk": consent.pk}
    )
    response = as_user(client, coach_a).post(url)
    assert response.status_code == 200
    assert "schon widerrufen" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == D(2021, 6, 1)


def test_a_consent_of_another_file_is_not_found_under_this_one(
    client: Client, coach_a: User, provider_a: Organisation, file_a: ParticipantFile
) -> None:
    other = ParticipantFileFactory(
        controller=provider_a, participant__municipality=provider_a.municipality
    )
    consent = ConsentFactory(file=other, data_categories=["identity"])
    url = reverse(
        "participants:consent_withdraw", kwargs={"pk": file_a.pk, "consent_pk": consent.pk}
    )
    assert as_user(client, coach_a).post(url).status_code == 404


def test_the_recipient_choices_are_the_municipalitys_organisations_and_programmes(
    client: Client,
    coach_a: User,
    provider_a: Organisation,
    provider_b: Organisation,
    municipality: Organisation,
    file_a: ParticipantFile,
) -> None:
    elsewhere = ProviderFactory(
        name="Träger in Bonn", municipality=MunicipalityFactory(name="Stadt Bonn")
    )
    funder = FunderFactory(name="Bezirksregierung Köln")
    ProgrammeFactory(name="KIM", owner=municipality)
    ProgrammeFactory(name="Programm in Bonn", owner=elsewhere.municipality)
    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    html = as_user(client, coach_a).get(url).content.decode()
    assert f'value="organisation-{provider_b.pk}"' in html
    assert f'value="organisation-{municipality.pk}"' in html
    assert f'value="organisation-{provider_a.pk}"' not in html  # not the controller itself
    assert f'value="organisation-{elsewhere.pk}"' not in html
    assert f'value="organisation-{funder.pk}"' not in html
    assert ">KIM<" in html
    assert "Programm in Bonn" not in html
    # A recipient outside the choices is refused by the form.
    response = client.post(url, consent_data(elsewhere))
    assert response.status_code == 200
    assert not file_a.consents.exists()


def test_a_consent_to_a_programme_is_recorded(
    client: Client, coach_a: User, municipality: Organisation, file_a: ParticipantFile
) -> None:
    kim = ProgrammeFactory(name="KIM", owner=municipality)
    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    response = as_user(client, coach_a).post(url, consent_data(kim))
    assert response.status_code == 302
    assert file_a.consents.get().recipient_programme == kim


def test_what_the_service_refuses_is_shown_next_to_the_field_and_nothing_is_saved(
    client: Client, coach_a: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = as_user(client, coach_a).post(
        url,
        consent_data(
            provider_b,
            purpose=Consent.Purpose.TRANSFER,
            data_categories=["identity", "case_notes"],
            given_on=tomorrow,
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "given_on" in form.errors
    assert "data_categories" in form.errors
    html = response.content.decode()
    assert 'id="id_given_on_error"' in html
    assert 'id="id_data_categories_error"' in html
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert not file_a.consents.exists()


def test_a_consent_without_categories_is_explained(
    client: Client, coach_a: User, provider_b: Organisation, file_a: ParticipantFile
) -> None:
    url = reverse("participants:consent_create", kwargs={"pk": file_a.pk})
    response = as_user(client, coach_a).post(url, consent_data(provider_b, data_categories=[]))
    assert response.status_code == 200
    assert "mindestens eine Datenkategorie" in response.content.decode()
    assert not file_a.consents.exists()


# --- Residence documents ---------------------------------------------------------------------------


def test_a_coach_adds_a_residence_document(
    client: Client, coach_a: User, file_a: ParticipantFile
) -> None:
    url = reverse("participants:residence_document_create", kwargs={"pk": file_a.pk})
    assert as_user(client, coach_a).get(url).status_code == 200
    response = client.post(
        url,
        {
            "residence_type": ResidenceType.TRAINING_TOLERATION,
            "valid_from": "2022-08-01",
            "valid_until": "2025-07-31",
            "employment": "permitted",
        },
    )
    assert response.status_code == 302
    assert file_a.residence_documents.count() == 2
    page = client.get(detail(file_a)).content.decode()
    assert "Das Aufenthaltsdokument ist hinzugefügt." in page
    assert "Ausbildungsduldung" in page
    event = AuditEvent.objects.get(action="create", object_type="participants.residencedocument")
    assert subject_keys(event) == [file_a.participant.person_key]


def test_a_residence_document_ending_before_it_starts_is_refused_next_to_the_field(
    client: Client, coach_a: User, file_a: ParticipantFile
) -> None:
    url = reverse("participants:residence_document_create", kwargs={"pk": file_a.pk})
    response = as_user(client, coach_a).post(
        url,
        {
            "residence_type": ResidenceType.TOLERATED,
            "valid_from": "2022-08-01",
            "valid_until": "2022-07-31",
            "employment": "permitted",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    assert file_a.residence_documents.count() == 1


# --- The audit trail ------------------------------------------------------------------------------


def test_opening_the_file_page_is_audited_with_the_person_as_subject(
    client: Client, coach_a: User, file_a: ParticipantFile
) -> None:
    as_user(client, coach_a).get(detail(file_a))
    event = AuditEvent.objects.get(action="read", object_type="participants.participantfile")
    assert event.actor == coach_a
    assert event.object_id == str(file_a.pk)
    assert subject_keys(event) == [file_a.participant.person_key]
    assert "Haddad" not in str(event.details)


def test_the_list_shows_own_and_shared_files_and_names_the_persons_to_each_controller(
    client: Client,
    coach_b: User,
    provider_a: Organisation,
    provider_b: Organisation,
    file_a: ParticipantFile,
) -> None:
    own = ParticipantFileFactory(
        controller=provider_b,
        participant__municipality=provider_b.municipality,
        participant__family_name="Tesfay",
    )
    ConsentFactory(file=file_a, recipient=provider_b, data_categories=["outcomes"])
    unrelated = ParticipantFileFactory(
        controller=provider_a, participant__municipality=provider_a.municipality
    )
    response = as_user(client, coach_b).get(reverse("participants:file_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert own.participant.person_key in html
    assert "Tesfay" in html
    assert file_a.participant.person_key in html
    assert "Haddad" not in html  # identity is not shared with B
    assert "nicht mit Ihnen geteilt" in html
    assert unrelated.participant.person_key not in html
    # One event per controller: provider A's auditor sees that B listed A's person.
    events = AuditEvent.objects.filter(action="read")
    assert {(e.organisation, tuple(subject_keys(e))) for e in events} == {
        (provider_b, (own.participant.person_key,)),
        (file_a.controller, (file_a.participant.person_key,)),
    }
    assert all("Tesfay" not in str(e.details) for e in events)


def test_the_list_is_paginated_and_each_page_names_only_its_persons(
    client: Client, coach_a: User, provider_a: Organisation
) -> None:
    files = [
        ParticipantFileFactory(
            controller=provider_a, participant__municipality=provider_a.municipality
        )
        for _ in range(FILES_PER_PAGE + 2)
    ]
    as_user(client, coach_a)
    first = client.get(reverse("participants:file_list"))
    second = client.get(reverse("participants:file_list") + "?seite=2")
    assert "Seite 1 von 2" in first.content.decode()
    first_event, second_event = AuditEvent.objects.filter(action="read").order_by("pk")
    assert len(subject_keys(first_event)) == FILES_PER_PAGE
    assert len(subject_keys(second_event)) == 2
    shown = set(subject_keys(first_event)) | set(subject_keys(second_event))
    assert shown == {f.participant.person_key for f in files}
    assert second.status_code == 200


def test_an_empty_list_says_so_and_writes_no_event(client: Client, funder_user: User) -> None:
    response = as_user(client, funder_user).get(reverse("participants:file_list"))
    assert response.status_code == 200
    assert "Sie haben keine Akten." in response.content.decode()
    assert not AuditEvent.objects.filter(action="read").exists()


def test_the_list_of_own_files_needs_a_fixed_number_of_queries(
    client: Client, coach_a: User, provider_a: Organisation, django_assert_max_num_queries
) -> None:
    for _ in range(FILES_PER_PAGE):
        ParticipantFileFactory(
            controller=provider_a, participant__municipality=provider_a.municipality
        )
    as_user(client, coach_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("participants:file_list"))
    assert response.content.decode().count("data-person-key=") == FILES_PER_PAGE
