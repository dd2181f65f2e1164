from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("duban.ops.urls")),  # /healthz and /metrics
    path("admin/", admin.site.urls),
    path("api/v1/", include("duban.api.urls")),
    path("public/", include("duban.portal.urls")),
    path("notifications/", include("duban.notify.urls")),
    path("", include("duban.accounts.urls")),
    path("", include("duban.dashboard.urls")),
    path("circulars/", include("duban.circulars.urls")),
    path("", include("duban.accountability.urls")),
    path("", include("duban.assessment.urls")),
    path("", include("duban.inspections.urls")),
    path("", include("duban.surveys.urls")),
    path("", include("duban.web.urls")),
]

admin.site.site_header = "督办系统管理"
admin.site.site_title = "督办系统管理"
admin.site.index_title = "系统管理"
