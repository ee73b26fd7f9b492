# Two commands: `make run` (set up everything and serve the demo) and `make test`.
# With DATABASE_URL set, both use that database (PostgreSQL) instead of the embedded SQLite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# `make run` installs only what the app needs; `make test` adds the test and lint tools.
RUN_STAMP := $(VENV)/.run-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run serve secret-key test lint migrate demo superuser screenshots bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	rm -f $(VENV)/.run-*
	touch $(RUN_STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	rm -f $(VENV)/.run-* $(VENV)/.dev-*
	touch $(RUN_STAMP) $(DEV_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

# axe-core for the browser tests' accessibility checks (the app itself needs no Node.js).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# As in production: gunicorn (deploy/gunicorn.conf.py) on the production settings, static files
# collected and served by WhiteNoise. Configuration from the environment only; DJANGO_SECRET_KEY
# is required. On 127.0.0.1 there is no TLS, so HTTPS redirect, HSTS and secure cookies are off
# unless set, and the app serves /media/ itself; behind nginx see docs/deploy.md.
PROD := DJANGO_SETTINGS_MODULE=config.settings.production
secret-key:
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve needs DJANGO_SECRET_KEY, for example:"; \
	  echo "  export DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  exit 2; }
serve: secret-key demo
	$(PROD) $(BIN)/python manage.py collectstatic --noinput -v0
	$(PROD) HOST=$(HOST) PORT=$(PORT) \
	  DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	  DJANGO_HSTS_SECONDS=$${DJANGO_HSTS_SECONDS:-0} \
	  DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} \
	  DJANGO_SERVE_MEDIA=$${DJANGO_SERVE_MEDIA:-1} \
	  $(BIN)/gunicorn --config deploy/gunicorn.conf.py

# The browser tests drive Debian's Chromium (/usr/bin/chromium; apt-get install -y chromium).
# Two test processes (pytest-xdist), each with its own test database.
TEST_WORKERS ?= 2
test: install-dev $(AXE)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Our app and Datasette side by side on the same synthetic projects (scripts/bench.py): PostgreSQL
# (BENCH_DATABASE_URL, default the database tracker_bench on 127.0.0.1), BENCH_PROJECTS projects
# (default 100,000), Redis, wrk (apt-get install -y wrk). Datasette lives in .venv-bench.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.bench-$(shell cat requirements-bench.txt | cksum | cut -d' ' -f1)
$(BENCH_STAMP): requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	rm -f $(BENCH_VENV)/.bench-*
	touch $(BENCH_STAMP)
bench: install $(BENCH_STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

superuser: migrate
	$(BIN)/python manage.py createsuperuser

# Screenshots for docs/screenshots/ and the README, of a server started by `make run`.
screenshots: install-dev
	$(BIN)/python scripts/screenshots.py http://$(HOST):$(PORT)

clean:
	rm -rf $(VENV) $(BENCH_VENV) node_modules .pytest_cache .ruff_cache
