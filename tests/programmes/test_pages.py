"""The programme pages from the outside: who may read and who may change, the as-of picker,
the decisions with their preview, and what happens to bad input."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, Role, User
from teilhabe.programmes.models import Decision, DecisionStatus, Programme
from teilhabe.programmes.services import DecisionDraft, NewAmendment, decision_propose
from tests.core.scenario import build_programme
from tests.factories import (
    FundingNoticeFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfferFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2022, 4, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def programme(municipality: Organisation, funder: Organisation) -> Programme:
    return build_programme(municipality=municipality, funder=funder)


@pytest.fixture
def other_coordinator(db: None) -> User:
    user = UserFactory(username="coordinator_bonn")
    MembershipFactory(
        user=user, organisation=MunicipalityFactory(name="Stadt Bonn"), role=Role.COORDINATOR
    )
    return user


def _detail(programme: Programme, **params: str) -> str:
    url = reverse("programmes:detail", args=[programme.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _proposal(programme: Programme, coordinator: User, **draft: object) -> Decision:
    f6 = programme.modules.get(code="F6")
    with time_machine.travel(TODAY, tick=False):
        return decision_propose(
            acting_user=coordinator,
            programme=programme,
            decision=DecisionDraft(
                body="Rat der Stadt Köln",
                decided_on=dt.date(2022, 4, 1),
                reference="2000/2022",
                title="Zweite Verlängerung",
                **draft,  # type: ignore[arg-type]
            ),
            amendments=[
                NewAmendment(
                    kind="extend_programme",
                    effective_on=dt.date(2022, 4, 1),
                    new_end_date=dt.date(2023, 12, 31),
                ),
                NewAmendment(
                    kind="change_rate",
                    effective_on=dt.date(2022, 5, 1),
                    module=f6,
                    new_rate=Decimal("40.00"),
                ),
            ],
        )


# --- Who may see and do what --------------------------------------------------------------


def test_the_coordinator_of_another_city_cannot_tell_the_programme_exists(
    client: Client, programme: Programme, other_coordinator: User, coordinator: User
) -> None:
    client.force_login(other_coordinator)
    proposal = _proposal(programme, coordinator)
    for url in (
        _detail(programme),
        reverse("programmes:decisions", args=[programme.pk]),
        reverse("programmes:decision_detail", args=[programme.pk, proposal.pk]),
    ):
        assert client.get(url).status_code == 404, url
    adopt = reverse("programmes:decision_adopt", args=[programme.pk, proposal.pk])
    assert client.post(adopt).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == DecisionStatus.PROPOSED


def test_a_coach_reads_the_programme_but_cannot_adopt_or_see_drafts(
    client: Client, programme: Programme, coach_a: User, coordinator: User
) -> None:
    proposal = _proposal(programme, coordinator)
    adopted = programme.decisions.get(reference__startswith="0815/2022")
    client.force_login(coach_a)
    page = client.get(_detail(programme, stand="2022-03-17"))
    assert page.status_code == 200
    assert b"Beschluss erfassen" not in page.content
    listing = client.get(reverse("programmes:decisions", args=[programme.pk])).content.decode()
    assert adopted.reference in listing
    assert proposal.reference not in listing
    draft = reverse("programmes:decision_detail", args=[programme.pk, proposal.pk])
    assert client.get(draft).status_code == 404
    shown = client.get(reverse("programmes:decision_detail", args=[programme.pk, adopted.pk]))
    assert shown.status_code == 200
    assert "betroffene Fälle" not in shown.content.decode(), "counts are for the coordination"
    adopt = reverse("programmes:decision_adopt", args=[programme.pk, adopted.pk])
    assert client.post(adopt).status_code == 403


def test_a_funder_reads_only_the_programmes_it_funds(
    client: Client, programme: Programme, funder_user: User, municipality: Organisation
) -> None:
    client.force_login(funder_user)
    assert client.get(_detail(programme)).status_code == 200
    unfunded = build_programme(
        municipality=municipality,
        funder=Organisation.objects.create(name="Andere", kind="funder"),
        code="x",
    )
    assert client.get(_detail(unfunded)).status_code == 404
    FundingNoticeFactory(programme=unfunded, funder=funder_user.memberships.get().organisation)
    assert client.get(_detail(unfunded)).status_code == 200


# --- The picker ---------------------------------------------------------------------------


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_reads_the_programme_as_of_the_day_chosen(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    before = _text(client, _detail(programme, stand="2022-03-16"))
    assert "1. Juli 2020 – 31. Dezember 2022" in before
    after = _text(client, _detail(programme, stand="2022-03-17"))
    assert "1. Juli 2020 – 30. Juni 2023" in after
    assert "Beschluss 0815/2022-durchstarten vom 17.03.2022 (Rat der Stadt Köln)" in after
    assert "Nachfolge: KIM" in after
    july = _text(client, _detail(programme, stand="2022-07-01"))
    assert 'data-module="F6"' in july
    assert "beendet; Nachfolge: KIM" in july
    # § 24 is a special case from June on, and said so by name.
    assert "Vorübergehender Schutz (§ 24 AufenthG)" in july


def test_the_known_on_day_hides_decisions_not_yet_in_the_record(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    text = _text(client, _detail(programme, stand="2022-12-31", bekannt="2022-03-16"))
    assert "1. Juli 2020 – 31. Dezember 2022" in text
    assert "Kenntnisstand 16. März 2022" in text
    # The key dates keep the known-on day, so that a click stays in that reading.
    assert "bekannt=2022-03-16" in text


def _nav_links(html: str) -> dict[str, str]:
    """The programme's sub-navigation: link text → address."""
    nav = html.split('<nav aria-label="Programm">', 1)[1].split("</nav>", 1)[0]
    return {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a class="kern-link" href="([^"]*)">([^<]*)</a>', nav)
    }


