import time

SAMPLES: list[float] = []


class ServerTiming:
    """Outermost middleware: the time Django spends on a request, client excluded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        SAMPLES.append(time.perf_counter() - started)
        return response
