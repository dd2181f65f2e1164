"""Plan and ledger pages: the plan list, a plan's three lists and tree, import with progress,
Excel and Word out, the progress report. Rules live in duban.ledgers; views parse and render."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError

from duban.items.services import DraftFields
from duban.ledgers import exporting, report, selectors, services
from duban.ledgers.models import LedgerJob, Plan, PlanNode

from .. import ledger_forms as forms
from .items import _apply_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TREE_MEASURES_LIMIT = 1000
PAGE_SIZE = 200  # a printed page of the measure lists; the whole ledger prints from the Excel export
TABS = (("problems", "问题清单"), ("measures", "任务清单"), ("responsibility", "责任清单"), ("tree", "分解结构"))


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _plan(request, plan_id) -> Plan:
    plan = selectors.plans_visible_to(request.user).filter(pk=plan_id).select_related("source_item").first()
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_list(request):
    if request.user.role not in selectors.PLAN_READERS:
        raise Http404  # units read their measures as items; the nav offers them no plans
    plans = list(selectors.plans_visible_to(request.user).select_related("created_by", "source_item"))
    figures = selectors.plan_figures(plans)
    rows = [(p, figures[p.id]) for p in plans]
    recent = timezone.now() - dt.timedelta(days=3)
    jobs = LedgerJob.objects.filter(org=request.user.org, created_by=request.user, created_at__gte=recent, dismissed_at=None).exclude(
        state=LedgerJob.State.DONE).select_related("plan")[:5] if selectors.can_edit_plans(request.user) else []
    return render(request, "web/plan_list.html", {
        "rows": rows, "can_edit": selectors.can_edit_plans(request.user), "jobs": jobs,
    })


@login_required
def plan_create(request):
    if not selectors.can_edit_plans(request.user):
        raise Http404
    # 分解立项 of an item (e.g. one received from the upper level): the plan hangs under it.
    source = None
    if request.GET.get("item"):
        from duban.items.selectors import get_visible_item

        source = get_visible_item(request.user, request.GET["item"])
        if source is None or source.org_id != request.user.org_id:
            raise Http404
    initial = {"title": f"{source.title}任务分解", "kind": Plan.Kind.DOCUMENT, "item_kind": source.kind,
               "source_text": f"{source.number} {source.title}".strip()} if source else None
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            params = services.clean_params(request.user.org, source_item=source, **form.cleaned_data)
            plan = services.create_plan(request.user.org, request.user, params)
        except DomainError as err:
            _apply_error(form, err)
        else:
            messages.success(request, "方案已建立，请添加类别、问题和整改措施，或导入台账")
            return redirect("plan_detail", plan.id)
    return render(request, "web/plan_form.html", {"form": form, "source": source})


@login_required
def plan_import(request):
    if not selectors.can_edit_plans(request.user):
        raise Http404
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploaded = data.pop("file")
        try:
            params = services.clean_params(request.user.org, **data)
            job = services.start_import(request.user.org, request.user, uploaded, params)
        except DomainError as err:
            _apply_error(form, err)
        else:
            return redirect("ledger_job", job.id)
    return render(request, "web/plan_import.html", {"form": form})


@login_required
def ledger_template(request):
    if not selectors.can_edit_plans(request.user):
        raise Http404
    return _download(exporting.template_workbook(request.user.org), "整改台账导入模板.xlsx", XLSX)


@login_required
def ledger_job(request, job_id):
    job = LedgerJob.objects.filter(pk=job_id, org_id=request.user.org_id).select_related("plan").first()
    if job is None or not (job.created_by_id == request.user.id or selectors.can_edit_plans(request.user)):
        raise Http404
    template = "web/_ledger_job.html" if request.htmx else "web/ledger_job.html"
    return render(request, template, {"job": job, "errors": job.errors[:500]})


@login_required
@require_POST
def ledger_job_dismiss(request, job_id):
    """关闭 on a finished job's banner: it leaves the plan list (the job stays at its own address)."""
    from duban.items.errors import NotFound

    try:
        services.dismiss_job(job_id, request.user)
    except NotFound:
        raise Http404
    except DomainError as err:
        messages.error(request, err.message)
    if request.htmx:
        return HttpResponse("")  # the banner's outerHTML swapped for nothing
    return redirect("plan_list")


def _filters(plan, request):
    form = forms.LedgerFilterForm(plan, request.GET or None)
    f = selectors.LedgerFilters()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.LedgerFilters(
            category=d["category"].id if d["category"] else None, deadline_class=d["deadline_class"],
            unit=d["unit"].id if d["unit"] else None, leader=d["leader"].id if d["leader"] else None,
            state=d["state"], q=d["q"], problem=d["problem"].id if d["problem"] else None,
        )
    return form, f


