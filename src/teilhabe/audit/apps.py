from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "teilhabe.audit"
    label = "audit"
    verbose_name = _("Protokoll")

    def ready(self) -> None:
        from teilhabe.audit.database import register_sqlite_function

        # The SQLite triggers call this function; without it every DELETE is refused.
        connection_created.connect(register_sqlite_function, dispatch_uid="teilhabe_audit_sqlite")
