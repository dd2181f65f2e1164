"""notify(): the inbox row for everyone, and each outside channel only as the person chose."""

import pytest
from django.core import mail

from duban.items.models import Status
from duban.notify.models import ChannelPreference, Delivery, Notification, UnitWebhook
from duban.notify.services import notify, set_preferences

from .conftest import T0


class BrokenSms:
    def send(self, phone, text):
        raise RuntimeError("短信网关无应答")


def channels_of(notes):
    return sorted(Delivery.objects.filter(notification__in=notes).values_list("channel", "target"))


def send(people, django_capture_on_commit_callbacks, **kw):
    kw = {"kind": "reminder", "title": "督查提醒：城区内涝点整治", "body": "请于10月15日前报送进展。", "now": T0, **kw}
    with django_capture_on_commit_callbacks(execute=True):
        return notify(people, **kw)


def test_everyone_gets_an_inbox_row_and_by_default_an_email(world, django_capture_on_commit_callbacks):
    liaison, head = world.liaison["lead"], world.head["lead"]
    liaison.email, head.email = "liaison@example.gov.cn", ""
    liaison.save(), head.save()
    item = world.item_in(Status.IN_PROGRESS)
    notes = send([liaison, head, liaison], django_capture_on_commit_callbacks, item=item)
    assert [n.recipient for n in notes] == [liaison, head]  # a person named twice hears it once
    assert Notification.objects.filter(item=item, read_at__isnull=True).count() == 2
    assert channels_of(notes) == [("email", "liaison@example.gov.cn")]  # the head has no address
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liaison@example.gov.cn"]
    assert message.subject == "【督办系统】督查提醒：城区内涝点整治"
    assert "请于10月15日前报送进展。" in message.body
    assert f"https://duban.example.gov.cn/items/{item.id}/" in message.body
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_each_person_gets_only_the_channels_they_chose(world, django_capture_on_commit_callbacks):
    quiet, loud, digest = world.liaison["lead"], world.head["lead"], world.supervisor
    for person, phone in ((quiet, "13800000001"), (loud, "13800000002"), (digest, "13800000003")):
        person.email, person.phone = f"{person.username}@example.gov.cn", phone
        person.save()
    set_preferences(quiet, email=False, sms=False, webhook=False, daily_digest=False)
    set_preferences(loud, email=True, sms=True, webhook=True, daily_digest=False)
    set_preferences(digest, email=True, sms=False, webhook=False, daily_digest=True)
    hook = UnitWebhook.objects.create(unit=world.units["lead"], kind="wecom", url="http://127.0.0.1:9/never")
    notes = notify([quiet, loud, digest], kind="reminder", title="提醒", body="正文", now=T0)
    assert Notification.objects.count() == 3  # the inbox is always on
    assert channels_of(notes) == [
        ("email", loud.email), ("sms", "13800000002"), ("wecom", f"webhook:{hook.pk}"),
    ]  # nothing for the quiet one; the digest reader waits for the morning email


def test_a_units_group_hears_a_message_once_and_a_disabled_robot_never(world):
    liaison, head = world.liaison["lead"], world.head["lead"]
    for person in (liaison, head):
        set_preferences(person, email=False, sms=False, webhook=True, daily_digest=False)
    on = UnitWebhook.objects.create(unit=world.units["lead"], kind="dingtalk", url="http://127.0.0.1:9/a")
    UnitWebhook.objects.create(unit=world.units["lead"], kind="feishu", url="http://127.0.0.1:9/b", enabled=False)
    notes = notify([liaison, head], kind="reminder", title="提醒", body="正文", now=T0)
    assert channels_of(notes) == [("dingtalk", f"webhook:{on.pk}")]


def test_inactive_people_get_no_outside_messages(world):
    liaison = world.liaison["lead"]
    liaison.email, liaison.is_active = "gone@example.gov.cn", False
    liaison.save()
    notes = notify([liaison], kind="reminder", title="提醒", body="正文", now=T0)
    assert len(notes) == 1 and channels_of(notes) == []


