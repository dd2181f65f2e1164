"""The demo: a published mid-year assessment and the ladder's sanctions, made through the services."""

from duban.accountability.models import Sanction
from duban.assessment.demo import seed_demo
from duban.assessment.models import Assessment
from duban.demo.seed import create_demo_org

from ..factories import aware


def test_the_demo_publishes_a_mid_year_assessment_with_sanctions_behind_it(db):
    org, _ = create_demo_org()
    a = seed_demo(org, now=aware(2026, 11, 20))
    assert a.status == Assessment.Status.PUBLISHED and a.kind == "mid_year"
    kinds = set(a.lines.values_list("kind", flat=True))
    assert {"overdue", "urge_notice", "supervision_order", "return_for_rework", "criticism", "praise", "sanction",
            "closed_early", "satisfied", "dissatisfied", "adjustment"} <= kinds
    assert sorted(Sanction.objects.filter(org=org).values_list("unit__short_name", "measure")) == [
        ("交通局", "admonitory_talk"), ("交通局", "no_awards"), ("交通局", "written_self_examination"),
        ("卫健委", "written_self_examination")]
    assert a.scores.get(rank=1).unit_name == "市教育局"  # praised, closed early, rated 满意
    assert a.scores.get(unit__short_name="生态环境局").adjustment == 2
    assert seed_demo(org, now=aware(2026, 11, 20)) is None  # idempotent
