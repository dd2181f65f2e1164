"""Assessment pages: thin, over services.py and selectors.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError
from duban.orgs.models import OFFICE_ROLES

from . import exporting, selectors, services
from .forms import AdjustForm, CommentForm, RunForm
from .models import Assessment, ScoreKind


def _is_office(user, a=None):
    return user.role in OFFICE_ROLES and (a is None or a.org_id == user.org_id)


@login_required
def assessment_list(request):
    user = request.user
    form = None
    if _is_office(user):
        form = RunForm(request.POST or None, initial={"year": timezone.localdate().year, "kind": "mid_year"})
        if request.method == "POST" and form.is_valid():
            cd = form.cleaned_data
            try:
                a = services.run(user.org, user, kind=cd["kind"], year=cd["year"], period_start=cd["period_start"],
                                 period_end=cd["period_end"])
            except DomainError as err:
                messages.error(request, err.message)
            else:
                messages.success(request, "考核得分已按记录计算，请核对排名")
                return redirect("assessment_detail", a.id)
    items = selectors.assessments_visible_to(user).order_by("-year", "-period_end", "-id")
    return render(request, "assessment/list.html", {"assessments": items, "form": form})


def _get(request, assessment_id):
    a = selectors.get_visible_assessment(request.user, assessment_id)
    if a is None:
        raise Http404
    return a


@login_required
def assessment_detail(request, assessment_id):
    user = request.user
    a = _get(request, assessment_id)
    scores = list(selectors.scores_visible_to(user, a))
    ranking = selectors.sees_ranking(user, a)
    office = _is_office(user, a)
    ctx = {
        "a": a, "scores": scores, "ranking": ranking, "office": office,
        "leader": user.is_leader and a.org_id == user.org_id,
        "adjust_form": AdjustForm(a.org) if office and a.status == Assessment.Status.DRAFT else None,
        "comment_form": CommentForm(),
        "adjustments": a.lines.filter(kind=ScoreKind.ADJUSTMENT).select_related("unit", "by") if ranking else [],
    }
    if not ranking and scores:
        ctx["own_lines"] = _lines(user, a, scores[0].unit_id)
    return render(request, "assessment/detail.html", ctx)


def _lines(user, a, unit_id):
    lines = list(selectors.lines_visible_to(user, a, unit_id))
    for line in lines:
        line.link = selectors.line_link(line)
        line.kind_label = ScoreKind(line.kind).label
    return lines


@login_required
def unit_lines(request, assessment_id, unit_id):
    a = _get(request, assessment_id)
    score = selectors.scores_visible_to(request.user, a).filter(unit_id=unit_id).first()
    if score is None:
        raise Http404
    return render(request, "assessment/unit.html", {"a": a, "score": score, "lines": _lines(request.user, a, unit_id)})


ACTIONS = {"recompute", "adjust", "submit", "approve", "send_back", "publish", "remove_adjustment"}


@login_required
@require_POST
def assessment_action(request, assessment_id, action):
    user = request.user
    a = _get(request, assessment_id)
    if action not in ACTIONS:
        raise Http404
    v = request.POST.get("version")
    v = v if v and v.isdigit() else None
    try:
        if action == "adjust":
            form = AdjustForm(a.org, request.POST)
            if not form.is_valid():
                messages.error(request, "；".join(f"{form.fields[k].label}：{e[0]}" for k, e in form.errors.items()))
                return redirect("assessment_detail", a.id)
            cd = form.cleaned_data
            services.adjust(a.id, user, unit_id=cd["unit"].id, points=cd["points"], reason=cd["reason"], version=v)
            done = "已调整，调整理由单列一行"
        elif action == "remove_adjustment":
            services.remove_adjustment(request.POST.get("line"), user)
            done = "已撤销该项调整"
        elif action in ("approve", "send_back"):
            comment = (request.POST.get("comment") or "")[:1000]
            getattr(services, action)(a.id, user, comment=comment, version=v)
            done = "已审定" if action == "approve" else "已退回督查室"
        else:
            getattr(services, action)(a.id, user, version=v)
            done = {"recompute": "已按最新记录重新计算", "submit": "已呈领导审定", "publish": "已发布，各单位可查看本单位得分"}[action]
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, done)
    return redirect("assessment_detail", a.id)


@login_required
def assessment_export(request, assessment_id, fmt):
    a = _get(request, assessment_id)
    scores = list(selectors.scores_visible_to(request.user, a))
    if not scores:
        raise Http404
    unit_ids = {s.unit_id for s in scores}
    lines = [line for line in a.lines.order_by("unit_id", "at", "id") if line.unit_id in unit_ids]
    if fmt == "xlsx":
        data = exporting.workbook(a, scores, lines)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = exporting.document(a, scores, lines)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=ctype)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(a.title)}.{fmt}"
    return response
