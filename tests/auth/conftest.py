import json

import pytest

PASSWORD = "pw-12345"


def web_login(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def token_request(client, username, password=PASSWORD, otp=None, **extra):
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/v1/auth/token", data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def superuser(world):
    from tests.factories import UserFactory

    from duban.orgs.models import Role

    return UserFactory(unit=world.office, role=Role.ADMIN, is_staff=True, is_superuser=True)
