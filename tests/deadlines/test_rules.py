"""Deadline rules: which one applies to an item, the presets from the seeds, and what they give."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from duban.deadlines import services
from duban.deadlines.calendar import DeadlineResult
from duban.deadlines.models import DeadlineRule, PeriodUnit

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def make_rule(org, name, item_kind="", urgency="", priority=100, is_active=True, amount=10):
    return DeadlineRule.objects.create(
        org=org, name=name, item_kind=item_kind, urgency=urgency, amount=amount,
        period_unit=PeriodUnit.CALENDAR_DAYS, priority=priority, is_active=is_active,
    )


@pytest.fixture
def rules(org):
    """One rule at every level of specificity."""
    make_rule(org, "any")
    make_rule(org, "urgent", urgency="urgent")
    make_rule(org, "instruction", item_kind="instruction")
    make_rule(org, "urgent instruction", item_kind="instruction", urgency="urgent")
    return org


@pytest.mark.parametrize(
    "item_kind, urgency, expected",
    [
        ("instruction", "urgent", "urgent instruction"),  # kind and urgency
        ("instruction", "normal", "instruction"),  # kind beats urgency
        ("petition", "urgent", "urgent"),  # urgency beats the catch-all
        ("petition", "normal", "any"),
        ("", "", "any"),
    ],
)
def test_the_most_specific_active_rule_applies(rules, item_kind, urgency, expected):
    assert services.find_rule(rules, item_kind, urgency).name == expected


def test_inactive_rules_and_other_organisations_rules_do_not_apply(org, other_org):
    make_rule(org, "off", item_kind="instruction", is_active=False)
    make_rule(other_org, "theirs", item_kind="instruction")
    assert services.find_rule(org, "instruction", "normal") is None
    make_rule(org, "ours", urgency="normal")
    assert services.find_rule(org, "instruction", "normal").name == "ours"


def test_among_equally_specific_rules_the_lowest_priority_number_wins(org):
    make_rule(org, "later", urgency="urgent", priority=50)
    make_rule(org, "first", urgency="urgent", priority=10)
    make_rule(org, "oldest of the ties", urgency="urgent", priority=50)
    assert services.find_rule(org, "other", "urgent").name == "first"


@pytest.mark.parametrize(
    "item_kind, urgency, start, rule_citation, deadline",
    [
        # Leader instructions: 5 working days (seed 001 art. 9), even when marked urgent or important.
        ("instruction", "normal", "2026-02-13", "001 第九条", "2026-02-27"),
        ("instruction", "urgent", "2026-02-13", "001 第九条", "2026-02-27"),
        ("instruction", "important", "2026-02-13", "001 第九条", "2026-02-27"),
        # Suggestions and proposals: 3 months (seed 001 art. 10), before any urgency rule.
        ("deputy_suggestion", "urgent", "2026-07-05", "001 第十条", "2026-10-08"),
        ("cppcc_proposal", "normal", "2026-03-31", "001 第十条", "2026-06-30"),
        # Urgent items: 5 days (seed 000 art. 5(3)); 02-14 is a makeup Saturday.
        ("meeting_decision", "urgent", "2026-02-09", "000 第五条第3项（一般紧急事项应在3至5天内办结）", "2026-02-14"),
        # Important items: 15 working days (seed 002 art. 7(2)).
        ("policy_document", "important", "2026-09-18", "002 第七条第（二）项", "2026-10-15"),
        # Ordinary items: 15 days (seed 000 art. 5(3)); 02-20 falls in the Spring Festival.
        ("other", "normal", "2026-02-05", "000 第五条第3项", "2026-02-24"),
    ],
)
def test_presets_propose_the_seed_time_limits(org, item_kind, urgency, start, rule_citation, deadline):
    services.install_presets(org)
    result, rule = services.propose_deadline(org, item_kind, urgency, D(start))
    assert rule.citation == rule_citation
    assert result == DeadlineResult(D(deadline), provisional=False)


def test_suggestions_may_be_extended_to_six_months_at_most(org):
    """Seed 001 art. 10: answered within 3 months, in complex cases no later than 6 months."""
    services.install_presets(org)
    rule = services.find_rule(org, "deputy_suggestion", "normal")
    assert services.compute_latest_deadline(rule, D("2026-03-31")).date == D("2026-09-30")
    assert services.compute_latest_deadline(services.find_rule(org, "instruction", "normal"), D("2026-03-31")) is None


def test_installing_presets_twice_changes_nothing(org):
    created = services.install_presets(org)
    assert len(created) == 6
    assert services.install_presets(org) == []
    assert DeadlineRule.objects.filter(org=org).count() == 6


def test_installing_presets_keeps_an_admins_changes(org):
    """An organisation that gives instructions 3 working days keeps that after presets are re-installed."""
    services.install_presets(org)
    rule = DeadlineRule.objects.get(org=org, preset="instruction")
    rule.amount = 3
    rule.save()
    DeadlineRule.objects.filter(org=org, preset="urgent").update(is_active=False)
    services.install_presets(org)
    assert DeadlineRule.objects.get(org=org, preset="instruction").amount == 3
    assert services.find_rule(org, "other", "urgent") is None


def test_presets_are_per_organisation(org, other_org):
    services.install_presets(org)
    services.install_presets(other_org)
    assert DeadlineRule.objects.filter(org=other_org).count() == 6
    assert services.find_rule(other_org, "instruction", "normal").org == other_org


def test_no_rule_no_proposal(org):
    assert services.propose_deadline(org, "instruction", "normal", D("2026-03-02")) == (None, None)


def test_proposals_reaching_into_2027_are_provisional(org):
    services.install_presets(org)
    result, _rule = services.propose_deadline(org, "instruction", "normal", D("2026-12-28"))
    assert result == DeadlineResult(D("2027-01-04"), provisional=True, provisional_years=(2027,))


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount": 3, "max_total_amount": 2}, "max_total_amount", "不能短于时限"),
        ({"amount": 121, "period_unit": PeriodUnit.MONTHS}, "amount", "不能超过120个月"),
        ({"amount": 0}, "amount", ""),
    ],
)
def test_rule_validation_refuses_impossible_periods(org, fields, field, message):
    rule = DeadlineRule(org=org, name="规则", **{"amount": 5, "period_unit": PeriodUnit.WORKING_DAYS, **fields})
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert field in error.value.message_dict
    assert any(message in m for m in error.value.message_dict[field])


def test_rule_codes_match_the_items_app():
    """Rules name item kinds and urgencies by the items app's codes (kept in two places on purpose)."""
    from duban.deadlines.models import ITEM_KIND_CHOICES, URGENCY_CHOICES
    from duban.items.models import ItemKind, Urgency

    assert ITEM_KIND_CHOICES == list(ItemKind.choices)
    assert URGENCY_CHOICES == list(Urgency.choices)