@pytest.mark.parametrize(
    ("params", "reading", "day"),
    [
        ({"stand": "2022-03-17"}, "?stand=2022-03-17", "?stand=2022-03-17"),
        (
            {"stand": "2022-03-17", "bekannt": "2022-03-16"},
            "?stand=2022-03-17&bekannt=2022-03-16",
            "?stand=2022-03-17",
        ),
    ],
)
def test_the_sub_pages_open_on_the_chosen_day(
    client: Client,
    programme: Programme,
    coordinator: User,
    params: dict[str, str],
    reading: str,
    day: str,
) -> None:
    client.force_login(coordinator)
    links = _nav_links(_text(client, _detail(programme, **params)))
    pk = programme.pk
    assert links["Budget"] == reverse("budgets:overview", args=[pk]) + reading
    assert links["Angebote und Kursdurchgänge"] == reverse("programmes:offers", args=[pk]) + reading
    # The council paper reads one day; the evaluation a period, which the page does not choose.
    assert links["Ratsvorlage"] == reverse("reports:council_paper", args=[pk]) + day
    assert links["Auswertung der Nutzung"] == reverse("reports:evaluation", args=[pk])


@pytest.mark.parametrize("bad", ["gestern", "1999-12-31", "2022-02-30"])
def test_a_bad_day_is_explained_and_today_is_shown(
    client: Client, programme: Programme, coordinator: User, bad: str
) -> None:
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        text = _text(client, _detail(programme, stand=bad))
    assert 'id="id_stand_error"' in text
    assert "Für ungültige Angaben gilt der heutige Tag, 1. April 2022." in text
    assert "Das Programm am 1. April 2022" in text


def test_after_the_end_the_page_says_so_and_offers_the_last_day_and_the_decision_days(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    with time_machine.travel(dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC), tick=False):
        text = _text(client, _detail(programme))
    assert 'data-testid="after-end"' in text
    assert "Das Programm endete am 30. Juni 2023." in text
    assert "?stand=2023-06-30" in text
    assert "?stand=2022-03-17" in text
    assert "?stand=2022-06-01" in text  # the rule's day of effect


