"""Fixtures of the translation tests: Celery running tasks in-process, channels with their
translation options, and a stand-in for the translation services on 127.0.0.1."""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from django.conf import settings

from wagtail.models import Locale
from wagtail.rich_text import RichText

import pytest

from config.celery import app as celery_app
from translations.models import ChannelTranslationSettings

from ..cms.admin_forms import chief_editor
from ..cms.factories import ChannelPageFactory, make_article


@pytest.fixture
def run_tasks_inline(django_capture_on_commit_callbacks):
    """Tasks queued on commit run in this process when the test's transaction 'commits'.

    These tests are about what the tasks do, not about delivery through a broker."""
    eager, propagates = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield django_capture_on_commit_callbacks
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = eager, propagates


def locale(code):
    return Locale.objects.get(language_code=code)


def paragraphs(*texts):
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


def channel_with(home, slug="qiaowu", **options):
    channel = ChannelPageFactory(parent=home, title="侨务新闻", slug=slug)
    if options:
        ChannelTranslationSettings.objects.update_or_create(channel=channel, defaults=options)
    return channel


def publish_article(run_tasks_inline, channel, **fields):
    """Publish an article and let the tasks its publication queues run."""
    fields.setdefault("body", paragraphs("软件工程师在网络上发布信息。"))
    with run_tasks_inline(execute=True):
        article = make_article(channel, **fields)
    return article


class FakeService:
    """A translation service's HTTP API on 127.0.0.1 that records every request.

    `reply(path, body, query)` returns the JSON to send back for a request."""

    def __init__(self, reply):
        self.requests = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                url = urlparse(self.path)
                body = json.loads(raw) if raw else {}
                record = {
                    "method": method,
                    "path": url.path,
                    "query": parse_qs(url.query),
                    "headers": dict(self.headers),
                    "json": body,
                }
                service.requests.append(record)
                status, payload = reply(record)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                self._answer("POST")

            def do_DELETE(self):
                self._answer("DELETE")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chief(client):
    """A chief editor using the admin in English, so assertions read the source texts."""
    from wagtail.users.models import UserProfile

    user = chief_editor()
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    client.force_login(user)
    return user


@pytest.fixture
def fake_service():
    services = []

    def start(reply):
        service = FakeService(reply)
        services.append(service)
        return service

    yield start
    for service in services:
        service.close()


def translator_settings(service, **options):
    """WAGTAILLOCALIZE_MACHINE_TRANSLATOR with `service` configured."""
    base = settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR
    merged = {**base["OPTIONS"], "SERVICE": service, **options}
    return {**base, "OPTIONS": merged}


def submit_for_translation(client, page, *codes):
    """'Translate this page' in the admin, as the logged-in user; returns the Translations."""
    from django.urls import reverse

    from wagtail_localize.models import Translation

    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale(code).pk for code in codes]},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return {
        code: Translation.objects.get(
            source__object_id=page.translation_key, target_locale=locale(code)
        )
        for code in codes
    }


def deepl_api():
    """DeepL's translate and glossary endpoints; glossaries get ids g-1, g-2, …"""
    glossary_ids = itertools.count(1)

    def reply(record):
        if record["path"] == "/v2/glossaries":
            return 201, {"glossary_id": f"g-{next(glossary_ids)}"}
        if record["path"].startswith("/v2/glossaries/"):
            return 204, {}
        target = record["json"]["target_lang"]
        return 200, {"translations": [{"text": f"[{target}] {t}"} for t in record["json"]["text"]]}

    return reply


@pytest.fixture
def deepl(fake_service, settings):
    service = fake_service(deepl_api())
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_settings(
        "deepl", DEEPL={"AUTH_KEY": "secret-key", "API_URL": service.url}
    )
    return service