@login_required
def plan_detail(request, plan_id):
    plan = _plan(request, plan_id)
    tab = request.GET.get("tab", "problems")
    if tab not in dict(TABS):
        tab = "problems"
    form, f = _filters(plan, request)
    today = timezone.localdate()
    context = {
        "plan": plan, "tab": tab, "tabs": TABS, "form": form, "today": today,
        "figures": selectors.rollup(selectors.leaf_items(plan), today=today),
        "labels": plan.level_labels, "can_edit": selectors.can_edit_plans(request.user, plan),
        "can_submit": services.may_batch(request.user, plan, LedgerJob.Kind.SUBMIT),
        "can_approve": services.may_batch(request.user, plan, LedgerJob.Kind.APPROVE),
        "drafts": services.batch_candidates(plan, LedgerJob.Kind.SUBMIT).count(),
        "pending": services.batch_candidates(plan, LedgerJob.Kind.APPROVE).count(),
        "jobs": plan.jobs.exclude(kind=LedgerJob.Kind.IMPORT)[:3],
        "query": request.GET.urlencode(),
        "problem": form.cleaned_data.get("problem") if form.is_bound and form.is_valid() else None,
    }
    if tab == "problems":
        context["problems"] = selectors.problem_rows(plan, f, today=today)
    elif tab in ("measures", "responsibility"):
        page = Paginator(selectors.measure_nodes(request.user, plan, f, today=today), PAGE_SIZE)
        context["nodes"] = context["page"] = page.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    else:
        # A large plan's structure is its categories and problems; its measures are in the lists.
        folded = context["figures"].total > TREE_MEASURES_LIMIT
        context["tree"] = list(selectors.tree_nodes(request.user, plan, measures=not folded))
        context["tree_folded"] = folded
        counts = selectors.node_figures(plan, today=today)
        for n in context["tree"]:
            n.done_of = counts.get(n.id)
        if context["can_edit"]:
            # Three forms on one page: each its own ids, or the labels of one point into another.
            # One decomposes top down: the next problem goes under the last category, the next
            # measure under the last problem.
            last = {n.level: n for n in context["tree"]}
            context["category_form"] = forms.CategoryForm(auto_id="category_%s")
            context["problem_form"] = forms.ProblemForm(plan, auto_id="problem_%s",
                                                        initial={"category": last.get(PlanNode.Level.CATEGORY)})
            context["measure_form"] = forms.MeasureForm(plan, auto_id="measure_%s",
                                                        initial={"problem": last.get(PlanNode.Level.PROBLEM)})
    return render(request, "web/plan_detail.html", context)


@login_required
def plan_export(request, plan_id):
    """The ledger (filtered as on the page) as the .xlsx offices print; it imports back unchanged."""
    plan = _plan(request, plan_id)
    _, f = _filters(plan, request)
    today = timezone.localdate()
    nodes = selectors.measure_nodes(request.user, plan, f, today=today)
    content = exporting.ledger_workbook(plan, nodes, subtitle=f"截至{report.cn_date(today)}")
    return _download(content, f"{plan.title}_台账_{exporting.filename_date(today)}.xlsx", XLSX)


@login_required
def plan_report(request, plan_id, fmt="html"):
    plan = _plan(request, plan_id)
    as_of = timezone.localdate()
    form = forms.ReportDateForm(request.GET or None, initial={"as_of": as_of})
    if form.is_bound and not form.is_valid():
        # A date that does not parse or lies beyond 2099: the page says why, no file is made.
        r = report.progress_report(plan, as_of)
        return render(request, "web/plan_report.html", {"plan": plan, "r": r, "form": form, "query": ""}, status=400)
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    r = report.progress_report(plan, as_of)
    name = f"{plan.title}_整改进展_{exporting.filename_date(as_of)}"
    if fmt == "docx":
        return _download(report.report_docx(r, issuer=plan.org.name), name + ".docx", DOCX)
    if fmt == "xlsx":
        return _download(report.report_xlsx(r), name + ".xlsx", XLSX)
    return render(request, "web/plan_report.html", {"plan": plan, "r": r, "form": form, "query": request.GET.urlencode()})


@login_required
@require_POST
def plan_batch(request, plan_id, kind):
    plan = _plan(request, plan_id)
    try:
        job = services.start_batch(plan.id, request.user, kind)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("plan_detail", plan.id)
    return redirect("ledger_job", job.id)


@login_required
@require_POST
def plan_add(request, plan_id, level):
    plan = _plan(request, plan_id)
    back = redirect(f"/plans/{plan.id}/?tab=tree")
    try:
        if level == "category":
            form = forms.CategoryForm(request.POST)
            if form.is_valid():
                services.add_category(plan.id, request.user, title=form.cleaned_data["title"])
        elif level == "problem":
            form = forms.ProblemForm(plan, request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.add_problem(plan.id, request.user, title=d["title"], category=d["category"],
                                     deadline_class=d["deadline_class"])
        elif level == "measure":
            form = forms.MeasureForm(plan, request.POST)
            if form.is_valid():
                d = form.cleaned_data
                content = d["content"].strip()
                fields = DraftFields(
                    title=content.splitlines()[0][:200] if content else "", content=content, kind=plan.item_kind,
                    urgency="normal", lead_unit=d["lead_unit"], co_units=list(d["co_units"]),
                    responsible_leader=d["responsible_leader"], deadline=d["deadline"],
                    deadline_override_reason="按整改台账时限" if d["deadline"] else "",
                )
                services.add_measure(plan.id, request.user, problem=d["problem"], fields=fields,
                                     target=d["target"], deadline_class=d["deadline_class"])
        else:
            raise Http404
    except DomainError as err:
        messages.error(request, err.message)
        return back
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errs)}" if label else "；".join(errs))
    else:
        messages.success(request, "已添加")
    return back

