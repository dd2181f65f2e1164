from duban.proposals import services as ps
from duban.proposals.models import ProposalState, Rating
from duban.items.models import Status


def test_smoke(journey):
    p, a, token = journey.answered()
    assert p.state == ProposalState.AWAITING_RATING
    from tests.proposals.conftest import NOW
    import datetime as dt
    ps.rate_by_link(token, value=Rating.Value.UNSATISFIED, comment="没解决", now=NOW + dt.timedelta(days=40))
    p.refresh_from_db()
    assert p.round == 2 and p.state == ProposalState.HANDLING
    assert p.item.status == Status.IN_PROGRESS
