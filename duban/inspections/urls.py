from django.urls import path

from . import views as v

urlpatterns = [
    path("inspections/", v.inspection_list, name="inspection_list"),
    path("inspections/new/", v.inspection_create, name="inspection_create"),
    path("inspections/<int:inspection_id>/", v.inspection_detail, name="inspection_detail"),
    path("inspections/<int:inspection_id>/record/", v.finding_record, name="finding_record"),
    path("inspections/<int:inspection_id>/report.docx", v.inspection_report_docx, name="inspection_report_docx"),
    path("inspections/<int:inspection_id>/report/<str:action>/", v.inspection_report, name="inspection_report"),
    path("findings/<int:finding_id>/media/", v.finding_media, name="finding_media"),
    path("findings/<int:finding_id>/decide/", v.finding_decide, name="finding_decide"),
    path("media/<str:token>/<str:variant>/", v.media_file, name="media_file"),
    path("items/<int:item_id>/reports/<int:report_id>/media/", v.report_media, name="report_media"),
    path("rechecks/", v.recheck_list, name="recheck_list"),
    path("rechecks/propose/", v.recheck_propose, name="recheck_propose"),
    path("rechecks/add/", v.recheck_add, name="recheck_add"),
    path("rechecks/<int:recheck_id>/record/", v.recheck_record, name="recheck_record"),
    path("rechecks/<int:recheck_id>/dismiss/", v.recheck_dismiss, name="recheck_dismiss"),
]
