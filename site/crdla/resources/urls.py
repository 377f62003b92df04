"""Resources across the centres (mounted under the ``resources`` namespace)."""

from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [path("ressources/", views.all_resources, name="all")]
