"""Several worker machines share one Redis queue (issue 13, point 5): the sweeps' lock_task must
exclude each other across processes, not only threads, and a lock left by a crashed consumer must
be cleared by the scheduling consumer's --flush-locks (deploy/systemd/duban-worker.service)."""

import secrets

import pytest
import redis
from huey import RedisHuey
from huey.exceptions import TaskLockedException

URL = "redis://localhost:6379/0"


@pytest.fixture
def two_machines():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer on localhost:6379")
    name = f"duban-test-{secrets.token_hex(4)}"  # its own keys: nothing else in the database is touched
    a, b = RedisHuey(name, url=URL), RedisHuey(name, url=URL)
    yield a, b
    a.flush_locks("ladder-sweep")


def test_a_sweep_locked_on_one_machine_is_refused_on_another(two_machines):
    a, b = two_machines
    with a.lock_task("ladder-sweep"):
        with pytest.raises(TaskLockedException):
            with b.lock_task("ladder-sweep"):
                pass
    with b.lock_task("ladder-sweep"):
        assert a.is_locked("ladder-sweep")


def test_a_lock_left_by_a_crashed_consumer_is_flushed_at_start(two_machines):
    a, b = two_machines
    a.lock_task("ladder-sweep").acquire()  # the consumer died before releasing it
    assert b.is_locked("ladder-sweep")
    assert b.flush_locks() == {"ladder-sweep"}  # what run_huey --flush-locks does at start
    assert not a.is_locked("ladder-sweep")
