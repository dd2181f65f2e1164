from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "duban.notify"
    label = "notify"
    verbose_name = "消息通知"
