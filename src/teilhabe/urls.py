from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("teilhabe.core.urls")),
    path("konto/", include("teilhabe.accounts.urls")),
    path("", include("teilhabe.cases.urls")),
    path("", include("teilhabe.programmes.urls")),
    path("", include("teilhabe.budgets.urls")),
    path("", include("teilhabe.reports.urls")),
    path("protokoll/", include("teilhabe.audit.urls")),
    path("", include("teilhabe.privacy.urls")),
    path("akten/", include("teilhabe.participants.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
