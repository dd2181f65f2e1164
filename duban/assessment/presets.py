"""The preset scoring scheme. The seeds say what is scored, not how many points: 001 art. 16(4)
(久拖不改、落实不力的在年度目标责任考核中扣减一定分值), 002 art. 16 (落实的时效、质量和效果), 002
art. 17 (通报表彰 / 通报批评), 000 art. 4(6) (满意度评价) and art. 6 (适当提高赋分权重). The values
below are a starting point each organisation edits in the admin."""

from decimal import Decimal

from .models import Scheme, SchemeRule

D = Decimal

# (kind, points per event, cap per unit and period or None, citation)
PRESETS = [
    ("overdue", D("-2"), D("20"), "001 第十六条（四）：久拖不改、落实不力的扣减一定分值"),
    ("urge_notice", D("-1"), None, "000 第四条第4项：发出《督查催办单》"),
    ("supervision_order", D("-3"), None, "001 第十六条（二）：下达督办令"),
    ("return_for_rework", D("-1"), None, "002 第十六条：落实的质量"),
    ("missed_report", D("-1"), None, "000 第四条第2项：每半年报告一次；002 第十七条：反馈不及时"),
    ("criticism", D("-5"), None, "002 第十七条：通报批评；001 第十六条（二）"),
    ("sanction", D("-3"), None, "001 第十六条（四）：结果运用"),
    ("praise", D("3"), None, "002 第十七条：通报表彰"),
    ("closed_early", D("0.5"), D("5"), "002 第十六条：落实的时效"),
    ("satisfied", D("1"), None, "000 第四条第6项：满意度评价"),
    ("basically_satisfied", D("0"), None, "000 第四条第6项：满意度评价"),
    ("dissatisfied", D("-2"), None, "000 第四条第6项：满意度评价"),
]


def install_scheme_presets(org) -> int:
    """Idempotent: rules already there (edited or not) are left alone."""
    Scheme.objects.get_or_create(org=org, defaults={"citation": "001 第十五条、第十六条；002 第十六条、第十七条"})
    have = set(SchemeRule.objects.filter(org=org).values_list("kind", flat=True))
    new = [SchemeRule(org=org, kind=k, points=p, cap=c, citation=cit, preset=k)
           for k, p, c, cit in PRESETS if k not in have]
    SchemeRule.objects.bulk_create(new)
    return len(new)
