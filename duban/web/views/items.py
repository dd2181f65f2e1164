"""Item pages: the work list, the list with filters, the item page with its actions, drafting.

Views parse input, call a selector or a service, and render. A domain error becomes a message on
the page and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.deadlines import services as deadlines
from duban.documents import selectors as documents
from duban.documents import services as archiving
from duban.items import selectors, services, workflow
from duban.items.errors import DomainError
from duban.inspections.templatetags.inspections import gallery
from duban.items.models import Assignment, ExtensionRequest, Item, ItemKind, Report, Status, Urgency
from duban.ledgers.selectors import ledger_context_of
from duban.urging import lights

from .. import forms
from ..jinja import fragment
from ..paging import Window, pager_label

PAGE_SIZE = 50
# Each work-list bucket shows its newest few; 查看全部 opens the item list filtered to the bucket.
WORKLIST_SHOWN = 10


@login_required
def worklist(request):
    bounds = lights.boundaries(request.user.org)
    summary = selectors.worklist_summary(request.user, shown=WORKLIST_SHOWN)
    wanted = {i for b in summary for i in b.ids}
    found = {i.id: i for i in lights.annotate(selectors.with_list_columns(Item.objects.filter(pk__in=wanted)), bounds)} if wanted else {}
    buckets = [(b.key, b.label, [found[i] for i in b.ids if i in found], b.count) for b in summary]
    total = sum(b.count for b in summary)
    return render(request, "web/worklist.html", {"buckets": buckets, "total": total, "today": timezone.localdate()})


def _filtered(request):
    """The list's filter form and the visible items it selects, with their warning lights."""
    user = request.user
    form = forms.ItemFilterForm(user.org, request.GET or None)
    bounds = lights.boundaries(user.org)
    qs = selectors.with_list_columns(selectors.items_visible_to(user))
    if form.is_valid():
        d = form.cleaned_data
        if d["todo"]:
            qs = qs.filter(selectors.worklist_conditions(user).get(d["todo"], Q(pk__in=[])))
        qs = selectors.filter_items(
            qs, status=d["status"], kind=d["kind"], unit=d["unit"].id if d["unit"] else None,
            leader=d["leader"].id if d["leader"] else None, overdue=d["overdue"],
            due_this_week=d["due_this_week"], q=d["q"],
            year=d["year"], registered_in=d["registered_in"], closed_in=d["closed_in"], unit_role=d["unit_role"],
        )
        if d["light"]:
            qs = lights.filter_light(qs, d["light"], bounds)
        qs = lights.annotate(qs, bounds)
        if d["sort"] == "light":
            qs = qs.order_by("-light", "deadline", "-id")
        elif d["sort"] == "deadline":
            qs = qs.order_by(F("deadline").asc(nulls_last=True), "-id")
    else:
        qs = lights.annotate(qs, bounds)
    return form, qs


