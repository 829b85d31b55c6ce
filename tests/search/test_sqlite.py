"""The engine-agnostic suite on SQLite (FTS5), the embedded default's database.

One Django process has one default database, and Wagtail's page tree cannot be moved to a
second alias for a few tests, so the same test files run again in a subprocess whose
DATABASE_URL points at SQLite (pytest-django gives it an in-memory test database).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE_SUITE = [
    "tests/search/test_engines.py",
    "tests/search/test_engine_changes.py",
    "tests/search/test_indexing.py",
    "tests/search/test_index_content.py",
    "tests/search/relevance/test_relevance.py",
]


@pytest.mark.slow
def test_engine_suite_passes_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'search.sqlite3'}",
        "SEARCH_TEST_ENGINES": "database",
        "QIAOYIN_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("ELASTICSEARCH_URL", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        *ENGINE_SUITE,
        "-q",
        "-p",
        "no:cacheprovider",
        "-k",
        "not alias",
        "-W",
        "ignore",
    ]
    completed = subprocess.run(  # noqa: S603 - our own test runner, fixed arguments
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    summary = completed.stdout[-3000:]
    assert completed.returncode == 0, summary
    assert " passed" in summary and "failed" not in summary
