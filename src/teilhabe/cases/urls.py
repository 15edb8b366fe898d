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
    path("faelle/<int:case_id>/bausteine/", views.case_participations, name="participations"),
    path(
        "faelle/<int:case_id>/bausteine/beginnen/",
        views.participation_start_view,
        name="participation_start",
    ),
    path(
        "faelle/<int:case_id>/bausteine/<int:participation_id>/beenden/",
        views.participation_end_view,
        name="participation_end",
    ),
    path("ueberweisungen/", views.referrals, name="referrals"),
    path(
        "ueberweisungen/<int:pk>/antwort/",
        views.referral_answer_view,
        name="referral_answer",
    ),
]
