from django.urls import path

from teilhabe.privacy import views

app_name = "privacy"
urlpatterns = [
    path("datenschutz/auskunft/", views.access_request, name="access_request"),
    path("datenschutz/loeschung/", views.erasure, name="erasure"),
    path("datenschutz/loeschnachweise/", views.deletion_records, name="deletion_records"),
]
