"""Reads of survey results; ``unit_satisfaction`` is what the assessment (考核) reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from duban.orgs.models import Role

from .models import RATING_POINTS, Answer, Rating, Survey

ORG_WIDE = (Role.SUPERVISOR, Role.OFFICE_HEAD, Role.ADMIN, Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER)


def surveys_visible_to(user) -> QuerySet[Survey]:
    """Results are the office's and the leaders'; units see no survey (they are what is rated)."""
    if not user.is_authenticated or user.role not in ORG_WIDE or not user.org_id:
        return Survey.objects.none()
    return Survey.objects.filter(org_id=user.org_id)


@dataclass
class UnitResult:
    unit_id: int
    unit_name: str
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> Decimal:
        """满意率: (满意 + 基本满意) / all answers, in per cent."""
        return _pct(self.satisfied + self.basic, self.total)

    @property
    def score(self) -> Decimal:
        """Weighted score out of 100: 满意 100, 基本满意 60, 不满意 0 (models.RATING_POINTS)."""
        if not self.total:
            return Decimal("0.00")
        points = (self.satisfied * RATING_POINTS[Rating.SATISFIED] + self.basic * RATING_POINTS[Rating.BASIC]
                  + self.unsatisfied * RATING_POINTS[Rating.UNSATISFIED])
        return (Decimal(points) / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _pct(n, d) -> Decimal:
    if not d:
        return Decimal("0.00")
    return (Decimal(n) * 100 / d).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _results(answers) -> list[UnitResult]:
    rows = (answers.values("subject__unit_id", "subject__unit__name")
            .annotate(s=Count("id", filter=Q(rating=Rating.SATISFIED)), b=Count("id", filter=Q(rating=Rating.BASIC)),
                      u=Count("id", filter=Q(rating=Rating.UNSATISFIED)))
            .order_by("subject__unit__order", "subject__unit_id"))
    return [UnitResult(r["subject__unit_id"], r["subject__unit__name"], r["s"], r["b"], r["u"]) for r in rows]


def results_per_unit(survey) -> list[UnitResult]:
    return _results(Answer.objects.filter(subject__survey=survey))


def comments_of(survey):
    return (Answer.objects.filter(subject__survey=survey).exclude(comment="")
            .values_list("subject__unit__name", "link__audience", "comment").distinct().order_by("subject__unit__name"))


def unit_satisfaction(org, start: dt.date, end: dt.date) -> dict[int, UnitResult]:
    """Per unit of ``org``, the answers given from ``start`` to ``end`` (inclusive, local dates) in
    all the organisation's surveys: counts, 满意率 and weighted score, for the assessment (考核赋分,
    seed 000 art. 5; seed 001 art. 13: 满意度测评). Units without answers are absent."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    answers = Answer.objects.filter(subject__survey__org=org, at__gte=lo, at__lt=hi)
    return {r.unit_id: r for r in _results(answers)}
