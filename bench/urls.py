"""The project's URLs plus the two views the benchmark needs and the project lacks."""

from datetime import date

from django.http import HttpResponse, JsonResponse
from django.urls import path

from dynamo.urls import urlpatterns as project_urlpatterns
from rooms.models import Site
from rooms.selectors import site_week_grid


def ping(request):
    """The baseline: the cheapest view the stack can serve (middleware, routing)."""
    return HttpResponse("ok")


def week_grid(request, site_id: int, week_start: str):
    """The week grid as the page will compute it, summarised as JSON instead of HTML."""
    site = Site.objects.get(pk=site_id)
    grid = site_week_grid(site=site, week_start=date.fromisoformat(week_start),
                          member=request.user if request.user.is_authenticated else None)
    cells = [slot.state for row in grid.rows for day in row.days for slot in day]
    return JsonResponse({"spaces": len(grid.rows), "cells": len(cells),
                         "free": cells.count("free")})


urlpatterns = [
    path("bench/ping", ping),
    path("bench/grid/<int:site_id>/<str:week_start>", week_grid),
    *project_urlpatterns,
]
