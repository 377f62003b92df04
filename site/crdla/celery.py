"""Celery application; tasks are discovered in every installed app (crdla.*, workflows, search)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crdla.settings.dev")

app = Celery("crdla")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
