"""Fixtures for notifications: a fake group-robot server on the loopback address, and a clock."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ..factories import aware

T0 = aware(2026, 10, 12, 9)  # a Monday morning


class RobotServer:
    """Answers every POST with `reply` (status, JSON) and records what it received."""

    def __init__(self):
        self.requests: list[dict] = []
        self.reply: tuple[int, dict] = (200, {"errcode": 0, "errmsg": "ok"})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urllib.parse.urlsplit(self.path)
                server.requests.append({
                    "path": parts.path, "query": urllib.parse.parse_qs(parts.query),
                    "content_type": self.headers.get("Content-Type"), "json": json.loads(raw),
                })
                status, body = server.reply
                data = json.dumps(body).encode()
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def robot_server():
    server = RobotServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on: connecting is refused at once."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return port


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Messages read outside the system carry absolute links (pytest-django already swaps email
    for Django's in-memory outbox)."""
    settings.DUBAN_SITE_URL = "https://duban.example.gov.cn"
