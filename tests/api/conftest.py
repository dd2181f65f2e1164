"""An HTTP client that speaks JSON with a bearer token, over Django's test client."""

from __future__ import annotations

import json

import pytest

from duban.api.models import ApiToken

API = "/api/v1"


class ApiClient:
    def __init__(self, client, key: str | None = None):
        self.client = client
        self.key = key

    def _headers(self, headers):
        h = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        h.update(headers or {})
        return h

    def get(self, path, params=None, headers=None):
        return self.client.get(API + path, params or {}, headers=self._headers(headers))

    def _send(self, method, path, body, headers, raw):
        data = body if raw else json.dumps(body if body is not None else {})
        return getattr(self.client, method)(API + path, data=data, content_type="application/json",
                                            headers=self._headers(headers))

    def post(self, path, body=None, headers=None, raw=False):
        return self._send("post", path, body, headers, raw)

    def put(self, path, body=None, headers=None, raw=False):
        return self._send("put", path, body, headers, raw)

    def delete(self, path, headers=None):
        return self.client.delete(API + path, headers=self._headers(headers))


@pytest.fixture
def anonymous(client):
    return ApiClient(client)


@pytest.fixture
def as_user(client):
    """``as_user(user)``: a client holding a fresh token of ``user``."""

    def make(user):
        _, key = ApiToken.issue(user)
        return ApiClient(client, key)

    return make


def login(anonymous_client, user, password="pw-12345") -> ApiClient:
    """Take a token through the endpoint, as a real client does."""
    r = anonymous_client.post("/auth/token", {"username": user.username, "password": password})
    assert r.status_code == 200, r.content
    return ApiClient(anonymous_client.client, r.json()["token"])


def error_of(response, status):
    """The JSON error of a response that must have ``status``."""
    assert response.status_code == status, (response.status_code, response.content.decode()[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert "field" in body
    return body


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
