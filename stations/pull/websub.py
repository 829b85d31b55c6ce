"""WebSub publisher side: which feeds an article is in, and the ping that tells the hub.

signal_handlers.py queues the ping (tasks.py) on publish, unpublish or delete of an article.

The ping follows the convention every public hub accepts (PubSubHubbub 0.4 / WebSub
publishers): POST application/x-www-form-urlencoded ``hub.mode=publish&hub.url=<feed>``,
one request per feed URL.
"""

import logging

from django.conf import settings

import requests

from config.links import absolute_url

from .feeds.content import FORMATS, feed_path, websub_hub_url

PING_TIMEOUT = (5, 10)
WEBSUB_CLIENT_VERSION = "1.0"
logger = logging.getLogger(__name__)


def feeds_of_article(article):
    """Every feed the article appears in: its edition's and its channel's, in all formats."""
    language = article.locale.language_code
    channel = article.get_parent()
    urls = []
    for fmt in FORMATS:
        urls.append(absolute_url(feed_path(fmt, language=language)))
        if channel is not None and channel.depth > 2:
            urls.append(absolute_url(feed_path(fmt, channel.slug, language=language)))
    return urls


def ping_hub(feed_urls):
    hub = websub_hub_url()
    if not hub:
        return
    headers = {"User-Agent": f"Qiaoyin-WebSub/{WEBSUB_CLIENT_VERSION} (+{settings.SITE_BASE_URL})"}
    for url in feed_urls:
        response = requests.post(
            hub,
            data={"hub.mode": "publish", "hub.url": url},
            headers=headers,
            timeout=PING_TIMEOUT,
            allow_redirects=False,
        )
        if response.status_code >= 500 or response.status_code == 429:
            response.raise_for_status()  # the task retries these with backoff
        if response.status_code >= 400:
            # A refusal will not change on retry: log it for the operator and move on.
            logger.warning("WebSub hub refused %s: HTTP %s", url, response.status_code)
