"""`make run`: the platform served as production serves it, on the embedded default.

One machine, no servers to install: SQLite, the filesystem broker, file caches and local
media under QIAOYIN_VAR_DIR (all from base.py), with production's serving: debug off,
gunicorn, hashed and compressed static files from whitenoise, media with conditional and
Range answers (media/serving.py), the site's own 404 and 500 pages. Plain HTTP on the
machine itself, so cookies are not marked secure. `make dev` (dev.py) is for developers.
"""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_list

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _machine_secret_key():
    """A key made once for this machine's var/ folder and kept there (never in the repo):
    sessions survive a restart, and no two installations share a key."""
    path = VAR_DIR / "secret-key.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _machine_secret_key()
