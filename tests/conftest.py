import pytest

from duban.deadlines.official import ensure_official_calendar

from .factories import World


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    # Tests on transactional_db/live_server flush every table at teardown, the migration's
    # official calendar included; put it back so later tests count the real holidays.
    ensure_official_calendar()
    return World()


@pytest.fixture
def other_world(db):
    return World("乙")


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass)"))
