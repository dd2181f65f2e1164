from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "duban.surveys"
    label = "surveys"
    verbose_name = "满意度测评"
