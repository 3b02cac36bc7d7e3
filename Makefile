# Crowdfold: every command a newcomer or CI needs. `make help` lists them.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# One PostgreSQL test database per checkout, so parallel checkouts never collide.
PG_URL ?= postgres://postgres@127.0.0.1:5432/crowdfold_$(shell pwd | md5sum | cut -c1-8)
PYTEST_ARGS ?=
# Test processes (pytest-xdist): the suite waits on servers, browsers and databases as much as it
# computes, so two workers finish it sooner even on two cores. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -q -n $(PYTEST_WORKERS)
RUN_PORT ?= 8000

.PHONY: help run test test-sqlite test-postgres lint venv bench faults clean messages

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed ## Create .venv and install Crowdfold with its test tools

run: venv ## Serve on http://127.0.0.1:8000 with demo data (SQLite under var/; RUN_PORT=8001 to move it)
	$(VENV)/bin/crowdfold demo --url http://127.0.0.1:$(RUN_PORT)
	$(VENV)/bin/crowdfold serve --host 127.0.0.1 --port $(RUN_PORT)

test: venv ## Run the whole suite on SQLite, then on PostgreSQL (2 test processes; PYTEST_WORKERS=0 for one)
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: venv ## Run the suite on SQLite only (PYTEST_ARGS="-k name -x" to narrow it)
	$(PYTEST) $(PYTEST_ARGS)

# Unreachable PostgreSQL: a skip with a clear line locally, a failure under CI=true.
test-postgres: venv ## Run the suite on PostgreSQL only (PG_URL=postgres://... to choose the server)
	@DATABASE_URL=$(PG_URL) $(PY) -m crowdfold.lib.servicecheck postgres; rc=$$?; \
	if [ $$rc -eq 2 ]; then exit 0; elif [ $$rc -ne 0 ]; then exit 1; fi; \
	DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS)

lint: venv ## ruff check + format check
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

# The catalogues (.po) and their compiled form (.mo) are committed, so a clean clone needs no gettext
# tools; run this after changing interface strings, then translate what it leaves empty or fuzzy.
messages: venv ## Re-extract interface strings into the es/uk catalogues (gettext tools) and compile them
	cd src/crowdfold && for domain in django djangojs; do \
	  DJANGO_SETTINGS_MODULE=crowdfold.settings ../../$(VENV)/bin/django-admin makemessages \
	    -d $$domain -l es -l uk --no-location --no-obsolete --ignore vendor || exit 1; done
	cd src/crowdfold && DJANGO_SETTINGS_MODULE=crowdfold.settings ../../$(VENV)/bin/django-admin compilemessages

bench: venv ## Benchmark set (~10 min, needs wrk + PostgreSQL); writes bench/REPORT.md. BENCH_ARGS="--size large"
	$(PY) -m bench.run $(BENCH_ARGS)

faults: venv ## Fault drill (~4 min): kill a web process, restart PostgreSQL, stop Redis under load; FAULTS_ARGS="-k 50"
	$(PY) -m bench.faults $(FAULTS_ARGS)

clean: ## Remove .venv and var/ (the SQLite database, collected static files, uploads)
	rm -rf $(VENV) var
