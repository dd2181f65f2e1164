"""Document pages: a form as Word, PDF or a printable page; issuing 督查专报 and 整改通知书; the
archive (year's archiving with progress, the register, volumes, chain verification, templates).
Every document comes from ``duban.documents`` (selectors fill, render formats): no view builds one."""

from __future__ import annotations

from urllib.parse import quote

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from csp.decorators import csp_update

from duban.documents import render as docrender
from duban.documents import selectors, services
from duban.documents.forms import placeholders
from duban.documents.kinds import FormKind
from duban.documents.models import ArchiveJob, FormTemplate, Volume
from duban.items.errors import DomainError
from duban.items.selectors import get_visible_item
from duban.orgs.models import Role, Unit

from .items import _apply_error

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"document\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@csp_update({"style-src": ["'unsafe-inline'"]})  # one <style> serves the browser's print and the PDF
def form_document(request, item_id, kind, fmt):
    """/items/<id>/forms/<kind>.<docx|pdf> and /items/<id>/forms/<kind>/ (the page to print)."""
    found = selectors.form_for(request.user, item_id, kind, request.GET.get("ref"))
    if found is None or fmt not in ("docx", "pdf", "print"):
        raise Http404
    form, item = found
    name = form.filename or form.title
    if fmt == "docx":
        return _attachment(docrender.to_docx(form, item.org), f"{name}.docx", DOCX)
    if fmt == "pdf":
        return _attachment(docrender.to_pdf(form, item.org), f"{name}.pdf", "application/pdf")
    ref = f"?ref={request.GET['ref']}" if request.GET.get("ref") else ""
    toolbar = {
        "pdf": reverse("form_document_file", args=[item.id, kind, "pdf"]) + ref,
        "docx": reverse("form_document_file", args=[item.id, kind, "docx"]) + ref,
        "back": reverse("item_detail", args=[item.id]),
    }
    return HttpResponse(docrender.to_html(form, item.org, toolbar=toolbar))


@login_required
def volume_download(request, item_id):
    item = get_visible_item(request.user, item_id)
    if item is None or not selectors.may_read_volume(request.user, item):
        raise Http404
    volume = Volume.objects.filter(item=item).first()
    if volume is None:
        raise Http404
    return FileResponse(volume.file.open("rb"), as_attachment=True, content_type="application/zip",
                        filename=f"{volume.archive_number}-{item.title[:40]}.zip")


class SpecialReportForm(djforms.Form):
    title = djforms.CharField(label="标题", max_length=200)
    main_to = djforms.CharField(label="主送", max_length=200)
    signer = djforms.CharField(label="签发人", max_length=50)
    cc = djforms.CharField(label="抄送", max_length=200, required=False)
    body = djforms.CharField(label="正文", max_length=20000, widget=djforms.Textarea(attrs={"rows": 12}))


@login_required
def special_report(request, item_id):
    item = get_visible_item(request.user, item_id)
    if item is None or not (request.user.is_office and request.user.org_id == item.org_id):
        raise Http404
    form = SpecialReportForm(request.POST or None, initial=services.special_report_draft(item))
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.issue_special_report(item.id, request.user, **form.cleaned_data)
        except DomainError as err:
            _apply_error(form, err)
        else:
            messages.success(request, f"督查专报{doc.number}已印发")
            return redirect(f"{reverse('form_document', args=[item.id, doc.kind])}?ref={doc.id}")
    return render(request, "web/document_issue.html", {"form": form, "item": item, "heading": "印发督查专报"})


class RectificationForm(djforms.Form):
    kind = djforms.ChoiceField(label="文种", choices=[(FormKind.RECTIFICATION_NOTICE, "整改通知书"),
                                                    (FormKind.RECOMMENDATION_LETTER, "督查建议书")])
    unit = djforms.ModelChoiceField(label="受文单位", queryset=Unit.objects.none())
    title = djforms.CharField(label="标题", max_length=200)
    body = djforms.CharField(label="发现的问题与整改要求", max_length=20000, widget=djforms.Textarea(attrs={"rows": 10}))
    answer_deadline = djforms.DateField(label="反馈时限", widget=djforms.DateInput(attrs={"type": "date"}))
    cc = djforms.CharField(label="抄送", max_length=200, required=False)

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(org=org, is_active=True).exclude(
            kind__in=[Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP])


