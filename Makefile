# The two commands of the README: `make run` (the platform on the embedded default) and
# `make test` (the whole suite, as CI runs it). Whichever runs first makes .venv/.
VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
PORT ?= 8000
VAR_DIR := $(or $(QIAOYIN_VAR_DIR),var)
# Articles the demo newsroom starts with (tests start a smaller one).
DEMO_ARTICLES ?= 40

.PHONY: run dev test lint services setup

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) compile_catalogues
	$(MANAGE) setup_newsroom
	$(MANAGE) load_demo --articles $(DEMO_ARTICLES)

# `make run`: the platform as production serves it (debug off, gunicorn, hashed static files,
# the site's own error pages) on the embedded default; a Celery worker or beat that exits is
# started again (config/supervise.py). Links the admin prints point at this instance's port.
run: export DJANGO_SETTINGS_MODULE ?= config.settings.embedded
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) ensure_admin
	@echo "Site: http://127.0.0.1:$(PORT)/   (Celery logs: $(VAR_DIR)/celery-{worker,deliveries,backoff,beat}.log)"
	$(PYTHON) -m config.supervise --port $(PORT) --log-dir $(VAR_DIR)

# `make dev`: for developers: runserver with debug pages and auto-reload, one Celery worker
# for every queue (threads, config/workers.py) with beat, the same database and demo as
# `make run`.
dev: export DJANGO_SETTINGS_MODULE ?= config.settings.dev
dev: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
dev: setup
	$(MANAGE) ensure_admin
	@echo "Site: http://127.0.0.1:$(PORT)/   (Celery worker+beat log: $(VAR_DIR)/celery.log)"
	@trap 'kill 0' EXIT INT TERM; \
	DATABASE_POOL_MAX_SIZE=8 $(VENV)/bin/celery -A config worker --beat --pool=threads \
		--concurrency=16 --queues=celery,deliveries,deliveries-backoff --loglevel=INFO \
		>$(VAR_DIR)/celery.log 2>&1 & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

services:
	bash .ci/services

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed services lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) compile_catalogues
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	# Two workers (the machine's two cores): in one process the suite was on course for over
	# 20 minutes on a slower machine. --dist load hands each worker tests in collection order,
	# which pytest-django sorts so that transactional tests (they empty the database) come after
	# every test that needs the newsroom built once per test database; loadfile did not.
	$(VENV)/bin/pytest -n 2 --dist load
