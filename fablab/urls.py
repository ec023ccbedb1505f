from django.urls import path

from . import views

app_name = "fablab"

urlpatterns = [
    path("", views.index, name="index"),
    path("machine/<id:machine_id>/", views.machine, name="machine"),
    path("mes-creneaux/", views.my_slots, name="my_slots"),
    path("creneaux/<id:reservation_id>/annuler/", views.cancel, name="cancel"),
    path("creneaux/<id:reservation_id>/utilisation/", views.usage_log, name="usage_log"),
]
