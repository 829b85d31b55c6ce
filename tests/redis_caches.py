"""Django's caches on the real Redis server, as production lays them out, for the tests of
what survives a clear or an outage (the page cache, the fragments, publishing)."""

import os
import socket

from config.caches import redis_cache

# A database of this checkout's own (PUSH_TEST_REDIS_DB_BASE), one per pytest-xdist worker.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = (
    f"redis://127.0.0.1:6379/{int(os.environ.get('PUSH_TEST_REDIS_DB_BASE', '11')) + _XDIST_INDEX}"
)


def closed_port_url():
    """A Redis URL nothing listens on: the cache "down"."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def caches_at(url, run):
    """Both caches on `url`, with this test's own prefixes (other tests share the DB)."""
    return {
        "default": redis_cache(url, prefix=f"default-{run}"),
        "pagecache": redis_cache(url, prefix=f"pages-{run}", timeout=3600),
    }
