from django.urls import path

from teilhabe.programmes.views import decisions, offers, programme, set_up

app_name = "programmes"
urlpatterns = [
    path("programme/neu/", set_up.programme_new, name="set_up"),
    path("programme/<int:programme_id>/", programme.detail, name="detail"),
    path("programme/<int:programme_id>/beschluesse/", decisions.decision_list, name="decisions"),
    path("programme/<int:programme_id>/angebote/", offers.offer_list, name="offers"),
    path("programme/<int:programme_id>/angebote/neu/", offers.offer_new, name="offer_new"),
    path(
        "programme/<int:programme_id>/beschluesse/neu/",
        decisions.decision_new,
        name="decision_new",
    ),
    path(
        "programme/<int:programme_id>/beschluesse/<int:decision_id>/",
        decisions.decision_detail,
        name="decision_detail",
    ),
    path(
        "programme/<int:programme_id>/beschluesse/<int:decision_id>/beschliessen/",
        decisions.decision_adopt,
        name="decision_adopt",
    ),
    path(
        "programme/<int:programme_id>/beschluesse/<int:decision_id>/verwerfen/",
        decisions.decision_reject,
        name="decision_reject",
    ),
    path(
        "programme/<int:programme_id>/beschluesse/<int:decision_id>/vorbehalt/",
        decisions.decision_condition_met,
        name="decision_condition_met",
    ),
]
