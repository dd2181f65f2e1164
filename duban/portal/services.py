"""What the office does with the public portal: publish, update, withdraw, and moderate opinions;
and what a member of the public does: leave an opinion (seed 002 art. 6(5): 网络督查……在网上公开……
提高群众参与度).

Publishing writes a snapshot of exactly what may be public; nothing else is ever read by the portal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from duban.items.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from duban.items.models import Item, Status
from duban.items.services import _text as text
from duban.orgs.models import OFFICE_ROLES

from .models import Publication, PublicOpinion

OPINION_MAX = 500
NAME_MAX = 20
# Per address: a burst and a day (a hostile script is slowed; a citizen never meets it).
THROTTLE = ((dt.timedelta(minutes=10), 3), (dt.timedelta(days=1), 10))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _now(now):
    return now or timezone.now()


def _require_office(user, org_id):
    if not (user.is_authenticated and user.org_id == org_id and user.role in OFFICE_ROLES):
        raise PermissionDenied("只有督查室人员可以发布公开信息")


def _put(org, by, source_key, now, **fields) -> Publication:
    """Publish, or update the live publication of the same source."""
    now = _now(now)
    pub = Publication.objects.select_for_update().filter(source_key=source_key, withdrawn_at__isnull=True).first()
    if pub is None:
        return Publication.objects.create(org=org, org_name=org.name, source_key=source_key, published_by=by,
                                          published_at=now, updated_at=now, **fields)
    for k, v in fields.items():
        setattr(pub, k, v)
    pub.published_by, pub.updated_at = by, now
    pub.save()
    return pub


def publish_answer(proposal_id, by, *, now=None) -> Publication:
    """An accepted answer its unit marked for publication: full text or the abstract, with the
    suggestion's title and number and the answering unit; never the proposer's contacts."""
    from duban.proposals import workflow
    from duban.proposals.models import Proposal, Publishable
    from duban.proposals.services import current_answer

    with transaction.atomic():
        try:
            p = Proposal.objects.select_related("session", "item__org").get(pk=proposal_id)
        except (Proposal.DoesNotExist, ValueError, TypeError):
            raise NotFound("建议提案不存在") from None
        step = workflow.BY_ACTION["publish_answer"]
        if not workflow.may(by, p, step):
            raise PermissionDenied("只有督查室人员可以公开答复")
        a = current_answer(p)
        if p.state not in step.sources or a is None:
            raise TransitionNotAllowed("答复尚未审核通过，不能公开")
        if a.publishable == Publishable.NO:
            raise TransitionNotAllowed("承办单位标注该答复不公开")
        if p.item.is_secret:
            raise TransitionNotAllowed("涉密事项不能公开")
        body = a.body if a.publishable == Publishable.FULL else a.abstract
        pub = _put(p.item.org, by, f"answer:{p.id}", now, kind=Publication.Kind.ANSWER, title=p.item.title,
                   reference=f"{p.session.name}第{p.number}号{p.noun}", unit_name=a.unit.name,
                   status_label=f"已答复（{a.answer_class}类）", body=body,
                   figures={"class": a.answer_class, "full": a.publishable == Publishable.FULL})
        from duban.items.services import record

        record(p.item, by, "publish", comment="答复已在公开门户发布", now=now, data={"publication": pub.id})
    return pub


def publish_plan(plan_id, by, *, now=None) -> Publication:
    """A plan's rectification progress, as the office publishes it (like seed 003): the summary and
    the figures by category; no measure's units or people."""
    from duban.ledgers.models import Plan
    from duban.ledgers.report import progress_report

    with transaction.atomic():
        try:
            plan = Plan.objects.select_related("org").get(pk=plan_id)
        except (Plan.DoesNotExist, ValueError, TypeError):
            raise NotFound("方案不存在") from None
        _require_office(by, plan.org_id)
        r = progress_report(plan)
        figures = {
            "problems": r.total.problems, "problems_done": r.total.problems_done,
            "measures": r.total.measures, "measures_done": r.total.measures_done, "rate": str(r.total.rate),
            "as_of": r.as_of.isoformat(),
            "categories": [[t.label, t.problems, t.problems_done, t.measures, t.measures_done, str(t.rate)]
                           for t in r.by_category],
        }
        return _put(plan.org, by, f"plan:{plan.id}", now, kind=Publication.Kind.PLAN, title=f"{plan.title}整改进展情况",
                    reference="", unit_name="", status_label=f"整改率{r.total.rate}%", body=r.summary, figures=figures)


