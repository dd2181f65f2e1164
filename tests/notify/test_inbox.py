"""The inbox page, the unread badge and the channel-choice page, as a person uses them."""

import datetime as dt
import re

from django.template import Context, Template
from django.urls import reverse

from duban.items.models import Status
from duban.notify.models import ChannelPreference, Notification
from duban.notify.services import notify

from .conftest import T0


def html(response):
    return response.content.decode()


def checked(page):
    return set(re.findall(r'<input type="checkbox" name="(\w+)"[^>]* checked>', page))


def badge(user):
    return Template("{% load notify %}{% unread_notifications_count %}").render(Context({"user": user}))


def test_the_inbox_lists_newest_first_with_unread_in_bold(client, world):
    me = world.liaison["lead"]
    notify([me], kind="reminder", title="较早的提醒", body="第一条", now=T0)
    notify([me], kind="urge_notice", title="较新的催办单", body="第二条", now=T0 + dt.timedelta(hours=1))
    notify([world.liaison["co"]], kind="reminder", title="别人的消息", body="", now=T0)
    Notification.objects.filter(title="较早的提醒").update(read_at=T0)
    client.force_login(me)
    page = html(client.get(reverse("notify:inbox")))
    assert page.index("较新的催办单") < page.index("较早的提醒")
    assert "别人的消息" not in page
    assert "1 条未读" in page
    newer = page[page.index('data-notification="'):page.index("较新的催办单")]
    older = page[page.index("较新的催办单"):page.index("较早的提醒")]
    assert "fw-bold" in newer and "fw-bold" not in older[older.rindex("<form"):]


def test_marking_one_and_all_read_changes_the_badge(client, world):
    me = world.liaison["lead"]
    a, = notify([me], kind="reminder", title="甲", body="", now=T0)
    notify([me], kind="reminder", title="乙", body="", now=T0)
    notify([me], kind="reminder", title="丙", body="", now=T0)
    assert badge(me) == "3"
    client.force_login(me)
    r = client.post(reverse("notify:read", args=[a.id]), {"page": "1"})
    assert r.status_code == 302 and r.headers["Location"] == reverse("notify:inbox") + "?page=1"
    assert badge(me) == "2"
    page = html(client.post(reverse("notify:read_all"), follow=True))
    assert "已将 2 条消息标为已读" in page and badge(me) == "0"
    assert client.get(reverse("notify:read", args=[a.id])).status_code == 405  # only POST changes things


def test_nobody_can_read_or_open_another_persons_notification(client, world):
    theirs, = notify([world.liaison["co"]], kind="reminder", title="别人的", body="", now=T0)
    client.force_login(world.liaison["lead"])
    assert client.post(reverse("notify:read", args=[theirs.id])).status_code == 404
    assert client.post(reverse("notify:open", args=[theirs.id])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_clicking_a_notification_opens_its_item_and_marks_it_read(client, world):
    me = world.liaison["lead"]
    item = world.item_in(Status.IN_PROGRESS)
    note, = notify([me], kind="urge_notice", title="催办单", body="", item=item, now=T0)
    client.force_login(me)
    assert f'action="{reverse("notify:open", args=[note.id])}"' in html(client.get(reverse("notify:inbox")))
    r = client.post(reverse("notify:open", args=[note.id]))
    assert r.status_code == 302 and r.headers["Location"] == reverse("item_detail", args=[item.id])
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_an_outside_link_is_never_followed(client, world):
    me = world.liaison["lead"]
    note, = notify([me], kind="other", title="可疑链接", body="", url="https://evil.example.com/", now=T0)
    client.force_login(me)
    r = client.post(reverse("notify:open", args=[note.id]))
    assert r.headers["Location"] == reverse("notify:inbox")


def test_the_inbox_shows_fifty_a_page(client, world):
    me = world.liaison["lead"]
    for i in range(51):
        notify([me], kind="reminder", title=f"第{i:02d}条", body="", now=T0 + dt.timedelta(minutes=i))
    client.force_login(me)
    first = html(client.get(reverse("notify:inbox")))
    assert first.count('data-notification="') == 50 and "第50条" in first and "第00条" not in first
    second = html(client.get(reverse("notify:inbox") + "?page=2"))
    assert second.count('data-notification="') == 1 and "第00条" in second


def test_pages_need_login(client, world):
    for name in ("notify:inbox", "notify:preferences"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and "/login/" in r.headers["Location"]
    assert badge(None) == "0"


def test_choosing_channels(client, world):
    me = world.liaison["lead"]
    client.force_login(me)
    page = html(client.get(reverse("notify:preferences")))
    assert "单位群机器人" in page and "每日汇总" in page and "未登记，邮件和每日汇总不会发送" in page
    assert checked(page) == {"email"}  # the default
    page = html(client.post(reverse("notify:preferences"), {"sms": "on", "daily_digest": "on"}, follow=True))
    assert "通知方式已保存" in page
    pref = ChannelPreference.objects.get(user=me)
    assert (pref.email, pref.sms, pref.webhook, pref.daily_digest) == (False, True, False, True)
    assert checked(html(client.get(reverse("notify:preferences")))) == {"sms", "daily_digest"}
