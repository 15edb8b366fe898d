"""Every provider that already runs offers under a module gets a forwarding contract for it,
concluded by the programme's set-up decision and valid as long as the module: offers set up
before contracts existed stay in force (docs/decisions/0010-forwarding-contracts-and-offers.md).
"""

from django.db import migrations
from django.db.models import Max, Min

REFERENCE = "vor Einführung der Weiterleitungsverträge erfasst"


def contracts_for_offers(apps, schema_editor):
    Offer = apps.get_model("programmes", "Offer")
    Amendment = apps.get_model("programmes", "Amendment")
    ForwardingContract = apps.get_model("programmes", "ForwardingContract")
    pairs = (
        Offer.objects.values("module_id", "provider_id")
        .annotate(first=Min("starts_on"))
        .order_by("module_id", "provider_id")
    )
    for pair in pairs:
        if ForwardingContract.objects.filter(
            module_id=pair["module_id"], provider_id=pair["provider_id"]
        ).exists():
            continue
        set_up = (
            Amendment.objects.filter(kind="set_up", programme__modules=pair["module_id"])
            .select_related("decision", "programme")
            .first()
        )
        if set_up is None:
            continue
        module = set_up.programme.modules.get(pk=pair["module_id"])
        last = Amendment.objects.filter(decision_id=set_up.decision_id).aggregate(
            last=Max("position")
        )["last"]
        amendment = Amendment.objects.create(
            decision_id=set_up.decision_id,
            programme_id=set_up.programme_id,
            kind="forward_funds",
            position=(last or 0) + 1,
            effective_on=set_up.effective_on,
            module_id=module.pk,
            summary=REFERENCE,
        )
        ForwardingContract.objects.create(
            added_by=amendment,
            provider_id=pair["provider_id"],
            module_id=module.pk,
            reference=REFERENCE,
            valid_from=module.valid_from,
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0006_forwarding_contracts")]

    operations = [migrations.RunPython(contracts_for_offers, migrations.RunPython.noop)]