@login_required
def item_list(request):
    form, qs = _filtered(request)
    # The rows first; the total, when this page does not reveal it, comes from item_list_count.
    page = Window(qs, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    # The table is a Jinja2 fragment (duban/web/jinja.py): alone for htmx, else inside the page.
    table = fragment(request, "web/item_table.jinja", {
        "page": page, "query": query.urlencode(), "today": timezone.localdate()})
    if request.htmx:
        return HttpResponse(table)
    return render(request, "web/item_list.html", {"form": form, "page": page, "table": table})


@login_required
def item_list_count(request):
    """The pager's total for the list with the same filters: what the list page asks for once it
    is on screen. The same door and filters as the list, so it counts only what the list shows."""
    form, qs = _filtered(request)
    # Unfiltered, the total is everything the user may see, which has a cheaper count.
    filtered = form.is_bound and form.is_valid() and any(v for k, v in form.cleaned_data.items() if k != "sort")
    count = qs.count() if filtered else selectors.count_visible(request.user)
    return HttpResponse(pager_label(request.GET.get("page"), count, PAGE_SIZE))


def _draft_fields(cd) -> services.DraftFields:
    return services.DraftFields(
        title=cd["title"], content=cd["content"], kind=cd["kind"], urgency=cd["urgency"],
        lead_unit=cd["lead_unit"], co_units=list(cd["co_units"]), responsible_leader=cd["responsible_leader"],
        deadline=cd["deadline"], deadline_override_reason=cd["deadline_override_reason"],
        source_text=cd["source_text"], is_secret=cd["is_secret"],
        report_cycle=None if cd["report_cycle"] in ("auto", None) else cd["report_cycle"],
    )


def _posted(request):
    """Bind a form on POST even when nothing was filled in, so empty submissions show errors."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _apply_error(form, err: DomainError):
    field = err.field if err.field in form.fields else None
    form.add_error(field, err.message)


@login_required
def item_create(request):
    user = request.user
    if not user.is_office:
        messages.error(request, "只有督查室人员可以拟办督查事项")
        return redirect("worklist")
    form = forms.ItemDraftForm(user.org, *_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_draft(user.org, user, _draft_fields(form.cleaned_data))
            for f in request.FILES.getlist("source_files"):
                services.add_attachment(item.id, user, f)
        except DomainError as err:
            _apply_error(form, err)
        else:
            messages.success(request, "事项已草拟，可继续修改或呈领导审批")
            return redirect("item_detail", item.id)
    return render(request, "web/item_form.html", {"form": form, "creating": True})


@login_required
def item_edit(request, item_id):
    item = selectors.get_visible_item(request.user, item_id)
    if item is None:
        raise Http404
    initial = {
        "title": item.title, "kind": item.kind, "urgency": item.urgency, "content": item.content,
        "source_text": item.source_text, "lead_unit": item.lead_unit, "co_units": item.co_units,
        "responsible_leader": item.responsible_leader, "deadline": item.deadline if item.deadline_override_reason else None,
        "deadline_override_reason": item.deadline_override_reason, "is_secret": item.is_secret,
        "report_cycle": item.report_cycle,
    }
    form = forms.ItemDraftForm(item.org, *_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(item.id, request.user, _draft_fields(form.cleaned_data), version=request.POST.get("version"))
        except DomainError as err:
            _apply_error(form, err)
        else:
            messages.success(request, "已保存")
            return redirect("item_detail", item.id)
    return render(request, "web/item_form.html", {"form": form, "item": item, "creating": False})


@login_required
def deadline_preview(request):
    """htmx: the deadline the organisation's rules propose for a kind and urgency, from today."""
    kind, urgency = request.GET.get("kind", ""), request.GET.get("urgency", "")
    if kind not in ("", *ItemKind.values) or urgency not in ("", *Urgency.values):
        # Not a choice of the form (e.g. a NUL byte, which PostgreSQL refuses in a query): no rule.
        result, rule = None, None
    else:
        result, rule = deadlines.propose_deadline(request.user.org, kind, urgency, timezone.localdate())
    return render(request, "web/_deadline_preview.html", {"result": result, "rule": rule})


# --- the item page ------------------------------------------------------------------------------------

def _action_forms(user, item, actions, bound=None, explain_first=False):
    """One form per action the user has now; `bound` replaces one with the submitted form."""
    org = item.org
    lead = workflow.acting_assignment(user, item)
    report_kinds = None
    if lead is not None:
        report_kinds = (["progress", "completion", "explanation"] if lead.role == Assignment.Role.LEAD
                        else ["co_input", "explanation"])
        if explain_first:
            report_kinds = ["explanation"]
    factories = {
        "submit_proposal": lambda: forms.CommentForm(),
        "approve_proposal": lambda: forms.CommentForm(),
        "reject_proposal": lambda: forms.ReasonForm(),
        "accept": lambda: forms.AcceptForm(),
        "accept_as_co": lambda: forms.AcceptForm(),
        "decline": lambda: forms.ReasonForm(),
        "decline_as_co": lambda: forms.ReasonForm(),
        "reassign": lambda: forms.ReassignForm(org, initial={"lead_unit": item.lead_unit, "co_units": item.co_units},
                                               known=[item.lead_unit, *item.co_units]),
        "draft_report": lambda: forms.ReportForm(
            kinds=report_kinds, initial={"body": selectors.sent_down_summary(user, item)}),
        "request_extension": lambda: forms.ExtensionRequestForm(),
        "log_urge": lambda: forms.UrgeForm(item),
        "accept_report": lambda: forms.ReviewForm(),
        "close": lambda: forms.CloseForm(),
        "instruct": lambda: forms.InstructionForm(),
        "archive": lambda: forms.Form(),
        "register_lower": lambda: forms.Form(),
        "edit_draft": lambda: None,
    }
    result = []
    for t in actions:
        if t.action not in factories:
            continue
        if t.action == "request_extension" and not services.extension_still_possible(item):
            continue  # past the deadline the unit files an explanation instead
        form = bound[1] if bound and bound[0] == t.action else factories[t.action]()
        result.append((t, form, bool(bound and bound[0] == t.action)))
    return result


def _light_of(item):
    b = lights.boundaries(item.org)
    value = lights.light_of(item.status, item.deadline, b)
    return {"value": value, "label": lights.LABELS.get(value), "color": lights.COLORS.get(value),
            "stalled": lights.is_stalled(item.status, item.last_progress_at, b)}


def _volume(item, reports, extensions, urges, reviews, instructions, attachments):
    """The archive catalogue: every document of the volume, in order (one item, one volume), from
    the records the page has read."""
    entries = [("立项", item.registered_at, f"督查事项交办（{item.number}）")]
    entries += [(r.get_kind_display(), r.submitted_at or r.created_at, f"{r.unit.name}") for r in reports]
    entries += [("附件", a.uploaded_at, a.original_name) for a in selectors.volume_attachments(item, reports, attachments)]
    entries += [(u.get_method_display(), u.occurred_at, u.summary[:60]) for u in urges]
    entries += [("延期申请", e.created_at, f"{e.get_state_display()}：{e.requested_deadline:%Y-%m-%d}") for e in extensions]
    entries += [("审核意见", r.at, r.get_decision_display()) for r in reviews]
    entries += [("领导批示", i.at, i.text[:60]) for i in instructions]
    return sorted((e for e in entries if e[1]), key=lambda e: e[1])


def _upper_of(user, item):
    """The upper item this item carries out: number and organisation, linked if the user may open it."""
    if not item.upper_item_id:
        return None
    upper = item.upper_item
    return {"number": upper.number, "org": upper.org.name, "title": upper.title,
            "id": upper.id if selectors.get_visible_item(user, upper.id) else None}


def _sent_down(user, item):
    """下级办理情况, for the upper office and leaders, on an item assigned to a lower organisation."""
    if not selectors.may_see_sent_down(user, item):
        return None
    rows = selectors.sent_down_progress(item)
    if not rows and not any(a.unit.org_link_id for a in item.assignments.all()):
        return None
    return rows


def _render_item(request, item, bound=None, status=200):
    user = request.user
    actions = selectors.actions_for(user, item)
    mine = workflow.acting_assignment(user, item)
    explain_first = mine is not None and services.explanation_required(item, mine.unit_id)
    in_order = selectors.in_order
    # Read once for the page's cards and, on an archived item, its volume's catalogue.
    attachments = in_order(item.attachments.select_related("uploaded_by"))
    # A report's files are among the item's: handed to it here rather than read again for it.
    reports = in_order(selectors.reports_visible_on(user, item).prefetch_related(None))
    files: dict[int, list] = {}
    for a in attachments:
        if a.report_id is not None:
            files.setdefault(a.report_id, []).append(a)
    due = {mine.unit_id: explain_first} if mine is not None else {}
    for r in reports:
        r.my_actions = services.report_actions(user, item, r, explanation_due=due)
        r.page_files = files.get(r.pk, [])
    can_decide_ext = any(t.action == "decide_extension" for t in actions)
    extensions = in_order(item.extension_requests.select_related("unit", "requested_by", "decided_by"))
    urges = in_order(item.urges.select_related("unit", "by"))
    reviews = in_order(item.reviews.select_related("reviewer"))
    instructions = in_order(item.instructions.select_related("leader"))
    ctx = {
        "item": item,
        "action_forms": _action_forms(user, item, actions, bound, explain_first),
        "reports": reports,
        "extensions": extensions,
        "decision_form": forms.ExtensionDecisionForm() if can_decide_ext else None,
        "urges": urges,
        "reviews": reviews,
        "instructions": instructions,
        "attachments": [a for a in attachments if a.report_id is None],
        "events": selectors.timeline_for(user, item, reports),
        "assignments": item.assignments.all(),
        "today": timezone.localdate(),
        "explanation_required": explain_first,
        "can_upload": selectors.can_upload(user, item),
        "volume": _volume(item, reports, extensions, urges, reviews, instructions, attachments)
        if item.status == Status.ARCHIVED else None,
        "action_labels": workflow.EVENT_LABELS,
        "light": _light_of(item),
        "obligations": item.report_obligations.all() if item.report_cycle else [],
        "upper": _upper_of(user, item),
        "sent_down": _sent_down(user, item),
        "ledger": ledger_context_of(user, item),
        "forms": documents.available_forms(user, item, reports, extensions),
        "sealed_volume": getattr(item, "volume", None)
        if item.status == Status.ARCHIVED and documents.may_read_volume(user, item) else None,
        "can_issue": user.is_office and user.org_id == item.org_id and item.status != Status.DRAFT,
    }
    ctx["gallery"] = gallery(request, item, reports)
    # The body is a Jinja2 fragment (duban/web/jinja.py); the Django page around it is the frame.
    body = fragment(request, "web/item_detail.jinja", ctx)
    return render(request, "web/item_detail.html", {"item": item, "body": body}, status=status)




@login_required
def item_detail(request, item_id):
    item = selectors.get_visible_item(request.user, item_id)
    if item is None:
        raise Http404
    return _render_item(request, item)


def _call(action, user, item, form, request):
    cd = form.cleaned_data
    v = request.POST.get("version")
    if action in ("submit_proposal", "approve_proposal", "reject_proposal", "decline", "decline_as_co"):
        getattr(services, action)(item.id, user, comment=cd["comment"], version=v)
    elif action in ("accept", "accept_as_co"):
        getattr(services, action)(item.id, user, responsible_person=cd["responsible_person"],
                                  responsible_phone=cd["responsible_phone"], version=v)
    elif action == "reassign":
        services.reassign(item.id, user, lead_unit=cd["lead_unit"], co_units=list(cd["co_units"]), comment=cd["comment"], version=v)
    elif action == "draft_report":
        report = services.draft_report(item.id, user, kind=cd["kind"], body=cd["body"])
        for f in cd["files"]:
            services.add_attachment(item.id, user, f, report=report)
        return "报告已起草，请呈单位负责人审签"
    elif action == "request_extension":
        services.request_extension(item.id, user, until=cd["until"], reason=cd["reason"], progress=cd["progress"], version=v)
    elif action == "log_urge":
        services.log_urge(item.id, user, method=cd["method"], unit=cd["unit"], contact_person=cd["contact_person"],
                          occurred_at=cd["occurred_at"], summary=cd["summary"])
    elif action in ("accept_report", "return_for_rework"):
        criteria = {k: cd[k] for k in services.REVIEW_CRITERIA}
        services.review(item.id, user, accept=action == "accept_report", criteria=criteria, comment=cd["comment"], version=v)
    elif action == "close":
        services.close(item.id, user, text=cd["text"], satisfaction=cd["satisfaction"], version=v)
    elif action == "instruct":
        services.instruct(item.id, user, text=cd["text"], version=v)
    elif action == "archive":
        archiving.archive_item(item.id, user, version=v)
        return "已归档；归档卷正在后台立卷，完成后可在本页下载"
    elif action == "register_lower":
        lower = services.register_lower(item.id, user)
        return "已登记为本级草拟事项：请补充主办单位、分管领导后呈领导审批", lower.id
    return "操作成功"


FORM_FOR_ACTION = {
    "submit_proposal": forms.CommentForm, "approve_proposal": forms.CommentForm, "reject_proposal": forms.ReasonForm,
    "accept": forms.AcceptForm, "accept_as_co": forms.AcceptForm, "decline": forms.ReasonForm,
    "decline_as_co": forms.ReasonForm, "request_extension": forms.ExtensionRequestForm,
    "accept_report": forms.ReviewForm, "return_for_rework": forms.ReviewForm,
    "close": forms.CloseForm, "instruct": forms.InstructionForm, "archive": forms.Form,
    "draft_report": forms.ReportForm, "register_lower": forms.Form,
}


@login_required
@require_POST
def item_action(request, item_id, action):
    user = request.user
    item = selectors.get_visible_item(user, item_id)
    if item is None:
        raise Http404
    if action == "reassign":
        form = forms.ReassignForm(item.org, request.POST)
    elif action == "log_urge":
        form = forms.UrgeForm(item, request.POST)
    elif action in FORM_FOR_ACTION:
        form = FORM_FOR_ACTION[action](request.POST, request.FILES)
    else:
        raise Http404
    form_key = "accept_report" if action == "return_for_rework" else action
    if not form.is_valid():
        messages.error(request, "请检查填写的内容")
        return _render_item(request, item, bound=(form_key, form), status=400)
    try:
        msg = _call(action, user, item, form, request)
    except DomainError as err:
        _apply_error(form, err)
        messages.error(request, err.message)
        item = selectors.get_visible_item(user, item_id)
        if item is None:
            raise Http404 from None
        return _render_item(request, item, bound=(form_key, form), status=err.status_code)
    msg, target = msg if isinstance(msg, tuple) else (msg, item.id)  # register_lower opens the new draft
    messages.success(request, msg)
    return redirect("item_detail", target)


@login_required
@require_POST
def report_action(request, report_id, action):
    user = request.user
    report = Report.objects.filter(pk=report_id).only("item_id").first()
    item = report and selectors.get_visible_item(user, report.item_id)
    if item is None:
        raise Http404
    comment = request.POST.get("comment", "")
    try:
        if action == "send_report_to_head":
            services.send_report_to_head(report.id, user)
        elif action == "approve_report":
            services.approve_report(report.id, user, comment=comment)
        elif action == "return_report_to_author":
            services.return_report_to_author(report.id, user, comment=comment)
        elif action == "submit_report":
            services.submit_report(report.id, user, version=request.POST.get("version"))
        elif action == "edit_report":
            services.edit_report(report.id, user, body=request.POST.get("body", ""))
        else:
            raise Http404
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "操作成功")
    return redirect("item_detail", item.id)


