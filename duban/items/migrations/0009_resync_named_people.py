"""Named people were only ever added: a leader replaced on a draft, or a liaison who left a unit,
kept reading secret items. Recompute every person's place once (issue 8, point 1); from now on
``items.named`` keeps it exact."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q

UNREGISTERED = ("draft", "pending_approval")
UNIT_ROLES = {"liaison": "liaison", "unit_head": "head"}
OFFICE_LIAISON = ("supervisor", "office_head")


def resync(apps, schema_editor):
    Item = apps.get_model("items", "Item")
    Unit = apps.get_model("orgs", "Unit")
    User = apps.get_model("orgs", "User")
    Named = Item.named_people.through
    linked = dict(Unit.objects.exclude(org_link=None).values_list("org_link_id", "id"))
    for user in User.objects.all().iterator():
        units = set()
        if user.role in UNIT_ROLES and user.unit_id:
            units.add(user.unit_id)
        if user.role in OFFICE_LIAISON and user.org_id in linked:
            units.add(linked[user.org_id])
        q = Q(drafter_id=user.pk) | Q(responsible_leader_id=user.pk)
        if units:
            q |= Q(assignments__unit_id__in=units) & ~Q(status__in=UNREGISTERED)
        Named.objects.filter(user_id=user.pk).exclude(item_id__in=Item.objects.filter(q).values("pk")).delete()
        already = Named.objects.filter(item_id=OuterRef("pk"), user_id=user.pk)
        missing = set(Item.objects.filter(q).exclude(Exists(already)).values_list("pk", flat=True))
        Named.objects.bulk_create([Named(item_id=pk, user_id=user.pk) for pk in missing], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("items", "0008_item_upper_item"), ("orgs", "0002_unit_org_link")]
    operations = [migrations.RunPython(resync, migrations.RunPython.noop)]
