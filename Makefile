# The two README commands: `make run` (embedded demo site) and `make test` (test suite).
PYTHON ?= python3
# Byte-compiled modules make each Python process start in half the time (pytest also caches
# its rewritten test modules there); some environments switch them off.
unexport PYTHONDONTWRITEBYTECODE
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test schemathesis stack stack-test lint audit browsers clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

## Installs, migrates, loads the demo content, prints the accounts and serves http://$(HOST):$(PORT)
# The Wagtail Site record and WAGTAILADMIN_BASE_URL take the address served, so that links in
# e-mails and the sitemap point at it.
run: install demo
	WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo:
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_initial_data --address $(HOST):$(PORT)

## Installs and runs the whole test suite (SQLite unless DATABASE_URL is set)
TEST_MARKS ?= not celery_worker and not schemathesis and not stack
test: install
	mkdir -p var
	DATABASE_URL=sqlite:///var/makemigrations-check.sqlite3 $(BIN)/python manage.py makemigrations --check --dry-run --settings=crdla.settings.test
	$(BIN)/python -m pytest -n 2 -m "$(TEST_MARKS)" $(PYTEST_ARGS)
	# Real Celery workers on the real Redis: one pytest process per file, so that no worker
	# test inherits the broker connections of another (seen on PostgreSQL).
	$(BIN)/python -m pytest -m celery_worker tests/network/test_fanout__real_worker.py $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m celery_worker tests/search/test_celery_worker.py $(PYTEST_ARGS)

## The production stack on this machine without Docker (gunicorn, Celery, Redis, PostgreSQL,
## SMTP catcher, search stand-in); Ctrl-C stops it. STACK_DATABASE_URL picks the database.
stack: install
	$(BIN)/python .ci/stack.py

## tests/stack/ against that stack (real HTTP, real SMTP); .ci/run runs it
stack-test: install
	$(BIN)/python -m pytest -m stack tests/stack -p no:randomly $(PYTEST_ARGS)

## Property-based run of schemathesis against the open-data API's OpenAPI description
schemathesis: install
	$(BIN)/python -m pytest -m schemathesis tests/opendata/test_schemathesis.py $(PYTEST_ARGS)

## Fails on dependencies with a known vulnerability that has a fixed release (pip-audit)
audit: install
	$(BIN)/python .ci/audit $(BIN)/python

## What the browser tests need: Debian's chromium (apt, as root) and the pinned axe-core (npm)
browsers:
	test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium)
	.ci/fetch-axe

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=site:. $(BIN)/lint-imports --no-cache

clean:
	rm -rf var/crdla.sqlite3* media staticfiles
