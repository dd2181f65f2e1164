import datetime as dt

from duban.circulars import services as csvc


def issue_circular(world, now, *, criticise=(), praise=(), facts="督办令下达后仍无明显进展"):
    """A monthly circular drafted, approved and issued on ``now``, naming units by key."""
    day = now.date()
    start = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    end = day.replace(day=1) - dt.timedelta(days=1)
    c = csvc.draft_circular(world.org, world.supervisor, kind="monthly", period_start=start, period_end=end, now=now)
    for key in criticise:
        csvc.add_mention(c.id, world.supervisor, unit=world.units[key], kind="criticism", facts=facts, now=now)
    for key in praise:
        csvc.add_mention(c.id, world.supervisor, unit=world.units[key], kind="praise", facts="提前完成任务", now=now)
    csvc.submit(c.id, world.supervisor, now=now)
    csvc.approve(c.id, world.principal, now=now)
    return csvc.issue(c.id, world.supervisor, now=now)
