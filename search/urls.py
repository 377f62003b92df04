from django.urls import path

from . import views

urlpatterns = [
    path("", views.search, name="search"),
    path("api/", views.search_api, name="search-api"),
    path("suggestions/", views.autocomplete, name="search-autocomplete"),
]
