"""The Celery workers Qiaoyin runs, as one set of command lines for every launcher.

`make run` (config/supervise.py), `make dev`, the tests' and the benchmarks' workers start
them from here; docs/deployment.md gives the same commands for production.

- general: prefork, queue `celery`: search indexing, translations, scheduled publishing,
  the delivery sweep. CPU-bound work, one child per core.
- deliveries: threads, queue `deliveries`: webhook and S3 sends. A send mostly waits on the
  station, so many threads per process keep healthy stations moving while a few requests
  wait out the read timeout. Threads share a small database pool instead of holding one
  PostgreSQL connection each (DATABASE_POOL_MAX_SIZE, config/settings/base.py).
- backoff: the same on queue `deliveries-backoff`: stations whose last attempt failed or
  that are holding a request open (stations/tasks.py picks the lane), so a dead or slow
  station's timeouts take no thread from the healthy ones.
"""

import sys
from pathlib import Path

DEFAULT_QUEUE = "celery"
DELIVERY_QUEUE = "deliveries"
BACKOFF_QUEUE = "deliveries-backoff"
ALL_QUEUES = (DEFAULT_QUEUE, DELIVERY_QUEUE, BACKOFF_QUEUE)

DELIVERY_THREADS = 32
BACKOFF_THREADS = 8
# Connections a threaded worker shares: a thread holds one only while it reads or writes
# the ledger (stations/delivery.py gives it back before the network call).
THREADED_DB_POOL_SIZE = 8

CELERY = str(Path(sys.executable).parent / "celery")


def worker_command(role, *extra):
    """`celery -A config worker …` for `role` ("general", "deliveries", "backoff" or "all")."""
    return [CELERY, "-A", "config", "worker", *role_options(role), *extra]


def role_options(role):
    if role == "general":
        return ["--pool=prefork", "--concurrency=2", f"--queues={DEFAULT_QUEUE}"]
    if role == "deliveries":
        return ["--pool=threads", f"--concurrency={DELIVERY_THREADS}", f"--queues={DELIVERY_QUEUE}"]
    if role == "backoff":
        return ["--pool=threads", f"--concurrency={BACKOFF_THREADS}", f"--queues={BACKOFF_QUEUE}"]
    if role == "all":  # one process for every queue: tests and `make dev`
        return ["--pool=threads", "--concurrency=16", f"--queues={','.join(ALL_QUEUES)}"]
    raise ValueError(f"unknown worker role {role!r}")


def worker_environment(role):
    """Variables the role's process needs on top of the deployment's own."""
    if role == "general":
        return {}
    return {"DATABASE_POOL_MAX_SIZE": str(THREADED_DB_POOL_SIZE)}
