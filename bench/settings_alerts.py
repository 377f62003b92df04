"""Settings of the alert fan-out bench (the bench process and its real worker)."""

import os

from crdla.settings.test import *  # noqa: F403
from crdla.settings.test import database_from_env

DATABASES = {"default": database_from_env(os.environ["DATABASE_URL"])}
DATABASES["default"]["CONN_MAX_AGE"] = 0
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["CRDLA_TEST_MAIL_DIR"]
CRDLA_ALERT_BATCH_SIZE = int(os.environ.get("CRDLA_ALERT_BATCH_SIZE", "250"))
