"""Re-compute every item's event chain and report the items whose history was changed, deleted or
reordered behind the application's back (issue 10, point 5). Exit status 1 when any is found."""

from django.core.management.base import BaseCommand, CommandError

from duban.documents.archive import verify
from duban.orgs.models import Organization


class Command(BaseCommand):
    help = "核验全部事项的办理记录哈希链（及已归档卷记载的链头）"

    def add_arguments(self, parser):
        parser.add_argument("--org", type=int, help="只核验该组织（id）的事项")

    def handle(self, *args, org=None, **options):
        organization = None
        if org is not None:
            organization = Organization.objects.filter(pk=org).first()
            if organization is None:
                raise CommandError(f"组织 {org} 不存在")
        checked, broken = verify(org=organization)
        for b in broken:
            self.stdout.write(f"{b.number or '（未立项）'} [{b.item_id}] {b.title}")
            for message in b.breaks:
                self.stdout.write(f"  - {message}")
        if broken:
            raise CommandError(f"共核验{checked}个事项，{len(broken)}个事项的办理记录与哈希链不符")
        self.stdout.write(self.style.SUCCESS(f"共核验{checked}个事项，办理记录与哈希链全部一致"))
