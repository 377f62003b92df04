"""Settings shared by every environment, read from the environment (django-environ).

Secure by default: DEBUG is off and SECRET_KEY has no default here; dev and test
settings provide safe local values, production requires them from the environment.

Read top to bottom: the lists (applications, middleware, beat schedule) are written out in
full and nothing appends to them later — not even viewflow (VIEWFLOW["AUTOREGISTER"] is off);
tests/core/test_settings.py checks that the running order is the one written here.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# settings/ -> crdla/ -> site/ -> repository root
PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def database_from_env(default: str) -> dict:
    """Parse DATABASE_URL, turning every malformed value into one clear message."""
    url = env.str("DATABASE_URL", default=default)
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL est invalide ({url!r}) : schéma {scheme!r} inconnu. "
            "Exemples : sqlite:///var/crdla.sqlite3 ou postgres://user:pass@host:5432/base"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types on bad input
        raise ImproperlyConfigured(
            f"DATABASE_URL est invalide ({url!r}) : {exc}. "
            "Exemples : sqlite:///var/crdla.sqlite3 ou postgres://user:pass@host:5432/base"
        ) from exc
    engine = config.get("ENGINE", "")
    if not engine or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_URL est invalide ({url!r}) : schéma ou nom de base manquant. "
            "Exemples : sqlite:///var/crdla.sqlite3 ou postgres://user:pass@host:5432/base"
        )
    if engine.endswith("sqlite3"):
        config.setdefault("OPTIONS", {})
        # WAL + a busy timeout keep the embedded default usable with a worker beside the web.
        config["OPTIONS"].setdefault("timeout", 20)
        config["OPTIONS"].setdefault(
            "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        )
    # Persistent connections on both engines: opening one costs more than most pages' queries
    # (SQLite: the file, the PRAGMAs and Django's functions; ~1 ms a request under gunicorn).
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


# --- Hosts -----------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ----------------------------------------------------------------------------
# Our apps first: their templates override Wagtail's and Django's.
INSTALLED_APPS = [
    "crdla.core",
    "crdla.accounts",
    "crdla.centres",
    "crdla.resources",
    "crdla.network",
    "crdla.opendata",
    "crdla.outbox",
    "workflows",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "viewflow",
    "viewflow.workflow",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # After wagtail.documents and wagtail.images: its ready() replaces the permission policies
    # they register in theirs with the access policy's (crdla.access.media).
    "crdla.security",
    "axes",
    "crdla.pagecache",
]

# --- Middleware ------------------------------------------------------------------------------
# The whole list, in the order a request goes through it.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content security policy (stricter on public pages than in the admins), then the
    # refusal of NUL characters in the query string and form data.
    "crdla.security.middleware.ScopedCSPMiddleware",
    "crdla.security.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Rate limit and CORS of the open-data paths (CRDLA_OPEN_DATA_PATHS).
    "crdla.opendata.middleware.OpenDataMiddleware",
    # Before the session, CSRF and authentication middlewares: a cache hit skips them (and
    # every query).
    "crdla.pagecache.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "crdla.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # viewflow's views (/pilotage/) read their viewset from request.resolver_match, which this
    # middleware fills in; it needs request.user. viewflow's AppConfig would append it (and its
    # Hotwire Turbo middleware, useless here: no page uses Turbo) at start-up: VIEWFLOW below
    # turns that off so this list stays the whole truth.
    "viewflow.middleware.SiteMiddleware",
    # django-axes wants its middleware last (and its backend first, see below).
    "axes.middleware.AxesMiddleware",
]
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "crdla.urls"
WSGI_APPLICATION = "crdla.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our templates/ comes first so our 404/500 and base win over the apps' own.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "crdla.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database, cache, sessions ---------------------------------------------------------------
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'var' / 'crdla.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://crdla")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The site serves without its cache (crdla/core/cache.py): errors are misses, logged.
    CACHES["default"]["BACKEND"] = "crdla.core.cache.FailOpenRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_on_timeout": False}
    )
# Sessions in the database: signing in never depends on the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts, login and login throttling ----------------------------------------------------
# django-axes' backend first: a locked-out (username, address) pair never reaches the others.
AUTHENTICATION_BACKENDS = [
    "crdla.security.backends.LoginThrottlingBackend",
    "crdla.accounts.backends.DemoAwareModelBackend",
]
# The demo accounts authenticate only where a settings variant turns this on (dev, test).
CRDLA_DEMO_ACCOUNTS = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# « Mon espace » sends each role where its work is (crdla.accounts.workspace).
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "/"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the (username, address) pair: a mistyped password never locks a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
# X-Forwarded-For is trusted only when AXES_IPWARE_PROXY_COUNT says how many proxies set it;
# otherwise anyone could dodge the lockout by sending a made-up header.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# How many proxies append to X-Forwarded-For, for the open-data rate limit too.
CRDLA_TRUSTED_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT or 0

# --- Languages and time ----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed manifest storage, tolerant of a third-party stylesheet that
    # references missing fonts (see the class).
    "staticfiles": {"BACKEND": "crdla.pagecache.storage.TolerantManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail ----------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:port (smtp+tls://, smtp+ssl://), consolemail:// (the
# default) or filemail:///path.
email_config = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = email_config["EMAIL_BACKEND"]
EMAIL_HOST = email_config["EMAIL_HOST"] or "localhost"
EMAIL_PORT = email_config["EMAIL_PORT"] or 25
EMAIL_HOST_USER = email_config["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = email_config["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = email_config.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = email_config.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = email_config["EMAIL_FILE_PATH"]
# Only tasks talk to the mail server (the embedded mode aside): a hung server costs 10 s.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Centres de ressources DLA <noreply@crdla.example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (Celery) ---------------------------------------------------------------
# With no broker configured, tasks run eagerly in-process (embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="crdla")
CELERY_TIMEZONE = TIME_ZONE
# Publishing from a request waits at most a few seconds for the broker, without retrying:
# the outbox row is already saved and its sweep dispatches it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers the unacknowledged tasks of a killed worker after visibility_timeout; it
# must exceed the longest retry countdown (10 min) or a delayed retry would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "socket_connect_timeout": 2,
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3.0),
}
CELERY_BEAT_SCHEDULE = {
    # The transactional outbox (crdla.outbox), also swept at worker start.
    "outbox-sweep": {
        "task": "crdla.outbox.tasks.sweep_outbox",
        "schedule": env.int("OUTBOX_SWEEP_SECONDS", default=60),
    },
    # Programme approval: review deadlines and reminders.
    "workflows-fire-timers": {
        "task": "workflows.tasks.fire_workflow_timers",
        "schedule": env.int("WORKFLOWS_TIMER_SWEEP_SECONDS", default=300),
    },
    # Regional networks: calls past their deadline, alert deliveries left pending,
    # housekeeping of subscriptions and consents, reminders to voters.
    "network-close-expired-calls": {
        "task": "crdla.network.tasks.close_expired_calls",
        "schedule": crontab(minute="*/15"),
    },
    "network-requeue-pending-alerts": {
        "task": "crdla.network.tasks.requeue_pending_deliveries",
        "schedule": crontab(minute="*/2"),
    },
    "network-purge-unconfirmed-subscriptions": {
        "task": "crdla.network.tasks.purge_unconfirmed_subscriptions",
        "schedule": crontab(hour=3, minute=10),
    },
    "search-check-knowledge-base": {
        "task": "search.tasks.check_knowledge_base",
        "schedule": crontab(hour=3, minute=15),
    },
    "network-renew-consents": {
        "task": "crdla.network.tasks.renew_consents",
        "schedule": crontab(hour=3, minute=20),
    },
    "network-remind-voters": {
        "task": "crdla.network.tasks.remind_voters",
        "schedule": crontab(hour=9, minute=0),
    },
}
# Without a broker (embedded mode) a request sweeps the outbox at most once a minute.
CRDLA_OUTBOX_SWEEP_ON_REQUEST = CELERY_TASK_ALWAYS_EAGER

# --- Content security policy -----------------------------------------------------------------
# Public pages: no inline script or style, no plug-ins; video embeds from the usual players.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://www.dailymotion.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail and Django admins still use inline scripts and styles, and preview blob images.
CRDLA_ADMIN_CSP_PATHS = ["/admin/", "/django-admin/"]
CRDLA_ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:", "https:"],
}

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Centres de ressources DLA"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# Wagtail's own search backend serves the Wagtail admin only; the public knowledge base
# uses the search package.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "ods",
    "odp",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("WAGTAILDOCS_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Only PDFs open in the browser; every other document downloads as an attachment.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Upload checks (crdla.security.forms) and the access policy's rules for staff: uploads go to
# the user's own collection, a file another centre's live page uses is never replaced.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "crdla.access.forms.ProtectedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "crdla.access.forms.ProtectedImageForm"
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# No call from the admin to outside services: initials instead of Gravatar, no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
PASSWORD_REQUIRED_TEMPLATE = "wagtailcore/password_required.html"

# --- Whole-page cache of public pages for anonymous visitors (crdla.pagecache) ---------------
# 0 disables it. Publications invalidate at once; the delay bounds what depends on time only
# (an event becoming past).
CRDLA_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
CRDLA_PAGE_CACHE_ALIAS = "default"
# A cache shared by every web process (Redis, Memcached) keeps the cache generation itself, so a
# cached page costs no SQL query; the per-process local-memory cache keeps it in the database.
CRDLA_PAGE_CACHE_SHARED = env.bool(
    "PAGE_CACHE_SHARED",
    default=not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache")),
)
# Paths that are never Wagtail pages: no cache lookup at all (/healthz/ stays our floor).
CRDLA_PAGE_CACHE_EXCLUDED_PATHS = [
    "/healthz/",
    "/readyz/",
    "/static/",
    "/media/",
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/connexion/",
    "/deconnexion/",
    "/i18n/",
    "/api/",
    "/recherche/",
    "/pilotage/",
]

# --- Knowledge-base search (search) ----------------------------------------------------------
# Elasticsearch when ELASTICSEARCH_URL is set, else the database backend.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="crdla")
# OpenSearch speaks plain JSON: this mode rewrites the ES 8 client's compatibility headers.
ELASTICSEARCH_OPENSEARCH_MODE = env.bool("ELASTICSEARCH_OPENSEARCH_MODE", default=False)
# Seconds: a results page makes one request (two past the last page), never retried on a
# timeout, so a slow cluster shows the « recherche indisponible » notice well within
# gunicorn's 30 s; indexing tasks and rebuilds (one bulk request of at most 10 MB) wait longer.
ELASTICSEARCH_SEARCH_TIMEOUT = env.float("ELASTICSEARCH_SEARCH_TIMEOUT", default=2.0)
ELASTICSEARCH_INDEX_TIMEOUT = env.float("ELASTICSEARCH_INDEX_TIMEOUT", default=60.0)
SEARCH_ATTACHMENT_MAX_BYTES = env.int("SEARCH_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
SEARCH_ATTACHMENT_MAX_CHARS = env.int("SEARCH_ATTACHMENT_MAX_CHARS", default=100_000)

# --- Programme approval (workflows) ----------------------------------------------------------
WORKFLOWS_REVIEW_DAYS = env.int("WORKFLOWS_REVIEW_DAYS", default=21)
WORKFLOWS_REMINDER_DAYS_BEFORE = env.int("WORKFLOWS_REMINDER_DAYS_BEFORE", default=3)

# --- Regional networks: alerts to providers (crdla.network) ----------------------------------
# Alerts per batch task (one mail connection each) and the first retry delay in seconds.
CRDLA_ALERT_BATCH_SIZE = env.int("CRDLA_ALERT_BATCH_SIZE", default=200)
CRDLA_ALERT_RETRY_BASE = env.int("CRDLA_ALERT_RETRY_BASE", default=30)

# --- Open data (crdla.opendata): public API, exports, calendars, feeds, catalogue ------------
# The API is anonymous by design (no authentication class); DRF's ?format= is not used.
REST_FRAMEWORK = {"URL_FORMAT_OVERRIDE": None, "DEFAULT_AUTHENTICATION_CLASSES": []}
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Paths where OpenDataMiddleware rate-limits per client address and opens CORS for reading.
CRDLA_OPEN_DATA_PATHS = ["/api/", "/donnees/", "/flux/centres/"]
CRDLA_OPEN_DATA_RATE = env.str("OPEN_DATA_RATE", default="120/min")
CRDLA_OPEN_DATA_CACHE_ALIAS = "default"

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 runs its reference-index and search updates as django-tasks; one log line
        # per task and per published page drowns everything else.
        "django_tasks": {"level": "WARNING"},
        "celery": {"level": env.str("CELERY_LOG_LEVEL", default="WARNING")},
        "wagtail": {"level": env.str("WAGTAIL_LOG_LEVEL", default="WARNING")},
    },
}
