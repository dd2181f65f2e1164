from django.urls import path

from . import views as v

urlpatterns = [
    path("surveys/", v.survey_list, name="survey_list"),
    path("surveys/new/", v.survey_create, name="survey_create"),
    path("surveys/<int:survey_id>/", v.survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/export.xlsx", v.survey_export, name="survey_export"),
    path("surveys/<int:survey_id>/<str:action>/", v.survey_action, name="survey_action"),
    path("s/<str:token>/", v.survey_answer, name="survey_answer"),
]
