from django.urls import path

from . import views

app_name = "rooms"

urlpatterns = [
    path("", views.index, name="index"),
    path("lieu/<slug:site_slug>/", views.week, name="week"),
    path("lieu/<slug:site_slug>/jour/", views.day, name="day"),
    path("chercher/", views.search, name="search"),
    path("reserver/", views.book, name="book"),
    path("reservations/<id:booking_id>/annuler/", views.cancel, name="cancel"),
    path("reservations/<id:booking_id>.ics", views.booking_ics, name="booking_ics"),
    path("location/", views.rental_request, name="rental_request"),
    path("location/envoyee/", views.rental_request_sent, name="rental_request_sent"),
]
