"""Fast and deterministic: PostgreSQL by default (the machine's server), quick hashing."""

import os

from .base import *  # noqa: F403
from .base import CACHES, VAR_DIR, pool_connections

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": pool_connections(
        __import__("dj_database_url").parse(
            os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qiaoyin")
        )
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(VAR_DIR / "test-media"))
CACHES = {
    **CACHES,
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pagecache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_BASE_URL = "http://testserver"
# Tests that publish pages must neither need nor block on a broker: kombu's in-memory
# transport accepts every message in-process. Delivery tests start real workers on Redis
# and point this process at the same Redis DB (tests/stations/conftest.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# Receivers in tests listen on 127.0.0.1; every other private address stays refused.
STATION_PUSH_ALLOW_HOSTS = [
    h.strip() for h in os.environ.get("STATION_PUSH_ALLOW_HOSTS", "127.0.0.1").split(",") if h
]
