"""The read beacon: one POST per article view, from the article page itself (cached or not).

BeaconMiddleware answers POST /reads/ at the top of the stack: a 204 needs no session, user,
locale, CSRF token or security headers, and the work they do costs more than the count. The
checks are the same as through the URL (the view below is also routed, for reverse() and for
a stack without the middleware): same origin, the page id and referrer well formed, the rate
limit per client, the page a live article, Do Not Track / GPC and bots answered but not
counted. On Redis the rate window, the page's language and the push of the record are one
round trip (counters.BEACON_SCRIPT); the rollup task turns the records into rows (and decides
which visitors are new today). It writes nothing to the database.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
)
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from cms.models import ArticlePage
from config.client_ip import client_ip

from . import counters, readers, referrers
from .counters import NOT_LIVE

BEACON_PATH = "/reads/"
READS_RATE = "60/m"
# Fetch-metadata values a same-origin sendBeacon carries (older browsers send none).
SAME_ORIGIN_FETCH_SITES = {"same-origin", "none"}
PAGE_ID = re.compile(r"^[1-9][0-9]{0,11}$", re.ASCII)
SEP = "|"
PERIODS = {"s": 1, "m": 60, "h": 3600}
# Refusals, in the sender's language when they are sent (refusal()).
BAD_PAGE_ID = _("The page id must be a number.")
BAD_UTM_SOURCE = _("utm_source must be a short name of letters, digits, _ . or -.")
BAD_REFERRER = _("The referrer must be an http or https address.")
OTHER_SITE = _("Reads are only counted from this site's pages.")
TOO_MANY = _("Too many requests.")
NOT_AN_ARTICLE = _("No published article has this id.")


@lru_cache(maxsize=8)
def rate_limit(rate):
    """("60/m") → (60, 60): reads allowed, per window of seconds."""
    count, period = rate.split("/")
    return int(count), PERIODS[period]


class BeaconMiddleware:
    """First in MIDDLEWARE: POST /reads/ (any method, so a GET is a 405) never goes further."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == BEACON_PATH:
            return record_read(request)
        return self.get_response(request)


def site_host(request):
    return request.get_host().split(":")[0].removeprefix("www.")


def declines_tracking(request):
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def from_another_site(request, host):
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in SAME_ORIGIN_FETCH_SITES:
        return True
    # The beacon's own Referer is the article page: a page of another site forged it.
    sender = request.headers.get("Referer")
    if not sender:
        return False
    try:
        return referrers.referrer_host(sender) != host
    except referrers.ForgedReferrer:
        return True


class BadBeacon(ValueError):
    pass


def parse(request, host):
    page_id = request.POST.get("page", "")
    if not PAGE_ID.match(page_id):
        raise BadBeacon(BAD_PAGE_ID)
    utm_source = request.POST.get("utm_source", "")
    if utm_source and not referrers.UTM_SOURCE.match(utm_source):
        raise BadBeacon(BAD_UTM_SOURCE)
    try:
        source = referrers.classify(request.POST.get("referrer", ""), utm_source, host)
    except referrers.ForgedReferrer as error:
        raise BadBeacon(BAD_REFERRER) from error
    return int(page_id), source


@csrf_exempt  # cached pages carry no CSRF token; the endpoint only ever adds to counters
def record_read(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = answer(request)
    add_never_cache_headers(response)
    return response


def answer(request):
    host = site_host(request)
    if from_another_site(request, host):
        return refusal(request, HttpResponseForbidden, OTHER_SITE)
    try:
        page_id, (referrer_class, domain) = parse(request, host)
    except BadBeacon as error:
        return refusal(request, HttpResponseBadRequest, error.args[0])
    verdict = count(request, page_id, referrer_class, domain)
    if verdict == counters.LIMITED:
        return refusal(request, HttpResponse, TOO_MANY, status=429)
    if verdict == counters.NOT_AN_ARTICLE:
        # 400, not 404: an unprefixed 404 would send the reader to a language (website).
        return refusal(request, HttpResponseBadRequest, NOT_AN_ARTICLE)
    return HttpResponse(status=204)


def refusal(request, response_class, message, **kwargs):
    """A refusal in the sender's language: the middleware runs before LocaleMiddleware, and
    only a refused beacon pays for choosing it."""
    with translation.override(translation.get_language_from_request(request)):
        text = str(message)
    return response_class(text, content_type="text/plain; charset=utf-8", **kwargs)


def count(request, page_id, referrer_class, domain):
    """The cache's verdict on this read (counters.Read), the record pushed if it counts."""
    address = client_ip(request)
    user_agent = request.headers.get("User-Agent", "")
    counted = not (declines_tracking(request) or readers.is_bot(user_agent))
    head = tail = None
    if counted:
        head, tail = record_around_language(
            request, page_id, address, referrer_class, domain, user_agent
        )
    limit, window = rate_limit(READS_RATE)
    read = counters.Read(readers.rate_client(address), page_id, head, tail, limit, window)
    store = counters.store()
    verdict = store.count(read)
    if verdict == counters.UNKNOWN:  # not told at publish (a restarted cache): ask, remember
        language = live_article_language(page_id)
        store.remember_language(page_id, language or NOT_LIVE)
        if language is None:
            return counters.NOT_AN_ARTICLE
        if counted:
            store.push(counters.current_minute(), read.record(language))
        return counters.ACCEPTED
    return verdict


def live_article_language(page_id):
    """The edition's language, None when no live public article has this id."""
    return live_article_languages([page_id]).get(page_id)


def live_article_languages(page_ids: Iterable[int]) -> dict[int, str]:
    """{page id: edition language} of those ids that are live public articles."""
    return dict(
        ArticlePage.objects.live()
        .public()
        .filter(pk__in=list(page_ids))
        .values_list("pk", "locale__language_code")
    )


def refresh_page_languages(page_ids: Iterable[int]) -> None:
    """Tell the cache what the beacon will need to know of these pages (their language, or
    that they are not live public articles), so no read of theirs asks the database."""
    page_ids = list(page_ids)
    for start in range(0, len(page_ids), 5000):
        batch = page_ids[start : start + 5000]
        languages = live_article_languages(batch)
        counters.store().remember_languages(
            {page_id: languages.get(page_id, NOT_LIVE) for page_id in batch}
        )


def record_around_language(request, page_id, address, referrer_class, domain, user_agent):
    """The raw record of one read, as the text before and after its language (which the
    cache supplies): what the fold counts, and nothing that names the reader but the day's
    visitor hash."""
    day = timezone.localdate()
    visitor = readers.visitor_hash(day, request.get_host(), address, user_agent)
    head = SEP.join(["r", day.isoformat(), str(page_id), ""])
    tail = SEP.join(
        [
            "",
            readers.country_of(address),
            referrer_class,
            domain.replace(SEP, ""),
            readers.device_class(user_agent),
            visitor,
        ]
    )
    return head, tail


def read_record(request, page_id, language, referrer_class, domain, user_agent):
    """The whole record (bench/reach.py pushes such records in bulk)."""
    address = client_ip(request)
    head, tail = record_around_language(
        request, page_id, address, referrer_class, domain, user_agent
    )
    return f"{head}{language}{tail}"
