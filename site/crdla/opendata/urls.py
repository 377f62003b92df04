"""URLs of the open data (mounted by crdla.urls under the ``opendata`` namespace)."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("api/v2/schema/", views.api_schema, name="api-schema"),
    path("donnees/api/", views.api_documentation, name="api-documentation"),
]
