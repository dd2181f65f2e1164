"""Survey pages: the office's (build, links, results, export) and the public answer page, which
needs no account and shows nothing but the survey the link is for."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError, NotFound

from . import forms, selectors, services
from .models import Rating, Survey, SurveyLink


def _office(user) -> bool:
    return user.role in ("supervisor", "office_head")


@login_required
def survey_list(request):
    return render(request, "surveys/survey_list.html", {
        "rows": selectors.surveys_visible_to(request.user)[:200], "is_office": _office(request.user)})


@login_required
def survey_create(request):
    if not _office(request.user):
        raise Http404
    form = forms.SurveyForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            s = services.create_survey(request.user.org, request.user, title=cd["title"], intro=cd["intro"],
                                       units=list(cd["units"]), items=list(cd["items"]),
                                       questions=cd["questions"].splitlines())
        except DomainError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            return redirect("survey_detail", s.id)
    return render(request, "surveys/survey_form.html", {"form": form})


def _get(request, survey_id) -> Survey:
    s = selectors.surveys_visible_to(request.user).filter(pk=survey_id).first()
    if s is None:
        raise Http404
    return s


@login_required
def survey_detail(request, survey_id):
    s = _get(request, survey_id)
    links = list(s.links.all())
    return render(request, "surveys/survey_detail.html", {
        "s": s, "results": selectors.results_per_unit(s), "comments": selectors.comments_of(s),
        "links": links, "used": sum(1 for li in links if li.used_at), "is_office": _office(request.user),
        "links_form": forms.LinksForm(), "subjects": s.subjects.select_related("unit", "item"),
        "questions": s.questions.all(),
        "base": request.build_absolute_uri("/")[:-1],
    })


@login_required
@require_POST
def survey_action(request, survey_id, action):
    s = _get(request, survey_id)
    try:
        if action == "links":
            form = forms.LinksForm(request.POST)
            if not form.is_valid():
                raise services.InvalidInput("请选择测评对象并填写份数（1—500）", "count")
            made = services.make_links(s.id, request.user, **form.cleaned_data)
            messages.success(request, f"已生成{len(made)}个测评链接")
        elif action == "open":
            services.open_survey(s.id, request.user)
            messages.success(request, "测评已开始")
        elif action == "close":
            services.close_survey(s.id, request.user)
            messages.success(request, "测评已结束")
        else:
            raise Http404
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("survey_detail", s.id)


@login_required
def survey_export(request, survey_id):
    """Results per unit as .xlsx (满意率 and weighted score), with the comments on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    s = _get(request, survey_id)
    wb = Workbook()
    ws = wb.active
    ws.title = "按单位汇总"
    ws.append(["单位", "满意", "基本满意", "不满意", "合计", "满意率(%)", "得分"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in selectors.results_per_unit(s):
        ws.append([_safe(r.unit_name), r.satisfied, r.basic, r.unsatisfied, r.total, float(r.rate), float(r.score)])
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 30
    c2 = wb.create_sheet("意见建议")
    c2.append(["单位", "测评对象", "意见建议"])
    audiences = dict(services.Audience.choices)
    for unit, audience, comment in selectors.comments_of(s):
        c2.append([_safe(unit), audiences.get(audience, audience), _safe(comment)])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"survey-{s.id}.xlsx\"; filename*=UTF-8''%E6%BB%A1%E6%84%8F%E5%BA%A6%E6%B5%8B%E8%AF%84-{s.id}.xlsx"
    return response


def _safe(text) -> str:
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@never_cache
def survey_answer(request, token):
    """The public page: no account, no navigation, nothing but this survey; one answer per link."""
    link = SurveyLink.objects.select_related("survey").filter(token=str(token)[:64]).first()
    if link is None or link.survey.state != Survey.State.OPEN:
        return render(request, "surveys/answer_closed.html", {"reason": "链接无效或测评未在进行中"}, status=404)
    if link.used_at:
        return render(request, "surveys/answer_closed.html", {"reason": "该链接已提交，感谢参与"}, status=410)
    s = link.survey
    error = None
    if request.method == "POST":
        try:
            services.answer(token, request.POST)
        except NotFound:
            return render(request, "surveys/answer_closed.html", {"reason": "链接无效或测评未在进行中"}, status=404)
        except DomainError as e:
            error = e.message
            if e.status_code == 409:
                return render(request, "surveys/answer_closed.html", {"reason": e.message}, status=410)
        else:
            return render(request, "surveys/answer_closed.html", {"reason": "提交成功，感谢参与"})
    subjects = list(s.subjects.select_related("unit", "item"))
    questions = list(s.questions.all())
    rows = [(sub, [(q, f"r_{sub.id}_{q.id}", request.POST.get(f"r_{sub.id}_{q.id}", "")) for q in questions],
             f"c_{sub.id}", request.POST.get(f"c_{sub.id}", "")) for sub in subjects]
    response = render(request, "surveys/answer.html", {
        "s": s, "rows": rows, "ratings": Rating.choices, "error": error})
    # The token is in the URL: never send it to another site. (Not "no-referrer": the browser
    # would then send "Origin: null" with the form, and Django's CSRF check rightly refuses it.)
    response["Referrer-Policy"] = "same-origin"
    return response
