# LE DAMIER events — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo serve worker lint format translations system-deps clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

# One catalogue per domain (web, accounts, events, ticketing, scheduling, stands, ...); msgids are English, so only
# French needs catalogues. lib/i18n.py merges them.
translations: $(STAMP)
	@for po in web/translations/*/LC_MESSAGES/*.po; do $(BIN)/pybabel compile -i "$$po" -o "$${po%.po}.mo" >/dev/null || exit 1; done

migrate: install
	$(BIN)/python -m server.cli migrate

demo: migrate
	$(BIN)/python -m server.cli load-demo --if-empty

# Web server with the embedded dramatiq worker (SQLite default; see README for PostgreSQL + Redis).
run: demo
	$(BIN)/python -m server.cli serve --host $(HOST) --port $(PORT)

worker: install
	$(BIN)/python -m server.cli worker

# Debian packages the browser tests need (root on CI and dev machines).
system-deps:
	@command -v chromium >/dev/null && command -v ffmpeg >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ffmpeg >/dev/null; \
	  else echo "chromium/ffmpeg missing: install them (apt-get install chromium ffmpeg)"; fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy  # strict on the packages listed in pyproject.toml [tool.mypy]

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Whole suite: the embedded default (SQLite + in-process broker) always; then PostgreSQL (+ Redis broker
# when REDIS_URL is set) when DATABASE_URL is set. Each pass runs on TEST_WORKERS pytest-xdist workers,
# each with its own database (tests/conftest.py), then the tests marked `serial` in one process.
# Exit code 5 of pytest is "no test selected" (no serial test in a pass).
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -p no:cacheprovider
test: install system-deps
	$(BIN)/ruff check .
	env -u DATABASE_URL -u REDIS_URL -u RABBITMQ_URL $(PYTEST) -n $(TEST_WORKERS) -m "not serial"
	env -u DATABASE_URL -u REDIS_URL -u RABBITMQ_URL $(PYTEST) -m serial || [ $$? = 5 ]
	@if [ -n "$$DATABASE_URL" ]; then echo "== PostgreSQL pass: $$DATABASE_URL"; \
	  TEST_BACKEND=postgres $(PYTEST) -n $(TEST_WORKERS) -m "not browser and not serial" && \
	  { TEST_BACKEND=postgres $(PYTEST) -m "serial and not browser" || [ $$? = 5 ]; }; fi

clean:
	rm -rf $(VENV) var

# Every user string of the project into var/messages.pot; tests/web/test_i18n.py lists those without a French
# translation, to add to the right web/translations/fr/LC_MESSAGES/<domain>.po.
extract: install
	@mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -o var/messages.pot .
