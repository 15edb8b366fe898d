from django.urls import path

from teilhabe.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.file_list, name="file_list"),
    path("<int:pk>/", views.file_detail, name="file_detail"),
    path("<int:pk>/einwilligungen/neu/", views.consent_create, name="consent_create"),
    path(
        "<int:pk>/einwilligungen/<int:consent_pk>/widerruf/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "<int:pk>/aufenthalt/neu/",
        views.residence_document_create,
        name="residence_document_create",
    ),
]