def test_the_key_dates_include_module_ends_and_reporting_periods(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    text = _text(client, _detail(programme, stand="2022-03-17"))
    assert "letzter Tag F6" in text
    assert "?stand=2022-07-01" in text
    assert "F6 beendet" in text
    assert "?stand=2020-09-30" in text
    assert "Ende eines Berichtszeitraums" in text


def test_the_timeline_is_an_svg_with_the_same_facts_as_a_table(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    text = _text(client, _detail(programme, stand="2022-03-17"))
    assert '<svg class="teilhabe-timeline__chart"' in text
    assert 'role="img"' in text
    assert 'aria-labelledby="timeline-title"' in text
    assert 'data-testid="timeline-table"' in text
    assert "Baustein F6 Übergangsmanagement" in text
    assert "Haushaltsjahr 2022" in text


def test_offers_of_running_modules_are_counted_and_listed_on_the_offers_page(
    client: Client, programme: Programme, coordinator: User
) -> None:
    f2 = programme.modules.get(code="F2")
    OfferFactory(
        module=f2,
        title="Deutsch B1 am Abend",
        starts_on=dt.date(2022, 1, 10),
        ends_on=dt.date(2022, 6, 30),
    )
    client.force_login(coordinator)
    text = " ".join(_text(client, _detail(programme, stand="2022-03-17")).split())
    assert "An diesem Tag gilt 1 Angebot." in text
    offers_page = reverse("programmes:offers", args=[programme.pk]) + "?stand=2022-03-17"
    assert offers_page in text
    assert "Deutsch B1 am Abend" in _text(client, offers_page)


def test_a_day_before_the_set_up_says_the_programme_was_not_set_up(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    text = _text(client, _detail(programme, stand="2001-01-01"))
    assert "noch nicht eingerichtet" in text


# --- Decisions: preview, adopt, reject, condition ----------------------------------------


def test_the_preview_shows_what_a_proposal_would_change(
    client: Client, programme: Programme, coordinator: User
) -> None:
    proposal = _proposal(programme, coordinator)
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        text = _text(
            client, reverse("programmes:decision_detail", args=[programme.pk, proposal.pk])
        )
    assert "Programmende: 30.06.2023 → 31.12.2023" in text
    assert "Satz je Einheit F6" in text
    assert "betroffene Fälle" in text
    assert "Beschließen" in text
    assert "Verwerfen" in text


def test_adopting_a_proposal_puts_it_in_the_record(
    client: Client, programme: Programme, coordinator: User
) -> None:
    proposal = _proposal(programme, coordinator)
    client.force_login(coordinator)
    adopt = reverse("programmes:decision_adopt", args=[programme.pk, proposal.pk])
    with time_machine.travel(TODAY, tick=False):
        response = client.post(adopt)
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == DecisionStatus.ADOPTED
        text = _text(client, _detail(programme, stand="2022-04-01"))
    assert "1. Juli 2020 – 31. Dezember 2023" in text
    assert client.get(adopt).status_code == 405


def test_adopting_twice_explains_why_not(
    client: Client, programme: Programme, coordinator: User
) -> None:
    proposal = _proposal(programme, coordinator)
    client.force_login(coordinator)
    adopt = reverse("programmes:decision_adopt", args=[programme.pk, proposal.pk])
    with time_machine.travel(TODAY, tick=False):
        client.post(adopt)
        again = client.post(adopt)
    assert again.status_code == 200
    assert "Nur ein Entwurf kann beschlossen werden." in again.content.decode()


def test_rejecting_a_proposal_keeps_it_on_file_and_changes_nothing(
    client: Client, programme: Programme, coordinator: User
) -> None:
    proposal = _proposal(programme, coordinator)
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("programmes:decision_reject", args=[programme.pk, proposal.pk])
        )
        assert response.status_code == 302
        text = _text(client, _detail(programme, stand="2022-04-01"))
    proposal.refresh_from_db()
    assert proposal.status == DecisionStatus.REJECTED
    assert "1. Juli 2020 – 30. Juni 2023" in text


def test_a_conditional_decision_takes_effect_when_its_condition_is_recorded(
    client: Client, programme: Programme, coordinator: User
) -> None:
    proposal = _proposal(programme, coordinator, condition="vorbehaltlich des Zuwendungsbescheids")
    client.force_login(coordinator)
    detail = reverse("programmes:decision_detail", args=[programme.pk, proposal.pk])
    condition = reverse("programmes:decision_condition_met", args=[programme.pk, proposal.pk])
    with time_machine.travel(TODAY, tick=False):
        client.post(reverse("programmes:decision_adopt", args=[programme.pk, proposal.pk]))
        proposal.refresh_from_db()
        assert proposal.status == DecisionStatus.CONDITIONAL
        assert "Erfüllung eintragen" in client.get(detail).content.decode()
        refused = client.post(
            condition, {"condition_met_on": "2022-03-01", "condition_evidence": "Bescheid"}
        )
        text = " ".join(refused.content.decode().split())
        assert 'id="id_condition_met_on_error"' in text
        assert "Der Vorbehalt kann nicht vor dem Beschluss erfüllt sein." in text
        proposal.refresh_from_db()
        assert proposal.status == DecisionStatus.CONDITIONAL
        done = client.post(
            condition, {"condition_met_on": "2022-04-01", "condition_evidence": "Bescheid vom 1.4."}
        )
        assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DecisionStatus.ADOPTED


# --- Recording a decision -------------------------------------------------------------------


def _new(programme: Programme) -> str:
    return reverse("programmes:decision_new", args=[programme.pk])


DECISION = {
    "body": "Rat der Stadt Köln",
    "decided_on": "2022-04-01",
    "reference": "3000/2022",
    "title": "Verlängerung und Ende von F6",
}


def _amendment(number: int, **fields: str) -> dict[str, str]:
    return {f"amendment_{number}-{name}": value for name, value in fields.items()}


def test_only_the_coordination_gets_the_form(
    client: Client, programme: Programme, coach_a: User
) -> None:
    client.force_login(coach_a)
    assert client.get(_new(programme)).status_code == 403
    assert client.post(_new(programme), {**DECISION, "kinds": ""}).status_code == 403
    assert not Decision.objects.filter(reference="3000/2022").exists()


def test_adding_an_amendment_keeps_what_was_entered_and_shows_no_errors(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    response = client.post(
        _new(programme),
        {
            "body": "Rat",
            "kinds": "extend_programme",
            **_amendment(1, effective_on="2022-04-01", new_end_date="2023-12-31"),
            "action": "add",
            "add_kind": "end_module",
        },
    )
    text = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert 'name="kinds" value="extend_programme,end_module"' in text
    assert 'value="2023-12-31"' in text
    assert 'value="Rat"' in text
    assert "Änderung 2: Baustein beenden (mit Nachfolgeprogramm)" in text
    assert "kern-error" not in text
    # The focus goes on to the new amendment's first field, and only there.
    assert text.count("autofocus") == 1
    assert re.search(r'<[^>]*name="amendment_2-[^"]*"[^>]*autofocus', text)
    removed = client.post(
        _new(programme),
        {"kinds": "extend_programme,end_module", "action": "remove", "remove": "1"},
    )
    assert 'name="kinds" value="end_module"' in removed.content.decode()


def test_saving_creates_a_proposal_and_shows_its_preview(
    client: Client, programme: Programme, coordinator: User
) -> None:
    f6 = programme.modules.get(code="F6")
    kim = Programme.objects.get(code="durchstarten-kim")
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            _new(programme),
            {
                **DECISION,
                "organisation": str(programme.owner_id),
                "kinds": "extend_programme,end_module",
                **_amendment(1, effective_on="2022-04-01", new_end_date="2023-12-31"),
                **_amendment(
                    2,
                    effective_on="2022-04-01",
                    module=str(f6.pk),
                    new_end_date="2022-05-31",
                    successor_programme=str(kim.pk),
                ),
                "action": "save",
            },
        )
        decision = Decision.objects.get(reference="3000/2022")
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "programmes:decision_detail", args=[programme.pk, decision.pk]
        )
        assert decision.status == DecisionStatus.PROPOSED
        text = _text(client, response["Location"])
    assert "Programmende: 30.06.2023 → 31.12.2023" in text
    assert "F6 endet am 31.05.2022, offene Fälle gehen in „KIM“ über" in text


RETROACTIVE_RULE = {
    "kinds": "extend_programme,change_eligibility",
    **_amendment(1, effective_on="2022-04-01", new_end_date="2023-12-31"),
    # Eligibility never changes retroactively.
    **_amendment(
        2,
        effective_on="2022-03-01",
        min_age="18",
        max_age="27",
        main_group_statuses="duldung",
        secondary_group_allowed="on",
    ),
}


@pytest.mark.parametrize(
    ("amendments", "field", "message"),
    [
        (
            RETROACTIVE_RULE,
            "amendment_2-effective_on",
            "Förderregeln ändern sich nicht rückwirkend.",
        ),
        (
            # F6 already ends on 30 June 2022: an end cannot lengthen it.
            {"kinds": "extend_programme,end_module", "end_module": "2022-09-30"},
            "amendment_2-new_end_date",
            "Das Ende eines Bausteins kann ihn nicht verlängern (bisher bis 30.06.2022).",
        ),
        (
            {"kinds": "extend_programme,end_module", "end_module": "2022-05-31", "reference": ""},
            "reference",
            "Dieses Feld ist zwingend erforderlich.",
        ),
    ],
    ids=["retroactive rule", "module end lengthens", "no reference"],
)
def test_errors_stand_next_to_their_fields_and_nothing_is_saved(
    client: Client,
    programme: Programme,
    coordinator: User,
    amendments: dict[str, str],
    field: str,
    message: str,
) -> None:
    from teilhabe.programmes.models import EligibilityRule

    amendments = dict(amendments)
    f6 = programme.modules.get(code="F6")
    if "end_module" in amendments:
        amendments.update(
            _amendment(1, effective_on="2022-04-01", new_end_date="2023-12-31")
            | _amendment(
                2,
                effective_on="2022-04-01",
                module=str(f6.pk),
                new_end_date=amendments.pop("end_module"),
            )
        )
    rules, decisions = EligibilityRule.objects.count(), Decision.objects.count()
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            _new(programme),
            {**DECISION, "organisation": str(programme.owner_id), **amendments, "action": "save"},
        )
    text = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in text
    assert message in text
    assert f'href="#id_{field}"' in text, "the summary links to the field"
    assert (EligibilityRule.objects.count(), Decision.objects.count()) == (rules, decisions)


