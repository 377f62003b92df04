"""URLs of the open data (mounted by crdla.urls under the ``opendata`` namespace)."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("api/v2/schema/", views.api_schema, name="api-schema"),
    path("donnees/", views.catalogue, name="catalogue"),
    path("donnees/catalogue.jsonld", views.dcat, name="dcat"),
    path("donnees/api/", views.api_documentation, name="api-documentation"),
    path("donnees/<slug:dataset>.<str:fmt>", views.export, name="export"),
    path("donnees/calendriers/<str:kind>.ics", views.calendar, name="calendar"),
    path(
        "donnees/calendriers/<slug:centre>/<str:kind>.ics",
        views.calendar,
        name="centre-calendar",
    ),
    path("flux/centres/<slug:centre>/", views.CentreFeed(), name="centre-feed"),
]
