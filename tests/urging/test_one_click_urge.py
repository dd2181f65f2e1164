"""一键催办 (issue 3, point 6): a reminder for any set of selected items."""

from django.urls import reverse

from duban.items.models import Status, Urge


def test_one_click_urge_from_the_list(client, world):
    a = world.item_in(Status.IN_PROGRESS, title="甲事项")
    b = world.item_in(Status.ASSIGNED, title="乙事项")
    closed = world.item_in(Status.CLOSED, title="丙事项")
    client.force_login(world.supervisor)
    assert "一键催办所选事项" in client.get(reverse("item_list")).content.decode()
    r = client.post(reverse("urge_selected"), {"items": [a.id, b.id, closed.id]}, follow=True)
    page = r.content.decode()
    assert "已向 2 件事项的承办单位发出催办" in page and "不能执行“登记催办”" in page
    assert set(Urge.objects.filter(method=Urge.Method.SYSTEM).values_list("item_id", flat=True)) == {a.id, b.id}
    assert a.events.filter(action="log_urge").exists()


def test_one_click_urge_refuses_units_and_other_units_items(client, world, other_world):
    mine = world.item_in(Status.IN_PROGRESS)
    client.force_login(world.liaison["lead"])
    assert "一键催办所选事项" not in client.get(reverse("item_list")).content.decode()
    client.post(reverse("urge_selected"), {"items": [mine.id]})
    assert not Urge.objects.exists()
    client.force_login(other_world.supervisor)
    page = client.post(reverse("urge_selected"), {"items": [mine.id]}, follow=True).content.decode()
    assert "不存在或无权查看" in page and not Urge.objects.exists()


def test_one_click_urge_needs_a_selection(client, world):
    client.force_login(world.supervisor)
    page = client.post(reverse("urge_selected"), {}, follow=True).content.decode()
    assert "请先勾选要催办的事项" in page
    page = client.post(reverse("urge_selected"), {"items": ["x"]}, follow=True).content.decode()
    assert "所选事项无效" in page
