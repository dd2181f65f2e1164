"""Races end in one winner and 409 for everyone else, whichever action they race on (issue 8,
point 5: the probe's 20-way co-unit sign race gave the losers 403)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from duban.items import services as svc
from duban.items.errors import DomainError, TransitionNotAllowed
from duban.items.models import Assignment, Status
from duban.orgs.models import Role

from ..factories import UserFactory, World

N = 20


def race(n, act):
    """Run act(i) in n threads released at once; the outcome of each: "ok" or its HTTP status."""
    barrier = threading.Barrier(n)
    results = []

    def run(i):
        try:
            barrier.wait()
            act(i)
            results.append("ok")
        except DomainError as e:
            results.append(e.status_code)
        except Exception as e:  # pragma: no cover - shown in the assertion
            results.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["accept_as_co", "decline_as_co"])
def test_twenty_liaisons_of_a_co_unit_answering_at_once_leave_one_winner_and_nineteen_409s(action):
    world = World("协办竞争")
    item = world.item_in(Status.ASSIGNED)
    co = world.units["co"]
    liaisons = [world.liaison["co"]] + [UserFactory(unit=co, role=Role.LIAISON) for _ in range(N - 1)]

    def act(i):
        if action == "accept_as_co":
            svc.accept_as_co(item.id, liaisons[i], responsible_person=f"责任人{i}")
        else:
            svc.decline_as_co(item.id, liaisons[i], comment="不属于本单位职责")

    results = race(N, act)
    assert sorted(results, key=str) == [409] * (N - 1) + ["ok"], results
    a = Assignment.objects.get(item=item, unit=co)
    assert a.state != Assignment.State.PENDING
    assert item.events.filter(action=action).count() == 1


@pytest.mark.django_db
def test_a_co_liaison_who_signs_after_the_unit_has_signed_gets_409_in_chinese(world):
    item = world.item_in(Status.ASSIGNED)
    second = UserFactory(unit=world.units["co"], role=Role.LIAISON)
    svc.accept_as_co(item.id, world.liaison["co"], responsible_person="张三")
    with pytest.raises(TransitionNotAllowed) as err:
        svc.accept_as_co(item.id, second, responsible_person="李四")
    assert err.value.status_code == 409 and "本单位已签收" in err.value.message
    with pytest.raises(TransitionNotAllowed) as err:
        svc.decline_as_co(item.id, second, comment="理由")
    assert "本单位已签收" in err.value.message


@pytest.mark.django_db
def test_a_liaison_of_an_unrelated_unit_is_still_refused_with_403(world):
    item = world.item_in(Status.ASSIGNED)
    with pytest.raises(DomainError) as err:
        svc.accept_as_co(item.id, world.liaison["other"], responsible_person="王五")
    assert err.value.status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_liaisons_signing_through_the_api_at_once_get_one_200_and_nineteen_409s():
    from django.test import Client

    from duban.api.models import ApiToken

    world = World("协办API")
    item = world.item_in(Status.ASSIGNED)
    co = world.units["co"]
    liaisons = [world.liaison["co"]] + [UserFactory(unit=co, role=Role.LIAISON) for _ in range(N - 1)]
    keys = [ApiToken.issue(u)[1] for u in liaisons]
    statuses = []

    def act(i):
        r = Client().post(f"/api/v1/items/{item.id}/accept-as-co", {"responsible_person": f"责任人{i}"},
                          content_type="application/json", headers={"Authorization": f"Bearer {keys[i]}"})
        statuses.append(r.status_code)

    race(N, act)
    assert sorted(statuses) == [200] + [409] * (N - 1), statuses
