"""A new organisation gets the seeds' ladder, and the migration's copy equals the presets."""

from duban.accountability.models import SanctionRule
from duban.accountability.presets import PRESETS, install_sanction_presets

from ..factories import OrganizationFactory


def test_a_new_organisation_gets_001_art_16s_ladder(db):
    org = OrganizationFactory()
    rules = [(r.ordinal, r.or_more, r.measure, r.creates_item) for r in SanctionRule.objects.filter(org=org)]
    assert rules == [(1, False, "written_self_examination", True), (2, False, "admonitory_talk", False),
                     (2, False, "no_awards", False), (3, True, "organisational_handling", False)]


def test_switching_to_000s_ladder_switches_off_001s(db):
    org = OrganizationFactory()
    assert install_sanction_presets(org, "000", replace=True) == 2
    active = [(r.ordinal, r.or_more, r.measure) for r in SanctionRule.objects.filter(org=org, is_active=True)]
    assert active == [(1, False, "written_self_examination"), (2, True, "admonitory_talk")]
    assert install_sanction_presets(org, "000") == 0  # idempotent


def test_the_migration_installs_the_same_ladder_as_the_presets():
    import importlib

    mig = importlib.import_module("duban.accountability.migrations.0002_install_presets")
    assert [tuple(row) for row in mig.LADDER] == [tuple(row) for row in PRESETS["001"]]
