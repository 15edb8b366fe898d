"""Retention runs and erasure: dry runs change nothing, commits remove exactly what is due,
holds stop them, the proof names no one, and the figures of past periods stay the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from teilhabe.accounts.models import Organisation, User
from teilhabe.cases.models import Case, Contact
from teilhabe.participants.models import Participant, ParticipantFile, ResidenceDocument
from teilhabe.privacy.models import DeletionRecord, LegalHold, RetentionRule
from teilhabe.privacy.services import (
    ANONYMISED,
    erasure_carry_out,
    months_after,
    months_before,
    retention_run,
)
from teilhabe.programmes.models import Programme
from teilhabe.reports.selectors import programme_reach
from tests.factories import (
    CaseFactory,
    ContactFactory,
    OutcomeFactory,
    ProgrammeFactory,
    ResidenceDocumentFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
RUN_ON = D(2024, 1, 31)


@pytest.fixture
def programme(municipality: Organisation) -> Programme:
    programme = ProgrammeFactory(owner=municipality, starts_on=D(2020, 7, 1))
    for category, months in [
        ("case_notes", 12),
        ("contact", 6),
        ("residence", 6),
        ("education", 12),
        ("identity", 24),
    ]:
        RetentionRule.objects.create(
            programme=programme, category=category, months_after_exit=months
        )
    return programme


def closed_case(
    programme: Programme, provider: Organisation, *, exit_on: dt.date, name: str
) -> Case:
    case = CaseFactory(
        programme=programme,
        lead_provider=provider,
        participant__municipality=programme.owner,
        participant__family_name=name,
        entry_date=D(2021, 2, 1),
        status=Case.Status.CLOSED,
        exit_date=exit_on,
        exit_reason=Case.ExitReason.GOAL_REACHED,
    )
    file = ParticipantFile.objects.get(participant=case.participant, controller=provider)
    file.postal_code, file.city = "50667", "Köln"
    file.save()
    ResidenceDocumentFactory(file=file, valid_from=D(2020, 1, 1))
    ContactFactory(case=case, occurred_on=D(2021, 3, 1), note="Notiz zur Bewerbung")
    OutcomeFactory(case=case, achieved_on=D(2021, 8, 1), evidence_note="Vertrag liegt vor")
    return case


@pytest.fixture
def long_gone(programme: Programme, provider_a: Organisation) -> Case:
    """Left 2021-06-30: every period is over by the run on 2024-01-31."""
    return closed_case(programme, provider_a, exit_on=D(2021, 6, 30), name="Alt")


@pytest.fixture
def recent(programme: Programme, provider_a: Organisation) -> Case:
    """Left 2023-11-30: only two months before the run."""
    return closed_case(programme, provider_a, exit_on=D(2023, 11, 30), name="Neu")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 3, 31), 1, D(2024, 2, 29)),
        (D(2024, 1, 15), 12, D(2023, 1, 15)),
        (D(2023, 1, 31), 0, D(2023, 1, 31)),
    ],
)
def test_months_are_counted_like_a_calendar(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected
    assert months_after(expected, months) <= day


def test_a_dry_run_changes_nothing_and_counts_what_a_commit_removes(
    long_gone: Case, recent: Case
) -> None:
    dry = retention_run(on=RUN_ON)
    assert Contact.objects.exclude(note="").count() == 2
    assert ResidenceDocument.objects.count() == 2
    assert {r.categories[0]: r.counts for r in dry}["residence"] == {"residence_documents": 1}

    done = retention_run(on=RUN_ON, commit=True)
    assert [r.counts for r in done] == [r.counts for r in dry]
    assert all(not r.committed for r in dry) and all(r.committed for r in done)  # noqa: PT018


def test_a_commit_removes_what_is_due_and_keeps_the_rest(long_gone: Case, recent: Case) -> None:
    retention_run(on=RUN_ON, commit=True)
    old_person = Participant.objects.get(pk=long_gone.participant_id)
    assert old_person.family_name == ANONYMISED
    assert old_person.date_of_birth.year == long_gone.participant.date_of_birth.year
    assert not Contact.objects.filter(case=long_gone).exclude(note="").exists()
    assert not ResidenceDocument.objects.filter(file__participant=old_person).exists()
    old_file = ParticipantFile.objects.get(participant=old_person)
    assert (old_file.city, old_file.nationality) == ("", "")
    # Two months after exit nothing is due yet.
    assert Participant.objects.get(pk=recent.participant_id).family_name == "Neu"
    assert Contact.objects.filter(case=recent).exclude(note="").exists()
    assert ResidenceDocument.objects.filter(file__participant=recent.participant).exists()
    # The funding facts stay: the case, its dates, its outcome.
    assert Case.objects.filter(pk=long_gone.pk, exit_date=D(2021, 6, 30)).exists()
    assert long_gone.outcomes.count() == 1


def test_a_second_run_finds_nothing_more(long_gone: Case) -> None:
    retention_run(on=RUN_ON, commit=True)
    again = retention_run(on=RUN_ON, commit=True)
    assert all(sum(r.counts.values()) == 0 for r in again)


def test_an_open_case_in_the_same_file_keeps_the_files_own_data(
    long_gone: Case, provider_a: Organisation, municipality: Organisation
) -> None:
    CaseFactory(
        participant=long_gone.participant,
        lead_provider=provider_a,
        programme=ProgrammeFactory(owner=municipality),
    )
    retention_run(on=RUN_ON, commit=True)
    assert ResidenceDocument.objects.filter(file__participant=long_gone.participant).exists()
    # The finished programme's case notes are due all the same.
    assert not Contact.objects.filter(case=long_gone).exclude(note="").exists()


def test_a_legal_hold_keeps_everything(long_gone: Case, auditor: User) -> None:
    LegalHold.objects.create(
        participant=long_gone.participant,
        reason="Klage",
        placed_on=D(2023, 1, 1),
        placed_by=auditor,
    )
    retention_run(on=RUN_ON, commit=True)
    assert Participant.objects.get(pk=long_gone.participant_id).family_name == "Alt"
    assert Contact.objects.filter(case=long_gone).exclude(note="").exists()


def test_the_figures_of_past_periods_stay_the_same(
    long_gone: Case, recent: Case, programme: Programme
) -> None:
    days = [D(2021, 3, 31), D(2021, 12, 31), D(2023, 12, 31)]
    before = [programme_reach(programme=programme, as_of=day) for day in days]
    retention_run(on=RUN_ON, commit=True)
    assert [programme_reach(programme=programme, as_of=day) for day in days] == before


def test_the_deletion_record_names_no_one(long_gone: Case) -> None:
    retention_run(on=RUN_ON, commit=True)
    for record in DeletionRecord.objects.all():
        text = f"{record.rule} {record.categories} {record.counts}"
        assert "Alt" not in text
        assert long_gone.participant.person_key not in text


def test_the_command_is_a_dry_run_unless_told_to_commit(
    long_gone: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("retention", "run", "--as-of", RUN_ON.isoformat())
    assert "Probelauf" in capsys.readouterr().out
    assert Contact.objects.exclude(note="").exists()
    call_command("retention", "run", "--as-of", RUN_ON.isoformat(), "--commit")
    assert not Contact.objects.exclude(note="").exists()
    assert DeletionRecord.objects.filter(committed=True).count() == RetentionRule.objects.count()


def test_erasure_on_request_removes_the_person_but_keeps_the_funding_facts(
    recent: Case, auditor: User
) -> None:
    person = recent.participant
    dry = erasure_carry_out(acting_user=auditor, participant=person)
    assert Participant.objects.get(pk=person.pk).family_name == "Neu"
    done = erasure_carry_out(acting_user=auditor, participant=person, commit=True)
    assert done.counts == dry.counts
    erased = Participant.objects.get(pk=person.pk)
    assert erased.family_name == ANONYMISED
    assert erased.person_key == person.person_key
    assert not Contact.objects.filter(case=recent).exclude(note="").exists()
    assert Case.objects.filter(pk=recent.pk).exists()


def test_erasure_stops_at_a_legal_hold_and_only_data_protection_may_ask(
    recent: Case, auditor: User, coach_a: User
) -> None:
    with pytest.raises(PermissionDenied):
        erasure_carry_out(acting_user=coach_a, participant=recent.participant, commit=True)
    LegalHold.objects.create(
        participant=recent.participant, reason="Prüfung", placed_on=D(2023, 1, 1), placed_by=auditor
    )
    with pytest.raises(ValidationError):
        erasure_carry_out(acting_user=auditor, participant=recent.participant, commit=True)
    assert Participant.objects.get(pk=recent.participant_id).family_name == "Neu"


def test_the_erasure_page_previews_then_erases_only_when_confirmed(
    recent: Case, auditor: User, client
) -> None:
    from django.urls import reverse

    client.force_login(auditor)
    url = reverse("privacy:erasure")
    key = recent.participant.person_key
    preview = client.post(url, {"person_key": key, "action": "preview"})
    assert "Probelauf" in preview.content.decode()
    unconfirmed = client.post(url, {"person_key": key, "action": "erase"})
    assert "Bitte bestätigen Sie" in unconfirmed.content.decode()
    assert Participant.objects.get(pk=recent.participant_id).family_name == "Neu"
    done = client.post(url, {"person_key": key, "action": "erase", "confirmed": "on"})
    assert done.status_code == 302
    assert Participant.objects.get(pk=recent.participant_id).family_name == ANONYMISED
    listing = client.get(reverse("privacy:deletion_records")).content.decode()
    assert "Löschung auf Antrag" in listing
    assert key not in listing


def test_another_citys_data_protection_sees_none_of_our_records(long_gone: Case) -> None:
    from teilhabe.privacy.selectors import deletion_records_for
    from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

    retention_run(on=RUN_ON, commit=True)
    bonn_dpo = UserFactory(username="dpo_bonn")
    MembershipFactory(
        user=bonn_dpo, organisation=MunicipalityFactory(name="Stadt Bonn"), role="auditor"
    )
    assert not deletion_records_for(user=bonn_dpo).exists()
