from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from teilhabe.accounts.models import Organisation, User
from teilhabe.core.selectors import start_page_for
from teilhabe.programmes.models import Programme
from tests.core.scenario import build_programme
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    OutcomeFactory,
    ProviderFactory,
    UserFactory,
)

START = reverse("core:start")
TODAY = dt.date(2022, 4, 1)


def _page(client: Client, user: User, **params: str) -> str:
    client.force_login(user)
    response = client.get(START, params)
    assert response.status_code == 200
    return response.content.decode()


def _text_of(html: str, testid: str) -> str:
    start = html.index(">", html.index(f'data-testid="{testid}"')) + 1
    return " ".join(html[start : html.index("<", start)].split())


def _programme_period(html: str) -> str:
    start = html.index('data-testid="programme-ends-on"')
    return html[start : html.index("</span>", start)]


def test_it_sends_anonymous_visitors_to_the_login(client: Client, db: None) -> None:
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_an_htmx_request_without_session_redirects_the_whole_page(client: Client, db: None) -> None:
    response = client.get(START, {"stand": "2022-03-17"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('accounts:login')}?next=/%3Fstand%3D2022-03-17"


@pytest.mark.parametrize(
    ("persona", "sentence"),
    [
        ("coach_a", "Sie arbeiten als Jobcoach bei Träger A."),
        ("coach_b", "Sie arbeiten als Jobcoach bei Träger B."),
        ("coordinator", "Sie koordinieren die Programme der Kommune Stadt Köln."),
        (
            "funder_user",
            "Sie sehen für Bezirksregierung Arnsberg zusammengefasste Daten über alle Kommunen",
        ),
        ("auditor", "Auskunft nach Art. 15 DSGVO"),
    ],
)
def test_each_role_sees_who_they_are(
    client: Client,
    request: pytest.FixtureRequest,
    programme: Programme,
    persona: str,
    sentence: str,
) -> None:
    user: User = request.getfixturevalue(persona)
    html = _page(client, user)
    assert user.get_full_name() in html
    assert sentence in html
    assert "Durchstarten in Ausbildung und Arbeit" in html


@pytest.mark.parametrize(
    ("persona", "link", "present"),
    [
        ("coach_a", "participants:file_list", True),
        ("coordinator", "participants:file_list", False),
        ("auditor", "privacy:access_request", True),
        ("coach_a", "privacy:access_request", False),
        ("funder_user", "audit:events", False),
    ],
)
def test_each_role_finds_its_pages_from_the_start_page(
    client: Client,
    request: pytest.FixtureRequest,
    programme: Programme,
    persona: str,
    link: str,
    present: bool,
) -> None:
    from django.urls import reverse

    html = _page(client, request.getfixturevalue(persona))
    assert (f'href="{reverse(link)}"' in html) is present


def test_the_coordinator_finds_the_pseudonymised_list_of_each_own_programme(
    client: Client, coordinator: User, programme: Programme
) -> None:
    from django.urls import reverse

    html = _page(client, coordinator)
    assert reverse("cases:programme_participants", args=[programme.pk]) in html


def test_the_funder_is_told_which_municipalities_it_funds(
    client: Client, funder_user: User, programme: Programme
) -> None:
    html = _page(client, funder_user)
    assert "Geförderte Kommunen: Stadt Köln." in html
    assert "Angaben zu einzelnen Personen sehen Sie nicht." in html


def test_a_funder_sees_every_municipality_it_funds(
    client: Client, funder_user: User, funder: Organisation, programme: Programme
) -> None:
    build_programme(municipality=MunicipalityFactory(name="Bonn"), funder=funder, code="bonn")
    html = _page(client, funder_user)
    assert "Geförderte Kommunen: Bonn, Stadt Köln." in html
    assert html.count("Durchstarten in Ausbildung und Arbeit") == 2


def test_a_user_without_organisation_sees_a_message_and_no_data(
    client: Client, programme: Programme
) -> None:
    html = _page(client, UserFactory(username="newcomer"))
    assert "Ihr Konto ist noch keiner Organisation zugeordnet" in html
    assert "Durchstarten" not in html
    assert 'id="as-of-region"' not in html


def test_a_provider_of_another_municipality_does_not_see_the_programme(
    client: Client, programme: Programme
) -> None:
    elsewhere = ProviderFactory(name="Träger Bonn", municipality=MunicipalityFactory(name="Bonn"))
    user = UserFactory(username="bonn")
    user.memberships.create(organisation=elsewhere, role="coach")
    html = _page(client, user)
    assert "Durchstarten" not in html
    assert "Ihre Organisationen nehmen an keinem Programm teil." in html


def test_the_programme_is_listed_once_for_several_memberships(
    coordinator: User, provider_a: Organisation, programme: Programme
) -> None:
    coordinator.memberships.create(organisation=provider_a, role="coach")
    page = start_page_for(user=coordinator, as_of=TODAY, today=TODAY)
    # KIM was set up by a decision of 2 April 2022, after the day the page is read as of.
    kim = Programme.objects.get(code="durchstarten-kim")
    assert [o.programme for o in page.programmes] == [programme]
    assert page.not_yet_decided == [kim]
    assert len(page.memberships) == 2
    later = start_page_for(user=coordinator, as_of=dt.date(2022, 4, 2), today=TODAY)
    assert [o.programme for o in later.programmes] == [programme, kim]


def test_the_end_date_follows_the_extension_decision(
    client: Client, coach_a: User, programme: Programme
) -> None:
    before = _page(client, coach_a, stand="2022-03-16")
    assert "31. Dezember 2022" in _programme_period(before)
    assert "verlängert durch Beschluss" not in before

    on_the_day = _page(client, coach_a, stand="2022-03-17")
    assert "30. Juni 2023" in _programme_period(on_the_day)
    assert "verlängert durch Beschluss vom 17. März 2022 (Rat der Stadt Köln)" in on_the_day
    assert (
        "17. März 2022, Rat der Stadt Köln: Verlängerung und Umschichtung (Vorlage 0815/2022-durchstarten)"
        in on_the_day
    )


def test_it_accepts_a_german_date(client: Client, coach_a: User, programme: Programme) -> None:
    html = _page(client, coach_a, stand="17.03.2022")
    assert "Ihre Programme am 17. März 2022" in html


def test_an_ended_module_names_its_successor(
    client: Client, coach_a: User, programme: Programme
) -> None:
    running = _page(client, coach_a, stand="2022-06-30")
    assert "endet am 30. Juni 2022 laut Beschluss vom 17. März 2022; Nachfolge: KIM" in running
    ended = _page(client, coach_a, stand="2022-07-01")
    assert "beendet, Nachfolge: KIM" in ended


def test_it_shows_whether_the_programme_runs(
    client: Client, coach_a: User, programme: Programme
) -> None:
    assert "Das Programm läuft am 1. Juli 2020." in _page(client, coach_a, stand="2020-07-01")
    assert "es beginnt am 1. Juli 2020" in _page(client, coach_a, stand="2020-06-30")
    assert "es endete am 30. Juni 2023" in _page(client, coach_a, stand="2023-07-01")


def test_the_eligibility_rule_in_force_is_shown_with_labels(
    client: Client, coach_a: User, programme: Programme
) -> None:
    before = _page(client, coach_a, stand="2022-05-31")
    assert "Alter bei Eintritt: 18 bis 27 Jahre" in before
    assert "Duldung (§ 60a AufenthG)" in before
    assert "kein Sonderfall vorgesehen" in before
    after = _page(client, coach_a, stand="2022-06-01")
    assert "Vorübergehender Schutz (§ 24 AufenthG)" in after


def test_the_budget_is_shown_in_german_figures(
    client: Client, coordinator: User, programme: Programme
) -> None:
    before = _page(client, coordinator, stand="2022-03-16")
    assert "Budget im Haushaltsjahr 2022" in before
    assert "123.456,78\u00a0€" in before
    assert "193.456,78\u00a0€" in before  # the sum
    after = _page(client, coordinator, stand="2022-03-17")
    assert "133.456,78\u00a0€" in after  # F1 after 10.000 € moved in
    assert "10.000,00\u00a0€" in after


def test_a_year_without_budget_says_so(
    client: Client, coordinator: User, programme: Programme
) -> None:
    assert "Für 2021 ist kein Budget geplant." in _page(client, coordinator, stand="2021-05-01")


@time_machine.travel(dt.datetime(2022, 4, 1, 10, tzinfo=dt.UTC), tick=False)
def test_without_a_date_it_shows_today(client: Client, coach_a: User, programme: Programme) -> None:
    html = _page(client, coach_a)
    assert "Ihre Programme am 1. April 2022" in html
    assert 'value="2022-04-01"' in html


@time_machine.travel(dt.datetime(2022, 4, 1, 10, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    ("stand", "message"),
    [
        ("kaputt", "Bitte geben Sie ein gültiges Datum ein, zum Beispiel 17.03.2022."),
        ("2022-02-30", "Bitte geben Sie ein gültiges Datum ein"),
        ("1999-12-31", "Bitte wählen Sie einen Tag zwischen dem 01.01.2000 und dem 31.12.2100."),
        ("2101-01-01", "Bitte wählen Sie einen Tag zwischen dem 01.01.2000 und dem 31.12.2100."),
    ],
)
def test_an_invalid_date_gets_a_message_next_to_the_field_and_today_is_shown(
    client: Client, coach_a: User, programme: Programme, stand: str, message: str
) -> None:
    html = _page(client, coach_a, stand=stand)
    assert 'id="id_stand_error"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Ihre Programme am 1. April 2022" in html
    assert "Angezeigt wird deshalb der Stand von heute, 1. April 2022." in html


def test_the_page_is_english_under_en(
    client: Client, coordinator: User, programme: Programme
) -> None:
    client.force_login(coordinator)
    response = client.get("/en/", {"stand": "2022-03-17"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr"' in html
    assert "Your programmes on March 17, 2022" in html
    assert "extended by decision of March 17, 2022" in html
    assert "€123,456.78" in html or "€133,456.78" in html
    assert "Ihre Programme" not in html


def test_the_page_is_german_by_default(client: Client, coach_a: User) -> None:
    html = _page(client, coach_a)
    assert '<html lang="de" dir="ltr" data-kern-theme="light">' in html


def test_htmx_gets_only_the_region_with_the_status_out_of_band(
    client: Client, coach_a: User, programme: Programme
) -> None:
    client.force_login(coach_a)
    response = client.get(START, {"stand": "2022-03-17"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(
        '<section class="kern-stack-lg teilhabe-as-of" id="as-of-region"'
    )
    assert 'hx-swap-oob="innerHTML"' in html
    assert "Angezeigt wird der Stand am 17. März 2022." in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(
    client: Client, coach_a: User, programme: Programme
) -> None:
    client.force_login(coach_a)
    response = client.get(
        START, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_date_form_works_without_javascript(
    client: Client, coach_a: User, programme: Programme
) -> None:
    html = _page(client, coach_a)
    assert f'method="get" action="{START}"' in html
    assert 'hx-get="/"' in html
    assert 'hx-push-url="true"' in html
    assert 'name="stand"' in html


def test_the_page_needs_a_bounded_number_of_queries(
    client: Client,
    coordinator: User,
    programme: Programme,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # A second municipality's programme: what the coordinator does not see costs nothing.
    build_programme(
        municipality=MunicipalityFactory(name="Bonn"),
        funder=programme.funding_notices.get().funder,
        code="bonn",
    )
    client.force_login(coordinator)
    # session, user, memberships (shared by header and page), programmes; then for each of the
    # two visible programmes the as-of reads (amendments, modules, rule, budget lines,
    # reallocations) and the reach figures (persons, successes), with one query to spare.
    with django_assert_max_num_queries(4 + 2 * 8):
        response = client.get(START, {"stand": "2022-03-17"})
    assert response.status_code == 200


def _reach_scenario(programme: Programme, *, people: int, successes: int) -> None:
    provider = ProviderFactory(municipality=programme.owner)
    for number in range(people):
        case = CaseFactory(
            programme=programme,
            lead_provider=provider,
            participant__municipality=programme.owner,
            entry_date=dt.date(2021, 2, 1),
        )
        if number < successes:
            OutcomeFactory(case=case, achieved_on=dt.date(2021, 9, 1))


def test_the_coordination_sees_the_figures_computed_from_cases(
    client: Client, coordinator: User, programme: Programme
) -> None:
    _reach_scenario(programme, people=6, successes=2)
    html = _page(client, coordinator, stand="2022-03-17")
    assert _text_of(html, "programme-reached") == "6"
    assert _text_of(html, "programme-successes") == "2"


@time_machine.travel(dt.datetime(2022, 4, 1, 10, tzinfo=dt.UTC), tick=False)
def test_the_funder_sees_small_numbers_only_as_fewer_than_five(
    client: Client, funder_user: User, programme: Programme
) -> None:
    _reach_scenario(programme, people=6, successes=2)
    html = _page(client, funder_user, zeitraum="2022-Q1")
    assert _text_of(html, "reached") == "6"
    assert _text_of(html, "successes") == "weniger als 5"
    assert "„weniger als 5“: Kleine Zahlen werden nicht veröffentlicht" in html


@time_machine.travel(dt.datetime(2022, 4, 1, 10, tzinfo=dt.UTC), tick=False)
def test_figures_before_anyone_entered_are_zero_not_hidden(
    client: Client, funder_user: User, programme: Programme
) -> None:
    _reach_scenario(programme, people=6, successes=2)
    html = _page(client, funder_user, zeitraum="2020-Q4")
    assert _text_of(html, "reached") == "0"
    assert _text_of(html, "total-reached") == "0"


def test_an_organisation_name_ending_in_a_point_ends_the_sentence_once(
    client: Client, coach_a: User, programme: Programme
) -> None:
    provider = coach_a.memberships.get().organisation
    provider.name = "Lernhaus Ehrenfeld e.V."
    provider.save()
    html = " ".join(_page(client, coach_a).split())
    assert "Sie arbeiten als Jobcoach bei Lernhaus Ehrenfeld e.V." in html
    assert "e.V.." not in html


def test_course_staff_are_told_they_work_at_their_provider_and_find_their_files(
    client: Client, provider_a: Organisation, programme: Programme
) -> None:
    teacher = UserFactory()
    teacher.memberships.create(organisation=provider_a, role="course_staff")
    html = _page(client, teacher)
    assert "Sie arbeiten als Kurspersonal bei Träger A." in html
    assert reverse("participants:file_list") in html


def test_the_programme_card_links_to_the_programme_page_on_the_day_shown(
    client: Client, coach_a: User, programme: Programme
) -> None:
    from django.urls import reverse

    client.force_login(coach_a)
    html = client.get("/?stand=2022-03-17").content.decode()
    assert f"{reverse('programmes:detail', args=[programme.pk])}?stand=2022-03-17" in html
