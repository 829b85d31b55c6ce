"""The engine chosen by settings: Elasticsearch when ELASTICSEARCH_URL is set, else database."""

from functools import lru_cache

from django.conf import settings

from .base import SearchEngine
from .database import DatabaseEngine


@lru_cache(maxsize=4)
def _engine(url, prefix, chinese_analyzer, options_key):
    # Imported when chosen: a process on the database engine never loads the client library.
    if url:
        from .elastic import ElasticsearchEngine

        return ElasticsearchEngine(
            url,
            prefix=prefix,
            chinese_analyzer=chinese_analyzer,
            client_options=getattr(settings, "SEARCH_ELASTICSEARCH_OPTIONS", {}),
        )
    return DatabaseEngine()


def get_engine() -> SearchEngine:
    options = getattr(settings, "SEARCH_ELASTICSEARCH_OPTIONS", {})
    return _engine(
        getattr(settings, "ELASTICSEARCH_URL", ""),
        getattr(settings, "SEARCH_INDEX_PREFIX", "qiaoyin"),
        getattr(settings, "SEARCH_CHINESE_ANALYZER", "jieba"),
        repr(sorted(options.items(), key=lambda item: item[0])),
    )
