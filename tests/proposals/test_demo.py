"""The demo's suggestions are made through the services and cover every state (001 art. 10)."""

from duban.demo.seed import create_demo_org
from duban.portal.selectors import published
from duban.proposals.demo import seed_demo
from duban.proposals.models import Proposal, ProposalState


def test_the_demo_has_suggestions_in_every_state_and_runs_once(world):
    org, _ = create_demo_org()
    made = seed_demo(org)
    assert len(made) == 7
    states = set(Proposal.objects.values_list("state", flat=True))
    assert states == set(ProposalState.values)
    assert Proposal.objects.filter(round=2).count() == 1
    entry = published(with_opinions=True).get()
    assert entry.kind == "answer" and len(entry.approved_opinions) == 1
    assert seed_demo(org) == []
