"""Production: PostgreSQL, Redis broker and cache, whitenoise, secure cookies and HSTS.

Start-up stops with a message naming every required variable that is missing.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before base.py reads them, so a blank variable gets this message, not a parse error.
REQUIRED_VARIABLES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "SITE_BASE_URL")
_missing = [name for name in REQUIRED_VARIABLES if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Missing required production environment variables: " + ", ".join(_missing)
    )

from config.caches import check_broker_apart_from_caches  # noqa: E402

from .base import *  # noqa: E402, F403

DEBUG = False
# A broker on a cache's Redis database loses its queued tasks to any clear of that database.
check_broker_apart_from_caches(CELERY_BROKER_URL, CACHES)  # noqa: F405
# Each process re-checks a pooled connection before use, so a database restart or failover
# costs one reconnect instead of a burst of errors.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Behind the reverse proxy, which terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer probes web processes directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Links in workflow e-mails point at the public origin unless the admin has its own.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_BASE_URL)
# The admin's forms are posted from the public and admin origins.
CSRF_TRUSTED_ORIGINS = sorted(
    {*CSRF_TRUSTED_ORIGINS, SITE_BASE_URL, WAGTAILADMIN_BASE_URL.rstrip("/")}
)

# Workflow notifications (submitted, approved, changes requested) go out by SMTP, from the
# web request itself: a short timeout keeps a dead mail server from stalling the editor.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "侨音 Qiaoyin <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail's live preview shows the page in an iframe of the admin itself, which needs
# X-Frame-Options SAMEORIGIN (set in base.py); DENY would blank the preview panel.
# Other origins still cannot frame the site, which is what the check guards against.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
