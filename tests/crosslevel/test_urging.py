"""The upper office's urging reaches the district office: reminders, 催办单 and 督办令 of the
ladder and the one-click urge land in its inbox, because the district office is the unit's liaison
and head (一级抓一级, seed 001 art. 3; 000 art. 4(4); 001 art. 16(2))."""

import datetime as dt

from django.urls import reverse

from duban.items.models import Report, Status
from duban.notify.models import Notification
from duban.urging import ladder, periodic
from duban.urging.services import urge_many

from ..factories import aware
from .conftest import login

S = Status
D = dt.date.fromisoformat


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def test_the_ladder_tells_the_district_office_and_nobody_else_below(levels, client):
    upper = levels.send_down(S.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"),
                             deadline_override_reason="市政府常务会议要求")
    assert ladder.sweep(now=aware(2026, 10, 15, 9)) == 3  # T−1, T+0, T+3 (a 催办单)
    # T−1 tells liaison and head, T+0 the liaison, T+3 liaison and head: the district supervisor is
    # the liaison, its office head both.
    assert inbox(levels.dc_supervisor) == ["reminder", "explanation_due", "urge_notice"]
    assert inbox(levels.dc_office_head) == ["reminder", "explanation_due", "urge_notice"]
    d = levels.district
    for nobody in (d.leader, d.principal, d.liaison["lead"], d.head["lead"], levels.city.liaison["lead"]):
        assert inbox(nobody) == []
    assert "urge_notice" in inbox(levels.city.supervisor)  # the drafter hears of the 催办单

    notice = upper.notices.get()
    assert notice.unit == levels.link and notice.number == "催〔2026〕1号"
    assert list(ladder.notices_visible_to(levels.dc_supervisor)) == [notice]
    assert list(ladder.open_notices(ladder.notices_visible_to(levels.dc_office_head))) == [notice]
    assert not ladder.notices_visible_to(d.liaison["lead"]).exists()
    page = login(client, levels.dc_office_head).get(reverse("notice_list")).content.decode()
    assert notice.number in page and upper.title in page
    page = client.get(reverse("notify:inbox")).content.decode()
    assert "催办单" in page and upper.title in page

    # The district answers with a report, like any unit: the notice is answered.
    levels.file_upward(upper, Report.Kind.EXPLANATION, body="已说明超期原因。", now=aware(2026, 10, 16))
    assert not ladder.open_notices(ladder.notices_visible_to(levels.dc_office_head)).exists()


def test_one_click_urge_reaches_the_district_office(levels):
    upper = levels.send_down(S.IN_PROGRESS)
    other = levels.city.item_in(S.IN_PROGRESS)
    sent, refusals = urge_many([upper.id, other.id], levels.city.supervisor, message="请抓紧报送整改进展。")
    assert (sent, refusals) == (2, [])
    assert inbox(levels.dc_supervisor) == ["reminder"] and inbox(levels.dc_office_head) == ["reminder"]
    assert Notification.objects.get(recipient=levels.dc_supervisor).item == upper
    # The district office does not urge the city: it is a unit there.
    sent, refusals = urge_many([upper.id], levels.dc_office_head)
    assert sent == 0 and "无权" in refusals[0]


def test_periodic_reports_are_owed_by_the_district_office(levels):
    """001 art. 12: 续报直至完成 — the reminder goes to whoever answers for the unit."""
    levels.send_down(S.IN_PROGRESS, now=aware(2026, 10, 1), report_cycle="monthly")
    periodic.sweep_obligations(now=aware(2026, 10, 29, 9))  # due Mon 11-02
    assert inbox(levels.dc_supervisor) == ["report_due"]
    assert inbox(levels.district.liaison["lead"]) == []