def publish_item(item_id, by, *, body, now=None) -> Publication:
    """An item the office chooses to disclose, with the progress text it writes for the public."""
    with transaction.atomic():
        try:
            item = Item.objects.select_related("org", "lead_unit").get(pk=item_id)
        except (Item.DoesNotExist, ValueError, TypeError):
            raise NotFound("事项不存在") from None
        _require_office(by, item.org_id)
        if item.is_secret:
            raise TransitionNotAllowed("涉密事项不能公开")
        if item.status in (Status.DRAFT, Status.PENDING_APPROVAL):
            raise TransitionNotAllowed("未立项的事项不能公开")
        body = text(body, "公开内容", max_length=30000)
        pub = _put(item.org, by, f"item:{item.id}", now, kind=Publication.Kind.ITEM, title=item.title,
                   reference=item.number, unit_name=item.lead_unit.name if item.lead_unit_id else "",
                   status_label=item.get_status_display(), body=body,
                   figures={"deadline": item.deadline.isoformat() if item.deadline else None})
        from duban.items.services import record

        record(item, by, "publish", comment="已在公开门户发布", now=now, data={"publication": pub.id})
    return pub


def withdraw(publication_id, by, *, now=None) -> Publication:
    with transaction.atomic():
        pub = Publication.objects.select_for_update().filter(pk=publication_id, withdrawn_at__isnull=True).first()
        if pub is None:
            raise NotFound("公开信息不存在或已撤回")
        _require_office(by, pub.org_id)
        pub.withdrawn_at = _now(now)
        pub.save()
    return pub


# --- the public's opinions ---------------------------------------------------------------------------

def address_hash(address: str) -> str:
    """The address is kept only as a keyed hash: enough to throttle, not to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def clean_public_text(value, *, max_length) -> str:
    """Markup stripped, control and direction characters removed, whitespace collapsed, length capped."""
    if not isinstance(value, str):
        return ""
    value = strip_tags(value)
    value = CONTROL.sub("", value).replace("<", "＜").replace(">", "＞")
    value = re.sub(r"[ \t]+", " ", value)
    value = re.sub(r"\n{3,}", "\n\n", value).strip()
    return value[:max_length] if len(value) > max_length else value


class Throttled(TransitionNotAllowed):
    status_code = 429


def submit_opinion(publication_id, *, body, name="", address: str, honeypot="", now=None) -> PublicOpinion | None:
    """A member of the public leaves an opinion; it waits for the office. A filled honeypot field is a
    robot: nothing is stored, and it is told nothing different."""
    now = _now(now)
    pub = Publication.objects.filter(pk=publication_id, withdrawn_at__isnull=True).first()
    if pub is None:
        raise NotFound("该公开信息不存在")
    if isinstance(body, str) and len(body) > OPINION_MAX * 4:
        raise InvalidInput(f"意见不能超过{OPINION_MAX}字", "body")
    clean = clean_public_text(body, max_length=OPINION_MAX + 1)
    if not clean:
        raise InvalidInput("请填写意见", "body")
    if len(clean) > OPINION_MAX:
        raise InvalidInput(f"意见不能超过{OPINION_MAX}字", "body")
    if honeypot:
        return None
    key = address_hash(address or "")
    for window, limit in THROTTLE:
        if PublicOpinion.objects.filter(address_hash=key, created_at__gte=now - window).count() >= limit:
            raise Throttled("提交过于频繁，请稍后再试")
    return PublicOpinion.objects.create(publication=pub, name=clean_public_text(name, max_length=NAME_MAX),
                                        body=clean, address_hash=key, created_at=now)


def moderate_opinion(opinion_id, by, *, approve: bool, reply="", now=None) -> PublicOpinion:
    """The office approves (with an optional answer) or rejects an opinion; only approved ones show."""
    with transaction.atomic():
        op = PublicOpinion.objects.select_for_update().select_related("publication").filter(pk=opinion_id).first()
        if op is None:
            raise NotFound("意见不存在")
        _require_office(by, op.publication.org_id)
        op.state = PublicOpinion.State.APPROVED if approve else PublicOpinion.State.REJECTED
        op.reply = text(reply, "答复", required=False, max_length=2000)
        op.moderated_by, op.moderated_at = by, _now(now)
        op.save()
    return op
