from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

import core.converters  # noqa: F401 - registers <id:…> and <token:…>

from . import pages, views
from .api import api_not_found, api_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls()),
    # Anything else under /api/ is the API's 404 body, not an HTML page.
    re_path(r"^api/", api_not_found),
    # What a member holds across apps (bookings, Fablab slots, workshops): top-level pages.
    path("espaces/mes-reservations/", pages.my_bookings, name="my_bookings"),
    path("agenda/<token:token>.ics", pages.calendar_feed, name="calendar_feed"),
    path("", include("notifications.urls")),
    path("", include("members.urls")),
    path("espaces/", include("rooms.urls")),
    path("ateliers/", include("workshops.urls")),
    path("fablab/", include("fablab.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
