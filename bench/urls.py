"""The project's URLs plus the baseline view the benchmark compares against."""

from django.http import HttpResponse
from django.urls import path

from dynamo.urls import urlpatterns as project_urlpatterns


def ping(request):
    """The baseline: the cheapest view the stack can serve (middleware, routing)."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ping", ping),
    *project_urlpatterns,
]
