"""Actions on satisfaction surveys (满意度测评: seed 000 art. 5; seed 001 art. 13)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from duban.items.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from duban.items.selectors import items_visible_to
from duban.items.services import _text
from duban.orgs.models import Role, Unit

from .models import Answer, Audience, Question, Rating, Subject, Survey, SurveyLink

MAX_LINKS = 2000


def _now(now):
    return now or timezone.now()


def _require_office(by, org_id):
    if not (by.is_authenticated and by.org_id == org_id and by.role in (Role.SUPERVISOR, Role.OFFICE_HEAD)):
        raise PermissionDenied("只有督查室人员可以管理满意度测评")


def create_survey(org, by, *, title, intro="", units=(), items=(), questions=(), now=None) -> Survey:
    """The office builds a short survey about units or items (an item counts for its lead unit)."""
    _require_office(by, org.id)
    title = _text(title, "名称", max_length=200)
    questions = [q.strip() for q in questions if q and q.strip()]
    if not questions:
        raise InvalidInput("请至少填写一个问题", "questions")
    if any(len(q) > 300 for q in questions):
        raise InvalidInput("问题不能超过300字", "questions")
    subjects = []
    for u in units:
        if u.org_id != org.id:
            raise InvalidInput("测评单位须为本组织的单位", "units")
        subjects.append((u, None))
    visible = items_visible_to(by)
    for i in items:
        if i.lead_unit_id is None or not visible.filter(pk=i.pk, org_id=org.id).exists():
            raise InvalidInput("测评事项须为本组织已交办的事项", "items")
        subjects.append((i.lead_unit, i))
    if not subjects:
        raise InvalidInput("请选择测评的单位或事项", "units")
    with transaction.atomic():
        s = Survey.objects.create(org=org, title=title, intro=_text(intro, "说明", required=False, max_length=2000),
                                  created_by=by, created_at=_now(now))
        Subject.objects.bulk_create([Subject(survey=s, unit=u, item=i, order=n) for n, (u, i) in enumerate(subjects)])
        Question.objects.bulk_create([Question(survey=s, text=q, order=n) for n, q in enumerate(questions)])
    return s


def _lock(survey_id) -> Survey:
    s = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if s is None:
        raise NotFound("测评不存在")
    return s


def make_links(survey_id, by, *, audience, count, label="", now=None) -> list[SurveyLink]:
    """Unguessable links (192 random bits), one answer each, for leaders, units, deputies or the public."""
    with transaction.atomic():
        s = _lock(survey_id)
        _require_office(by, s.org_id)
        if audience not in Audience.values:
            raise InvalidInput("请选择测评对象", "audience")
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise InvalidInput("份数须为整数", "count") from None
        if not 1 <= count <= 500 or s.links.count() + count > MAX_LINKS:
            raise InvalidInput(f"每次可生成1至500份，每个测评最多{MAX_LINKS}份", "count")
        label = _text(label, "备注", required=False, max_length=100)
        return SurveyLink.objects.bulk_create([
            SurveyLink(survey=s, token=secrets.token_urlsafe(24), audience=audience, label=label, created_at=_now(now))
            for _ in range(count)
        ])


def open_survey(survey_id, by, *, now=None) -> Survey:
    with transaction.atomic():
        s = _lock(survey_id)
        _require_office(by, s.org_id)
        if s.state != Survey.State.DRAFT:
            raise TransitionNotAllowed("测评已开始或已结束")
        s.state, s.opened_at = Survey.State.OPEN, _now(now)
        s.save()
    return s


def close_survey(survey_id, by, *, now=None) -> Survey:
    with transaction.atomic():
        s = _lock(survey_id)
        _require_office(by, s.org_id)
        if s.state != Survey.State.OPEN:
            raise TransitionNotAllowed("测评未在进行中")
        s.state, s.closed_at = Survey.State.CLOSED, _now(now)
        s.save()
    return s


def answer(token, data: dict, *, now=None) -> SurveyLink:
    """One answer per link: every (subject, question) rated, comments optional. The link is locked,
    so two submissions at the same moment cannot both count."""
    with transaction.atomic():
        link = SurveyLink.objects.select_for_update().select_related("survey").filter(token=str(token)[:64]).first()
        if link is None or link.survey.state != Survey.State.OPEN:
            raise NotFound("链接无效或测评未在进行中")
        if link.used_at is not None:
            raise TransitionNotAllowed("该链接已提交过，每个链接只能提交一次")
        subjects = list(link.survey.subjects.all())
        questions = list(link.survey.questions.all())
        rows = []
        for s in subjects:
            comment = _text(data.get(f"c_{s.id}", ""), "意见建议", required=False, max_length=1000)
            for q in questions:
                rating = data.get(f"r_{s.id}_{q.id}")
                if rating not in Rating.values:
                    raise InvalidInput("请对每一项作出评价", f"r_{s.id}_{q.id}")
                rows.append(Answer(link=link, subject=s, question=q, rating=rating, comment=comment, at=_now(now)))
        Answer.objects.bulk_create(rows)
        link.used_at = _now(now)
        link.save(update_fields=["used_at"])
    return link
