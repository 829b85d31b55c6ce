"""Publish / correction / takedown → delivery rows, written in the publishing transaction.

Nothing here talks to the network: rows are the outbox, and the Celery task queued on
commit (or, if the broker is down, the sweep) sends them.
"""

from django.db import connections, transaction
from django.db.models import DateTimeField, F, Value
from django.utils import timezone

from cms.models import TopicPage

from .models import (
    ArticleVersion,
    Delivery,
    Destination,
    DistributedArticle,
    LiaisonStation,
    RandomUUID,
)
from .tasks import enqueue

Event = ArticleVersion.Event


# --- who receives what ------------------------------------------------------------------
def article_subjects(article):
    """Translation keys of the article's channel and topics, and its country keys."""
    parent = article.get_parent()
    topic_keys = set(
        TopicPage.objects.filter(topic_articles__article_id=article.pk).values_list(
            "translation_key", flat=True
        )
    )
    return {
        "channel": parent.translation_key if parent else None,
        "topics": topic_keys,
        "countries": {country.translation_key for country in article.countries.all()},
    }


def station_filters():
    """{station id: (channel keys, topic keys, country keys)} for stations with a filter.

    Read as plain values, not model instances: a publish with 300 stations must cost
    about what a publish with none does (bench/fanout.py).
    """
    through = LiaisonStation.filter_channels.through
    filters = {}
    sources = (
        (0, through.objects.values_list("liaisonstation_id", "page__translation_key")),
        (
            1,
            LiaisonStation.filter_topics.through.objects.values_list(
                "liaisonstation_id", "page__translation_key"
            ),
        ),
        (
            2,
            LiaisonStation.filter_countries.through.objects.values_list(
                "liaisonstation_id", "country__translation_key"
            ),
        ),
    )
    for index, rows in sources:
        for station_id, key in rows:
            filters.setdefault(station_id, (set(), set(), set()))[index].add(key)
    return filters


def station_matches(locales, language, station_filter, subjects):
    if language not in (locales or []):
        return False
    if station_filter is None:
        return True
    channels, topics, countries = station_filter
    # Any listed channel, topic or country is enough: a subscription is a union of interests.
    return (
        subjects["channel"] in channels
        or bool(subjects["topics"] & topics)
        or bool(subjects["countries"] & countries)
    )


def matching_destinations(article):
    """{destination id: station id} of the active destinations of active stations subscribed
    to this article."""
    language = article.locale.language_code
    subjects = article_subjects(article)
    filters = station_filters()
    return {
        destination_id: station_id
        for destination_id, station_id, locales in active_destinations().values_list(
            "pk", "station_id", "station__locales"
        )
        if station_matches(locales, language, filters.get(station_id), subjects)
    }


def active_destinations():
    return Destination.objects.filter(is_active=True, station__is_active=True)


def destination_map(queryset):
    """{destination id: station id}"""
    return dict(queryset.values_list("pk", "station_id"))


def earlier_recipients(distributed):
    """Destinations that received, or are still to receive, some version of the article."""
    ids = (
        Delivery.objects.filter(article=distributed)
        .exclude(state__in=[Delivery.State.FAILED, Delivery.State.CANCELED])
        .values_list("destination_id", flat=True)
    )
    return destination_map(active_destinations().filter(pk__in=ids))


# --- ledger writes ----------------------------------------------------------------------
def record_publish(article, revision=None, reconciled=False):
    """A publish (first or after a takedown) or a correction (republish of a live article)."""
    with transaction.atomic():
        distributed = lock_distributed(article)
        event = Event.CORRECTED if distributed.live else Event.PUBLISHED
        destinations = matching_destinations(article)
        if event == Event.CORRECTED:
            destinations.update(earlier_recipients(distributed))
        distributed.live = True
        distributed.page_id = article.pk
        distributed.title = article.title[:255]
        version = new_version(distributed, event, revision, reconciled)
        return create_deliveries(version, destinations)


def record_takedown(article, deleted=False):
    """Unpublish or delete: `pubstatus: canceled` to every earlier recipient only."""
    with transaction.atomic():
        distributed = DistributedArticle.objects.select_for_update().filter(uri=article.uri).first()
        if distributed is None or not distributed.live:
            return []
        distributed.live = False
        if deleted:
            distributed.page_id = None
        version = new_version(distributed, Event.CANCELED, None)
        return create_deliveries(version, earlier_recipients(distributed))


def lock_distributed(article):
    distributed, _ = DistributedArticle.objects.get_or_create(
        uri=article.uri,
        defaults={
            "page_id": article.pk,
            "language": article.locale.language_code,
            "title": article.title[:255],
        },
    )
    return DistributedArticle.objects.select_for_update().get(pk=distributed.pk)


def new_version(distributed, event, revision, reconciled=False):
    distributed.current_version += 1
    distributed.save()
    return ArticleVersion.objects.create(
        article=distributed,
        version=distributed.current_version,
        event=event,
        revision_id=revision.pk if revision else None,
        reconciled=reconciled,
    )


def create_deliveries(version, destinations):
    """One row per destination ({destination id: station id}) for this version; their ids."""
    if not destinations:
        return []
    now = timezone.now()
    if version.version > 1:
        # The station only ever needs the newest version: waiting older ones are superseded.
        Delivery.objects.filter(
            article=version.article,
            destination_id__in=list(destinations),
            state__in=Delivery.WAITING_STATES,
            version__lt=version.version,
        ).update(state=Delivery.State.SUPERSEDED, ended_at=now)
    ids = insert_deliveries(version, sorted(destinations), now)
    transaction.on_commit(lambda: enqueue(ids), robust=True)
    return ids


def insert_deliveries(version, destination_ids, now):
    """INSERT … SELECT: the database makes the rows from the destinations' own.

    Written by hand because Django's ORM has no INSERT … SELECT, and bulk_create builds a
    model instance and prepares fifteen values per station in Python, which the editor's
    publish (these rows are written in its transaction, issue 12) waits for; bench/fanout.py
    measures the publish with and without stations. The SELECT is an ORM queryset (quoting,
    parameters and each backend's dialect are Django's); only the INSERT INTO line is ours.
    The columns left out are the nullable ones (sending, ended, last status).
    """
    values = {
        "destination": F("pk"),
        "station": F("station_id"),
        "article": Value(version.article_id),
        "article_version": Value(version.pk),
        "version": Value(version.version),
        "event": Value(version.event),
        "state": Value(Delivery.State.PENDING.value),
        "idempotency_key": RandomUUID(),
        "attempts": Value(0),
        "next_attempt_at": Value(now, output_field=DateTimeField()),
        "created_at": Value(now, output_field=DateTimeField()),
        "last_error": Value(""),
    }
    rows = (
        Destination.objects.filter(pk__in=destination_ids)
        .order_by("pk")
        .annotate(**{f"new_{name}": expression for name, expression in values.items()})
        .values_list(*(f"new_{name}" for name in values))
    )
    connection = connections[Delivery.objects.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in values)
    select, params = rows.query.get_compiler(connection=connection).as_sql()
    returning, _ = connection.ops.return_insert_columns([Delivery._meta.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) {select} {returning}",
            params,
        )
        return [row[0] for row in cursor.fetchall()]
