"""Data subjects, role, changed fields, a hashed address and the hash chain.

Existing entries are numbered in the order they were written, their addresses replaced by
the keyed hash and chained, so that ``teilhabe audit verify`` accepts a migrated trail.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models
from django.utils.crypto import salted_hmac

GENESIS_HASH = "0" * 64
BATCH = 2000


def number_and_chain(apps, schema_editor):
    # The canonical form lives with the model; the historical model lacks its methods.
    from teilhabe.audit.models import entry_hash_of

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS_HASH
    sequence = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")[:BATCH])
        if not batch:
            break
        for event in batch:
            sequence += 1
            event.sequence = sequence
            event.address_hash = (
                salted_hmac(
                    "teilhabe.audit.address", event.ip_address, algorithm="sha256"
                ).hexdigest()[:32]
                if event.ip_address
                else ""
            )
            event.previous_hash = previous
            event.entry_hash = entry_hash_of(
                {
                    "sequence": event.sequence,
                    "occurred_at": event.occurred_at.astimezone(datetime.UTC).isoformat(),
                    "actor": event.actor_id,
                    "organisation": event.organisation_id,
                    "role": event.role,
                    "action": event.action,
                    "object_type": event.object_type,
                    "object_id": event.object_id,
                    "details": event.details,
                    "fields": event.fields,
                    "address_hash": event.address_hash,
                    "subjects": [],
                    "previous_hash": event.previous_hash,
                }
            )
            previous = event.entry_hash
        AuditEvent.objects.bulk_update(
            batch, ["sequence", "address_hash", "previous_hash", "entry_hash"]
        )
        last_id = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True, verbose_name="laufende Nummer"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="role",
            field=models.CharField(
                blank=True,
                help_text="Die Rolle(n) der handelnden Person in der Organisation.",
                max_length=100,
                verbose_name="Rolle",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="fields",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Nur die Namen der Felder, nie ihr Inhalt.",
                verbose_name="geänderte Felder",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="address_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="Adresse (Hashwert)"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                default="", max_length=64, verbose_name="Hashwert des vorigen Eintrags"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(default="", max_length=64, verbose_name="Hashwert"),
            preserve_default=False,
        ),
        migrations.RunPython(number_and_chain, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="auditevent",
            name="ip_address",
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                help_text="Lückenlos aufsteigend; eine Lücke heißt, dass ein Eintrag fehlt.",
                unique=True,
                verbose_name="laufende Nummer",
            ),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "Protokolleintrag",
                "verbose_name_plural": "Protokolleinträge",
            },
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "occurred_at"], name="audit_org_time_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["action", "address_hash", "occurred_at"], name="audit_address_idx"
            ),
        ),
        migrations.CreateModel(
            name="AuditSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "person_key",
                    models.CharField(
                        db_index=True, max_length=32, verbose_name="Personenschlüssel"
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="subjects",
                        to="audit.auditevent",
                        verbose_name="Protokolleintrag",
                    ),
                ),
            ],
            options={
                "verbose_name": "betroffene Person",
                "verbose_name_plural": "betroffene Personen",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "person_key"), name="auditsubject_once_per_event"
                    )
                ],
            },
        ),
    ]
