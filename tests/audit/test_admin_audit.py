"""The Django admin is a door like any other: opening and changing records is audited."""

import pytest
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from tests.factories import CaseFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_changing_an_organisation_in_the_admin_is_audited_with_the_changed_fields(
    admin_client,
) -> None:
    provider = ProviderFactory()
    response = admin_client.post(
        reverse("admin:accounts_organisation_change", args=[provider.pk]),
        {
            "name": "Neuer Name",
            "short_name": "",
            "kind": "provider",
            "municipality": provider.municipality_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="update")
    assert event.details == {"via": "admin", "fields": ["name"]}


def test_the_audit_trail_cannot_be_edited_in_the_admin(admin_client) -> None:
    CaseFactory()
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403


def test_staff_without_superuser_rights_do_not_reach_the_models(client, django_user_model) -> None:
    staff = django_user_model.objects.create_user("staff", password="x" * 16, is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert "participants" not in response.content.decode()
