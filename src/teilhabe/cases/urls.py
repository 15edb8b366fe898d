from django.urls import path

from teilhabe.cases import views

app_name = "cases"
urlpatterns = [
    path(
        "programme/<int:programme_id>/teilnehmende/",
        views.programme_participants,
        name="programme_participants",
    ),
]
