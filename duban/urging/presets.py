"""The escalation ladder's presets, from the seeds. Each organisation edits its own in the admin."""

from .models import LadderStep, UrgingPolicy

A = LadderStep.Action

# (preset key, name, urgency, offset in working days, action, recipients, citation)
PRESETS = [
    ("t-3", "到期前3个工作日提醒", "", -3, A.REMIND, ["liaison"], "000 第四条第4项：在办理时限内口头提醒催办"),
    ("t-1", "到期前1个工作日提醒", "", -1, A.REMIND, ["liaison", "unit_head"], "000 第四条第4项"),
    ("t0", "到期当日：逾期须报送情况说明", "", 0, A.DEMAND_EXPLANATION, ["liaison", "supervisor"],
     "000 第四条第4项：在规定时限未办结的，承办部门需书面报告情况、说明原因"),
    ("t+3", "超期3个工作日：发出催办单", "", 3, A.URGE_NOTICE, ["liaison", "unit_head", "supervisor"],
     "000 第四条第4项：发出《督查催办单》；004 催办通知书"),
    ("t+10", "超期10个工作日：下达督办令", "", 10, A.SUPERVISION_ORDER, ["liaison", "unit_head", "supervisor", "leader"],
     "001 第十六条（二）：下达督办令后仍无明显进展的，通报批评"),
    # Urgent items: "紧急事项，及时催办" (000 art. 4(4)) — the same rungs, compressed.
    ("u-1", "紧急事项到期前1个工作日提醒", "urgent", -1, A.REMIND, ["liaison", "unit_head"], "000 第四条第4项：紧急事项，及时催办"),
    ("u0", "紧急事项到期当日：逾期须报送情况说明", "urgent", 0, A.DEMAND_EXPLANATION, ["liaison", "supervisor"], "000 第四条第4项"),
    ("u+1", "紧急事项超期1个工作日：发出催办单", "urgent", 1, A.URGE_NOTICE, ["liaison", "unit_head", "supervisor"], "000 第四条第4项"),
    ("u+3", "紧急事项超期3个工作日：下达督办令", "urgent", 3, A.SUPERVISION_ORDER,
     ["liaison", "unit_head", "supervisor", "leader"], "001 第十六条（二）"),
]


def install_ladder_presets(org) -> int:
    """Idempotent: a preset already installed (even if edited or switched off) is left alone."""
    UrgingPolicy.objects.get_or_create(org=org)
    have = set(LadderStep.objects.filter(org=org).exclude(preset="").values_list("preset", flat=True))
    new = [
        LadderStep(org=org, preset=key, name=name, urgency=urgency, offset_working_days=offset, action=action,
                   recipients=recipients, citation=citation)
        for key, name, urgency, offset, action, recipients, citation in PRESETS if key not in have
    ]
    LadderStep.objects.bulk_create(new)
    return len(new)
