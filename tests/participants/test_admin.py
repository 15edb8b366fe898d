"""The admin is for configuration: personal data is read and changed only through the app."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from teilhabe.cases.models import (
    Attendance,
    Case,
    Contact,
    Enrolment,
    Outcome,
    OutcomeFollowUp,
    Referral,
    SupportGoal,
)
from teilhabe.participants.models import Consent, Participant, ParticipantFile, ResidenceDocument

PERSONAL_DATA = [
    Participant,
    ParticipantFile,
    ResidenceDocument,
    Consent,
    Case,
    SupportGoal,
    Contact,
    Enrolment,
    Attendance,
    Outcome,
    OutcomeFollowUp,
    Referral,
]


@pytest.mark.parametrize("model", PERSONAL_DATA, ids=lambda m: m.__name__)
def test_no_personal_data_model_is_in_the_admin(model: type) -> None:
    assert not admin.site.is_registered(model)
    for inline_owner in admin.site._registry.values():
        assert all(inline.model is not model for inline in inline_owner.inlines)


@pytest.mark.django_db
def test_the_participant_list_that_showed_a_hundred_names_is_gone(admin_client) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("admin:participants_participant_changelist")
    response = admin_client.get("/admin/participants/participant/")
    assert response.status_code == 404
