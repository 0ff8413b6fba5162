# The README's commands. Each sets up what it needs from the project's own files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := SHIFT_ENV=development SHIFT_DEMO_MODE=true SHIFT_PUSH_CONTACT=mailto:shift-companion-demo@example.org
# Where `make run` listens: `make run PORT=9000` or `PORT=9000 make run`.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run reset-demo test lint format clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

## run: set up, migrate the embedded SQLite store, load the demo data, start on $(HOST):$(PORT)
run: $(VENV)/.installed-app
	$(DEMO) $(BIN)/shift-companion migrate
	$(DEMO) $(BIN)/shift-companion demo-data
	$(DEMO) $(BIN)/shift-companion check-drift
	$(DEMO) $(BIN)/shift-companion serve --demo-logins --host $(HOST) --port $(PORT)

## reset-demo: empty the store and load the demo data again, so the next `make run` starts clean
reset-demo: $(VENV)/.installed-app
	$(DEMO) $(BIN)/shift-companion demo-data --reset

## test: set up with the test extras, lint, run the suite on SQLite, then on PostgreSQL
## when TEST_DATABASE_URL is set: a process per core (pytest-xdist), each test file kept on one
## of them, and on PostgreSQL a database per process beside TEST_DATABASE_URL's (tests/conftest.py).
## The schema fuzzing runs after, in one process: xdist cannot tell its cases apart (schemathesis
## gives every operation's test the same id there) and would run two of them.
## The tests take PostgreSQL whenever TEST_DATABASE_URL is set, so the SQLite run empties it.
SCHEMA_TESTS := tests/test_api_schema.py
SUITE = $(BIN)/pytest --numprocesses auto --dist loadfile --ignore $(SCHEMA_TESTS) && $(BIN)/pytest $(SCHEMA_TESTS)
test: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	export TEST_DATABASE_URL= && $(SUITE)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- the same suite on PostgreSQL ---"; \
		$(SUITE); \
	else \
		echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run sets it)."; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format app tests
	$(BIN)/ruff check --fix app tests

## bench: set up with the test extras and bench/'s pinned npm tools (Lighthouse, axe-core),
## serve the app on a free loopback port with demo data and print the figures (never a pass/fail)
bench: $(VENV)/.installed-test bench/node_modules/.package-lock.json
	$(BIN)/python -m bench

bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
