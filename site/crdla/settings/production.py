"""Production: everything from the environment; a missing required variable stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

_REQUIRED = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")
_missing = [name for name in _REQUIRED if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured(
        "Variables d'environnement obligatoires manquantes en production : "
        + ", ".join(_missing)
        + ". Voir le tableau « Configuration » du README."
    )

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-")):
    raise ImproperlyConfigured(
        "SECRET_KEY est trop courte ou de démonstration : utilisez au moins 50 caractères aléatoires."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CRDLA_DEMO_ACCOUNTS = False

# --- Media on S3-compatible object storage ---------------------------------------------------
# Set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for a non-AWS service such as MinIO,
# Scaleway or OVH; the keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's
# role): every upload then goes to the bucket, private, and is still served through the site's
# access views (crdla.access.storage). Without it, media stay in MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "crdla.access.storage.PrivateMediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # « private » unless the bucket refuses ACLs (object ownership « bucket owner
            # enforced »): then AWS_DEFAULT_ACL= (empty) and the bucket policy keeps it private.
            "default_acl": env.str("AWS_DEFAULT_ACL", default="private") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
