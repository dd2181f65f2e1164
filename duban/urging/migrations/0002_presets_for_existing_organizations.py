from django.db import migrations


def install(apps, schema_editor):
    from duban.urging.presets import PRESETS

    Organization = apps.get_model("orgs", "Organization")
    UrgingPolicy = apps.get_model("urging", "UrgingPolicy")
    LadderStep = apps.get_model("urging", "LadderStep")
    for org in Organization.objects.all():
        UrgingPolicy.objects.get_or_create(org=org)
        have = set(LadderStep.objects.filter(org=org).values_list("preset", flat=True))
        LadderStep.objects.bulk_create([
            LadderStep(org=org, preset=key, name=name, urgency=urgency, offset_working_days=offset, action=action,
                       recipients=recipients, citation=citation)
            for key, name, urgency, offset, action, recipients, citation in PRESETS if key not in have
        ])


class Migration(migrations.Migration):
    dependencies = [("urging", "0001_initial"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
