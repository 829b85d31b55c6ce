# The two commands of the README: `make run` (the platform on the embedded default) and
# `make test` (the whole suite, as CI runs it). Whichever runs first makes .venv/.
VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
PORT ?= 8000

.PHONY: run test lint services setup

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) compile_catalogues
	$(MANAGE) setup_newsroom
	$(MANAGE) load_demo

# Links the admin prints (and e-mails) point at the port this instance serves on.
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(MANAGE) ensure_admin
	@echo "Site: http://127.0.0.1:$(PORT)/   (Celery worker+beat log: var/celery.log)"
	@trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --beat --concurrency=2 --loglevel=INFO \
		>var/celery.log 2>&1 & \
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
