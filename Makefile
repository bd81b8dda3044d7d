# Atelier: make setup | make demo | make test | make test-fast
SHELL := /bin/bash
VENV := .venv
# Django 6 needs Python 3.12 or newer; find one (PATH first, then pyenv's versions).
PYTHON ?= $(shell bin/find-python)
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-fast lint benchmark load clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Atelier needs Python >= 3.12 (none found on PATH or in ~/.pyenv)"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: setup
	$(VENV)/bin/atelier migrate --noinput
	$(VENV)/bin/atelier seed_demo --if-empty
	$(VENV)/bin/atelier simulate_feed_traffic --if-empty --sessions 300 --rollout-percentage 50 \
		--personalized-for demo
	@echo
	@echo "  Atelier demo: http://127.0.0.1:$${PORT:-8000}/  (your feed; API docs at /api/docs/)"
	@echo "  Log in as  demo / demo-password   (staff: admin / admin-password, for /dashboard/ and /admin/)"
	@echo "  On a post, \"Why am I seeing this?\" shows what put it there."
	@echo
	$(VENV)/bin/atelier runserver 127.0.0.1:$${PORT:-8000}

# Browser tests (atelier/web) drive Debian's headless Chromium; without it they are left out.
CHROMIUM ?= /usr/bin/chromium

test: setup
	$(VENV)/bin/ruff check atelier config
	$(VENV)/bin/lint-imports --no-cache --no-logo
	@if [ -x "$(CHROMIUM)" ]; then echo "browser tests: running with $(CHROMIUM)"; \
	 else echo "browser tests: skipped (no $(CHROMIUM)); apt-get install chromium to run them"; fi
	@status=0; ATELIER_CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -q || status=$$?; \
	 [ -x "$(CHROMIUM)" ] || echo "browser tests: skipped (no $(CHROMIUM))"; exit $$status

# Everyday work: no browser, no child processes, nothing slow (docs/testing.md).
FAST := not browser and not subprocess and not slow

test-fast: setup
	$(VENV)/bin/ruff check atelier config
	$(VENV)/bin/pytest -q -m "$(FAST)"

# lint-imports: the layers contract in pyproject.toml (docs/architecture.md).
lint: setup
	$(VENV)/bin/ruff check atelier config
	$(VENV)/bin/lint-imports --no-cache --no-logo

benchmark: setup
	$(VENV)/bin/atelier benchmark_feed

# The load benchmark (docs/benchmarks.md, Load): Locust lives in its own virtualenv, so the
# project's runtime and `make setup` do not carry it. Knobs: LOAD_SIZES=200k, LOAD_SOAK=0, ...
LOAD_VENV := .venv-load
LOAD_STAMP := $(LOAD_VENV)/.installed

$(LOAD_STAMP): benchmarks/load/requirements.lock
	@test -n "$(PYTHON)" || { echo "error: make load needs Python >= 3.12"; exit 1; }
	@test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/load/requirements.lock
	@touch $(LOAD_STAMP)

load: setup $(LOAD_STAMP)
	$(VENV)/bin/python benchmarks/load/run.py

clean:
	rm -rf $(VENV) $(LOAD_VENV) db.sqlite3
