"""Pages for inspections, findings in the field (phone), media and re-checks. Views parse, call a
service or a selector, and render; a domain error becomes a message and changes nothing."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError
from duban.items.selectors import get_visible_item, items_visible_to

from . import forms, selectors, services
from .models import Finding, Inspection, Media, Recheck, RecheckRule, Target


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _error(request, e: DomainError, fallback):
    if _wants_json(request):
        return JsonResponse({"detail": e.message, "field": e.field}, status=e.status_code)
    messages.error(request, e.message)
    return redirect(fallback)


# --- inspections ------------------------------------------------------------------------------

@login_required
def inspection_list(request):
    user = request.user
    rows = list(selectors.inspections_visible_to(user)[:200])
    to_approve = [i for i in rows if i.status == Inspection.Status.REPORT_PENDING and (
        i.leader_id == user.id or (i.org_id == user.org_id and user.role == "principal_leader"))]
    return render(request, "inspections/inspection_list.html", {
        "rows": rows, "is_office": selectors.is_office(user, user.org_id), "to_approve": to_approve,
    })


@login_required
def inspection_create(request):
    user = request.user
    if not selectors.is_office(user, user.org_id):
        raise Http404
    form = forms.InspectionForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        targets = ([services.TargetSpec(Target.Kind.UNIT, unit=u) for u in cd["target_units"]]
                   + [services.TargetSpec(Target.Kind.ITEM, item=i) for i in cd["target_items"]]
                   + [services.TargetSpec(Target.Kind.PLAN, plan=p) for p in cd["target_plans"]]
                   + [services.TargetSpec(Target.Kind.SITE, address=a.strip())
                      for a in cd["sites"].splitlines() if a.strip()])
        try:
            insp = services.plan_inspection(user.org, user, services.InspectionFields(
                title=cd["title"], kind=cd["kind"], start_date=cd["start_date"], end_date=cd["end_date"],
                leader=cd["leader"], purpose=cd["purpose"], team_leader=cd["team_leader"],
                members=list(cd["members"]), external_members=cd["external_members"], targets=targets,
            ))
        except DomainError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, "督查检查已安排")
            return redirect("inspection_detail", insp.id)
    return render(request, "inspections/inspection_form.html", {"form": form})


def _get(request, inspection_id) -> Inspection:
    insp = selectors.get_inspection(request.user, inspection_id)
    if insp is None:
        raise Http404
    return insp


@login_required
def inspection_detail(request, inspection_id):
    user = request.user
    insp = _get(request, inspection_id)
    office = selectors.is_office(user, insp.org_id)
    findings = list(selectors.findings_visible_to(user, insp))
    sees_team = selectors.sees_whole_org(user, insp.org_id) or selectors.is_team_member(user, insp)
    # The 督查报告 covers every unit visited: it is for the office, the team and the leaders; a
    # unit reads only its own findings (issue 12: a unit never sees another unit's findings).
    report_photos = list(insp.report_photos.all()) if insp.report_body and sees_team else []
    return render(request, "inspections/inspection_detail.html", {
        "insp": insp, "findings": findings, "is_office": office,
        "may_record": selectors.may_record(user, insp),
        "may_decide_report": insp.status == Inspection.Status.REPORT_PENDING and (
            user.id == insp.leader_id or (user.org_id == insp.org_id and user.role == "principal_leader")),
        "sees_team": sees_team, "targets": selectors.targets_visible_to(user, insp),
        "decide_form": forms.DecideFindingForm(insp.org) if office else None,
        "report_form": forms.ReportForm(initial={"body": insp.report_body or services.compose_report(insp)})
        if office and insp.status == Inspection.Status.PLANNED else None,
        "selected": {m.pk for m in report_photos}, "report_photos": report_photos,
        "photos": [m for f in findings for m in f.media.all() if m.kind == Media.Kind.PHOTO],
    })


@login_required
def finding_record(request, inspection_id):
    """The phone page: one finding with text, photos and videos, time and place. Without JavaScript
    the form posts everything at once; with it (static/inspections/field.js) the text is kept in the
    browser as it is typed, then the finding is saved and each file uploaded with progress and retry."""
    user = request.user
    insp = _get(request, inspection_id)
    if not selectors.may_record(user, insp):
        if _wants_json(request):
            return JsonResponse({"detail": "只有督查组成员可以在督查报告报送前记录问题", "field": None}, status=403)
        messages.error(request, "只有督查组成员可以在督查报告报送前记录问题")
        return redirect("inspection_detail", insp.id)
    form = forms.FindingForm(insp, request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            with transaction.atomic():
                finding = services.record_finding(
                    insp.id, user, target_id=cd["target"], text=cd["text"], captured_at=cd["captured_at"],
                    latitude=cd["latitude"], longitude=cd["longitude"], accuracy_m=cd["accuracy_m"])
                for f in request.FILES.getlist("photos") + request.FILES.getlist("videos"):
                    services.add_media(user, f, finding=finding)
        except DomainError as e:
            if _wants_json(request):
                return JsonResponse({"detail": e.message, "field": e.field}, status=e.status_code)
            form.add_error(None, e.message)
        else:
            if _wants_json(request):
                return JsonResponse({"finding": finding.id,
                                     "upload_url": reverse("finding_media", args=[finding.id]),
                                     "done_url": reverse("inspection_detail", args=[insp.id])})
            messages.success(request, "督查发现已保存")
            return redirect("inspection_detail", insp.id)
    elif request.method == "POST" and _wants_json(request):
        first = next(iter(form.errors.items()))
        return JsonResponse({"detail": f"{form.fields[first[0]].label if first[0] in form.fields else ''}：{first[1][0]}",
                             "field": first[0]}, status=400)
    return render(request, "inspections/finding_form.html", {"insp": insp, "form": form})


@login_required
@require_POST
def finding_media(request, finding_id):
    """One file for a finding (the phone page uploads each file separately, so a dropped
    connection costs one file, which the page offers to send again)."""
    user = request.user
    finding = Finding.objects.select_related("inspection").filter(pk=finding_id).first()
    if finding is None or selectors.get_inspection(user, finding.inspection_id) is None:
        raise Http404
    f = request.FILES.get("file")
    try:
        if f is None:
            raise services.InvalidInput("没有收到文件，请重试", "file")
        m = services.add_media(user, f, finding=finding, captured_at=request.POST.get("captured_at") or None)
    except DomainError as e:
        return _error(request, e, reverse("inspection_detail", args=[finding.inspection_id]))
    if _wants_json(request):
        return JsonResponse({"media": m.token, "kind": m.kind})
    return redirect("inspection_detail", finding.inspection_id)


@login_required
@require_POST
def finding_decide(request, finding_id):
    finding = Finding.objects.filter(pk=finding_id).first()
    if finding is None or selectors.get_inspection(request.user, finding.inspection_id) is None:
        raise Http404
    back = reverse("inspection_detail", args=[finding.inspection_id]) + f"#finding-{finding.id}"
    form = forms.DecideFindingForm(request.user.org, request.POST)
    if not form.is_valid():
        messages.error(request, "请检查处理方式、整改单位和整改时限")
        return redirect(back)
    cd = form.cleaned_data
    try:
        f = services.decide_finding(finding.id, request.user, outcome=cd["outcome"], note=cd["note"],
                                    unit=cd["unit"], deadline=cd["deadline"])
    except DomainError as e:
        return _error(request, e, back)
    if f.rectification_item_id:
        messages.success(request, f"整改通知书已拟办并呈领导审批（事项“{f.rectification_item.title}”）")
    else:
        messages.success(request, f"已处理：{f.get_outcome_display()}")
    return redirect(back)


@login_required
@require_POST
def inspection_report(request, inspection_id, action):
    user = request.user
    insp = _get(request, inspection_id)
    back = reverse("inspection_detail", args=[insp.id]) + "#report"
    try:
        if action == "save":
            services.save_report(insp.id, user, body=request.POST.get("body", ""),
                                 photo_tokens=request.POST.getlist("photos"))
            messages.success(request, "督查报告已保存")
        elif action == "submit":
            services.save_report(insp.id, user, body=request.POST.get("body", ""),
                                 photo_tokens=request.POST.getlist("photos"))
            services.submit_report(insp.id, user)
            messages.success(request, "督查报告已呈领导审批")
        elif action in ("approve", "return"):
            services.decide_report(insp.id, user, approve=action == "approve", comment=request.POST.get("comment", ""))
            messages.success(request, "督查报告已印发" if action == "approve" else "督查报告已退回修改")
        else:
            raise Http404
    except DomainError as e:
        return _error(request, e, back)
    return redirect(back)


@login_required
def inspection_report_docx(request, inspection_id):
    """The 督查报告 as .docx, for those who may read it (the office, the team, the leaders)."""
    from django.http import HttpResponse

    from .report_docx import inspection_report_docx as build

    user = request.user
    insp = _get(request, inspection_id)
    if not (selectors.sees_whole_org(user, insp.org_id) or selectors.is_team_member(user, insp)) or not insp.report_body:
        raise Http404
    response = HttpResponse(build(insp), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename=\"inspection-{insp.id}.docx\"; filename*=UTF-8''{quote(insp.title + '督查报告.docx')}"
    return response


# --- media ------------------------------------------------------------------------------------

VARIANTS = ("thumb", "display", "original")


def media_file(request, token, variant):
    """Serve a photo or video only through the door: findings by inspection and unit, a report's
    files by the item and the report (as attachments are). The browser is told exactly what the
    file is (our own content type, never the uploader's), not to sniff, and to sandbox it: an
    upload can never run script in the site's origin."""
    if variant not in VARIANTS or not request.user.is_authenticated:
        raise Http404
    found = selectors.media_for_download(request.user, token)
    if found is None:
        raise Http404
    m, originals = found
    if variant == "original":
        if not originals:
            raise Http404
        f, ctype, name = m.original, m.content_type, m.original_name
    elif m.kind == Media.Kind.VIDEO:
        if variant != "display" or not m.is_processed or not m.display:
            raise Http404
        f, ctype, name = m.display, m.content_type, m.original_name
    else:
        f = m.thumbnail if variant == "thumb" else m.display
        if not m.is_processed or not f:
            raise Http404
        ctype, name = "image/jpeg", m.original_name.rsplit(".", 1)[0] + ".jpg"
    response = FileResponse(f.open("rb"), content_type=ctype)
    disposition = "attachment" if variant == "original" and m.kind == Media.Kind.PHOTO else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_POST
def report_media(request, item_id, report_id):
    """A unit attaches photos or videos to its draft report (a site cleaned up: issue 12, point 6)."""
    item = get_visible_item(request.user, item_id)
    if item is None:
        raise Http404
    report = item.reports.filter(pk=report_id).first()
    if report is None:
        raise Http404
    back = reverse("item_detail", args=[item.id]) + "#gallery"
    files = request.FILES.getlist("file")
    try:
        if not files:
            raise services.InvalidInput("请选择照片或视频", "file")
        for f in files:
            services.add_media(request.user, f, report=report)
    except DomainError as e:
        return _error(request, e, back)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    messages.success(request, f"已上传{len(files)}个照片或视频")
    return redirect(back)


# --- re-checks --------------------------------------------------------------------------------

@login_required
def recheck_list(request):
    user = request.user
    if not selectors.sees_whole_org(user, user.org_id):
        raise Http404
    state = request.GET.get("state") or "proposed"
    rows = selectors.rechecks_of(user.org)
    if state in Recheck.State.values:
        rows = rows.filter(state=state)
    return render(request, "inspections/recheck_list.html", {
        "rows": rows[:300], "state": state, "states": Recheck.State.choices,
        "rules": RecheckRule.objects.filter(org=user.org, is_active=True),
        "is_office": selectors.is_office(user, user.org_id), "form": forms.RecheckForm(),
    })


@login_required
@require_POST
def recheck_propose(request):
    try:
        made = services.propose_rechecks(request.user.org, by=request.user)
    except DomainError as e:
        return _error(request, e, reverse("recheck_list"))
    messages.success(request, f"按规则新增回头看建议{len(made)}项")
    return redirect("recheck_list")


@login_required
@require_POST
def recheck_add(request):
    user = request.user
    number = (request.POST.get("number") or "").strip()[:40]
    item = items_visible_to(user).filter(number=number).first() if number else None
    try:
        if item is None:
            raise services.InvalidInput("没有找到该编号的事项", "number")
        services.add_recheck(item.id, user)
    except DomainError as e:
        return _error(request, e, reverse("recheck_list"))
    messages.success(request, f"已将{item.number}列入回头看")
    return redirect("recheck_list")


@login_required
@require_POST
def recheck_record(request, recheck_id):
    user = request.user
    back = reverse("recheck_list")
    form = forms.RecheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择结果并填写回头看情况")
        return redirect(back)
    cd = form.cleaned_data
    try:
        with transaction.atomic():
            r = services.record_recheck(recheck_id, user, holding=cd["result"] == "holding", note=cd["note"],
                                        deadline=cd["deadline"])
            for f in request.FILES.getlist("file"):
                services.add_media(user, f, recheck=r)
    except DomainError as e:
        return _error(request, e, back)
    messages.success(request, f"回头看结果：{r.get_state_display()}" +
                     ("，已重新拟办事项并呈领导审批" if r.relapse_item_id else ""))
    return redirect(back)


@login_required
@require_POST
def recheck_dismiss(request, recheck_id):
    try:
        services.dismiss_recheck(recheck_id, request.user, note=request.POST.get("note", ""))
    except DomainError as e:
        return _error(request, e, reverse("recheck_list"))
    return redirect("recheck_list")
