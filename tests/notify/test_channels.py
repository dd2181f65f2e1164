"""Group robots against a local server on 127.0.0.1: each platform's JSON, its signature, and its
way of saying no. Email and SMS through Django's outbox and the logging provider."""

import base64
import hashlib
import hmac
import logging
import time

import pytest
from django.core import mail

from duban.notify import channels
from duban.notify.delivery import deliver
from duban.notify.models import Delivery, UnitWebhook
from duban.notify.services import notify, set_preferences

from .conftest import T0


@pytest.fixture
def listener(world):
    """The lead unit's liaison, who chose the group robot only."""
    person = world.liaison["lead"]
    set_preferences(person, email=False, sms=False, webhook=True, daily_digest=False)
    return person


def post_through(world, person, kind, url, secret="", **kw):
    UnitWebhook.objects.create(unit=world.units["lead"], kind=kind, url=url, secret=secret)
    note, = notify([person], kind="urge_notice", title="催办单：城区内涝点整治", body="请于3日内报告进展。", now=T0, **kw)
    d = note.deliveries.get()
    return deliver(d.pk), d


def test_wecom_gets_markdown(world, listener, robot_server):
    state, _ = post_through(world, listener, "wecom", robot_server.url("/cgi-bin/webhook/send?key=k1"))
    assert state == Delivery.State.SENT
    req, = robot_server.requests
    assert req["path"] == "/cgi-bin/webhook/send" and req["query"] == {"key": ["k1"]}
    assert req["content_type"].startswith("application/json")
    assert req["json"]["msgtype"] == "markdown"
    assert req["json"]["markdown"]["content"].startswith("**催办单：城区内涝点整治**\n请于3日内报告进展。")


def test_dingtalk_gets_markdown_and_a_valid_signature(world, listener, robot_server):
    before = int(time.time() * 1000)
    state, _ = post_through(world, listener, "dingtalk", robot_server.url("/robot/send?access_token=t1"),
                            secret="SEC-ding")
    assert state == Delivery.State.SENT
    req, = robot_server.requests
    assert req["json"] == {"msgtype": "markdown", "markdown": {
        "title": "催办单：城区内涝点整治", "text": "#### 催办单：城区内涝点整治\n\n请于3日内报告进展。"}}
    q = req["query"]
    assert q["access_token"] == ["t1"]
    ts = q["timestamp"][0]
    assert before <= int(ts) <= int(time.time() * 1000)  # milliseconds, as DingTalk checks
    expected = base64.b64encode(hmac.new(b"SEC-ding", f"{ts}\nSEC-ding".encode(), hashlib.sha256).digest()).decode()
    assert q["sign"] == [expected]


def test_dingtalk_without_secret_is_not_signed(world, listener, robot_server):
    post_through(world, listener, "dingtalk", robot_server.url("/robot/send?access_token=t1"))
    assert set(robot_server.requests[0]["query"]) == {"access_token"}


def test_feishu_gets_text_and_a_valid_signature(world, listener, robot_server):
    robot_server.reply = (200, {"code": 0, "msg": "success", "data": {}})
    state, _ = post_through(world, listener, "feishu", robot_server.url("/open-apis/bot/v2/hook/abc"), secret="SEC-fs")
    assert state == Delivery.State.SENT
    body = robot_server.requests[0]["json"]
    assert body["msg_type"] == "text"
    assert body["content"]["text"].startswith("催办单：城区内涝点整治\n请于3日内报告进展。")
    assert abs(int(body["timestamp"]) - time.time()) < 60  # seconds, as Feishu checks
    key = f"{body['timestamp']}\nSEC-fs".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


@pytest.mark.parametrize("kind,answer", [
    ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}),
    ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}),
    ("feishu", {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}),
    ("feishu", {"StatusCode": 9499, "StatusMessage": "Bad Request"}),
])
def test_an_error_code_in_a_200_answer_is_a_failure(world, listener, robot_server, kind, answer):
    robot_server.reply = (200, answer)
    state, d = post_through(world, listener, kind, robot_server.url("/hook"))
    d.refresh_from_db()
    assert state == Delivery.State.FAILED and d.attempts == 1
    assert str(answer.get("errcode", answer.get("code", answer.get("StatusCode")))) in d.last_error


@pytest.mark.parametrize("status", [500, 302])
def test_http_errors_and_redirects_are_failures(world, listener, robot_server, status):
    robot_server.reply = (status, {})
    state, d = post_through(world, listener, "wecom", robot_server.url("/hook"))
    d.refresh_from_db()
    assert state == Delivery.State.FAILED and f"HTTP {status}" in d.last_error
    assert len(robot_server.requests) == 1  # the redirect was not followed


def test_a_silent_robot_times_out(monkeypatch):
    import socket

    monkeypatch.setattr(channels, "WEBHOOK_TIMEOUT", 0.3)
    with socket.socket() as s:  # accepts the connection (backlog) but never answers
        s.bind(("127.0.0.1", 0))
        s.listen()
        started = time.monotonic()
        with pytest.raises(channels.ChannelError, match="连接失败"):
            channels.post_json(f"http://127.0.0.1:{s.getsockname()[1]}/hook", {})
        assert time.monotonic() - started < 3


def test_only_http_addresses_are_called():
    with pytest.raises(channels.PermanentError):
        channels.post_json("file:///etc/passwd", {})


def test_a_disabled_robot_is_given_up_not_retried(world, listener, robot_server):
    UnitWebhook.objects.create(unit=world.units["lead"], kind="wecom", url=robot_server.url("/hook"))
    note, = notify([listener], kind="reminder", title="提醒", body="正文", now=T0)
    UnitWebhook.objects.update(enabled=False)
    d = note.deliveries.get()
    assert deliver(d.pk) == Delivery.State.GAVE_UP and robot_server.requests == []


def test_sms_goes_through_the_configured_provider(world, caplog):
    person = world.liaison["lead"]
    person.phone = "13800000001"
    person.save()
    set_preferences(person, email=False, sms=True, webhook=False, daily_digest=False)
    note, = notify([person], kind="reminder", title="到期提醒", body="事项将于10月15日到期。", now=T0)
    with caplog.at_level(logging.INFO, logger="duban.notify.channels"):
        assert deliver(note.deliveries.get().pk) == Delivery.State.SENT
    assert "13800000001" in caplog.text and "【督办系统】到期提醒：事项将于10月15日到期。" in caplog.text


def test_an_email_failure_is_recorded(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on loopback port 9
    person = world.liaison["lead"]
    person.email = "l@example.gov.cn"
    person.save()
    note, = notify([person], kind="reminder", title="提醒", body="正文", now=T0)
    d = note.deliveries.get()
    assert deliver(d.pk) == Delivery.State.FAILED and mail.outbox == []
    d.refresh_from_db()
    assert "邮件发送失败" in d.last_error
