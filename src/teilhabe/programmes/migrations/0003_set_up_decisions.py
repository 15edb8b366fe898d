"""Every programme gets the decision that set it up; every decision gets its programme.

Before this migration the original set-up (programme dates, modules, first eligibility rule,
first budget lines) was stored without a decision and read as always known. Now nothing is
part of a programme except through a decision: the set-up is recorded as a decision taken on
the earliest day the old data speaks of, holding what was there. Existing decisions keep
their date as the day they became known (the old reading counted them from it), are numbered
in the order of their dates, and their amendments in the order they were entered.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Decision = apps.get_model("programmes", "Decision")
    Amendment = apps.get_model("programmes", "Amendment")
    EligibilityRule = apps.get_model("programmes", "EligibilityRule")
    BudgetLine = apps.get_model("budgets", "BudgetLine")

    for decision in Decision.objects.filter(programme__isnull=True):
        programme_ids = set(decision.amendments.values_list("programme_id", flat=True))
        if not programme_ids:
            first = (
                Programme.objects.filter(owner_id=decision.organisation_id)
                .order_by("starts_on", "pk")
                .first()
            )
            if first is None:
                # A decision about no programme of its organisation cannot be read anywhere.
                decision.delete()
                continue
            programme_ids = {first.pk}
        decision.programme_id = min(programme_ids)
        decision.save(update_fields=["programme"])

    for programme in Programme.objects.all():
        earliest = [programme.starts_on]
        earliest += [
            d.decided_on for d in Decision.objects.filter(programme=programme).only("decided_on")
        ]
        earliest += [
            r.valid_from
            for r in EligibilityRule.objects.filter(programme=programme, amendment__isnull=True)
        ]
        set_up_day = min(earliest)
        set_up = Decision.objects.create(
            programme=programme,
            organisation_id=programme.owner_id,
            body="Einrichtung (aus den Stammdaten übernommen)",
            decided_on=set_up_day,
            reference=f"setup-{programme.code}",
            title=f"Einrichtung: {programme.name}",
        )
        set_up_amendment = Amendment.objects.create(
            decision=set_up,
            programme=programme,
            kind="set_up",
            position=1,
            effective_on=set_up_day,
            new_end_date=programme.ends_on,
            summary="Laufzeit, Bausteine und erster Plan wie in den Stammdaten.",
        )
        programme.modules.filter(added_by__isnull=True).update(added_by=set_up_amendment)
        BudgetLine.objects.filter(module__programme=programme, adopted_by__isnull=True).update(
            adopted_by=set_up_amendment
        )
        position = 1
        for rule in EligibilityRule.objects.filter(
            programme=programme, amendment__isnull=True
        ).order_by("valid_from"):
            position += 1
            Amendment.objects.create(
                decision=set_up,
                programme=programme,
                kind="change_eligibility",
                position=position,
                effective_on=rule.valid_from,
                eligibility_rule=rule,
                summary="Förderregel aus den Stammdaten.",
            )
        ordered = sorted(
            Decision.objects.filter(programme=programme),
            key=lambda d: (d.decided_on, d.pk != set_up.pk, d.pk),
        )
        for number, decision in enumerate(ordered, start=1):
            decision.sequence = number
            decision.status = "adopted"
            decision.known_from = decision.known_from or decision.decided_on
            decision.save(update_fields=["sequence", "status", "known_from"])
            for index, amendment in enumerate(decision.amendments.order_by("pk"), start=1):
                amendment.position = index
                amendment.save(update_fields=["position"])


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_decisions_over_time"),
        ("budgets", "0002_budgetline_adopted_by"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
