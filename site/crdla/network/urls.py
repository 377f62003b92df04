"""URLs of the regional networks (mounted by crdla.urls under the ``network`` namespace)."""

from django.urls import path

from .listing import OpenCallsFeed
from .views import alerts, calls, finder, spaces, survey, vote

app_name = "network"

urlpatterns = [
    path("trouver-mon-dla/", finder.find_dla, name="find-dla"),
    path(
        "trouver-mon-dla/departement/<str:code>/",
        finder.find_dla_departement,
        name="find-dla-departement",
    ),
    path("consultations/", calls.open_calls_list, name="calls"),
    path("consultations/rss/", OpenCallsFeed(), name="calls-feed"),
    path("alertes/", alerts.subscribe, name="alerts-subscribe"),
    path("alertes/verifiez-vos-courriels/", alerts.pending, name="alerts-pending"),
    path("alertes/confirmer/<str:token>/", alerts.confirm, name="alerts-confirm"),
    path("alertes/desinscription/<str:token>/", alerts.unsubscribe, name="alerts-unsubscribe"),
    path("alertes/preferences/<str:token>/", alerts.preferences, name="alerts-preferences"),
    path("alertes/renouveler/<str:token>/", alerts.reconsent, name="alerts-reconsent"),
    path("reseaux/espaces/", spaces.space_list, name="space-list"),
    path("reseaux/espaces/nouveau/", spaces.space_create, name="space-create"),
    path("reseaux/espaces/<int:pk>/", spaces.space_detail, name="space-detail"),
    path("reseaux/espaces/<int:pk>/membres/", spaces.space_members, name="space-members"),
    path("reseaux/espaces/<int:pk>/quitter/", spaces.space_leave, name="space-leave"),
    path("reseaux/espaces/<int:pk>/rejoindre/", spaces.space_join, name="space-join"),
    path("reseaux/espaces/<int:pk>/fermer/", spaces.space_close, name="space-close"),
    path(
        "reseaux/espaces/<int:pk>/discussions/<int:thread_pk>/",
        spaces.thread_detail,
        name="space-thread",
    ),
    path("reseaux/vote/", vote.programme_list, name="programme-list"),
    path("reseaux/vote/nouveau/", vote.programme_create, name="programme-create"),
    path("reseaux/vote/<int:pk>/", vote.programme_detail, name="programme-detail"),
    path("reseaux/vote/<int:pk>/modifier/", vote.programme_edit, name="programme-edit"),
    path("reseaux/vote/<int:pk>/soumettre/", vote.programme_submit, name="programme-submit"),
    path("reseaux/vote/<int:pk>/voter/", vote.programme_vote, name="programme-vote"),
    path(
        "reseaux/enquetes/<int:page_id>/resultats/",
        survey.survey_results,
        name="survey-results",
    ),
    path(
        "reseaux/enquetes/<int:page_id>/resultats.csv",
        survey.survey_export,
        name="survey-export",
    ),
]
