"""/healthz and /metrics: no login, no session (accounts' SecondFactorMiddleware leaves them alone),
never cached."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from . import health
from .access import may_read_metrics
from .metrics import exposition


@never_cache
def healthz(request):
    result = health.report()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


@never_cache
def metrics(request):
    if not may_read_metrics(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
