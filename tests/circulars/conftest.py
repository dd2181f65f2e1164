import datetime as dt

import pytest

from duban.circulars import services
from duban.circulars.models import Mention
from tests.counting.period import END, START, build_october
from tests.factories import aware

from ..api.conftest import anonymous, as_user  # noqa: F401  (fixtures: JSON API clients)

DRAFTED = aware(2026, 11, 5, 9)


@pytest.fixture
def october(world, other_world):
    return build_october(world, other_world)


@pytest.fixture
def draft(world, october):
    return services.draft_circular(world.org, world.supervisor, kind="monthly", period_start=START, period_end=END,
                                   now=DRAFTED)


def issue_one(world, circular, *, criticise="other", praise=None, now=None):
    """Carry a draft through the procedure: name units, submit, approve, issue."""
    if criticise:
        services.add_mention(circular.id, world.supervisor, unit=world.units[criticise], kind=Mention.Kind.CRITICISM,
                             facts="收到督办令后工作仍无明显进展。")
    if praise:
        services.add_mention(circular.id, world.supervisor, unit=world.units[praise], kind=Mention.Kind.PRAISE,
                             facts="本期交办事项全部按时办结。")
    services.submit(circular.id, world.supervisor, now=now)
    services.approve(circular.id, world.principal, now=now)
    return services.issue(circular.id, world.office_head, now=now or aware(2026, 11, 6, 10))


def monthly(world, month=10, year=2026):
    start = dt.date(year, month, 1)
    end = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    return services.draft_circular(world.org, world.supervisor, kind="monthly", period_start=start, period_end=end,
                                   now=aware(2026, 11, 5))
