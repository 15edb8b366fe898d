"""Art. 15 GDPR: everything Teilhabe holds about one person, in one package.

The package gathers the register entry (and any duplicate registrations of the same person),
every organisation's file on the person — naming each controller — with residence history,
consents and the cases in it (plan, contacts with their notes, enrolments with attendance,
outcomes, referrals), every recipient the person consented to, and every read and write of the
audit trail that names the person. It is read by the data-protection officer of the person's
municipality and handed to the person; producing it is itself audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typst
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from teilhabe.accounts import policy
from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditAction, AuditEvent
from teilhabe.audit.services import audit_record
from teilhabe.cases.models import Case
from teilhabe.participants.models import Participant, ParticipantFile
from teilhabe.privacy.models import ProofOfUse, RetentionRule
from teilhabe.privacy.selectors import same_person
from teilhabe.privacy.services import months_after

PACKAGE_VERSION = 1
# Bookkeeping and links between records: the package says the same through its structure.
NOT_SHOWN = {"id", "created_at", "updated_at"}
STRUCTURE = {"participant", "file", "case", "enrolment", "outcome", "duplicate_of", "predecessor"}


def _value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    if field.is_relation:
        related = getattr(obj, field.name)
        if related is None:
            return None
        if isinstance(related, User):
            # Staff are named by organisation and role in the trail, not by name here.
            return _("Mitarbeiter/in")
        if isinstance(related, Participant):
            return related.person_key
        return str(related)
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    return getattr(obj, field.name)


def record(obj: models.Model, *, leave_out: set[str] | None = None) -> list[dict[str, Any]]:
    """A record as labelled fields, in the model's order: readable by a person and a program."""
    skipped = NOT_SHOWN | STRUCTURE | (leave_out or set())
    return [
        {"field": field.name, "label": str(field.verbose_name), "value": _value(obj, field)}
        for field in obj._meta.concrete_fields
        if field.name not in skipped
    ]


def _case(case: Case) -> dict[str, Any]:
    return {
        "programme": case.programme.name,
        "data": record(case, leave_out={"programme", "lead_provider"}),
        "support_goals": [record(goal) for goal in case.goals.all()],
        "contacts": [record(contact) for contact in case.contacts.all()],
        "enrolments": [
            {
                "data": record(enrolment),
                "attendance": [record(a) for a in enrolment.attendances.all()],
            }
            for enrolment in case.enrolments.all()
        ],
        "outcomes": [
            {"data": record(outcome), "follow_ups": [record(f) for f in outcome.follow_ups.all()]}
            for outcome in case.outcomes.all()
        ],
        "referrals": [record(referral) for referral in case.referrals.all()],
        "module_participations": [
            {
                "data": record(participation),
                "hand_over": record(participation.hand_over)
                if hasattr(participation, "hand_over")
                else None,
            }
            for participation in case.participations.all()
        ],
    }


def _file(file: ParticipantFile) -> dict[str, Any]:
    cases = (
        Case.objects.filter(participant=file.participant, lead_provider=file.controller)
        .select_related("programme")
        .prefetch_related(
            "goals",
            "contacts",
            "enrolments__attendances",
            "enrolments__offer",
            "outcomes__follow_ups",
            "referrals",
            "participations__module",
            "participations__hand_over",
        )
        .order_by("entry_date", "pk")
    )
    return {
        "person_key": file.participant.person_key,
        "controller": file.controller.name,
        "data": record(file, leave_out={"controller"}),
        "residence_documents": [record(d) for d in file.residence_documents.all()],
        "consents": [record(c) for c in file.consents.all()],
        "cases": [_case(case) for case in cases],
    }


def _audit_trail(keys: list[str]) -> list[dict[str, Any]]:
    events = (
        AuditEvent.objects.filter(subjects__person_key__in=keys)
        .select_related("organisation")
        .distinct()
        .order_by("occurred_at", "pk")
    )
    return [
        {
            "occurred_at": event.occurred_at,
            "action": str(event.get_action_display()),
            "organisation": event.organisation.name if event.organisation else "",
            "role": event.role,
            "object": event.object_type,
            "fields": event.fields,
        }
        for event in events
    ]


def _retention(files: list[ParticipantFile]) -> list[dict[str, Any]]:
    """When each kind of data in each file will be removed, by the rules in force now."""
    entries = []
    for file in files:
        cases = list(
            Case.objects.filter(participant=file.participant, lead_provider=file.controller)
            .select_related("programme")
            .order_by("programme_id")
        )
        open_case = any(case.exit_date is None for case in cases)
        last_exit = max((case.exit_date for case in cases if case.exit_date), default=None)
        for programme in {case.programme for case in cases}:
            for rule in RetentionRule.objects.filter(programme=programme).order_by("category"):
                removed_on = (
                    None
                    if open_case or last_exit is None
                    else months_after(last_exit, rule.months_after_exit)
                )
                entries.append(
                    {
                        "controller": file.controller.name,
                        "programme": programme.name,
                        "category": str(rule.get_category_display()),
                        "months_after_exit": rule.months_after_exit,
                        "removed_on": removed_on,
                    }
                )
            proof = ProofOfUse.objects.filter(programme=programme).first()
            if proof is not None:
                entries.append(
                    {
                        "controller": file.controller.name,
                        "programme": programme.name,
                        "category": _("Förderdaten für den Verwendungsnachweis"),
                        "months_after_exit": None,
                        "removed_on": proof.keep_facts_until,
                    }
                )
    return entries


