from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The knowledge base: one search interface over Elasticsearch or the database."""

    name = "search"
    verbose_name = _("Base de connaissances")
    default_auto_field = "django.db.models.BigAutoField"
    # Its part of `manage.py load_initial_data` (crdla.core), run after the shared content.
    demo_loader = "search.demo.load_demo"

    def ready(self):
        from . import signals

        signals.connect()
