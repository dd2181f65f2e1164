"""Nothing that is not explicitly published ever appears on the portal (002 art. 6(5) asks for
disclosure of progress; art. 7(5) keeps secrets secret). A crawler walks every portal page and
API response it can reach, plus every id, and looks for marked text planted in what is not published:
items, a secret item, an answer marked private, reports, attachments, proposers' and people's
contacts, opinions not approved, a withdrawn publication."""

import datetime as dt
import re
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.items import services as item_services
from duban.ledgers import services as ledgers
from duban.ledgers.importing import PlanParams
from duban.portal import services as portal
from duban.portal.models import Publication
from duban.proposals import services as ps
from duban.proposals.models import Publishable, Proposer

MARK = "SENTINEL"


def plant(world, journey):
    liaison = world.liaison["lead"]
    liaison.full_name, liaison.phone = f"{MARK}联络员", "13912345678"
    liaison.save()
    # Published: an answer in full, an item disclosed with a public text, a plan's progress.
    p1, _, _ = journey.answered(1)
    portal.publish_answer(p1.id, world.supervisor)
    Proposer.objects.filter(name="王建国").update(address=f"{MARK}路1号")
    item = world.item_in("in_progress", title="城区内涝点整治", content=f"{MARK}-CONTENT 内部要求")
    world.file_report(item, body=f"{MARK}-REPORT 内部进展")
    item_services.add_attachment(item.id, world.supervisor,
                                 SimpleUploadedFile(f"{MARK}-FILE.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    pub = portal.publish_item(item.id, world.supervisor, body="已完成3处整治，其余汛前完成。")
    plan = ledgers.create_plan(world.org, world.supervisor, PlanParams(
        title="巡视整改方案", kind="rectification", source_text="", item_kind="rectification",
        start_date=dt.date(2026, 3, 1)))
    problem = ledgers.add_problem(plan.id, world.supervisor, title=f"{MARK}-PROBLEM 问题一")
    ledgers.add_measure(plan.id, world.supervisor, problem=problem,
                        fields=world.fields(title=f"{MARK}-MEASURE 措施", kind="rectification"))
    portal.publish_plan(plan.id, world.supervisor)
    # Not published.
    world.item_in("in_progress", title=f"{MARK}-UNPUBLISHED 事项")
    world.item_in("closed", title=f"{MARK}-SECRET 事项", is_secret=True)
    p2 = journey.assign(journey.receive(2, title=f"{MARK}-P2 建议"))
    a2 = journey.answer(p2, publishable=Publishable.NO)
    journey.accept(a2)
    gone = portal.publish_item(world.item_in("in_progress", title=f"{MARK}-WITHDRAWN").id, world.supervisor,
                               body=f"{MARK}-WITHDRAWN-BODY")
    portal.withdraw(gone.id, world.supervisor)
    # Opinions: one approved, one pending, one rejected.
    ok = portal.submit_opinion(pub.id, body="建议公布整治时间表", address="10.0.0.1")
    portal.moderate_opinion(ok.id, world.supervisor, approve=True, reply="将于月底公布")
    portal.submit_opinion(pub.id, body=f"{MARK}-PENDING", address="10.0.0.2")
    bad = portal.submit_opinion(pub.id, body=f"{MARK}-REJECTED", address="10.0.0.3")
    portal.moderate_opinion(bad.id, world.supervisor, approve=False)
    return pub


HREF = re.compile(r'href="(/public/[^"#]*)"')


def crawl(client):
    seeds = ["/public/", f"/public/?q={MARK}", "/public/?q=建议", "/public/?kind=answer", "/public/?kind=item",
             "/public/?kind=plan", "/public/api/entries.json", f"/public/api/entries.json?q={MARK}",
             "/public/?page=2", "/public/api/entries.json?page=2"]
    last = Publication.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for pk in range(1, last + 3):
        seeds += [f"/public/e/{pk}/", f"/public/api/entries/{pk}.json"]
    seen, queue, pages = set(), list(seeds), {}
    while queue:
        url = unescape(queue.pop(0))
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        text = r.content.decode()
        pages[url] = (r, text)
        for link in HREF.findall(text):
            if link not in seen:
                queue.append(link)
    return pages


def test_no_unpublished_thing_appears_on_any_portal_page_or_api_response(world, journey, client):
    pub = plant(world, journey)
    pages = crawl(client)
    assert len(pages) > 15
    published = [u for u, (r, _) in pages.items() if r.status_code == 200 and "/e/" in u]
    assert len(published) == 3  # the answer, the item, the plan
    for url, (r, text) in pages.items():
        assert r.status_code in (200, 404), url
        # The search page repeats the words searched for; that echo is not a leak.
        shown = text.replace(f'value="{MARK}"', "").replace(f"“{MARK}”", "").replace(f"q={MARK}", "")
        assert MARK not in shown, url
        for private in ("13800000000", "13912345678", world.liaison["lead"].username, world.head["lead"].full_name,
                        world.supervisor.full_name):
            assert private not in text, (url, private)
        assert "Set-Cookie" not in r.headers and not r.cookies, url
    entry = pages[f"/public/e/{pub.id}/"][1]
    assert "建议公布整治时间表" in entry and "将于月底公布" in entry


def test_list_and_search_pages_are_cacheable_and_carry_no_session(world, journey, client):
    plant(world, journey)
    for url in ("/public/", "/public/?q=整治", "/public/api/entries.json"):
        r = client.get(url)
        assert r.status_code == 200
        assert "public" in r["Cache-Control"] and "max-age=60" in r["Cache-Control"]
        assert "Cookie" not in r.get("Vary", "")
        assert not r.cookies


def test_a_portal_page_takes_a_fixed_number_of_queries(world, journey, client, django_assert_max_num_queries):
    pub = plant(world, journey)
    with django_assert_max_num_queries(1):
        client.get("/public/?q=整治")
    with django_assert_max_num_queries(2):
        client.get(f"/public/e/{pub.id}/")
