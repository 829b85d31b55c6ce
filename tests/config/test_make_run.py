"""`make run` on a fresh folder serves the platform as production does: debug off, gunicorn,
hashed and compressed static files kept for ever, media with conditional and Range answers,
the site's own 404 page in the reader's language, compressed pages; and it starts a Celery
worker or beat that exits again."""

import gzip
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from .test_processes import free_port
from .test_settings import BASE_DIR, CONFIG_VARIABLES

pytestmark = pytest.mark.slow
# Migrations, catalogues and a small demo: ~1 minute on an idle machine, far more on a loaded one.
START_TIMEOUT = 600
STARTED = re.compile(r"\[supervise\] (\w+) started \(pid (\d+)\)")


class MadeRun:
    """`make run` in its own process group, its output collected line by line."""

    def __init__(self, tmp_path):
        self.port = free_port()
        env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
        env.update(
            QIAOYIN_VAR_DIR=str(tmp_path / "var"),
            DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'qiaoyin.sqlite3'}",
            PORT=str(self.port),
        )
        self.lines = []
        # -o: the venv this test runs in is the one make would build.
        self.process = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "run", "DEMO_ARTICLES=2"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def pids(self, name):
        return [int(pid) for found, pid in STARTED.findall(self.output) if found == name]

    def wait_for(self, condition, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if condition():
                return True
            time.sleep(0.5)
        return False

    def get(self, path, **headers):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def answers(self):
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="module")
def made_run(tmp_path_factory):
    run = MadeRun(tmp_path_factory.mktemp("make-run"))
    started = run.wait_for(run.answers)
    try:
        assert started, run.output[-5000:]
        yield run
    finally:
        run.stop()


def test_make_run_serves_the_site_as_production_does(made_run):
    # Given `make run` on a fresh folder: the admin login is printed
    assert re.search(r"Login: admin / \S+", made_run.output)
    # When a reader asks for a page that does not exist, in Chinese and in English
    status, headers, body = made_run.get("/zh-hans/no-such-page/")
    # Then they get the site's own 404 page in their language, not Django's debug page
    html = body.decode()
    assert status == 404
    assert "<title>页面未找到" in html and "URLconf" not in html
    status, headers, body = made_run.get("/en/no-such-page/")
    assert status == 404 and "<title>Page not found" in body.decode()
    # When a browser that accepts gzip opens the home page
    status, headers, body = made_run.get("/zh-hans/", **{"Accept-Encoding": "gzip"})
    # Then it is compressed, and its styles have hashed names kept for ever, compressed too
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    home = gzip.decompress(body).decode()
    stylesheet = re.search(r'href="(/static/website/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, home[:2000]
    status, headers, _ = made_run.get(stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_media_answer_conditional_and_range_requests_and_stay_whole(made_run):
    # Given a demo photo on the home page
    home = made_run.get("/zh-hans/")[2].decode()
    photo = re.search(r'src="(/media/images/[^"]+\.(?:jpg|webp|avif))"', home).group(1)
    status, headers, whole = made_run.get(photo)
    assert status == 200 and len(whole) > 1000
    # When a browser revalidates it, then another reader loads it plainly
    revalidated = made_run.get(photo, **{"If-Modified-Since": headers["Last-Modified"]})
    again = made_run.get(photo)
    # Then the first gets 304 and the second the whole photo (no empty answer kept)
    assert revalidated[0] == 304
    assert again[0] == 200 and again[2] == whole
    assert made_run.get(photo, **{"If-None-Match": headers["ETag"]})[0] == 304
    # And a player asking for a byte range gets just those bytes
    status, headers, part = made_run.get(photo, Range="bytes=0-99")
    assert status == 206 and part == whole[:100]
    assert headers["Content-Range"] == f"bytes 0-99/{len(whole)}"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_make_run_starts_a_celery_process_that_exits_again(made_run, name):
    # Given the running Celery process
    assert made_run.wait_for(lambda: made_run.pids(name), timeout=30), made_run.output[-3000:]
    first = made_run.pids(name)[-1]
    # When it dies
    os.kill(first, signal.SIGKILL)
    # Then another one is started, and the site still answers
    restarted = made_run.wait_for(lambda: made_run.pids(name)[-1] != first, timeout=30)
    assert restarted, made_run.output[-3000:]
    assert f"{name} exited" in made_run.output
    second = made_run.pids(name)[-1]
    os.kill(second, 0)  # alive
    assert made_run.answers()
