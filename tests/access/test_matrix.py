"""The access matrix: every role × every door an item can leave by (issue 8, "Engineering").

One organisation holds items that test the edges of visibility — a secret item whose leader was
replaced on the draft, a secret item reassigned away from its first units, a secret item whose
liaison moved to another unit, an office draft, and a plain item — and every person in every role
is asked for each of them through each door: the page, the API's detail and list, the list page,
search, CSV and XLSX exports, the files, the notices, the plan lists. Secret items follow seed 002
art. 7(5) (保守秘密: 严格控制知悉范围); the named people follow every change (issue 8, point 1).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.api.models import ApiToken
from duban.items import services as svc
from duban.items.models import Status
from duban.ledgers import services as ledgers
from duban.ledgers.models import Plan
from duban.orgs.models import Role
from duban.urging.ladder import issue_notice
from duban.urging.models import Notice
from tests.factories import UserFactory

TITLES = {
    "secret_replaced": "涉密事项甲（更换分管领导）",
    "secret_reassigned": "涉密事项乙（改派他单位）",
    "secret_moved": "涉密事项丙（联络员调离）",
    "office_draft": "草拟事项丁（尚未呈批）",
    "plain": "普通事项戊（办理中）",
}


class Scenario:
    def __init__(self, world, other_world):
        w = self.w = world
        self.other_world = other_world
        # People who will move: a liaison of the co-unit who leaves for the other unit, a head of
        # the lead unit demoted to staff, and a newcomer who becomes the lead unit's liaison.
        self.mover = UserFactory(unit=w.units["co"], role=Role.LIAISON, full_name="调离的联络员")
        self.demoted = UserFactory(unit=w.units["lead"], role=Role.UNIT_HEAD, full_name="改任的负责人")
        self.joiner = UserFactory(unit=w.units["other"], role=Role.STAFF, full_name="新任联络员")
        self.items = {}

        # 1. A secret plan measure drafted with leader A, changed to leader B, approved by B.
        params = ledgers.clean_params(w.org, title="整改方案", kind=Plan.Kind.RECTIFICATION)
        self.plan = ledgers.create_plan(w.org, w.supervisor, params)
        problem = ledgers.add_problem(self.plan.id, w.supervisor, title="问题一")
        fields = w.fields(title=TITLES["secret_replaced"], is_secret=True, kind=self.plan.item_kind)
        item = ledgers.add_measure(self.plan.id, w.supervisor, problem=problem, fields=fields).item
        svc.update_draft(item.id, w.supervisor, w.fields(title=TITLES["secret_replaced"], is_secret=True,
                                                         kind=self.plan.item_kind, responsible_leader=w.other_leader))
        svc.submit_proposal(item.id, w.supervisor)
        svc.approve_proposal(item.id, w.other_leader)
        svc.accept(item.id, w.liaison["lead"], responsible_person="张三")
        self.items["secret_replaced"] = item

        # 2. A secret item the lead unit sends back; the office reassigns it to the other unit alone.
        item = w.item_in(Status.DECLINED, title=TITLES["secret_reassigned"], is_secret=True)
        svc.reassign(item.id, w.supervisor, lead_unit=w.units["other"], co_units=[], comment="改由其他局办理")
        self.items["secret_reassigned"] = item

        # 3. A secret item whose co-unit liaison leaves, whose lead head becomes staff, and whose
        #    lead unit gains a liaison from elsewhere.
        item = w.item_in(Status.IN_PROGRESS, title=TITLES["secret_moved"], is_secret=True)
        self.items["secret_moved"] = item

        self.items["office_draft"] = w.draft(title=TITLES["office_draft"])
        self.items["plain"] = w.item_in(Status.IN_PROGRESS, title=TITLES["plain"])

        for item in self.items.values():
            svc.add_attachment(item.id, w.supervisor, SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x"))
            item.refresh_from_db()
            if item.status != Status.DRAFT:
                issue_notice(item, Notice.Kind.URGE_NOTICE)

        self.mover.unit = w.units["other"]
        self.mover.save()
        self.demoted.role = Role.STAFF
        self.demoted.save()
        self.joiner.unit, self.joiner.role = w.units["lead"], Role.LIAISON
        self.joiner.save()

    def people(self) -> dict:
        w = self.w
        return {
            "office_head": w.office_head, "supervisor": w.supervisor, "other_supervisor": self.second_supervisor,
            "leader_a": w.leader, "leader_b": w.other_leader, "principal": w.principal,
            "lead_liaison": w.liaison["lead"], "lead_head": w.head["lead"], "co_liaison": w.liaison["co"],
            "co_head": w.head["co"], "other_liaison": w.liaison["other"], "other_head": w.head["other"],
            "mover": self.mover, "demoted": self.demoted, "joiner": self.joiner,
            "outsider": self.other_world.office_head,
        }


ALL_SECRET = {"secret_replaced", "secret_reassigned", "secret_moved"}

# Who may see what. Everything not listed is invisible to that person.
EXPECTED = {
    "office_head": {"secret_replaced", "secret_reassigned", "secret_moved", "office_draft", "plain"},
    "supervisor": {"secret_replaced", "secret_reassigned", "secret_moved", "office_draft", "plain"},  # the drafter
    "other_supervisor": {"office_draft", "plain"},  # the office, not named on secret items
    "leader_a": {"secret_reassigned", "secret_moved", "plain"},  # replaced on secret_replaced
    "leader_b": {"secret_replaced", "plain"},
    "principal": {"plain"},
    "lead_liaison": {"secret_replaced", "secret_moved", "plain"},  # secret_reassigned went elsewhere
    "lead_head": {"secret_replaced", "secret_moved", "plain"},
    "co_liaison": {"secret_replaced", "secret_moved", "plain"},
    "co_head": {"secret_replaced", "secret_moved", "plain"},
    "other_liaison": {"secret_reassigned"},
    "other_head": {"secret_reassigned"},
    "mover": {"secret_reassigned"},  # left the co-unit for the other unit: its items, not the co-unit's
    "demoted": {"plain"},  # staff of the lead unit: its plain items, no secret ones
    "joiner": {"secret_replaced", "secret_moved", "plain"},  # new liaison of the lead unit
    "outsider": set(),
}
PLAN_READERS = {"office_head", "supervisor", "other_supervisor", "leader_a", "leader_b", "principal"}


@pytest.fixture
def scenario(world, other_world):
    s = Scenario.__new__(Scenario)
    s.second_supervisor = UserFactory(unit=world.office, role=Role.SUPERVISOR, full_name="另一名督查员")
    s.__init__(world, other_world)
    return s


def _titles_in(text: str) -> set[str]:
    return {key for key, title in TITLES.items() if title in text}


def _xlsx_text(content: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


def _doors(client, scenario, user) -> dict[str, set[str]]:
    """What ``user`` sees of each scenario item through each door."""
    client.force_login(user)
    seen: dict[str, set[str]] = {}
    ids = {key: item.id for key, item in scenario.items.items()}
    page = lambda url: client.get(url)  # noqa: E731
    seen["page"] = {k for k, i in ids.items() if page(reverse("item_detail", args=[i])).status_code == 200}
    seen["list"] = _titles_in(page(reverse("item_list") + "?status=").content.decode())
    seen["search"] = _titles_in(page(reverse("item_list") + "?q=事项").content.decode())
    seen["csv"] = _titles_in(page(reverse("item_export")).content.decode("utf-8-sig"))
    seen["xlsx"] = _titles_in(_xlsx_text(page(reverse("item_export_xlsx")).content))
    seen["files"] = {
        k for k, item in scenario.items.items()
        if page(reverse("attachment_download", args=[item.attachments.get().token])).status_code == 200
    }
    numbers = {k: n for k, n in Notice.objects.filter(item__in=scenario.items.values()).values_list("item__title", "number")}
    notices = page(reverse("notice_list") + "?all=1").content.decode()
    seen["notices"] = {k for k, title in TITLES.items() if title in numbers and numbers[title] in notices}
    measures = page(reverse("plan_detail", args=[scenario.plan.id]) + "?tab=measures")
    seen["plans"] = _titles_in(measures.content.decode()) if measures.status_code == 200 else set()
    client.logout()

    _, key = ApiToken.issue(user)
    auth = {"Authorization": f"Bearer {key}"}
    seen["api_detail"] = {k for k, i in ids.items() if client.get(f"/api/v1/items/{i}", headers=auth).status_code == 200}
    listed = client.get("/api/v1/items", {"page_size": 200}, headers=auth).json()
    seen["api_list"] = _titles_in(" ".join(r["title"] for r in listed.get("results", listed.get("items", []))))
    searched = client.get("/api/v1/items", {"q": "事项"}, headers=auth).json()
    seen["api_search"] = _titles_in(" ".join(r["title"] for r in searched.get("results", searched.get("items", []))))
    return seen


def test_every_role_through_every_door(client, scenario):
    """Each person sees exactly the expected items, through every door alike."""
    failures = []
    for who, user in scenario.people().items():
        expected = EXPECTED[who]
        for door, got in _doors(client, scenario, user).items():
            want = set(expected)
            if door == "notices":
                want -= {"office_draft"}  # drafts get no notices
                if who in ("co_liaison", "co_head"):
                    want = set()  # 催办单 are addressed to the lead unit
            if door == "plans":
                want = want & {"secret_replaced"} if who in PLAN_READERS else set()
            if got != want:
                failures.append(f"{who} via {door}: sees {sorted(got)}, expected {sorted(want)}")
    assert not failures, "\n".join(failures)


def test_expectations_cover_every_secret_item_for_the_office_head(scenario):
    """The office head reads every secret item (seed 002 art. 7(5)); the matrix would be vacuous
    if the fixture's secret items were not secret."""
    assert all(scenario.items[k].is_secret for k in ALL_SECRET)
    assert EXPECTED["office_head"] >= ALL_SECRET
