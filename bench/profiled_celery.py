"""`celery` with every task run under cProfile, one profiler per worker thread.

    python bench/profiled_celery.py -A config worker …     (QIAOYIN_TASK_PROFILE=<file>)

bench/fanout.py --profile starts its workers through this. At shutdown the worker writes
the merged statistics of all its threads to $QIAOYIN_TASK_PROFILE (pstats format). Times
are each thread's CPU time (time.thread_time): with 32 threads on a busy machine, wall
time would mostly measure waiting for the GIL. Waits on PostgreSQL, Redis and the station
therefore do not show; what Celery does around a task (receiving, acknowledging) neither.
"""

import cProfile
import os
import sys
import threading
import time
from pathlib import Path

from celery.signals import task_postrun, task_prerun, worker_shutdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_local = threading.local()
_profiles = []
_lock = threading.Lock()


@task_prerun.connect
def _start(**_kwargs):
    profile = getattr(_local, "profile", None)
    if profile is None:
        profile = _local.profile = cProfile.Profile(time.thread_time)
        with _lock:
            _profiles.append(profile)
    profile.enable()


@task_postrun.connect
def _stop(**_kwargs):
    _local.profile.disable()


@worker_shutdown.connect
def _dump(**_kwargs):
    import pstats

    with _lock:
        profiles = list(_profiles)
    if not profiles:
        return
    for profile in profiles:
        profile.create_stats()
    stats = pstats.Stats(profiles[0])
    for profile in profiles[1:]:
        stats.add(profile)
    stats.dump_stats(os.environ["QIAOYIN_TASK_PROFILE"])


if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
