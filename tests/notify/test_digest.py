"""The daily digest: one morning email of the last day's unread notifications, once a day."""

import datetime as dt

from django.core import mail
from huey.contrib.djhuey import HUEY

from duban.notify import tasks
from duban.notify.delivery import send_digests
from duban.notify.models import Delivery, Notification
from duban.notify.services import notify, set_preferences

from ..factories import aware

MORNING = aware(2026, 10, 13, 8)


def digest_reader(person, email="reader@example.gov.cn"):
    person.email = email
    person.save()
    set_preferences(person, email=True, sms=False, webhook=False, daily_digest=True)
    return person


def test_a_digest_reader_gets_one_email_of_yesterdays_unread(world, django_capture_on_commit_callbacks):
    reader = digest_reader(world.liaison["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        notify([reader], kind="reminder", title="两天前的提醒", body="", now=MORNING - dt.timedelta(hours=30))
        notify([reader], kind="urge_notice", title="昨天的催办单", body="请抓紧办理。", now=MORNING - dt.timedelta(hours=10))
        read, = notify([reader], kind="reminder", title="已读的提醒", body="", now=MORNING - dt.timedelta(hours=5))
        notify([reader], kind="supervision_order", title="今早的督办令", body="", now=MORNING - dt.timedelta(minutes=1))
    Notification.objects.filter(pk=read.pk).update(read_at=MORNING)
    assert mail.outbox == [] and not Delivery.objects.exists()  # nothing went out one by one
    assert send_digests(now=MORNING) == 1
    message, = mail.outbox
    assert message.to == ["reader@example.gov.cn"]
    assert message.subject == "【督办系统】10月13日消息汇总（2条未读）"
    assert message.body.index("今早的督办令") < message.body.index("昨天的催办单")
    assert "请抓紧办理。" in message.body
    assert "两天前的提醒" not in message.body and "已读的提醒" not in message.body
    assert "https://duban.example.gov.cn/notifications/" in message.body


def test_the_digest_goes_out_once_a_day_however_often_it_runs(world):
    reader = digest_reader(world.liaison["lead"])
    notify([reader], kind="reminder", title="首日提醒", body="", now=MORNING - dt.timedelta(hours=2))
    assert send_digests(now=MORNING) == 1
    assert send_digests(now=MORNING + dt.timedelta(hours=1)) == 0
    notify([reader], kind="reminder", title="次日提醒", body="", now=MORNING + dt.timedelta(hours=20))
    assert send_digests(now=MORNING + dt.timedelta(days=1)) == 1
    assert [m.subject for m in mail.outbox] == [
        "【督办系统】10月13日消息汇总（1条未读）", "【督办系统】10月14日消息汇总（1条未读）"]
    assert "次日提醒" in mail.outbox[1].body and "首日提醒" not in mail.outbox[1].body


def test_a_second_scheduler_running_at_the_same_time_sends_nobody_a_second_digest(world, monkeypatch):
    """Two consumers both scheduling the digest: each reader is claimed by one run only."""
    from duban.notify import channels

    readers = [digest_reader(world.liaison["lead"], "a@example.gov.cn"),
               digest_reader(world.head["lead"], "b@example.gov.cn")]
    notify(readers, kind="reminder", title="提醒", body="", now=MORNING - dt.timedelta(hours=2))
    real_send, nested = channels.send_email, []

    def send_and_let_another_run_start(*args):
        real_send(*args)
        if not nested:  # while the first run is busy, a second one runs to completion
            nested.append(None)
            nested[0] = send_digests(now=MORNING)

    monkeypatch.setattr(channels, "send_email", send_and_let_another_run_start)
    first = send_digests(now=MORNING)
    assert (first, nested) == (1, [1])
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.gov.cn", "b@example.gov.cn"]


def test_no_digest_without_unread_messages_a_digest_choice_or_an_address(world):
    digest_reader(world.liaison["lead"])
    nothing_new = world.liaison["lead"]
    no_address = digest_reader(world.head["lead"], email="")
    ordinary = world.supervisor
    for person in (no_address, ordinary):
        notify([person], kind="reminder", title="提醒", body="", now=MORNING - dt.timedelta(hours=2))
    assert Notification.objects.filter(recipient=nothing_new).count() == 0
    assert send_digests(now=MORNING) == 0 and mail.outbox == []


def test_a_failed_digest_is_tried_again_that_morning(world, settings):
    reader = digest_reader(world.liaison["lead"])
    notify([reader], kind="reminder", title="提醒", body="", now=MORNING - dt.timedelta(hours=2))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on loopback port 9
    assert send_digests(now=MORNING) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests(now=MORNING + dt.timedelta(hours=1)) == 1 and len(mail.outbox) == 1


def test_the_digest_runs_at_eight_in_the_morning_beijing_time():
    """Huey keeps its clock in UTC; 08:00 in Asia/Shanghai is 00:00 UTC."""
    assert tasks.huey_hours([8, 9, 10, 11], "Asia/Shanghai") == "0,1,2,3"

    def runs_at(utc):
        return "send_daily_digest" in {t.name for t in HUEY.read_periodic(utc)}

    assert [h for h in range(24) if runs_at(dt.datetime(2026, 10, 13, h, 0))] == [0, 1, 2, 3]
    assert not runs_at(dt.datetime(2026, 10, 13, 0, 1))
    assert "sweep_deliveries" in {t.name for t in HUEY.read_periodic(dt.datetime(2026, 10, 13, 5, 17))}