def test_form_errors_are_shown_for_every_amendment_at_once(
    client: Client, programme: Programme, coordinator: User
) -> None:
    client.force_login(coordinator)
    response = client.post(
        _new(programme),
        {
            **DECISION,
            "decided_on": "gestern",
            "organisation": str(programme.owner_id),
            "kinds": "extend_programme,move_budget",
            **_amendment(1, effective_on="2022-04-01"),
            **_amendment(2, effective_on="2022-04-01", year_1="2022", amount_1="100"),
            "action": "save",
        },
    )
    text = " ".join(response.content.decode().split())
    assert 'id="id_decided_on_error"' in text
    assert 'id="id_amendment_1-new_end_date_error"' in text
    assert 'id="id_amendment_2-from_1_error"' in text
    assert 'id="id_amendment_2-to_1_error"' in text


def test_every_kind_of_amendment_can_be_entered(
    client: Client, programme: Programme, coordinator: User
) -> None:
    f1 = programme.modules.get(code="F1")
    f2 = programme.modules.get(code="F2")
    widening = programme.decisions.get(reference__startswith="1234/2022").amendments.get()
    client.force_login(coordinator)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            _new(programme),
            {
                **DECISION,
                "organisation": str(programme.owner_id),
                "kinds": "change_eligibility,add_module,change_rate,add_budget,move_budget,revoke",
                **_amendment(
                    1,
                    effective_on="2022-05-01",
                    min_age="18",
                    max_age="27",
                    main_group_statuses=["duldung", "gestattung"],
                    special_case_statuses="schutz_24",
                    secondary_group_allowed="on",
                    excludes_state_reception="on",
                ),
                **_amendment(
                    2,
                    effective_on="2022-04-01",
                    code="F7",
                    name="Mentoring",
                    valid_from="2022-05-01",
                    cost_basis="staff_positions",
                    counts_in_state_monitoring="on",
                ),
                **_amendment(3, effective_on="2022-05-01", module=str(f2.pk), new_rate="40.00"),
                **_amendment(
                    4,
                    effective_on="2022-04-01",
                    module_1=str(f1.pk),
                    year_1="2023",
                    amount_1="5000",
                ),
                **_amendment(
                    5,
                    effective_on="2022-04-01",
                    year_1="2022",
                    from_1=str(f1.pk),
                    to_1=str(f2.pk),
                    amount_1="1000.00",
                ),
                **_amendment(6, effective_on="2022-07-01", revokes=str(widening.pk)),
                "action": "save",
            },
        )
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(reference="3000/2022")
    kinds = list(decision.amendments.order_by("position").values_list("kind", flat=True))
    assert kinds == [
        "change_eligibility",
        "add_module",
        "change_rate",
        "add_budget",
        "move_budget",
        "revoke",
    ]
    rule = decision.amendments.get(kind="change_eligibility").eligibility_rule
    assert rule is not None
    assert sorted(rule.main_group_statuses) == ["duldung", "gestattung"]
    assert programme.modules.filter(code="F7").exists()


