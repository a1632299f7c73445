# Local Power — two commands on a fresh machine: `make run` and `make test`.
# Everything else here is what those two need; see README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=

.PHONY: run test setup setup-test frontend static database demo chromium lint check-deploy checks serve worker clean

run: setup database demo serve

test: setup-test database demo chromium
	$(BIN)/pytest $(PYTEST_ARGS)

# --- installation (repeated only when the inputs change) ---

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/localpower/static/vendor/localpower.css: frontend/node_modules/.installed frontend/build.mjs $(wildcard frontend/scss/*.scss)
	cd frontend && node build.mjs

frontend: src/localpower/static/vendor/localpower.css

static: frontend $(VENV)/.installed-run
	$(MANAGE) collectstatic --noinput --verbosity 0

setup: $(VENV)/.installed-run static

setup-test: $(VENV)/.installed-test static

database: $(VENV)/.installed-run
	$(MANAGE) migrate --noinput --verbosity 1
	$(MANAGE) createcachetable

demo: database
	$(MANAGE) demo

# The site, with a background worker beside it (counts votes when voting closes, sends e-mails).
serve:
	@echo "Local Power is at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	@$(MANAGE) db_worker --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

worker: setup database
	$(MANAGE) db_worker

# Browser tests use Debian's Chromium; it is installed here when missing and we are root.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Note: /usr/bin/chromium is missing, so browser tests will be skipped (apt-get install chromium)."; fi

# --- checks run by CI besides the tests ---

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-deploy: $(VENV)/.installed-run frontend
	DEBUG=false SITE_URL=https://localpower.example.org SECRET_KEY=ci-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')-not-a-real-secret-key-but-long-enough \
		$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

checks: lint check-deploy

clean:
	rm -rf $(VENV) frontend/node_modules src/localpower/static/vendor staticfiles
