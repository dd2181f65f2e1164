"""Admins see failed deliveries, retry them, and test a unit's robot."""

import pytest
from django.urls import reverse

from duban.notify.delivery import deliver
from duban.notify.models import Delivery, UnitWebhook
from duban.notify.services import notify, set_preferences

from ..factories import UserFactory
from .conftest import T0


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(unit=world.office, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def robot_delivery(world, robot_server):
    """A WeCom post that failed once (the robot answered with an error code)."""
    person = world.liaison["lead"]
    set_preferences(person, email=False, sms=False, webhook=True, daily_digest=False)
    UnitWebhook.objects.create(unit=world.units["lead"], kind="wecom", url=robot_server.url("/send?key=k"))
    robot_server.reply = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    note, = notify([person], kind="urge_notice", title="催办单：城区内涝点整治", body="正文", now=T0)
    d = note.deliveries.get()
    deliver(d.pk, now=T0)
    return d


def test_failed_deliveries_are_listed_and_filtered_by_state(admin_client, robot_delivery):
    url = reverse("admin:notify_delivery_changelist")
    page = admin_client.get(url, {"state__exact": "failed"}).content.decode()
    assert "催办单：城区内涝点整治" in page and "错误码 93000" in page
    page = admin_client.get(url, {"state__exact": "sent"}).content.decode()
    assert "催办单：城区内涝点整治" not in page


def test_retry_now_sends_a_failed_delivery_at_once(admin_client, robot_delivery, robot_server,
                                                   django_capture_on_commit_callbacks):
    robot_server.reply = (200, {"errcode": 0, "errmsg": "ok"})
    with django_capture_on_commit_callbacks(execute=True):
        r = admin_client.post(reverse("admin:notify_delivery_changelist"),
                              {"action": "retry_now", "_selected_action": [robot_delivery.pk]}, follow=True)
    assert "已安排 1 条立即重试" in r.content.decode()
    robot_delivery.refresh_from_db()
    assert (robot_delivery.state, robot_delivery.attempts) == (Delivery.State.SENT, 2)
    assert len(robot_server.requests) == 2


def test_an_admin_can_send_a_test_message_to_a_robot(admin_client, world, robot_server):
    hook = UnitWebhook.objects.create(unit=world.units["co"], kind="dingtalk", url=robot_server.url("/robot/send"))
    r = admin_client.post(reverse("admin:notify_unitwebhook_changelist"),
                          {"action": "send_test", "_selected_action": [hook.pk]}, follow=True)
    assert "发送成功" in r.content.decode()
    assert robot_server.requests[0]["json"]["markdown"]["title"] == "督办系统测试消息"
    robot_server.reply = (200, {"errcode": 310000, "errmsg": "keywords not in content"})
    r = admin_client.post(reverse("admin:notify_unitwebhook_changelist"),
                          {"action": "send_test", "_selected_action": [hook.pk]}, follow=True)
    assert "发送失败" in r.content.decode() and "310000" in r.content.decode()
