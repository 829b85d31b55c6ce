#!/usr/bin/env python
"""Relevance benchmark: MRR@10 and nDCG@10 of the judged queries, per engine.

    .venv/bin/python bench/relevance.py [--engines sqlite,pg,es] [--queries FILE.py]

The judged set is tests/search/relevance/judgments.py over the demo corpus (load_demo, 40
articles and their editions). `--queries FILE.py` runs another set written the same way (a
module with a QUERIES list of Judged), e.g. a held-out one. Engines: `sqlite` (database
engine on a temporary SQLite file), `pg` (database engine on PostgreSQL, database
`qiaoyin_relevance_bench`, dropped and re-created) and `es` (Elasticsearch engine on
ELASTICSEARCH_URL, or on an osmem-server started here). Each engine runs in a subprocess
of its own and prints one JSON line; the parent prints the table and the queries whose
first relevant article is not first. Target (issue 15): MRR@10 ≥ 0.95 on every engine; exit
status 1 when an engine misses it.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import PG_SERVER_URL, pg_admin, use_plain_json_for_osmem  # noqa: E402

PG_DB = "qiaoyin_relevance_bench"
TARGET_MRR = 0.95
LABELS = {"sqlite": "database · SQLite", "pg": "database · PostgreSQL", "es": "Elasticsearch"}


def load_queries(path):
    if not path:
        from tests.search.relevance.judgments import QUERIES

        return QUERIES
    spec = importlib.util.spec_from_file_location("held_out", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.QUERIES


def run_engine(args):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ.get("RELEVANCE_BENCH_PLAIN_JSON"):
        use_plain_json_for_osmem()
    from tests.search.relevance import evaluate

    corpus = evaluate.build_corpus()
    measured = evaluate.measure(corpus, load_queries(args.queries))
    row = {"engine": args.engine, "table": evaluate.summary(measured)}
    row["misses"] = evaluate.misses(measured)
    print(json.dumps(row, ensure_ascii=False), flush=True)


def child_env(engine, workdir):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["QIAOYIN_VAR_DIR"] = str(workdir / "var")
    env["MEDIA_ROOT"] = str(workdir / "media")
    if engine == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'relevance.sqlite3'}"
        env["ELASTICSEARCH_URL"] = ""
    else:
        env["DATABASE_URL"] = f"{PG_SERVER_URL}/{PG_DB}"
        if engine == "pg":
            env["ELASTICSEARCH_URL"] = ""
    return env


def run_child(engine, args, workdir):
    env = child_env(engine, workdir)
    server = None
    if engine in ("pg", "es"):
        pg_admin(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{PG_DB}"')
    if engine == "es" and not os.environ.get("ELASTICSEARCH_URL"):
        from osmem_server import OsmemServer

        server = OsmemServer.start(japanese=False)
        env["ELASTICSEARCH_URL"] = server.url
        env["RELEVANCE_BENCH_PLAIN_JSON"] = "1"
    command = [sys.executable, __file__, "--engine", engine]
    if args.queries:
        command += ["--queries", args.queries]
    print(f"… {engine}", file=sys.stderr, flush=True)
    try:
        completed = subprocess.run(  # noqa: S603 - this script, fixed arguments
            command, env=env, capture_output=True, text=True, check=False
        )
    finally:
        if server:
            server.process.terminate()
        if engine in ("pg", "es"):
            pg_admin(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode or not lines:
        print(completed.stderr[-3000:], file=sys.stderr)
        return {"engine": engine, "error": True}
    return json.loads(lines[-1])


def report(rows):
    ok = True
    kinds = []
    for row in rows:
        for kind in row.get("table", {}):
            if kind not in kinds:
                kinds.append(kind)
    print(f"\n{'engine':<24}{'set':<18}{'queries':>8}{'MRR@10':>9}{'nDCG@10':>9}")
    for row in rows:
        label = LABELS[row["engine"]]
        if row["engine"] == "es" and not os.environ.get("ELASTICSEARCH_URL"):
            label += " (osmem)"
        if row.get("error"):
            print(f"{label:<24}failed")
            ok = False
            continue
        for kind in kinds:
            figures = row["table"][kind]
            print(
                f"{label:<24}{kind:<18}{figures['queries']:>8}"
                f"{figures['mrr']:>9.3f}{figures['ndcg']:>9.3f}"
            )
            label = ""
        mrr = row["table"]["all"]["mrr"]
        ok = ok and mrr >= TARGET_MRR
        print(f"{'':<24}target MRR@10 ≥ {TARGET_MRR}: {'met' if mrr >= TARGET_MRR else 'MISSED'}")
        for text, locale, reciprocal in row["misses"]:
            print(f"{'':<24}  first relevant not first: {text} ({locale}) 1/rank={reciprocal}")
    return 0 if ok else 1


def main():
    global PG_DB  # noqa: PLW0603 - the children's database, chosen once on the command line
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,pg,es")
    parser.add_argument("--queries", help="a module with QUERIES (a held-out set)")
    parser.add_argument("--db-name", default=PG_DB, help="the PostgreSQL database to (re)create")
    parser.add_argument("--engine", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.engine:
        return run_engine(args)
    PG_DB = args.db_name
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run_child(engine, args, Path(tmp)) for engine in args.engines.split(",")]
    return report(rows)


if __name__ == "__main__":
    sys.exit(main())
