from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("seance/<int:session_id>/", views.session_detail, name="session"),
    path("seance/<int:session_id>.ics", views.session_ics, name="session_ics"),
    path("seance/<int:session_id>/inscription/", views.register, name="register"),
    path("seance/<int:session_id>/annulation/", views.cancel, name="cancel"),
    path(
        "seance/<int:session_id>/inscription-visiteur/",
        views.register_visitor,
        name="register_visitor",
    ),
    path("seance/<int:session_id>/appel/", views.roll_call, name="roll_call"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
]
