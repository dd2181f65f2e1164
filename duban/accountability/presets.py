"""The ladders of the seeds, as presets. A new organisation gets 001's (receivers.py); 000's is one
call away (``install_sanction_presets(org, "000")`` or ``manage.py install_sanction_presets``)."""

from .models import Measure, SanctionRule

M = Measure

# preset set → (key, ordinal, or_more, measure, requirement, creates_item, working days, citation)
PRESETS = {
    "001": [
        ("001-1", 1, False, M.WRITTEN_SELF_EXAMINATION, "一年内受到通报批评一次，由责任单位向党工委、管委会作出书面检查",
         True, 5, "001 第十六条（二）"),
        ("001-2-talk", 2, False, M.ADMONITORY_TALK, "一年内受到通报批评两次，由党工委、管委会主要领导约谈单位主要负责人",
         False, 5, "001 第十六条（二）"),
        ("001-2-awards", 2, False, M.NO_AWARDS, "一年内受到通报批评两次，取消该单位年度的评先树优资格",
         False, 5, "001 第十六条（二）"),
        ("001-3", 3, True, M.ORGANISATIONAL_HANDLING,
         "一年内受到通报批评三次及以上，由督查室提出问责建议，经主要领导审定后依规问责并进行组织处理",
         False, 5, "001 第十六条（三）"),
    ],
    "000": [
        ("000-1", 1, False, M.WRITTEN_SELF_EXAMINATION, "对不落实或在规定期限内仍不能完成任务的，通报批评，责令作出书面检查",
         True, 5, "000 第六条"),
        ("000-2", 2, True, M.ADMONITORY_TALK, "年度内被通报批评两次的，由党组对单位主要负责人进行约谈",
         False, 5, "000 第六条"),
    ],
}
DEFAULT = "001"


def install_sanction_presets(org, preset_set: str = DEFAULT, *, replace: bool = False) -> int:
    """Give ``org`` a preset ladder. Idempotent: rules already installed (even edited or switched
    off) are left alone. ``replace`` switches off the organisation's other preset rules first (for
    an organisation moving from 001's ladder to 000's)."""
    rows = PRESETS[preset_set]
    if replace:
        keys = [r[0] for r in rows]
        SanctionRule.objects.filter(org=org).exclude(preset="").exclude(preset__in=keys).update(is_active=False)
    have = set(SanctionRule.objects.filter(org=org).exclude(preset="").values_list("preset", flat=True))
    new = [
        SanctionRule(org=org, preset=key, ordinal=ordinal, or_more=or_more, measure=measure, requirement=req,
                     creates_item=creates_item, deadline_working_days=days, citation=citation)
        for key, ordinal, or_more, measure, req, creates_item, days, citation in rows if key not in have
    ]
    SanctionRule.objects.bulk_create(new)
    return len(new)
