from django.http import JsonResponse
from django.urls import path

from .api import api
from .errors import NOT_FOUND


def unknown(request, rest=""):
    """Any other path under /api/v1/ answers in JSON, like the API itself."""
    return JsonResponse({"detail": NOT_FOUND, "field": None}, status=404, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("", api.urls),
    path("<path:rest>", unknown),
]
