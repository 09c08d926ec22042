# Two commands matter: `make run` and `make test`. Both create .venv on first use
# and install the exact versions in constraints.txt (the versions we test with).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test quick lint format typecheck layers unit install clean snapshots bench

# make run ARGS="--content DIR --data DIR" opens another briefing or data dir.
run: $(RUN_STAMP)
	$(BIN)/briefing $(ARGS)

test: $(DEV_STAMP) lint typecheck layers
	$(BIN)/pytest -n 2 -q

# The inner loop: lint, types and every test not marked slow (under a minute).
quick: $(DEV_STAMP) lint typecheck
	$(BIN)/pytest -n 2 -q -m "not slow"

lint: $(DEV_STAMP)
	$(BIN)/ruff check index tui tests benchmarks
	$(BIN)/ruff format --check index tui tests benchmarks

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix index tui tests benchmarks
	$(BIN)/ruff format index tui tests benchmarks

layers: $(DEV_STAMP)
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP)
	$(BIN)/pytest -q tests/unit

snapshots: $(DEV_STAMP)
	$(BIN)/pytest -q tests/tui --snapshot-update

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run

install: $(RUN_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e .
	touch $@

$(DEV_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[dev,bench]'
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
