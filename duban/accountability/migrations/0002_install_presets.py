"""Organisations that exist before this app get 001 art. 16's ladder (new ones get it on creation)."""

from django.db import migrations

LADDER = [
    ("001-1", 1, False, "written_self_examination", "一年内受到通报批评一次，由责任单位向党工委、管委会作出书面检查",
     True, 5, "001 第十六条（二）"),
    ("001-2-talk", 2, False, "admonitory_talk", "一年内受到通报批评两次，由党工委、管委会主要领导约谈单位主要负责人",
     False, 5, "001 第十六条（二）"),
    ("001-2-awards", 2, False, "no_awards", "一年内受到通报批评两次，取消该单位年度的评先树优资格",
     False, 5, "001 第十六条（二）"),
    ("001-3", 3, True, "organisational_handling",
     "一年内受到通报批评三次及以上，由督查室提出问责建议，经主要领导审定后依规问责并进行组织处理",
     False, 5, "001 第十六条（三）"),
]


def install(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    SanctionRule = apps.get_model("accountability", "SanctionRule")
    for org in Organization.objects.all():
        have = set(SanctionRule.objects.filter(org=org).values_list("preset", flat=True))
        SanctionRule.objects.bulk_create([
            SanctionRule(org=org, preset=k, ordinal=o, or_more=m, measure=me, requirement=r, creates_item=c,
                         deadline_working_days=d, citation=ci)
            for k, o, m, me, r, c, d, ci in LADDER if k not in have])


class Migration(migrations.Migration):
    dependencies = [("accountability", "0001_initial"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
