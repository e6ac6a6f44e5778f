# Newsroom: `make run` serves the demo newsroom, `make test` runs every test.

PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make serve`: where it listens and how many processes answer.
HOST ?= 127.0.0.1
WORKERS ?= 3
LOCK := requirements.lock
# pip itself is pinned too, so the same resolver installs the lock everywhere.
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

# `make run` is a local demo on the embedded defaults, run as production
# would run it (DEBUG off); the key is made once and kept out of git.
RUN_ENV = DJANGO_SECRET_KEY="$$(cat .secret_key)" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"

.PHONY: install lock run serve test check sitecheck chromium clean

# The production server: gunicorn's sync workers, each a process of its own,
# restarted by gunicorn if one dies. $(1) processes of $(2) threads each.
# Each request is logged where ACCESS_LOG says ("-": the output), or not at
# all: in production the load balancer or CDN in front logs requests, and a
# log line costs as much as answering a page from the cache.
gunicorn = $(BIN)/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers $(1) --threads $(2) \
	--graceful-timeout 10 $(if $(ACCESS_LOG),--access-logfile $(ACCESS_LOG)) --error-logfile - \
	--no-control-socket

install: $(STAMP)

# Exactly the versions in the lock file, which CI tested; then the project
# itself, whose own dependencies the lock already holds.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# After changing a dependency in pyproject.toml: pin it, and everything it
# needs, in the lock file.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools==$(PIP_TOOLS_VERSION)
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file $(LOCK) pyproject.toml

.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The demo shows each request as it is answered.
run: ACCESS_LOG ?= -
run: install .secret_key
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	@# The worker applies scheduled updates at their time. It waits out database
	@# errors; whatever else stops it, the loop starts it again after a pause.
	@# The loop waits on the worker and the pause as background jobs, so that
	@# its TERM trap runs at once, and speaks only after the pause, as Ctrl+C
	@# stops the worker too. Worker and loop stop with the server, which
	@# serves as `make serve` does, in one process of four threads: the
	@# embedded cache lives in a process, so one process shows a change to
	@# the section menu or ad slots at once.
	( trap 'kill $$pid 2>/dev/null; wait $$pid; exit' TERM; \
	  while :; do \
	    $(RUN_ENV) $(BIN)/python manage.py db_worker --no-reload --verbosity 0 & pid=$$!; \
	    wait $$pid; status=$$?; \
	    sleep 2 & pid=$$!; wait $$pid; \
	    echo "make run: the worker stopped (status $$status); starting it again" >&2; \
	  done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(RUN_ENV) $(call gunicorn,1,4)

# Serve the site in production: settings from the environment (README,
# Configuration), the database migrated by the release beforehand.
serve: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(call gunicorn,$(WORKERS),1)

# The browser test drives Debian's Chromium; install it when it is missing.
chromium:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser test"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation; }

test: install chromium
	$(BIN)/python -m pytest

check: install
	$(BIN)/python .ci/lock_check.py pyproject.toml $(LOCK)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=true $(BIN)/python manage.py check
	DJANGO_DEBUG=true $(BIN)/mypy

# Serve the demo newsroom on a scratch database and run the real validators
# (Nu Html Checker, axe-core, structure checks) against it.
sitecheck: install
	$(BIN)/python .ci/lock_check.py pyproject.toml $(LOCK)
	BIN=$(BIN) .ci/sitecheck

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3
