"""Times every request for the latency histogram; outermost, so it sees what a client waits for."""

import time

from .metrics import observe_request


class RequestLatencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        observe_request(request, response, time.perf_counter() - start)
        return response
