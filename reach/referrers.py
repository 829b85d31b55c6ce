"""Referrer classes: where a read came from, by the page's referrer or its utm_source.

Only the class and the referring domain are kept, never the referring URL (it may carry a
search query or a private link). A station's site is recognised by the website of any
liaison station.
"""

import re
from time import monotonic
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from stations.models import LiaisonStation

from .counters import reach_cache

DIRECT, INTERNAL, SEARCH, SOCIAL, WECHAT, WEIBO, STATION, OTHER = (
    "direct",
    "internal",
    "search",
    "social",
    "wechat",
    "weibo",
    "station",
    "other",
)
CLASS_LABELS = {
    DIRECT: _("Direct or unknown"),
    INTERNAL: _("This site"),
    SEARCH: _("Search engines"),
    SOCIAL: _("Social media"),
    WECHAT: _("WeChat"),
    WEIBO: _("Weibo"),
    STATION: _("Liaison station sites"),
    OTHER: _("Other sites"),
}
# Registrable names (any subdomain matches) of the referrers a Chinese newsroom abroad sees.
DOMAINS = {
    WECHAT: ["weixin.qq.com", "wechat.com", "wx.qq.com"],
    WEIBO: ["weibo.com", "weibo.cn", "t.cn"],
    SEARCH: [
        "google.com",
        "google.co.uk",
        "google.de",
        "google.fr",
        "google.it",
        "google.es",
        "google.com.hk",
        "google.com.tw",
        "google.co.jp",
        "google.com.au",
        "google.ca",
        "bing.com",
        "baidu.com",
        "sogou.com",
        "so.com",
        "sm.cn",
        "yandex.ru",
        "yandex.com",
        "duckduckgo.com",
        "search.yahoo.com",
        "naver.com",
        "ecosia.org",
        "qwant.com",
    ],
    SOCIAL: [
        "facebook.com",
        "fb.com",
        "m.facebook.com",
        "t.co",
        "twitter.com",
        "x.com",
        "linkedin.com",
        "lnkd.in",
        "instagram.com",
        "youtube.com",
        "reddit.com",
        "line.me",
        "t.me",
        "telegram.org",
        "whatsapp.com",
        "douyin.com",
        "tiktok.com",
        "xiaohongshu.com",
        "zhihu.com",
        "bilibili.com",
        "threads.net",
        "pinterest.com",
        "kakao.com",
    ],
}
UTM_SOURCES = {
    "wechat": WECHAT, "weixin": WECHAT, "wx": WECHAT, "weibo": WEIBO,
    "facebook": SOCIAL, "twitter": SOCIAL, "x": SOCIAL, "linkedin": SOCIAL,
    "telegram": SOCIAL, "whatsapp": SOCIAL, "line": SOCIAL, "douyin": SOCIAL,
    "tiktok": SOCIAL, "xiaohongshu": SOCIAL, "youtube": SOCIAL,
    "google": SEARCH, "baidu": SEARCH, "bing": SEARCH,
}  # fmt: skip
UTM_SOURCE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
MAX_REFERRER = 2048
STATION_HOSTS_KEY = "reach:station-hosts"
STATION_HOSTS_SECONDS = 300


class ForgedReferrer(ValueError):
    pass


def referrer_host(referrer):
    """The host of an http(s) referrer, "" for none; ForgedReferrer for anything else."""
    if not referrer:
        return ""
    if len(referrer) > MAX_REFERRER or any(ord(char) < 32 for char in referrer):
        raise ForgedReferrer(referrer[:80])
    try:
        parts = urlsplit(referrer)
        host = (parts.hostname or "").rstrip(".")
    except ValueError as error:
        raise ForgedReferrer(referrer[:80]) from error
    if parts.scheme not in ("http", "https") or not host:
        raise ForgedReferrer(referrer[:80])
    return host.removeprefix("www.")


def _matches(host, names):
    return any(host == name or host.endswith("." + name) for name in names)


# This process's copy, for as long (the beacon classifies "other" referrers against it; a
# station edited elsewhere reaches this process within STATION_HOSTS_SECONDS).
_station_hosts = {"until": 0.0, "hosts": []}


def station_hosts():
    if monotonic() >= _station_hosts["until"]:
        hosts = shared_station_hosts()
        _station_hosts.update(hosts=hosts, until=monotonic() + STATION_HOSTS_SECONDS)
    return _station_hosts["hosts"]


def shared_station_hosts():
    cache = reach_cache()
    hosts = cache.get(STATION_HOSTS_KEY)
    if hosts is None:
        hosts = sorted(
            {
                (urlsplit(url).hostname or "").removeprefix("www.")
                for url in LiaisonStation.objects.exclude(website="").values_list(
                    "website", flat=True
                )
            }
            - {""}
        )
        cache.set(STATION_HOSTS_KEY, hosts, STATION_HOSTS_SECONDS)
    return hosts


def forget_station_hosts():
    _station_hosts["until"] = 0.0
    reach_cache().delete(STATION_HOSTS_KEY)


def classify(referrer, utm_source, own_host):
    """(class, domain) of a read. utm_source names the channel a link was shared on (WeChat
    strips the referrer), so it wins over the referrer; a referrer from our own host is an
    internal move between pages."""
    host = referrer_host(referrer)
    own = (own_host or "").split(":")[0].removeprefix("www.")
    source = UTM_SOURCES.get((utm_source or "").lower())
    if source:
        return source, host if host and host != own else ""
    if not host:
        return DIRECT, ""
    if host == own:
        return INTERNAL, ""
    for kind, names in DOMAINS.items():
        if _matches(host, names):
            return kind, host
    if _matches(host, station_hosts()):
        return STATION, host
    return OTHER, host
