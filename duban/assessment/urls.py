from django.urls import path

from . import views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:assessment_id>/units/<int:unit_id>/", views.unit_lines, name="assessment_unit"),
    path("assessments/<int:assessment_id>/export.xlsx", views.assessment_export, {"fmt": "xlsx"}, name="assessment_xlsx"),
    path("assessments/<int:assessment_id>/export.docx", views.assessment_export, {"fmt": "docx"}, name="assessment_docx"),
    path("assessments/<int:assessment_id>/<str:action>/", views.assessment_action, name="assessment_action"),
]
