"""Pages answer 404 when a service or selector raises the domain's ``NotFound``."""

from django.http import Http404

from .refusals import NotFound


class NotFoundMiddleware:
    """Turn ``core.refusals.NotFound`` raised by a view into Django's 404 page, so
    services need not know about HTTP. (The API has its own handler: ``dynamo.api``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        return None
