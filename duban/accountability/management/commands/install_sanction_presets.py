from django.core.management.base import BaseCommand, CommandError

from duban.accountability.presets import PRESETS, install_sanction_presets
from duban.orgs.models import Organization


class Command(BaseCommand):
    help = "为组织安装问责阶梯预设：001（第十六条，默认）或 000（第六条）；--replace 停用其他预设规则"

    def add_arguments(self, parser):
        parser.add_argument("org_id", type=int)
        parser.add_argument("--preset", choices=sorted(PRESETS), default="001")
        parser.add_argument("--replace", action="store_true")

    def handle(self, org_id, preset, replace, **opts):
        org = Organization.objects.filter(pk=org_id).first()
        if org is None:
            raise CommandError("组织不存在")
        n = install_sanction_presets(org, preset, replace=replace)
        self.stdout.write(f"{org.name}：新增{n}条问责规则（{preset}）")
