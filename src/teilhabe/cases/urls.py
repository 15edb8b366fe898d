from django.urls import path

from teilhabe.cases import views

app_name = "cases"
urlpatterns = [
    path(
        "programme/<int:programme_id>/teilnehmende/",
        views.programme_participants,
        name="programme_participants",
    ),
    path(
        "programme/<int:programme_id>/bausteinenden/",
        views.module_ends,
        name="module_ends",
    ),
    path(
        "programme/<int:programme_id>/bausteinenden/<int:amendment_id>/uebergabe/",
        views.hand_over,
        name="hand_over",
    ),
    path("ueberweisungen/", views.referrals, name="referrals"),
    path(
        "ueberweisungen/<int:pk>/antwort/",
        views.referral_answer_view,
        name="referral_answer",
    ),
]