@login_required
@require_POST
def extension_decide(request, request_id):
    user = request.user
    ext = ExtensionRequest.objects.filter(pk=request_id).only("item_id").first()
    item = ext and selectors.get_visible_item(user, ext.item_id)
    if item is None:
        raise Http404
    form = forms.ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查审批内容")
        return redirect("item_detail", item.id)
    cd = form.cleaned_data
    try:
        services.decide_extension(ext.id, user, approve=cd["decision"] == "approve",
                                  new_deadline=cd["new_deadline"], comment=cd["comment"])
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "延期申请已审批")
    return redirect("item_detail", item.id)


@login_required
@require_POST
def attachment_upload(request, item_id):
    item = selectors.get_visible_item(request.user, item_id)
    if item is None:
        raise Http404
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的文件")
    try:
        for f in files:
            services.add_attachment(item.id, request.user, f)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        if files:
            messages.success(request, f"已上传 {len(files)} 个附件")
    return redirect("item_detail", item.id)


@login_required
def attachment_download(request, token):
    att = selectors.attachment_for_download(request.user, token)
    if att is None:
        raise Http404
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name,
                        content_type=att.content_type or "application/octet-stream")


def _safe_cell(value) -> str:
    """Text starting with = + - @ is prefixed so a spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_LIMIT = 20000


@login_required
def item_export(request):
    """The filtered list as CSV (UTF-8 with BOM, so Excel opens it in Chinese)."""
    import csv

    from django.http import HttpResponse

    form, qs = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E7%9D%A3%E6%9F%A5%E4%BA%8B%E9%A1%B9.csv"
    response.write("\ufeff")
    w = csv.writer(response)
    w.writerow(["编号", "标题", "类别", "缓急", "主办单位", "分管领导", "办理时限", "时限暂定", "状态"])
    # Plain tuples and label dicts: 20,000 model instances and get_FOO_display() calls cost ~1 s.
    kinds, urgencies, statuses = dict(ItemKind.choices), dict(Urgency.choices), dict(Status.choices)
    rows = qs.values_list(
        "number", "title", "kind", "urgency", "lead_unit__name", "responsible_leader__full_name",
        "responsible_leader__username", "deadline", "deadline_provisional", "status",
    )[:EXPORT_LIMIT]
    for number, title, kind, urgency, unit, leader_name, leader_username, deadline, provisional, status in rows:
        w.writerow([_safe_cell(v) for v in (
            number, title, kinds.get(kind, kind), urgencies.get(urgency, urgency), unit or "",
            leader_name or leader_username or "", deadline.isoformat() if deadline else "",
            "是" if provisional else "", statuses.get(status, status),
        )])
    return response


@login_required
@require_POST
def urge_selected(request):
    """一键催办 from the item list: a reminder on every ticked item."""
    from duban.urging.services import urge_many

    try:
        sent, refusals = urge_many(request.POST.getlist("items"), request.user, message=request.POST.get("message", ""))
    except (DomainError, ValueError) as err:
        messages.error(request, getattr(err, "message", "所选事项无效"))
    else:
        if sent:
            messages.success(request, f"已向 {sent} 件事项的承办单位发出催办")
        for r in refusals[:10]:
            messages.warning(request, r)
    back = request.POST.get("back", "")
    return redirect(f"{reverse('item_list')}?{back}" if back and "//" not in back else "item_list")
