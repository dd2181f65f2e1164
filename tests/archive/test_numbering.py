"""Each numbered kind draws from its own gapless yearly series with the organisation's prefix, e.g.
督专〔2026〕7号 (issue 10, point 3; seed 001 art. 11: formal documents carry a number)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from duban.documents import selectors, services
from duban.documents.kinds import FormKind
from duban.documents.models import DocumentSeries, DocumentSettings, IssuedDocument
from duban.items.errors import InvalidInput, PermissionDenied
from duban.items.models import ChainHead, Event, Status
from duban.items.chain import verify_chain
from tests.factories import World, aware

pytestmark = pytest.mark.django_db


def special(world, item, **kw):
    fields = dict(title="关于内涝点整治情况的报告", body="现将情况报告如下。", signer="王主任", main_to="李市长", cc="市政府办公室")
    fields.update(kw)
    return services.issue_special_report(item.id, world.supervisor, **fields)


def test_special_reports_are_numbered_in_their_own_series_with_the_default_prefix(world):
    item = world.item_in(Status.IN_PROGRESS)
    numbers = [special(world, item, now=aware(2026, 6, 1)).number for _ in range(3)]
    assert numbers == ["督专〔2026〕1号", "督专〔2026〕2号", "督专〔2026〕3号"]


def test_the_organisation_sets_its_own_prefix(world):
    DocumentSettings.objects.create(org=world.org, prefixes={"special_report": "政督专"})
    item = world.item_in(Status.IN_PROGRESS)
    doc = special(world, item, now=aware(2026, 6, 1))
    assert doc.number == "政督专〔2026〕1号"


def test_each_kind_and_year_has_its_own_series(world):
    item = world.item_in(Status.IN_PROGRESS)
    special(world, item, now=aware(2026, 6, 1))
    notice = services.issue_rectification_notice(
        world.org, world.supervisor, unit=world.units["other"], title="关于台账不全的整改通知", body="台账缺失。",
        answer_deadline=dt.date(2026, 7, 1), item=item, now=aware(2026, 6, 2))
    assert notice.number == "督改〔2026〕1号"
    assert special(world, item, now=aware(2027, 1, 5)).number == "督专〔2027〕1号"


def test_a_refused_issue_takes_no_number(world):
    item = world.item_in(Status.IN_PROGRESS)
    with pytest.raises(InvalidInput):
        special(world, item, signer="")
    assert not DocumentSeries.objects.exists()
    assert special(world, item).seq == 1


def test_a_unit_cannot_issue_a_special_report(world):
    item = world.item_in(Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.issue_special_report(item.id, world.liaison["lead"], title="t", body="b", signer="s", main_to="m")


def test_special_report_form_carries_number_signer_date_main_to_and_cc(world):
    item = world.item_in(Status.IN_PROGRESS)
    doc = special(world, item, now=aware(2026, 6, 1))
    form, _ = selectors.form_for(world.supervisor, item.id, FormKind.SPECIAL_REPORT, doc.id)
    assert (form.number, form.signer, form.main_to, form.cc, form.date_line) == (
        doc.number, "王主任", "李市长", "市政府办公室", "2026年6月1日")
    assert selectors.form_for(world.liaison["lead"], item.id, FormKind.SPECIAL_REPORT, doc.id) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_reports_issued_at_the_same_moment_get_distinct_consecutive_numbers():
    """Numbering under concurrency, and the item's chain stays one line while they append events."""
    world = World("文号并发")
    item = world.item_in(Status.IN_PROGRESS)
    barrier = threading.Barrier(6)
    errors = []

    def issue():
        try:
            barrier.wait()
            special(world, item)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(IssuedDocument.objects.filter(org=world.org).values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    events = list(Event.objects.filter(item=item).order_by("id"))
    head = ChainHead.objects.get(item=item)
    assert verify_chain(item.id, events, head.hash, head.length) == []
