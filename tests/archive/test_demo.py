"""The demo's documents seed through the services and a second call adds nothing."""

import pytest

from duban.documents.demo import seed_demo
from duban.documents.models import IssuedDocument, Volume
from duban.items.models import Status

pytestmark = pytest.mark.django_db


def test_seed_demo_issues_documents_and_seals_archived_items_once(world):
    world.item_in(Status.IN_PROGRESS)
    archived = world.item_in(Status.ARCHIVED)
    first = seed_demo(world.org)
    assert first["special_reports"] == 1 and first["notices"] == 1 and first["volumes"] == 1
    assert Volume.objects.get(item=archived).chain_head
    assert seed_demo(world.org) == {"settings": 0, "special_reports": 0, "notices": 0, "volumes": 0}
    assert IssuedDocument.objects.count() == 2
