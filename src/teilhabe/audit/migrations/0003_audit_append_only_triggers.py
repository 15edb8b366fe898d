"""Append-only by the database: triggers refuse UPDATE and DELETE on both audit tables.

PostgreSQL: a trigger function raising on UPDATE, DELETE and TRUNCATE; SQLite: BEFORE
UPDATE/DELETE triggers that RAISE(ABORT). The SQL is in ``teilhabe.audit.database`` (one
definition, also used by ``teilhabe audit verify`` to check that the triggers are there).
"""

from django.db import migrations


def install(apps, schema_editor):
    from teilhabe.audit.database import install_triggers

    install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from teilhabe.audit.database import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_audit_chain_subjects_hashed_address"),
    ]

    operations = [
        migrations.RunPython(install, drop),
    ]
