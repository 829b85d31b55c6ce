"""The read beacon: one POST per article view, from the article page itself (cached or not).

It answers from the cache alone on the common path (the page's language and the rate limit)
and appends one record to the minute's list; the rollup task turns the records into rows
(and decides which visitors are new today). It writes nothing to the database.
"""

import re

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from django_ratelimit.core import is_ratelimited

from cms.models import ArticlePage
from config.client_ip import client_ip

from . import counters, readers, referrers

READS_RATE = "60/m"
# Fetch-metadata values a same-origin sendBeacon carries (older browsers send none).
SAME_ORIGIN_FETCH_SITES = {"same-origin", "none"}
PAGE_ID = re.compile(r"^[1-9][0-9]{0,11}$", re.ASCII)
# Publishing, unpublishing and deleting drop the entry (signal_handlers), so it may live long.
PAGE_LANGUAGE_SECONDS = 3600
NOT_LIVE = "-"
SEP = "|"


def page_language_key(page_id):
    return f"reach:page:{page_id}"


def live_article_language(page_id):
    """The edition's language, None when no live public article has this id; cached (the
    cache is dropped on publish, unpublish and delete: reach/signal_handlers.py)."""
    cache = counters.reach_cache()
    key = page_language_key(page_id)
    language = cache.get(key)
    if language is None:
        article = (
            ArticlePage.objects.live()
            .public()
            .filter(pk=page_id)
            .values_list("locale__language_code", flat=True)
            .first()
        )
        language = article or NOT_LIVE
        cache.set(key, language, PAGE_LANGUAGE_SECONDS)
    return None if language == NOT_LIVE else language


def declines_tracking(request):
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def from_another_site(request):
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in SAME_ORIGIN_FETCH_SITES:
        return True
    # The beacon's own Referer is the article page: a page of another site forged it.
    sender = request.headers.get("Referer")
    if not sender:
        return False
    try:
        return referrers.referrer_host(sender) != request.get_host().split(":")[0].removeprefix(
            "www."
        )
    except referrers.ForgedReferrer:
        return True


class BadBeacon(ValueError):
    pass


def parse(request):
    page_id = request.POST.get("page", "")
    if not PAGE_ID.match(page_id):
        raise BadBeacon(_("The page id must be a number."))
    utm_source = request.POST.get("utm_source", "")
    if utm_source and not referrers.UTM_SOURCE.match(utm_source):
        raise BadBeacon(_("utm_source must be a short name of letters, digits, _ . or -."))
    try:
        source = referrers.classify(
            request.POST.get("referrer", ""), utm_source, request.get_host()
        )
    except referrers.ForgedReferrer as error:
        raise BadBeacon(_("The referrer must be an http or https address.")) from error
    return int(page_id), source


@csrf_exempt  # cached pages carry no CSRF token; the endpoint only ever adds to counters
@require_POST
@never_cache
def record_read(request: HttpRequest) -> HttpResponse:
    if from_another_site(request):
        return HttpResponseForbidden(_("Reads are only counted from this site's pages."))
    try:
        page_id, (referrer_class, domain) = parse(request)
    except BadBeacon as error:
        return HttpResponseBadRequest(str(error))
    if is_ratelimited(request, group="reads", key="ip", rate=READS_RATE, increment=True):
        return HttpResponse(_("Too many requests."), status=429, content_type="text/plain")
    language = live_article_language(page_id)
    if language is None:
        # 400, not 404: LocaleMiddleware turns a 404 on an unprefixed URL into a redirect.
        return HttpResponseBadRequest(_("No published article has this id."))
    user_agent = request.headers.get("User-Agent", "")
    if declines_tracking(request) or readers.is_bot(user_agent):
        return HttpResponse(status=204)
    count_read(request, page_id, language, referrer_class, domain, user_agent)
    return HttpResponse(status=204)


def count_read(request, page_id, language, referrer_class, domain, user_agent):
    record = read_record(request, page_id, language, referrer_class, domain, user_agent)
    counters.store().push(counters.current_minute(), record)


def read_record(request, page_id, language, referrer_class, domain, user_agent):
    """The raw record of one read: what the fold counts, and nothing that names the reader
    but the day's visitor hash."""
    day = timezone.localdate()
    address = client_ip(request)
    visitor = readers.visitor_hash(day, request.get_host(), address, user_agent)
    return SEP.join(
        [
            "r",
            day.isoformat(),
            str(page_id),
            language,
            readers.country_of(address),
            referrer_class,
            domain.replace(SEP, ""),
            readers.device_class(user_agent),
            visitor,
        ]
    )
