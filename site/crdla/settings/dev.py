"""Local development: the embedded default (SQLite, eager Celery, database search)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Demo accounts only exist (and only authenticate) with these settings.
CRDLA_DEMO_ACCOUNTS = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
