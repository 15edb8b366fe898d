"""Writing the trail: who, where, in which role, about whom, which fields, chained."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.audit.models import GENESIS_HASH, AuditAction, AuditEvent, AuditSubject
from teilhabe.audit.selectors import failed_logins_from
from teilhabe.audit.services import (
    address_hash,
    audit_record,
    audit_record_many,
    audit_record_reads,
)
from teilhabe.audit.verification import verify_chain
from tests.factories import CaseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_each_entry_names_the_hash_of_the_one_before(coach_a: User) -> None:
    first = audit_record(action=AuditAction.LOGIN, actor=coach_a)
    second = audit_record(action=AuditAction.LOGOUT, actor=coach_a)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert len(second.entry_hash) == 64
    assert verify_chain().ok


def test_the_hash_covers_the_subjects_too(coach_a: User) -> None:
    event = audit_record(action="read", actor=coach_a, subjects=["P-7K3M9Q2X"])
    assert event.entry_hash == event.compute_hash(["P-7K3M9Q2X"])
    assert event.entry_hash != event.compute_hash([])


def test_an_action_given_as_a_string_is_stored_as_the_enum_value(coach_a: User) -> None:
    event = audit_record(action="read", actor=coach_a)
    event.refresh_from_db()
    assert event.action == AuditAction.READ
    with pytest.raises(ValueError, match="peek"):
        audit_record(action="peek", actor=coach_a)


def test_the_role_and_organisation_come_from_the_actors_membership(
    coach_a: User, provider_a: Organisation
) -> None:
    event = audit_record(action=AuditAction.READ, actor=coach_a)
    assert (event.organisation, event.role) == (provider_a, Role.COACH)


def test_with_memberships_in_two_organisations_the_role_follows_the_named_one(
    coach_a: User, provider_a: Organisation, provider_b: Organisation
) -> None:
    MembershipFactory(user=coach_a, organisation=provider_b, role=Role.PROVIDER_ADMIN)
    assert audit_record(action="read", actor=coach_a).organisation is None
    event = audit_record(action="read", actor=coach_a, organisation=provider_b)
    assert event.role == Role.PROVIDER_ADMIN
    given = audit_record(action="read", actor=coach_a, organisation=provider_b, role="x")
    assert given.role == "x"


def test_an_event_names_its_data_subjects_and_the_changed_fields_but_not_their_contents(
    coach_a: User,
) -> None:
    case = CaseFactory()
    event = audit_record(
        action=AuditAction.UPDATE,
        actor=coach_a,
        obj=case,
        subjects=["P-7K3M9Q2X"],
        fields=["status", "closed_on"],
    )
    assert list(event.subjects.values_list("person_key", flat=True)) == ["P-7K3M9Q2X"]
    assert event.fields == ["closed_on", "status"]
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))


def test_a_list_read_writes_one_event_naming_every_person_shown(coach_a: User) -> None:
    cases = [CaseFactory(), CaseFactory(), CaseFactory()]
    keys = ["P-AAAA0001", "P-AAAA0002", "P-AAAA0003"]
    event = audit_record_reads(actor=coach_a, objects=cases, subjects=keys)
    assert AuditEvent.objects.count() == 1
    assert event is not None
    assert event.action == AuditAction.READ
    assert event.object_type == "cases.case"
    assert event.details == {"list": True, "objects": [str(c.pk) for c in cases]}
    assert sorted(AuditSubject.objects.values_list("person_key", flat=True)) == keys
    assert list(AuditEvent.objects.filter(subjects__person_key="P-AAAA0002")) == [event]


def test_an_empty_list_read_records_nothing(coach_a: User) -> None:
    assert audit_record_reads(actor=coach_a, objects=[]) is None
    assert not AuditEvent.objects.exists()


def test_several_events_written_at_once_are_chained_in_order(coach_a: User) -> None:
    audit_record(action="login", actor=coach_a)
    events = audit_record_many(
        records=[
            {"action": "read", "actor": coach_a, "subjects": ["P-1"]},
            {"action": "read", "actor": coach_a, "subjects": ["P-2", "P-3"]},
        ]
    )
    assert [e.sequence for e in events] == [2, 3]
    assert events[1].previous_hash == events[0].entry_hash
    assert AuditSubject.objects.filter(event=events[1]).count() == 2
    assert verify_chain().ok


def test_the_address_is_stored_only_as_a_keyed_hash(client, coach_a: User) -> None:
    client.post("/konto/anmelden/", {"username": "coach_a", "password": "wrong"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.address_hash == address_hash("127.0.0.1")
    assert "127.0.0.1" not in event.address_hash
    assert address_hash("127.0.0.1") != address_hash("127.0.0.2")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        assert "127.0.0.1" not in repr(cursor.fetchall())


def test_failed_logins_are_counted_per_address_by_its_hash(db: None) -> None:
    for ip in ["10.0.0.1", "10.0.0.1", "10.0.0.2"]:
        request = RequestFactory().post("/konto/anmelden/", REMOTE_ADDR=ip)
        audit_record(action=AuditAction.LOGIN_FAILED, actor=None, request=request)
    within = dt.timedelta(minutes=15)
    assert failed_logins_from(ip_address="10.0.0.1", within=within) == 2
    assert failed_logins_from(ip_address="10.0.0.3", within=within) == 0
    assert failed_logins_from(ip_address=None, within=within) == 0
