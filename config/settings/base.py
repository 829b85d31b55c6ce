"""Production-safe defaults. Every integration switches on from an environment variable.

dev.py relaxes these for a laptop; test.py makes them fast and deterministic;
production.py insists on the variables a real deployment needs.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from config.caches import next_database_url, redis_cache
from config.storages import media_origins_from_environment, storages_from_environment
from config.workers import BACKOFF_QUEUE, DEFAULT_QUEUE, DELIVERY_QUEUE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("QIAOYIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "users",
    "axes",
    "csp",
    "cms",
    "website",
    "media",
    "search",
    "translations",
    "stations",
    "stations.pull",
    "reach",
    "demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtailmedia",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailcache",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # POST /reads/ (the read beacon) is answered here: a 204 needs none of what follows.
    "reach.beacon.BeaconMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer, cached pages included.
    "config.security.SiteCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Local media files (none on S3): ETag/Last-Modified → 304 and Range → 206, never cached
    # as pages.
    "media.serving.LocalMediaMiddleware",
    # Anonymous pages are served from the page cache before anything else runs.
    "wagtailcache.cache.UpdateCacheMiddleware",
    # Inside the cache, so cached pages are kept compressed (one entry per Accept-Encoding).
    "config.compression.TextCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but an unprefixed 404 stays a 404 unless a page answers under /<language>/.
    "website.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page action in the admin is one transaction, its side effects after the commit.
    "cms.publishing.PageActionTransactionMiddleware",
    # A publish refused by a publishing rule becomes an admin message (cms/publishing.py).
    "cms.publishing.RefusedPublishingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "wagtailcache.cache.FetchFromCacheMiddleware",
    # Frame reads without the request at hand still read the frame once per request.
    # Login throttling (django-axes): last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed sign-ins before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "users.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "website" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'qiaoyin.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL), conn_max_age=60
    )
}
# The embedded default shares one SQLite file between runserver and the Celery worker's
# processes. Two transactions that read and then write would otherwise fail at once with
# "database is locked" (SQLite cannot upgrade a reader to a writer while another writer is
# active): take the write lock when the transaction begins, wait for it, and let readers
# run beside the writer (WAL).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
# A threaded Celery worker (config/workers.py) would otherwise open one PostgreSQL connection
# per thread and keep it: 32 threads × workers × hosts soon pass max_connections. With
# DATABASE_POOL_MAX_SIZE=N the process shares at most N pooled connections (Django's psycopg
# pool; pooling needs CONN_MAX_AGE 0, each close hands the connection back).
DATABASE_POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE") or 0)


def pool_connections(database):
    """`database` (a DATABASES entry) with the pool DATABASE_POOL_MAX_SIZE asks for, if any.

    Every settings module that defines DATABASES again calls it: without the pool, a
    threaded worker under CONN_MAX_AGE 0 opens a new PostgreSQL connection for every task.
    """
    if DATABASE_POOL_MAX_SIZE and database["ENGINE"] == "django.db.backends.postgresql":
        database["CONN_MAX_AGE"] = 0
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_MAX_SIZE,
            "timeout": 30,
        }
    return database


pool_connections(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ----------------------------------------------------------------------
# Chinese first: zh-hans is the newsroom's working language and the site's default.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
    ("it", "Italiano"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("de", "Deutsch"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "translations" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "website" / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# S3 (private originals, public renditions/video/audio) when a bucket is set: config/storages.py.
STORAGES = storages_from_environment(os.environ, STORAGES)
# Renditions go to the "public" storage when there is one, else to the default storage.
WAGTAILIMAGES_RENDITION_STORAGE = "media.storage.PublicStorage"

# --- Media library (media/; docs/media.md) ---------------------------------------------
WAGTAILIMAGES_IMAGE_FORM_BASE = "media.forms.NewsImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("MEDIA_MAX_UPLOAD_MB", 40)) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("MEDIA_MAX_IMAGE_PIXELS", 60_000_000))
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_WEBP_QUALITY = 80
WAGTAILIMAGES_AVIF_QUALITY = 60
WAGTAILIMAGES_JPEG_QUALITY = 82
WAGTAILMEDIA = {"MEDIA_MODEL": "media.NewsMedia", "MEDIA_FORM_BASE": "media.forms.NewsMediaForm"}
MEDIA_MAX_VIDEO_UPLOAD_MB = int(os.environ.get("MEDIA_MAX_VIDEO_UPLOAD_MB", 200))

# --- Caches ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Each clears only its own prefix (config/caches.py); an outage is a cache miss.
    CACHES = {
        "default": redis_cache(REDIS_URL, prefix="qiaoyin"),
        "pagecache": redis_cache(REDIS_URL, prefix="pages", timeout=3600),
    }
else:
    CACHES = {
        # File caches are shared by every process on one machine (runserver and the Celery
        # worker that publishes scheduled pages), so the fragments and rate limits agree.
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        "pagecache": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "pagecache"),
            "TIMEOUT": 3600,
        },
    }
# A Redis outage is a cache miss, logged once per failed call (config/caches.py).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
WAGTAIL_CACHE = env_bool("WAGTAIL_CACHE", True)
# The read beacon's raw counts (reach/): Redis in production, this cache in the embedded default.
REACH_CACHE = "default"
WAGTAIL_CACHE_BACKEND = "pagecache"
WAGTAIL_CACHE_HEADER = "X-Qiaoyin-Cache"

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "侨音 Qiaoyin"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "media.NewsImage"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No Gravatar avatars in the admin: each would tell a third party which editor is signed in
# (a hash of their e-mail), and the admin's Content-Security-Policy loads images from us only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The public site's canonical origin, used for absolute URLs in feeds, payloads and SEO.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# WebSub hub the public feeds advertise and ping on every publish (empty: no hub).
WEBSUB_HUB_URL = os.environ.get("WEBSUB_HUB_URL", "")
# Station API requests allowed per token (django-ratelimit syntax: N/s, N/m, N/h).
STATION_API_RATE = os.environ.get("STATION_API_RATE", "600/m")

# --- Search (search/ app; Wagtail's admin search above stays Wagtail's own) ----------
# Elasticsearch when ELASTICSEARCH_URL is set; otherwise the database engine.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "qiaoyin")
# Chinese analyzer on Elasticsearch: jieba (any cluster), ik, smartcn or icu (need plugins).
SEARCH_CHINESE_ANALYZER = os.environ.get("SEARCH_CHINESE_ANALYZER", "jieba")
SEARCH_ELASTICSEARCH_OPTIONS = {}
SEARCH_API_RATE = os.environ.get("SEARCH_API_RATE", "60/m")

# --- Translation (translations/) --------------------------------------------------------
# OpenCC converts zh-hans → zh-hant (TRANSLATION_TRADITIONAL_VARIANT: s2twp Taiwan phrases,
# s2hk Hong Kong, s2t generic); MACHINE_TRANSLATOR (deepl | google | libretranslate | empty)
# translates every other language pair, with its key from the environment.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "translations.machine.NewsroomTranslator",
    "OPTIONS": {
        "TRADITIONAL_VARIANT": os.environ.get("TRANSLATION_TRADITIONAL_VARIANT", "s2twp"),
        "SERVICE": os.environ.get("MACHINE_TRANSLATOR", ""),
        "DEEPL": {
            "AUTH_KEY": os.environ.get("DEEPL_AUTH_KEY", ""),
            "API_URL": os.environ.get("DEEPL_API_URL", ""),
        },
        "GOOGLE": {
            "API_KEY": os.environ.get("GOOGLE_TRANSLATE_API_KEY", ""),
            "API_URL": os.environ.get("GOOGLE_TRANSLATE_API_URL", ""),
        },
        "LIBRETRANSLATE": {
            "LIBRETRANSLATE_URL": os.environ.get("LIBRETRANSLATE_URL", ""),
            "API_KEY": os.environ.get("LIBRETRANSLATE_API_KEY", ""),
        },
    },
}
# A submitted translation starts as a draft, whatever the source's state: it goes live when a
# translator publishes it complete (translations/completeness.py), never half-translated.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# wagtail-localize's background jobs (subtree translation, locale sync) run on Celery.
WAGTAILLOCALIZE_JOBS = {"BACKEND": "translations.jobs.CeleryJobBackend"}
# Wagtail's own background tasks (admin search and reference index updates on every save)
# run on Celery after commit, once per object, not inline in the publishing transaction.
TASKS = {"default": {"BACKEND": "config.background_tasks.CeleryTaskBackend"}}

# --- Celery ---------------------------------------------------------------------------
# The broker gets a Redis database of its own (REDIS_URL's next one) unless told otherwise:
# nothing that clears a cache can then reach the queued tasks (production refuses a
# broker that shares a database with a cache, production.py).
# Without Redis, kombu's filesystem transport (the host only keeps kombu from warning).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or (
    next_database_url(REDIS_URL) if REDIS_URL else "filesystem://localhost/"
)
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: a broker that needs no server (the embedded default).
    _celery_queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue_dir),
        "data_folder_out": str(_celery_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    _celery_queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A send to a Redis that is down fails within a second (kombu would otherwise retry for
    # its whole connect timeout): the publish goes on, the sweep sends later.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks outside the apps' tasks.py (which autodiscovery finds): Wagtail's background tasks,
# and the stations' ledger reconciliation (a module of its own: it sits above the outbox,
# which queues through stations/tasks.py).
CELERY_IMPORTS = ("config.background_tasks", "stations.reconciliation")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Deliveries have workers of their own (config/workers.py): a station's slow answer must not
# hold up indexing, nor indexing the deliveries. stations/tasks.py moves the deliveries of
# stations in backoff to BACKOFF_QUEUE.
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_ROUTES = {
    "stations.tasks.deliver": {"queue": DELIVERY_QUEUE},
    "stations.tasks.dispatch_deliveries": {"queue": DELIVERY_QUEUE},
    "stations.tasks.replay_station": {"queue": BACKOFF_QUEUE},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULER = "config.celery:Scheduler"  # creates the file's folder
CELERY_BEAT_SCHEDULE = {
    "search-reconcile-index": {
        "task": "search.tasks.reconcile_index",
        "schedule": 3600.0,
    },
    "publish-scheduled-pages": {
        "task": "cms.tasks.publish_scheduled_pages",
        "schedule": 60.0,
        # A run nobody picked up within the minute is superseded by the next one, so a
        # worker back from an outage does not replay every missed minute.
        "options": {"expires": 55},
    },
    # A page-cache clear that failed while the cache was down, retried once it is back.
    "retry-page-cache-clears": {
        "task": "cms.tasks.retry_page_cache_clears",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # A fragment-version bump that failed while the cache was down, retried once it is back.
    "retry-fragment-bumps": {
        "task": "website.tasks.retry_fragment_bumps",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The delivery rows are the source of truth: re-enqueue what is due or stuck.
    "stations-sweep-deliveries": {
        "task": "stations.tasks.sweep_deliveries",
        "schedule": float(os.environ.get("STATION_PUSH_SWEEP_INTERVAL", 60)),
    },
    # Beside the sweep: a live revision with no ledger version gets one, and its rows.
    "stations-reconcile-ledger": {
        "task": "stations.reconciliation.reconcile_ledger",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "stations-prune-payloads": {
        "task": "stations.tasks.prune_payloads",
        "schedule": 86400.0,
    },
    # The read beacon's counts wait in the cache at most a minute (reach/counters.py).
    "reach-fold": {
        "task": "reach.tasks.fold_reach",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "reach-prune": {
        "task": "reach.tasks.prune_reach",
        "schedule": 86400.0,
    },
}
CELERY_TIMEZONE = TIME_ZONE

# --- Reach (reach/; docs/reach.md) ---------------------------------------------------
# Country of a read: the iptocc package's offline table, or MaxMind's GeoLite2-Country file
# through geoip2 when its path is given. No network lookup either way.
REACH_GEOIP_DATABASE = os.environ.get("REACH_GEOIP_DATABASE", "")
# Daily rollups older than this many days are deleted (0 keeps them for good).
REACH_ROLLUP_RETENTION_DAYS = int(os.environ.get("REACH_ROLLUP_RETENTION_DAYS", 0))
# A station's reach report: at most this many items per request, days up to this far back.
REACH_REPORT_MAX_ITEMS = 500
REACH_REPORT_MAX_AGE_DAYS = int(os.environ.get("REACH_REPORT_MAX_AGE_DAYS", 400))

# --- Liaison-station push (stations/; see docs/stations.md) ---------------------------
# Hosts or CIDRs a webhook may reach although they are private/loopback, and the only
# hosts allowed plain HTTP. Everything else must be HTTPS to a public address (SSRF guard).
STATION_PUSH_ALLOW_HOSTS = env_list("STATION_PUSH_ALLOW_HOSTS")
STATION_PUSH_CONNECT_TIMEOUT = float(os.environ.get("STATION_PUSH_CONNECT_TIMEOUT", 5))
STATION_PUSH_READ_TIMEOUT = float(os.environ.get("STATION_PUSH_READ_TIMEOUT", 20))
# Retries: exponential backoff with jitter from BASE doubling up to MAX seconds; a delivery
# still failing GIVE_UP_AFTER seconds after it was queued is marked failed.
STATION_PUSH_BACKOFF_BASE = float(os.environ.get("STATION_PUSH_BACKOFF_BASE", 60))
STATION_PUSH_BACKOFF_MAX = float(os.environ.get("STATION_PUSH_BACKOFF_MAX", 3600))
STATION_PUSH_GIVE_UP_AFTER = float(os.environ.get("STATION_PUSH_GIVE_UP_AFTER", 86400))
# A station whose attempts fail this many times in a row is paused automatically.
STATION_PUSH_PAUSE_AFTER_FAILURES = int(os.environ.get("STATION_PUSH_PAUSE_AFTER_FAILURES", 10))
# A row still "sending" after this many seconds belongs to a lost worker: the sweep retries it.
STATION_PUSH_SENDING_TIMEOUT = float(os.environ.get("STATION_PUSH_SENDING_TIMEOUT", 300))
# The sweep leaves rows this many seconds past due to their own queued message first.
STATION_PUSH_SWEEP_GRACE = float(os.environ.get("STATION_PUSH_SWEEP_GRACE", 30))
# A station holding a request open this many seconds is treated as slow: its other
# deliveries go to the backoff workers until it answers again (stations/tasks.py).
STATION_PUSH_SLOW_AFTER = float(os.environ.get("STATION_PUSH_SLOW_AFTER", 3))
# Documented replay window for Qiaoyin-Signature timestamps (checked by the receiver).
STATION_PUSH_SIGNATURE_TOLERANCE = 300
STATION_PAYLOAD_RETENTION_DAYS = int(os.environ.get("STATION_PAYLOAD_RETENTION_DAYS", 30))

# --- Security (production-safe by default) ------------------------------------------
# Behind the reverse proxy every reader arrives from its address, so the rate limits (read
# beacon, search page and APIs) and the login throttle would share one budget: they count by
# the header the proxy sets for the client, e.g. RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP, read
# by config/client_ip.py (which falls back to REMOTE_ADDR when a request lacks it).
CLIENT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY", "").strip()
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"
# A cache outage must not lock everyone out of the search and station APIs: while the rate
# counters cannot be read, requests are let through (the outage itself is logged).
RATELIMIT_FAIL_OPEN = True
# Sign-in throttling (django-axes): LOGIN_FAILURE_LIMIT failures for one account, or from one
# client address, lock it for LOGIN_LOCKOUT_MINUTES; `manage.py axes_reset_username NAME`
# (or axes_reset_ip ADDRESS) lifts a lockout sooner. A success clears the account's count.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "users.lockout.lockout_response"
AXES_VERBOSE = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (django-csp; config/security.py). Media may come from the S3/CDN
# origin; embeds (YouTube, Vimeo… chosen by editors, loaded on a reader's click) from https.
_MEDIA_ORIGINS = media_origins_from_environment(os.environ)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", *_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
ADMIN_PATH_PREFIX = "/admin/"
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # Wagtail's admin (Draftail, Telepath widgets, the preview panel) needs these.
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *_MEDIA_ORIGINS],
        # The preview panel (and its Checks: word count, reading time) frames the admin's
        # own preview view; over plain http in `make run` too.
        "frame-src": ["'self'", "https:"],
    }
}
# Features no page of the site uses are switched off for it and for anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail's background tasks log every start and finish at INFO; only problems matter.
    "loggers": {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}

# Interface names of the channel "sections" used by templates when no page exists yet.
QIAOYIN_BRAND = _("侨音")
