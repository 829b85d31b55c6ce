"""On the embedded default, runserver and the Celery worker share one SQLite file: two
transactions that read and then write must both succeed, one after the other, instead of
one failing with "database is locked" (as worker tasks did before the SQLite options)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

TWO_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE reads_counter (n INTEGER)")
    cursor.execute("INSERT INTO reads_counter VALUES (0)")
errors = []

def read_then_write():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM reads_counter")
            n = cursor.fetchone()[0]
            time.sleep(0.3)  # the other transaction starts meanwhile
            cursor.execute("UPDATE reads_counter SET n = %s", [n + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=read_then_write) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM reads_counter")
    print("count", cursor.fetchone()[0], "errors", errors)
"""


def test_two_read_then_write_transactions_both_succeed(tmp_path):
    # Given the dev settings on a fresh SQLite file
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "QIAOYIN_VAR_DIR": str(tmp_path / "var"),
    }
    # When two connections each read a counter and then increment it, overlapping
    result = subprocess.run(
        [sys.executable, "-c", TWO_WRITERS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Then neither fails and no increment is lost
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "count 2 errors []", result.stdout
