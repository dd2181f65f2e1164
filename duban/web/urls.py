from django.contrib.auth import views as auth_views
from django.urls import path

from duban.accounts.views import LoginView

from .views import documents as dv
from .views import exports
from .views import items as v
from .views import ledgers as lv
from .views import lookup as lk
from .views import notices
from .views import proposals as pv

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("worklist/", v.worklist, name="worklist"),
    path("lookup/<str:kind>/", lk.lookup, name="lookup"),
    path("items/", v.item_list, name="item_list"),
    path("items/count/", v.item_list_count, name="item_list_count"),
    path("items/export.csv", v.item_export, name="item_export"),
    path("items/export.xlsx", exports.item_export_xlsx, name="item_export_xlsx"),
    path("items/urge/", v.urge_selected, name="urge_selected"),
    path("items/new/", v.item_create, name="item_create"),
    path("items/deadline-preview/", v.deadline_preview, name="deadline_preview"),
    path("items/<int:item_id>/", v.item_detail, name="item_detail"),
    path("items/<int:item_id>/edit/", v.item_edit, name="item_edit"),
    path("items/<int:item_id>/act/<str:action>/", v.item_action, name="item_action"),
    path("items/<int:item_id>/attachments/", v.attachment_upload, name="attachment_upload"),
    path("reports/<int:report_id>/<str:action>/", v.report_action, name="report_action"),
    path("extensions/<int:request_id>/decide/", v.extension_decide, name="extension_decide"),
    path("files/<str:token>/", v.attachment_download, name="attachment_download"),
    path("items/<int:item_id>/forms/<str:kind>/", dv.form_document, {"fmt": "print"}, name="form_document"),
    path("items/<int:item_id>/forms/<str:kind>.<str:fmt>", dv.form_document, name="form_document_file"),
    path("items/<int:item_id>/volume.zip", dv.volume_download, name="volume_download"),
    path("items/<int:item_id>/special-report/", dv.special_report, name="special_report"),
    path("items/<int:item_id>/rectification-notice/", dv.rectification_notice, name="rectification_notice"),
    path("archive/", dv.archive_index, name="archive_index"),
    path("archive/year/", dv.archive_year, name="archive_year"),
    path("archive/jobs/<int:job_id>/", dv.archive_job, name="archive_job"),
    path("archive/jobs/<int:job_id>/register.xlsx", dv.archive_register, name="archive_register"),
    path("archive/verify/", dv.archive_verify, name="archive_verify"),
    path("archive/templates/", dv.template_upload, name="template_upload"),
    path("archive/templates/<int:template_id>/retire/", dv.template_retire, name="template_retire"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("plans/", lv.plan_list, name="plan_list"),
    path("plans/new/", lv.plan_create, name="plan_create"),
    path("plans/import/", lv.plan_import, name="plan_import"),
    path("plans/template.xlsx", lv.ledger_template, name="ledger_template"),
    path("plans/jobs/<int:job_id>/", lv.ledger_job, name="ledger_job"),
    path("plans/jobs/<int:job_id>/dismiss/", lv.ledger_job_dismiss, name="ledger_job_dismiss"),
    path("plans/<int:plan_id>/", lv.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/export.xlsx", lv.plan_export, name="plan_export"),
    path("plans/<int:plan_id>/report/", lv.plan_report, name="plan_report"),
    path("plans/<int:plan_id>/report.docx", lv.plan_report, {"fmt": "docx"}, name="plan_report_docx"),
    path("plans/<int:plan_id>/report.xlsx", lv.plan_report, {"fmt": "xlsx"}, name="plan_report_xlsx"),
    path("plans/<int:plan_id>/batch/<str:kind>/", lv.plan_batch, name="plan_batch"),
    path("plans/<int:plan_id>/add/<str:level>/", lv.plan_add, name="plan_add"),
    path("proposals/", pv.proposal_list, name="proposal_list"),
    path("proposals/sessions/", pv.session_create, name="session_create"),
    path("proposals/import/", pv.proposal_import, name="proposal_import"),
    path("proposals/template.xlsx", pv.proposal_template, name="proposal_template"),
    path("proposals/new/", pv.proposal_register, name="proposal_register"),
    path("proposals/report/", pv.proposal_report, name="proposal_report"),
    path("proposals/report.xlsx", pv.proposal_report, {"fmt": "xlsx"}, name="proposal_report_xlsx"),
    path("proposals/report.docx", pv.proposal_report, {"fmt": "docx"}, name="proposal_report_docx"),
    path("proposals/<int:pk>/", pv.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/act/<str:action>/", pv.proposal_action, name="proposal_action"),
    path("proposals/answers/<int:answer_id>/<str:action>/", pv.answer_action, name="answer_action"),
    path("proposals/contests/<int:contest_id>/decide/", pv.contest_decide, name="contest_decide"),
    path("disclosure/", pv.disclosure, name="disclosure"),
    path("disclosure/<str:action>/", pv.disclosure_action, name="disclosure_action"),
    path("disclosure/<str:action>/<int:pk>/", pv.disclosure_action, name="disclosure_action"),
]