# --- Setting a programme up -------------------------------------------------------------------

SET_UP = {
    "code": "kim",
    "name": "Kommunales Integrationsmanagement",
    "starts_on": "2022-07-01",
    "ends_on": "2024-12-31",
    "body": "Rat der Stadt Köln",
    "decided_on": "2022-03-17",
    "reference": "0900/2022",
    "title": "Einrichtung KIM",
    "modules": "1",
    "module_1-code": "K1",
    "module_1-name": "Case Management",
    "module_1-valid_from": "2022-07-01",
    "module_1-cost_basis": "staff_positions",
    "module_1-counts_in_state_monitoring": "on",
    "rule-min_age": "18",
    "rule-max_age": "27",
    "rule-main_group_statuses": ["duldung", "gestattung"],
    "rule-secondary_group_allowed": "on",
    "budget-module_1": "K1",
    "budget-year_1": "2022",
    "budget-amount_1": "120000.00",
    "action": "save",
}


def test_only_a_coordinator_sets_a_programme_up(client: Client, coach_a: User) -> None:
    client.force_login(coach_a)
    assert client.get(reverse("programmes:set_up")).status_code == 403


def test_setting_a_programme_up_creates_it_through_its_decision(
    client: Client, coordinator: User, municipality: Organisation
) -> None:
    client.force_login(coordinator)
    response = client.post(reverse("programmes:set_up"), {**SET_UP, "owner": str(municipality.pk)})
    programme = Programme.objects.get(code="kim")
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:detail", args=[programme.pk])
    set_up = programme.decisions.get()
    assert set_up.reference == "0900/2022"
    assert set_up.status == DecisionStatus.ADOPTED
    text = _text(client, _detail(programme, stand="2022-07-01"))
    assert "K1 Case Management" in text
    assert "120.000,00" in text


def test_a_set_up_error_stands_next_to_its_module_and_nothing_is_saved(
    client: Client, coordinator: User, municipality: Organisation
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:set_up"),
        {
            **SET_UP,
            "owner": str(municipality.pk),
            # A module cannot start before its programme.
            "module_1-valid_from": "2022-01-01",
        },
    )
    text = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert 'id="id_module_1-valid_from_error"' in text
    assert "Ein Baustein kann nicht vor dem Programm beginnen." in text
    assert not Programme.objects.filter(code="kim").exists()
    assert not Decision.objects.filter(reference="0900/2022").exists()


def test_adding_a_module_to_the_set_up_keeps_what_was_entered(
    client: Client, coordinator: User, municipality: Organisation
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:set_up"),
        {**SET_UP, "owner": str(municipality.pk), "action": "add_module"},
    )
    text = response.content.decode()
    assert 'name="modules" value="2"' in text
    assert 'name="module_2-code"' in text
    assert 'value="Case Management"' in text
    assert "kern-error" not in text
