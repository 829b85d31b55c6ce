"""The chaos run, short: bench/chaos.py against 3 stations, with one worker SIGKILLed and
Redis restarted while an article is being published (the full run is the benchmark's)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.db import connections

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def chaos_databases():
    """The run's own database, beside this checkout's test database, and the test database
    to copy it from when it is missing (copying is quicker than migrating)."""
    test_database = connections["default"].settings_dict["NAME"]
    return f"{test_database.removeprefix('test_')}_chaos", test_database


# Transactional: no transaction holds the test database, so the run may copy it.
@pytest.mark.django_db(transaction=True)
def test_nothing_is_lost_duplicated_or_reordered_through_a_kill_and_a_redis_restart():
    # Given 3 stations that fail ~22% of requests, two workers and beat on a Redis of their own
    command = [sys.executable, str(ROOT / "bench" / "chaos.py"), "--compact"]
    command += ["--stations", "3", "--articles", "3", "--corrections", "2"]
    command += ["--publish-seconds", "6", "--redis-down-seconds", "2", "--time-limit", "40"]
    database, template = chaos_databases()
    command += ["--database", database, "--template", template]
    connections.close_all()  # a template must have no connection
    # When articles and corrections are published while a worker is SIGKILLed and Redis
    # is stopped during a publish and started again
    run = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=300
    )
    report = dict(re.findall(r"^ *([a-z -]+): (.+)$", run.stdout, re.M))
    # Then every station has every version, in order, each under one idempotency key
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert int(report["deliveries expected"]) >= 3 * 3
    assert report["lost"] == "0"
    assert report["duplicates without the same key"] == "0"
    assert report["out-of-order versions"] == "0"
    assert report["bad signatures"] == "0"
    assert report["live revisions not distributed"] == "0"
    assert "SIGKILL" in run.stdout and "Redis is back" in run.stdout
