"""Circular pages: the list every unit reads, the draft the office writes, the leader's approval.
Views parse, call a service or selector, and render; a domain error is a message and changes nothing
(a stale form: 409)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError

from . import exporting, selectors, services, writing
from .forms import CommentForm, DraftForm, EditForm, MentionForm, VersionForm
from .models import CircularKind, CircularStatus, Mention

PAGE_SIZE = 30


@login_required
def circular_list(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.circular_list(request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "circulars/list.html", {
        "page": page, "status": status, "statuses": CircularStatus.choices,
        "may_draft": selectors.may_draft(request.user), "may_filter": request.user.role in selectors.DRAFT_READERS,
    })


def _apply(form, err: DomainError):
    form.add_error(err.field if err.field in form.fields else None, err.message)


@login_required
def circular_create(request):
    user = request.user
    if not selectors.may_draft(user):
        raise Http404
    kind = request.GET.get("kind", CircularKind.MONTHLY)
    if kind not in CircularKind.values:
        kind = CircularKind.MONTHLY
    start, end = writing.default_period(kind, timezone.localdate())
    form = DraftForm(request.POST or None, initial={"kind": kind, "period_start": start, "period_end": end})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                c = services.draft_circular(user.org, user, kind=d["kind"], period_start=d["period_start"],
                                            period_end=d["period_end"], title=d["title"])
            except DomainError as err:
                _apply(form, err)
                status = err.status_code
            else:
                messages.success(request, "已按统计期间的数据生成通报草稿，请修改正文、确定表扬与批评的单位")
                return redirect("circulars:detail", c.id)
        else:
            status = 400
    periods = {k: [d.isoformat() for d in writing.default_period(k, timezone.localdate())] for k in CircularKind.values}
    return render(request, "circulars/form.html", {"form": form, "periods": periods}, status=status)


def _detail(request, c, *, forms=None, status=200):
    forms = forms or {}
    acts = selectors.actions_for(request.user, c)
    mentions = list(c.mentions.select_related("unit"))
    v = {"version": c.version}
    ctx = {
        "c": c, "acts": acts, "mentions": mentions, "sections": writing.sections(c, mentions),
        "headers": writing.TABLE_HEADERS, "rows": writing.table_rows(c.figures), "hide": writing.HIDE_ON_PHONE,
        "totals": c.figures.get("totals", {}), "events": c.events.select_related("actor"),
        "period": writing.period_label(c.period_start, c.period_end),
    }
    if acts["edit"]:
        ctx["edit_form"] = forms.get("edit") or EditForm(initial={"title": c.title, "body": c.body, "closing": c.closing, **v})
        ctx["mention_form"] = forms.get("mention") or MentionForm(c.org, initial=v)
        ctx["suggestions"] = selectors.suggestions_for(c)
    if acts["approve"]:
        ctx["comment_form"] = forms.get("approve") or forms.get("return") or CommentForm(initial=v)
    return render(request, "circulars/detail.html", ctx, status=status)


def _get(request, circular_id):
    c = selectors.get_visible_circular(request.user, circular_id)
    if c is None:
        raise Http404
    return c


@login_required
def circular_detail(request, circular_id):
    return _detail(request, _get(request, circular_id))


FORMS = {"edit": EditForm, "approve": CommentForm, "return": CommentForm, "submit": VersionForm,
         "issue": VersionForm, "recount": VersionForm}
DONE = {"edit": "已保存", "mention": "已加入名单", "submit": "已呈领导审批", "approve": "已同意印发",
        "return": "已退回督查室修改", "issue": "已印发，各单位已收到通知", "recount": "已按最新数据重新统计并改写正文"}


@login_required
@require_POST
def circular_action(request, circular_id, action):
    user = request.user
    c = _get(request, circular_id)
    if action == "mention":
        form = MentionForm(c.org, request.POST)
    elif action in FORMS:
        form = FORMS[action](request.POST)
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, "请检查填写的内容")
        return _detail(request, c, forms={action: form}, status=400)
    d = form.cleaned_data
    kw = {"version": d["version"]}
    try:
        if action == "edit":
            services.edit_circular(c.id, user, title=d["title"], body=d["body"], closing=d["closing"], **kw)
        elif action == "mention":
            services.add_mention(c.id, user, unit=d["unit"], kind=d["kind"], facts=d["facts"], **kw)
        elif action == "submit":
            services.submit(c.id, user, **kw)
        elif action == "approve":
            services.approve(c.id, user, comment=d["comment"], **kw)
        elif action == "return":
            services.return_circular(c.id, user, reason=d["comment"], **kw)
        elif action == "issue":
            services.issue(c.id, user, **kw)
        elif action == "recount":
            services.recount(c.id, user, **kw)
    except DomainError as err:
        _apply(form, err)
        messages.error(request, err.message)
        return _detail(request, _get(request, circular_id), forms={action: form}, status=err.status_code)
    messages.success(request, DONE[action])
    return redirect("circulars:detail", c.id)


@login_required
@require_POST
def mention_delete(request, circular_id, mention_id):
    c = _get(request, circular_id)
    if not Mention.objects.filter(pk=mention_id, circular=c).exists():
        raise Http404
    try:
        services.remove_mention(mention_id, request.user, version=request.POST.get("version"))
    except DomainError as err:
        messages.error(request, err.message)
        return _detail(request, _get(request, circular_id), status=err.status_code)
    messages.success(request, "已从名单中删除")
    return redirect("circulars:detail", c.id)


@login_required
def circular_download(request, circular_id, fmt):
    c = _get(request, circular_id)
    name = f"{c.number or '督查通报草稿'}.{fmt}"
    if fmt == "docx":
        data, ctype = exporting.circular_docx(c), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        data, ctype = exporting.circular_xlsx(c), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp
