"""The demo's inspections and survey are made through the services and run without error."""

from duban.inspections.demo import seed_demo as seed_inspections
from duban.inspections.models import Inspection
from duban.surveys.demo import seed_demo as seed_surveys


def test_demo_seeds_an_issued_joint_inspection_an_unannounced_one_and_a_survey(world):
    made = seed_inspections(world.org)
    assert [i.status for i in made] == [Inspection.Status.ISSUED, Inspection.Status.PLANNED]
    assert made[0].findings.get(outcome="rectify").rectification_item is not None
    assert seed_inspections(world.org) == []
    s = seed_surveys(world.org)
    assert s.links.filter(used_at__isnull=False).count() == 4
