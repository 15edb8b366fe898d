from django.urls import path

from teilhabe.budgets import views

app_name = "budgets"
urlpatterns = [
    path("programme/<int:programme_id>/budget/", views.overview, name="overview"),
    path(
        "programme/<int:programme_id>/budget/ausgaben/neu/",
        views.expenditure_new,
        name="expenditure_new",
    ),
    path(
        "programme/<int:programme_id>/budget/bescheide/neu/",
        views.notice_new,
        name="notice_new",
    ),
    path(
        "programme/<int:programme_id>/budget/ausgaben/import/",
        views.expenditure_import,
        name="import",
    ),
    path(
        "programme/<int:programme_id>/budget/umschichtung/",
        views.reallocation,
        name="reallocation",
    ),
]
