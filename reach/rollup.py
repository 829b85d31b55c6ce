"""Fold the cache's raw records into daily rollup rows (the beat task runs this every minute).

Rows are read for the keys the records touch, added to in memory and written back with
bulk_update/bulk_create in one transaction; a lock in the cache keeps two folds apart. If
the database refuses the write, the records go back into the cache for the next run.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F

from cms.models import ArticlePage, ArticleReads
from stations.models import LiaisonStation, StationToken

from . import counters, readers
from .models import ArticleDay, ArticleDayBreakdown, Dimension, PullDay

LOCK = "reach:fold-lock"
LOCK_SECONDS = 300
BATCH = 1000


@dataclass
class Tally:
    days: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    languages: dict = field(default_factory=dict)
    breakdown: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    pulls: dict = field(default_factory=lambda: defaultdict(int))
    records: int = 0

    def add(self, record):
        kind, *fields = record.split("|")
        if kind == "r" and len(fields) == 8:
            self.add_read(*fields)
        elif kind == "p" and len(fields) == 4:
            day, source, station, token = fields
            self.pulls[(date.fromisoformat(day), source, station, token)] += 1
        self.records += 1

    def add_read(self, day, page, language, country, referrer, domain, device, new):
        key = (int(page), date.fromisoformat(day))
        visitors = 1 if new == "1" else 0
        self.days[key][0] += 1
        self.days[key][1] += visitors
        self.languages[key] = language
        values = {
            Dimension.COUNTRY: country,
            Dimension.REFERRER: referrer,
            Dimension.DOMAIN: f"{referrer}/{domain}" if domain else "",
            Dimension.DEVICE: device,
        }
        for dimension, value in values.items():
            if dimension == Dimension.DOMAIN and not value:
                continue
            counts = self.breakdown[(*key, dimension.value, value)]
            counts[0] += 1
            counts[1] += visitors


def fold(now_minute=None):
    """Fold every finished minute; returns the number of records folded."""
    cache = counters.reach_cache()
    if not cache.add(LOCK, 1, LOCK_SECONDS):
        return 0
    try:
        now_minute = counters.current_minute() if now_minute is None else now_minute
        store = counters.store()
        minutes = counters.pending_minutes(now_minute)
        records = store.drain_many(minutes)
        try:
            write(tally_of(records, store))
        except Exception:
            for record in records:
                store.push(now_minute, record)
            raise
        if minutes:
            counters.mark_folded(minutes[-1])
        return len(records)
    finally:
        cache.delete(LOCK)


def tally_of(records, store=None):
    """Records into counts; a read's visitor hash becomes "new today" or not here, against
    the cache's seen flags (one pipelined round trip on Redis), so the beacon need not ask."""
    reads = [record.split("|") for record in records if record.startswith("r|")]
    keys, ttls, first = [], [], {}
    for fields in reads:
        if len(fields) == 9:
            key = readers.seen_key(fields[1], fields[2], fields[8])
            if key not in first:
                first[key] = None
                keys.append(key)
                ttls.append(readers.seconds_left_in(date.fromisoformat(fields[1])))
    for key, new in zip(keys, (store or counters.store()).first_seen(keys, ttls), strict=True):
        first[key] = new
    tally = Tally()
    for record in records:
        if record.startswith("r|"):
            fields = record.split("|")
            if len(fields) == 9:
                key = readers.seen_key(fields[1], fields[2], fields[8])
                fields[8] = "1" if first[key] else "0"
                first[key] = False  # the visitor's later reads in this batch are not new
                record = "|".join(fields)
        tally.add(record)
    return tally


def write(tally):
    live_pages = live_page_ids({page for page, _day in tally.days})
    with transaction.atomic():
        write_days(tally, live_pages)
        write_breakdown(tally, live_pages)
        write_most_read(tally, live_pages)
        write_pulls(tally)


def live_page_ids(page_ids):
    # A page deleted between the read and the fold has nothing to count against.
    found = set()
    ids = sorted(page_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found.update(ArticlePage.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _existing(model, keys, key_of, **filters):
    rows = {}
    pages = sorted({key[0] for key in keys})
    days = sorted({key[1] for key in keys})
    for start in range(0, len(pages), BATCH):
        for row in model.objects.filter(
            page_id__in=pages[start : start + BATCH], day__in=days, **filters
        ):
            rows[key_of(row)] = row
    return rows


def _save(model, rows, new, fields):
    model.objects.bulk_update(rows, fields, batch_size=BATCH)
    model.objects.bulk_create(new, batch_size=BATCH)


def write_days(tally, live_pages):
    keys = [key for key in tally.days if key[0] in live_pages]
    existing = _existing(ArticleDay, keys, lambda row: (row.page_id, row.day))
    changed, new = [], []
    for key in keys:
        views, visitors = tally.days[key]
        row = existing.get(key)
        if row is None:
            new.append(
                ArticleDay(
                    page_id=key[0],
                    day=key[1],
                    language=tally.languages[key],
                    views=views,
                    visitors=visitors,
                )
            )
        else:
            row.views += views
            row.visitors += visitors
            changed.append(row)
    _save(ArticleDay, changed, new, ["views", "visitors"])


def write_breakdown(tally, live_pages):
    keys = [key for key in tally.breakdown if key[0] in live_pages]
    existing = _existing(
        ArticleDayBreakdown,
        keys,
        lambda row: (row.page_id, row.day, row.dimension, row.value),
    )
    changed, new = [], []
    for key in keys:
        views, visitors = tally.breakdown[key]
        row = existing.get(key)
        if row is None:
            page, day, dimension, value = key
            new.append(
                ArticleDayBreakdown(
                    page_id=page,
                    day=day,
                    dimension=dimension,
                    value=value,
                    views=views,
                    visitors=visitors,
                )
            )
        else:
            row.views += views
            row.visitors += visitors
            changed.append(row)
    _save(ArticleDayBreakdown, changed, new, ["views", "visitors"])


def write_most_read(tally, live_pages):
    """ "Most read" (cms ArticleReads) counts daily unique readers, as it did before reach."""
    keys = [key for key in tally.days if key[0] in live_pages and tally.days[key][1]]
    existing = _existing(ArticleReads, keys, lambda row: (row.page_id, row.day))
    changed, new = [], []
    for key in keys:
        visitors = tally.days[key][1]
        row = existing.get(key)
        if row is None:
            new.append(ArticleReads(page_id=key[0], day=key[1], count=visitors))
        else:
            row.count += visitors
            changed.append(row)
    _save(ArticleReads, changed, new, ["count"])


def write_pulls(tally):
    # A station or token deleted since the pull: the count stays, without the link.
    stations = set(
        LiaisonStation.objects.filter(
            pk__in={int(key[2]) for key in tally.pulls if key[2]}
        ).values_list("pk", flat=True)
    )
    tokens = set(
        StationToken.objects.filter(
            pk__in={int(key[3]) for key in tally.pulls if key[3]}
        ).values_list("pk", flat=True)
    )
    for (day, source, station, token), requests in tally.pulls.items():
        station = int(station) if station and int(station) in stations else None
        token = int(token) if token and int(token) in tokens else None
        updated = PullDay.objects.filter(day=day, source=source).update(
            requests=F("requests") + requests
        )
        if not updated:
            PullDay.objects.create(
                day=day,
                source=source,
                station_id=station,
                token_id=token,
                requests=requests,
            )
