from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("seance/<id:session_id>/", views.session_detail, name="session"),
    path("seance/<id:session_id>.ics", views.session_ics, name="session_ics"),
    path("seance/<id:session_id>/inscription/", views.register, name="register"),
    path("seance/<id:session_id>/annulation/", views.cancel, name="cancel"),
    path(
        "seance/<id:session_id>/inscription-visiteur/",
        views.register_visitor,
        name="register_visitor",
    ),
    path("seance/<id:session_id>/appel/", views.roll_call, name="roll_call"),
    path("confirmer/<token:token>/", views.confirm, name="confirm"),
    path("annuler/<token:token>/", views.cancel_by_link, name="cancel_by_link"),
]