def test_one_notification_is_delivered_once_per_channel_and_target(world):
    from django.db import IntegrityError, transaction

    liaison = world.liaison["lead"]
    liaison.email = "l@example.gov.cn"
    liaison.save()
    note, = notify([liaison], kind="reminder", title="提醒", body="正文", now=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(notification=note, channel="email", target="l@example.gov.cn")


def test_a_failing_channel_never_raises_from_notify(world, settings, closed_port, django_capture_on_commit_callbacks):
    settings.DUBAN_SMS_PROVIDER = "tests.notify.test_notify.BrokenSms"
    liaison = world.liaison["lead"]
    liaison.phone = "13800000001"
    liaison.save()
    set_preferences(liaison, email=False, sms=True, webhook=True, daily_digest=False)
    UnitWebhook.objects.create(unit=world.units["lead"], kind="wecom", url=f"http://127.0.0.1:{closed_port}/send")
    notes = send([liaison], django_capture_on_commit_callbacks)
    assert len(notes) == 1 and Notification.objects.filter(recipient=liaison).exists()
    failures = dict(Delivery.objects.values_list("channel", "state"))
    assert failures == {"sms": Delivery.State.FAILED, "wecom": Delivery.State.FAILED}
    assert "短信网关无应答" in Delivery.objects.get(channel="sms").last_error


def test_the_ladders_action_names_are_understood_and_unknown_kinds_refused(world):
    a, = notify([world.liaison["lead"]], kind="remind", title="到期提醒", body="", now=T0)
    b, = notify([world.liaison["lead"]], kind="demand_explanation", title="情况说明", body="", now=T0)
    assert (a.kind, b.kind) == ("reminder", "explanation_due")
    with pytest.raises(ValueError):
        notify([world.liaison["lead"]], kind="remnder", title="x", body="", now=T0)
    assert notify([], kind="reminder", title="x", body="") == []


def test_preferences_default_to_email_only(world):
    assert not ChannelPreference.objects.exists()
    pref = ChannelPreference(user=world.liaison["lead"])
    assert (pref.email, pref.sms, pref.webhook, pref.daily_digest) == (True, False, False, False)


def test_the_ladder_reaches_the_inbox_even_when_every_channel_is_broken(world, settings, closed_port,
                                                                        django_capture_on_commit_callbacks):
    import datetime as dt

    from duban.urging import ladder

    settings.DUBAN_SMS_PROVIDER = "tests.notify.test_notify.BrokenSms"
    liaison = world.liaison["lead"]
    liaison.email, liaison.phone = "l@example.gov.cn", "13800000001"
    liaison.save()
    set_preferences(liaison, email=True, sms=True, webhook=True, daily_digest=False)
    UnitWebhook.objects.create(unit=world.units["lead"], kind="feishu", url=f"http://127.0.0.1:{closed_port}/hook")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    world.item_in(Status.IN_PROGRESS, now=T0 - dt.timedelta(days=40), deadline=dt.date(2026, 10, 12),
                  deadline_override_reason="测试")
    with django_capture_on_commit_callbacks(execute=True):
        assert ladder.sweep(now=T0) >= 1  # T+0: demand an explanation
    note = Notification.objects.get(recipient=liaison, kind=Notification.Kind.EXPLANATION_DUE)
    assert "情况说明" in note.body
    assert set(note.deliveries.values_list("channel", "state")) == {
        ("email", "failed"), ("sms", "failed"), ("feishu", "failed")}


def test_an_unreachable_queue_never_raises_from_notify_and_the_sweep_sends_later(
        world, monkeypatch, django_capture_on_commit_callbacks):
    from duban.notify import delivery

    def queue_down(ids):
        raise ConnectionError("Redis 不可达")

    monkeypatch.setattr("duban.notify.tasks.deliver_now", queue_down)
    liaison = world.liaison["lead"]
    liaison.email = "l@example.gov.cn"
    liaison.save()
    notes = send([liaison], django_capture_on_commit_callbacks)
    assert len(notes) == 1 and mail.outbox == []
    assert delivery.sweep(now=T0) == {Delivery.State.SENT: 1}
    assert mail.outbox[0].to == ["l@example.gov.cn"]
