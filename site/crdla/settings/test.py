"""Test settings: fast hashing, local cache, locmem e-mail, eager Celery unless a broker is set."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
CRDLA_DEMO_ACCOUNTS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# Tasks run in-process in tests; the tests that need real delivery start a real worker on
# CELERY_BROKER_URL themselves (and are skipped when no broker is configured).
CELERY_TASK_ALWAYS_EAGER = True
# The request-driven sweep of the embedded mode would add queries at random to any test.
CRDLA_OUTBOX_SWEEP_ON_REQUEST = False
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The whole-page cache (crdla.pagecache) would outlive each test's rolled-back database in the
# local-memory cache; its own tests switch it on.
CRDLA_PAGE_CACHE_SECONDS = 0


# The open-data rate limit would count every request of the suite; its own tests set it.
CRDLA_OPEN_DATA_RATE = ""
