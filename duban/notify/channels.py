"""The outside channels: email, SMS, and the group robots (群机器人) of WeCom, DingTalk and Feishu.

A sender returns when the message got through and raises ``ChannelError`` when it did not;
``PermanentError`` when trying again cannot help (no address, robot switched off). The robots are
called with the standard library (one JSON POST each, with a timeout): ``requests`` would add a
dependency and buy nothing here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 5  # seconds, per robot call
EMAIL_TIMEOUT = 30  # seconds, unless settings.EMAIL_TIMEOUT says otherwise
SUBJECT_PREFIX = "【督办系统】"
WECOM_MAX_BYTES = 4096  # WeCom rejects markdown content longer than this
TEXT_MAX_CHARS = 2000
SMS_MAX_CHARS = 200
DEFAULT_SMS_PROVIDER = "duban.notify.channels.LoggingSmsProvider"


class ChannelError(Exception):
    """The message did not get through; it may be tried again."""


class PermanentError(ChannelError):
    """The message cannot get through however often it is tried."""


def site_link(path: str) -> str:
    """An absolute link for messages read outside the system, when DUBAN_SITE_URL is set."""
    base = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base and path.startswith("/") else ""


def message_text(notification) -> str:
    text = notification.body[:TEXT_MAX_CHARS]
    link = site_link(notification.target_url)
    return f"{text}\n\n查看：{link}" if link else text


# -- email -----------------------------------------------------------------------------------


def send_email(address: str, subject: str, text: str) -> None:
    if not address:
        raise PermanentError("未登记邮箱")
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or EMAIL_TIMEOUT
    try:
        send_mail(SUBJECT_PREFIX + subject, text, None, [address], connection=get_connection(timeout=timeout))
    except Exception as err:  # SMTP and socket errors alike: the queue will try again
        raise ChannelError(f"邮件发送失败：{err}") from err


# -- SMS -------------------------------------------------------------------------------------


class SmsProvider(Protocol):
    """An SMS gateway. ``send`` returns when the gateway accepted the message and raises otherwise."""

    def send(self, phone: str, text: str) -> None: ...


class LoggingSmsProvider:
    """The default: writes each message to the log instead of sending it (demo and tests)."""

    def send(self, phone: str, text: str) -> None:
        log.info("短信（未接入短信网关，仅记录）→ %s：%s", phone, text)


def sms_provider() -> SmsProvider:
    """The provider named by the DUBAN_SMS_PROVIDER setting (a dotted path to a class)."""
    return import_string(getattr(settings, "DUBAN_SMS_PROVIDER", DEFAULT_SMS_PROVIDER))()


def send_sms(phone: str, title: str, body: str) -> None:
    if not phone:
        raise PermanentError("未登记电话")
    text = f"{SUBJECT_PREFIX}{title}：{body}"[:SMS_MAX_CHARS]
    try:
        sms_provider().send(phone, text)
    except Exception as err:
        raise ChannelError(f"短信发送失败：{err}") from err


# -- group robots ----------------------------------------------------------------------------


def sign_dingtalk(secret: str, timestamp_ms: int) -> str:
    """DingTalk 自定义机器人加签: HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_feishu(secret: str, timestamp_s: int) -> str:
    """Feishu 自定义机器人签名校验: "timestamp\\nsecret" is the HMAC-SHA256 key, the message is empty."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _truncate_bytes(text: str, limit: int) -> str:
    return text.encode()[:limit].decode(errors="ignore")


def webhook_request(kind: str, url: str, secret: str, title: str, text: str, *, clock=time.time) -> tuple[str, dict]:
    """The URL to POST to and the JSON body, in each platform's format."""
    if kind == "wecom":
        content = _truncate_bytes(f"**{title}**\n{text}", WECOM_MAX_BYTES)
        return url, {"msgtype": "markdown", "markdown": {"content": content}}
    if kind == "dingtalk":
        if secret:
            ts = int(clock() * 1000)
            query = urllib.parse.urlencode({"timestamp": ts, "sign": sign_dingtalk(secret, ts)})
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        return url, {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n\n{text}"}}
    if kind == "feishu":
        body = {"msg_type": "text", "content": {"text": f"{title}\n{text}"}}
        if secret:
            ts = int(clock())
            body = {"timestamp": str(ts), "sign": sign_feishu(secret, ts), **body}
        return url, body
    raise PermanentError(f"未知的机器人平台：{kind}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A robot address that redirects is misconfigured; never follow it elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, body: dict) -> dict:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise PermanentError("机器人地址须以 http:// 或 https:// 开头")
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as err:
        raise ChannelError(f"HTTP {err.code}") from err
    except (urllib.error.URLError, OSError) as err:  # refused, unreachable, timed out
        raise ChannelError(f"连接失败：{getattr(err, 'reason', err)}") from err
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as err:
        raise ChannelError(f"应答不是 JSON：{raw[:200]!r}") from err
    return answer if isinstance(answer, dict) else {}


def answer_error(kind: str, answer: dict) -> str:
    """The platform's own error in an HTTP 200 answer, or "" when it accepted the message."""
    if kind in ("wecom", "dingtalk"):
        code = answer.get("errcode", 0)
        message = answer.get("errmsg", "")
    else:  # Feishu answers {"code": 0, "msg": "success"}; older robots {"StatusCode": 0}
        code = answer.get("code", answer.get("StatusCode", 0))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    return "" if code == 0 else f"错误码 {code}：{message}"


def send_webhook(webhook, title: str, text: str) -> None:
    if webhook is None or not webhook.enabled:
        raise PermanentError("群机器人已删除或停用")
    url, body = webhook_request(webhook.kind, webhook.url, webhook.secret, title, text)
    error = answer_error(webhook.kind, post_json(url, body))
    if error:
        raise ChannelError(f"{webhook.get_kind_display()}机器人拒收：{error}")