@dataclass(frozen=True)
class AccessPackage:
    person_key: str
    data: dict[str, Any]

    def as_json(self) -> str:
        return json.dumps(self.data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def access_request_package(
    *, acting_user: User, participant: Participant, request: HttpRequest | None = None
) -> AccessPackage:
    """The Art. 15 package for the person behind this register entry."""
    if not policy.handles_access_requests_for(acting_user, participant):
        raise PermissionDenied(_("Auskunftsersuchen bearbeitet der Datenschutz der Kommune."))
    people = same_person(participant)
    original = people[0]
    keys = [person.person_key for person in people]
    files = (
        ParticipantFile.objects.filter(participant__in=people)
        .select_related("participant", "controller")
        .prefetch_related("residence_documents", "consents")
        .order_by("participant_id", "opened_on", "pk")
    )
    consents = [consent for file in files for consent in file.consents.all()]
    data: dict[str, Any] = {
        "version": PACKAGE_VERSION,
        "produced_at": timezone.now(),
        "person_key": original.person_key,
        "register": [
            {
                "person_key": person.person_key,
                "controller": person.municipality.name,
                "data": record(person, leave_out={"municipality", "person_key"}),
            }
            for person in people
        ],
        "files": [_file(file) for file in files],
        "recipients": [
            {
                "controller": consent.file.controller.name,
                "recipient": (
                    consent.recipient.name
                    if consent.recipient
                    else consent.recipient_programme.name
                    if consent.recipient_programme
                    else ""
                ),
                "purpose": str(consent.get_purpose_display()),
                "categories": list(consent.data_categories),
                "given_on": consent.given_on,
                "expires_on": consent.expires_on,
                "withdrawn_on": consent.withdrawn_on,
                "used_on": consent.used_on,
            }
            for consent in consents
        ],
        "retention": _retention(list(files)),
        "audit_trail": _audit_trail(keys),
    }
    audit_record(
        action=AuditAction.EXPORT,
        actor=acting_user,
        obj=original,
        subjects=keys,
        organisation=original.municipality,
        request=request,
        details={"package": "art15"},
    )
    return AccessPackage(person_key=original.person_key, data=data)


TEMPLATE = Path(__file__).with_name("art15.typ")
# Names in their original script need fonts beyond typst's own; use the system's where present.
SYSTEM_FONTS = [path for path in (Path("/usr/share/fonts"),) if path.is_dir()]


def _headings() -> dict[str, str]:
    return {
        "title": _("Auskunft nach Art. 15 DSGVO"),
        "intro": _(
            "Diese Auskunft enthält alle Angaben, die in Teilhabe zu Ihrer Person gespeichert "
            "sind: den Eintrag im Register der Kommune, die Akte jeder Stelle, die Sie begleitet "
            "(mit der verantwortlichen Stelle), Ihre Einwilligungen und ihre Empfänger sowie "
            "jeden Zugriff auf Ihre Daten."
        ),
        "person_key": _("Personenkennung"),
        "produced_at": _("erstellt am"),
        "register": _("Register der Kommune"),
        "files": _("Akten"),
        "controller": _("verantwortliche Stelle"),
        "residence": _("Aufenthaltsdokumente"),
        "consents": _("Einwilligungen"),
        "case": _("Fall"),
        "goals": _("Förderplan"),
        "contacts": _("Kontakte"),
        "enrolment": _("Teilnahme"),
        "attendance": _("Anwesenheit"),
        "outcome": _("Verbleib"),
        "follow_ups": _("Nachfragen"),
        "referrals": _("Überweisungen"),
        "recipients": _("Empfänger Ihrer Daten"),
        "recipient": _("Empfänger"),
        "purpose": _("Zweck"),
        "categories": _("Datenkategorien"),
        "given_on": _("erteilt am"),
        "ended": _("beendet"),
        "retention": _("Wann Ihre Daten gelöscht werden"),
        "retention_intro": _(
            "Nach den Löschregeln des Programms; solange ein Fall läuft, beginnt keine Frist."
        ),
        "programme": _("Programm"),
        "category": _("Daten"),
        "removed_on": _("gelöscht am"),
        "after_exit": _("Monate nach dem Austritt"),
        "trail": _("Zugriffe auf Ihre Daten"),
        "trail_intro": _(
            "Jedes Lesen und Ändern Ihrer Daten wird protokolliert: wann, welche Stelle in "
            "welcher Rolle, was."
        ),
        "when": _("Zeitpunkt"),
        "action": _("Vorgang"),
        "organisation": _("Organisation"),
        "role": _("Rolle"),
        "object": _("Objektart"),
        "none": _("keine"),
        "yes": _("ja"),
        "no": _("nein"),
    }


def package_pdf(package: AccessPackage) -> bytes:
    """The package as a PDF for the person, in the language that is active."""
    pdf = typst.compile(
        TEMPLATE,
        format="pdf",
        font_paths=SYSTEM_FONTS,
        sys_inputs={
            "data": package.as_json(),
            "text": json.dumps(_headings(), ensure_ascii=False),
            "lang": get_language() or "de",
        },
    )
    assert isinstance(pdf, bytes)
    return pdf
