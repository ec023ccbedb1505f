from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("reseau/", views.directory, name="directory"),
    path("reseau/membre/<id:member_id>/", views.profile, name="profile"),
    path("compte/", views.account, name="account"),
    path("compte/profil/", views.profile_edit, name="profile_edit"),
    path("compte/mes-donnees.json", views.data_export, name="data_export"),
    path("compte/supprimer/", views.account_delete, name="account_delete"),
    path("compte/jetons/", views.api_token_create, name="api_token_create"),
    path("compte/jetons/<id:token_id>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
    path("compte/agenda/nouveau/", views.calendar_feed_renew, name="calendar_feed_renew"),
    path("compte/agenda/supprimer/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
]
