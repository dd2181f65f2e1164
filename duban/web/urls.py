from django.contrib.auth import views as auth_views
from django.urls import path

from .views import exports
from .views import items as v
from .views import ledgers as lv
from .views import notices

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("worklist/", v.worklist, name="worklist"),
    path("items/", v.item_list, name="item_list"),
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
    path("notices/", notices.notice_list, name="notice_list"),
    path("plans/", lv.plan_list, name="plan_list"),
    path("plans/new/", lv.plan_create, name="plan_create"),
    path("plans/import/", lv.plan_import, name="plan_import"),
    path("plans/template.xlsx", lv.ledger_template, name="ledger_template"),
    path("plans/jobs/<int:job_id>/", lv.ledger_job, name="ledger_job"),
    path("plans/<int:plan_id>/", lv.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/export.xlsx", lv.plan_export, name="plan_export"),
    path("plans/<int:plan_id>/report/", lv.plan_report, name="plan_report"),
    path("plans/<int:plan_id>/report.docx", lv.plan_report, {"fmt": "docx"}, name="plan_report_docx"),
    path("plans/<int:plan_id>/report.xlsx", lv.plan_report, {"fmt": "xlsx"}, name="plan_report_xlsx"),
    path("plans/<int:plan_id>/batch/<str:kind>/", lv.plan_batch, name="plan_batch"),
    path("plans/<int:plan_id>/add/<str:level>/", lv.plan_add, name="plan_add"),
]
