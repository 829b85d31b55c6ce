"""Elasticsearch 9: one index per locale behind an alias, rebuilt as a new version and swapped."""

import uuid
from dataclasses import replace

from django.conf import settings
from django.utils import timezone

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import Search
from elasticsearch.helpers import bulk, scan, streaming_bulk

from ..analysis import normalise
from . import es_mapping
from .base import FACETS, EngineHit, EngineResult, total_cap
from .base import SearchEngine as BaseEngine
from .database import vocabulary_from_terms

BULK_CHUNK = 500
VOCABULARY_TITLES = 3000


class ElasticsearchEngine(BaseEngine):
    name = "elasticsearch"

    def __init__(self, url, prefix="qiaoyin", chinese_analyzer="jieba", client_options=None):
        self.client = Elasticsearch(url, **(client_options or {}))
        self.prefix = prefix
        self.chinese_analyzer = chinese_analyzer

    # --- index names ----------------------------------------------------------------
    def alias(self, locale):
        return f"{self.prefix}-{locale}"

    def _new_index_name(self, locale):
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        return f"{self.alias(locale)}-{stamp}-{uuid.uuid4().hex[:6]}"

    def _locales(self):
        return [code for code, _ in settings.LANGUAGES]

    def _create_index(self, locale):
        name = self._new_index_name(locale)
        self.client.indices.create(
            index=name, **es_mapping.index_body(locale, self.chinese_analyzer)
        )
        return name

    def ensure_index(self, locale):
        """The alias exists before the first document arrives (a first publish, a test)."""
        alias = self.alias(locale)
        if not self.client.indices.exists_alias(name=alias):
            name = self._create_index(locale)
            self.client.indices.put_alias(index=name, name=alias)
        return alias

    def _alias_targets(self, locale):
        try:
            return list(self.client.indices.get_alias(name=self.alias(locale)).keys())
        except NotFoundError:
            return []

    # --- writing --------------------------------------------------------------------
    def _actions(self, documents, index=None):
        aliases = {}  # one existence check per locale, not a request per document
        for document in documents:
            if document.locale not in aliases:
                aliases[document.locale] = index or self.ensure_index(document.locale)
            yield {
                "_index": aliases[document.locale],
                "_id": str(document.page_id),
                "_source": es_mapping.document_body(document),
            }

    def index(self, documents):
        bulk(self.client, self._actions(documents), chunk_size=BULK_CHUNK, refresh=True)

    def delete(self, page_ids):
        page_ids = list(page_ids)
        if not page_ids:
            return
        actions = [
            {"_op_type": "delete", "_index": self.alias(locale), "_id": str(page_id)}
            for locale in self._locales()
            if self._alias_targets(locale)
            for page_id in page_ids
        ]
        bulk(self.client, actions, raise_on_error=False, refresh=True)

    def rebuild(self, locale, documents, progress=None):
        """Fill a new versioned index; swap the alias only when it is complete."""
        name = self._create_index(locale)
        count = 0
        try:
            # Nobody reads the new index before the swap: no periodic refreshes (each makes
            # a small segment to merge later) until it is full.
            self._set_refresh_interval(name, "-1")
            for _ok, _item in _streaming(self.client, self._actions(documents, index=name)):
                count += 1
                if progress:
                    progress(1)
            self._set_refresh_interval(name, None)  # back to the cluster's default
            self.client.indices.refresh(index=name)
        except Exception:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        old = self._alias_targets(locale)
        actions = [{"remove": {"index": index, "alias": self.alias(locale)}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias(locale)}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        return count

    def _set_refresh_interval(self, index, interval):
        self.client.indices.put_settings(index=index, settings={"refresh_interval": interval})

    # --- reading --------------------------------------------------------------------
    def search(self, query):
        alias = self.ensure_index(query.locale)
        response = self._execute(alias, es_mapping.search_body(query))
        total = response.hits.total.value
        since = self._cap_boundary(alias, query) if total >= total_cap() else None
        if since is not None:  # ranked and counted as the database engine does
            response = self._execute(alias, es_mapping.search_body(query, since=since))
        hits = [
            EngineHit(
                page_id=int(hit.page_id),
                score=hit.meta.score or 0.0,
                url=hit.url,
                uri=hit.uri,
                title=hit.title,
                text=hit.text,
                channel=hit.channel,
                published_at=getattr(hit, "published_at", None),
            )
            for hit in response
        ]
        aggregations = response.to_dict().get("aggregations", {})
        facets = {name: [] for name in FACETS}
        for name in FACETS:
            for bucket in aggregations.get(name, {}).get("buckets", []):
                facets[name].append((str(bucket["key"]), bucket["doc_count"]))
        if "year" in facets:
            facets["year"].sort(key=lambda item: item[0], reverse=True)
        return EngineResult(hits=hits, total=total, facets=facets)

    def _execute(self, alias, body):
        return Search(using=self.client, index=alias).update_from_dict(body).execute()

    def _cap_boundary(self, alias, query):
        """The date of the total_cap()-th newest match: from it on are the candidates the
        database engine ranks and counts (the newest matches a reader can page through)."""
        newest = es_mapping.search_body(replace(query, sort="newest"), with_aggregations=False)
        newest.update({"from": total_cap() - 1, "size": 1, "track_total_hits": False})
        newest["_source"] = ["published_at"]
        last = self._execute(alias, newest)
        return getattr(last.hits[0], "published_at", None) if last.hits else None

    def count_up_to(self, query, limit):
        alias = self.ensure_index(query.locale)
        body = es_mapping.search_body(query, with_aggregations=False)
        body.update(size=0, track_total_hits=limit, _source=False)
        for unused in ("from", "sort"):
            body.pop(unused, None)
        response = Search(using=self.client, index=alias).update_from_dict(body).execute()
        return min(response.hits.total.value, limit)

    def suggest(self, prefix, locale, limit):
        alias = self.ensure_index(locale)
        body = {"completion": {"field": "suggest", "size": limit, "skip_duplicates": True}}
        response = self.client.search(
            index=alias,
            suggest={"titles": {"prefix": normalise(prefix), **body}},
            source=["title"],
        )
        options = response["suggest"]["titles"][0]["options"]
        return list(dict.fromkeys(option["_source"]["title"] for option in options))[:limit]

    def more_like_this(self, page_id, locale, limit):
        alias = self.ensure_index(locale)
        fields = ["title_terms", "lead_terms", "summary_terms", "body_terms"]
        try:
            source = self.client.get(index=alias, id=str(page_id), source=fields)["_source"]
        except NotFoundError:
            return []
        # The article's own words as the "like" text: the same on every cluster version.
        query = {
            "more_like_this": {
                "fields": fields,
                "like": [" ".join(source.get(name) or "" for name in fields)],
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": 25,
                "minimum_should_match": "2",
            }
        }
        search = Search(using=self.client, index=alias).query(query).source(["page_id"])
        response = search[: limit + 1].execute()
        return [int(hit.page_id) for hit in response if int(hit.page_id) != page_id][:limit]

    def indexed_ids(self, locale=None):
        ids = set()
        for code in [locale] if locale else self._locales():
            if not self._alias_targets(code):
                continue
            for hit in scan(self.client, index=self.alias(code), _source=False):
                ids.add(int(hit["_id"]))
        return ids

    def vocabulary(self, locale):
        alias = self.ensure_index(locale)
        search = Search(using=self.client, index=alias).source(["title_terms", "lead_terms"])
        search = search.sort({"published_at": {"order": "desc"}})[:VOCABULARY_TITLES]
        return vocabulary_from_terms(
            f"{hit.title_terms} {getattr(hit, 'lead_terms', '')}" for hit in search.execute()
        )


def _streaming(client, actions):
    return streaming_bulk(client, actions, chunk_size=BULK_CHUNK, raise_on_error=True)
