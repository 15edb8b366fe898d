from django.urls import path

from teilhabe.accounts.views import login, password, staff, two_factor

app_name = "accounts"
urlpatterns = [
    path("anmelden/", login.LoginView.as_view(), name="login"),
    path("anmelden/code/", login.login_code, name="login_code"),
    path("abmelden/", login.LogoutView.as_view(), name="logout"),
    path("zwei-faktor/", two_factor.two_factor, name="two_factor"),
    path("zwei-faktor/einrichten/", two_factor.two_factor_enrol, name="two_factor_enrol"),
    path("zwei-faktor/entfernen/", two_factor.two_factor_remove, name="two_factor_remove"),
    path("mitarbeitende/", staff.staff_list, name="staff_list"),
    path("mitarbeitende/einladen/", staff.staff_invite_view, name="staff_invite"),
    path("mitarbeitende/<int:pk>/rolle/", staff.staff_role, name="staff_role"),
    path("mitarbeitende/<int:pk>/beenden/", staff.staff_deactivate, name="staff_deactivate"),
    path("einladung/<str:token>/", staff.invitation_accept_view, name="invitation_accept"),
    path("passwort/vergessen/", password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort/vergessen/gesendet/",
        password.PasswordResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort/neu/fertig/",
        password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
