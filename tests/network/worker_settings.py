"""Settings of the real Celery worker started by the fan-out tests (a subprocess).

It shares the test database (DATABASE_URL given by the test), consumes a private queue on
the real Redis, and writes e-mails as files the test can count.
"""

import os

from crdla.settings.test import *  # noqa: F403
from crdla.settings.test import database_from_env, env

DATABASES = {"default": database_from_env("sqlite:///unused.sqlite3")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_QUEUE"]
# A killed worker's unacknowledged tasks come back after a few seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
EMAIL_BACKEND = env.str(
    "TEST_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = os.environ["CRDLA_TEST_MAIL_DIR"]
CRDLA_ALERT_BATCH_SIZE = env.int("CRDLA_ALERT_BATCH_SIZE", default=50)
CRDLA_ALERT_RETRY_BASE = 1