@login_required
def rectification_notice(request, item_id):
    """整改通知书 / 督查建议书 about an item's findings; it opens an answer item for the unit."""
    item = get_visible_item(request.user, item_id)
    if item is None or not (request.user.is_office and request.user.org_id == item.org_id):
        raise Http404
    form = RectificationForm(item.org, request.POST or None,
                             initial={"unit": item.lead_unit, "title": f"关于{item.title}的整改通知"})
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.issue_rectification_notice(item.org, request.user, item=item, **form.cleaned_data)
        except DomainError as err:
            _apply_error(form, err)
        else:
            messages.success(request, f"{doc.get_kind_display()}{doc.number}已印发，并为{doc.unit.name}生成整改反馈事项（草拟），请补充后呈批交办")
            return redirect("item_detail", doc.answer_item_id)
    return render(request, "web/document_issue.html", {"form": form, "item": item, "heading": "印发整改通知书 / 督查建议书"})


# --- the archive -------------------------------------------------------------------------------------

def _office(request):
    user = request.user
    if user.role not in (Role.SUPERVISOR, Role.OFFICE_HEAD, Role.ADMIN):
        raise Http404


class TemplateUploadForm(djforms.Form):
    kind = djforms.ChoiceField(label="文书种类", choices=FormKind.choices)
    file = djforms.FileField(label="Word 模板（.docx）")


@login_required
def archive_index(request):
    _office(request)
    org = request.user.org
    year = timezone.localdate().year
    years = sorted(set(Volume.objects.filter(org=org).values_list("year", flat=True)) | {year, year - 1}, reverse=True)
    volumes = Volume.objects.filter(org=org).select_related("item").order_by("-year", "archive_number")[:200]
    return render(request, "web/archive.html", {
        "jobs": ArchiveJob.objects.filter(org=org)[:5], "volumes": volumes, "years": years,
        "candidates": {y: services.year_candidates(org, y).count() for y in years},
        "templates": FormTemplate.objects.filter(org=org, is_active=True),
        "upload_form": TemplateUploadForm(), "placeholders": {FormKind(k).label: placeholders(k) for k in FormKind.values},
        "can_verify": request.user.role in (Role.OFFICE_HEAD, Role.ADMIN),
        "can_upload": request.user.role in (Role.OFFICE_HEAD, Role.ADMIN),
    })


@login_required
@require_POST
def archive_year(request):
    _office(request)
    try:
        job = services.start_year_archive(request.user.org, request.user, request.POST.get("year"))
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("archive_index")
    return redirect("archive_job", job.id)


@login_required
def archive_job(request, job_id):
    _office(request)
    job = ArchiveJob.objects.filter(pk=job_id, org=request.user.org).first()
    if job is None:
        raise Http404
    template = "web/_archive_job.html" if request.htmx else "web/archive_job.html"
    return render(request, template, {"job": job})


@login_required
def archive_register(request, job_id):
    _office(request)
    job = ArchiveJob.objects.filter(pk=job_id, org=request.user.org).exclude(register="").first()
    if job is None:
        raise Http404
    return FileResponse(job.register.open("rb"), as_attachment=True, content_type=XLSX,
                        filename=f"{job.year}年度归档登记表.xlsx")


@login_required
@require_POST
def archive_verify(request):
    try:
        checked, broken = services.verify_chains(request.user)
    except DomainError:
        raise Http404 from None
    return render(request, "web/archive_verify.html", {"checked": checked, "broken": broken})


@login_required
@require_POST
def template_upload(request):
    _office(request)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择文书种类和模板文件")
        return redirect("archive_index")
    try:
        t = services.upload_template(request.user.org, request.user, form.cleaned_data["kind"],
                                     form.cleaned_data["file"])
    except DomainError as err:
        messages.error(request, f"模板未采用：{err.message}")
    else:
        messages.success(request, f"“{t.get_kind_display()}”模板已启用")
    return redirect("archive_index")


@login_required
@require_POST
def template_retire(request, template_id):
    try:
        services.retire_template(template_id, request.user)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "已停用该模板，恢复使用预设版式")
    return redirect("archive_index")
