"""Settings as each process loads them: every module in a fresh interpreter, from the
environment alone (as gunicorn, Celery or manage.py would start)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Variables of this process that would leak into the one under test.
CONFIG_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "ALLOWED_HOSTS",
    "SITE_BASE_URL",
    "WAGTAILADMIN_BASE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "ELASTICSEARCH_URL",
    "AWS_STORAGE_BUCKET_NAME",
)
PRODUCTION_VARIABLES = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://qiaoyin:secret@db.internal:5432/qiaoyin",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "news.example.org",
    "SITE_BASE_URL": "https://news.example.org",
}
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from config.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
    "broker": app.conf.broker_url, "media_root": str(settings.MEDIA_ROOT),
}))
"""


def run(args, tmp_path, **variables):
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(QIAOYIN_VAR_DIR=str(tmp_path / "var"), **variables)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_passes_the_deployment_check(tmp_path):
    # Given every required production variable, with a long random secret key
    # When Django's deployment checklist runs
    result = run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        **PRODUCTION_VARIABLES,
    )
    # Then it finds nothing to warn about
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        tuple(PRODUCTION_VARIABLES),
        ("SECRET_KEY",),
        ("DATABASE_URL", "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without_required_variables(tmp_path, missing):
    # Given production settings with some required variables unset or blank
    present = {k: v for k, v in PRODUCTION_VARIABLES.items() if k not in missing}
    present[missing[0]] = "  "
    # When any process starts
    result = run(
        ["manage.py", "check"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        **present,
    )
    # Then it stops with a message naming exactly the missing ones
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "Missing required production environment variables" in message
    for name in PRODUCTION_VARIABLES:
        assert (name in message) == (name in missing), message


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_every_settings_module_honours_database_broker_and_media(tmp_path, module):
    # Given a second instance pointed at its own database, broker and media folder
    variables = {
        **PRODUCTION_VARIABLES,
        "DJANGO_SETTINGS_MODULE": f"config.settings.{module}",
        "DATABASE_URL": "postgres://qiaoyin@db2.internal:5432/qiaoyin_second",
        "CELERY_BROKER_URL": "redis://broker2.internal:6379/5",
        "MEDIA_ROOT": str(tmp_path / "second-media"),
    }
    # When its settings load
    result = run(["-c", PRINT_SETTINGS], tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    # Then it uses them, not the defaults
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert (loaded["name"], loaded["host"]) == ("qiaoyin_second", "db2.internal")
    assert loaded["broker"] == "redis://broker2.internal:6379/5"
    assert loaded["media_root"] == str(tmp_path / "second-media")


def test_production_gives_the_broker_a_database_of_its_own(tmp_path):
    # Given production with REDIS_URL on database 0 and no CELERY_BROKER_URL
    # When its settings load
    result = run(
        ["-c", PRINT_SETTINGS],
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        **PRODUCTION_VARIABLES,
    )
    # Then the caches stay on database 0 and the broker takes the next one
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["broker"] == "redis://cache.internal:6379/1"


@pytest.mark.parametrize(
    "broker",
    ["redis://cache.internal:6379/0", "redis://cache.internal:6379", "redis://cache.internal/0"],
)
def test_production_refuses_a_broker_on_a_cache_database(tmp_path, broker):
    # Given production with the broker pointed at the caches' Redis database
    # When any process starts
    result = run(
        ["manage.py", "check"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        CELERY_BROKER_URL=broker,
        **PRODUCTION_VARIABLES,
    )
    # Then it stops, saying which cache shares the database and what to do instead
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in message
    assert "CELERY_BROKER_URL uses Redis database 0 on cache.internal:6379" in message
    assert "redis://cache.internal:6379/1" in message
