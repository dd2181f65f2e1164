from importlib import import_module

from django.core.management.base import BaseCommand

from duban.demo.seed import DEMO_PASSWORD, create_demo_items, create_demo_org

# Each feature seeds its own demo through its services, in this order: a year of work first (the
# dashboard's), then the assessment (which issues the half-year's accountability circulars itself),
# then last month's circular, and the rest. Each is idempotent: run again, it adds nothing.
FEATURE_SEEDS = [
    ("duban.dashboard.demo", "一年的督查事项（驾驶舱）"),
    ("duban.assessment.demo", "问责记录与年中考核"),  # its circulars are dated March and May
    ("duban.circulars.demo", "督查通报"),
    ("duban.proposals.demo", "人大建议、政协提案与公开信息"),
    ("duban.inspections.demo", "督查检查与现场取证"),
    ("duban.surveys.demo", "满意度测评"),
    ("duban.documents.demo", "公文与卷宗"),
]


class Command(BaseCommand):
    help = "Create the demo organisation, its people and its work; print the demo users."

    def add_arguments(self, parser):
        parser.add_argument("--no-items", action="store_true", help="people only, no items")

    def handle(self, *args, no_items=False, **options):
        org, people = create_demo_org()
        made = 0 if no_items else create_demo_items(org)
        self.stdout.write(f"演示组织：{org.name}（新建示例事项 {made} 件）")
        if not no_items:
            from duban.ledgers.demo import create_demo_plan

            plan = create_demo_plan(org)
            if plan is not None:
                self.stdout.write(f"示例整改方案：{plan.title}（54个问题、193条措施，整改率88.08%）")
            for module, label in FEATURE_SEEDS:
                made = import_module(module).seed_demo(org)
                self.stdout.write(f"示例{label}：{'已创建' if made else '已有，未重复创建'}")
        self.stdout.write(f"所有演示用户的密码均为：{DEMO_PASSWORD}")
        self.stdout.write(f"{'用户名':<20}{'姓名':<8}{'角色':<10}{'组织':<8}单位")
        for username, name, role, unit, org_name in people:
            self.stdout.write(f"{username:<23}{name:<10}{role:<12}{org_name:<10}{unit}")
