from django.urls import path

from teilhabe.reports import views

app_name = "reports"
urlpatterns = [
    path("programme/<int:programme_id>/auswertung/", views.evaluation, name="evaluation"),
    path(
        "programme/<int:programme_id>/ratsvorlage/",
        views.council_paper_page,
        name="council_paper",
    ),
]
