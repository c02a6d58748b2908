# Revisionsstöd: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
ADDRESS ?= localhost

.PHONY: run test lint typecheck bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/audit-app init --demo
	$(BIN)/audit-app serve --address $(ADDRESS) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check audit_app tests benchmarks
	$(BIN)/ruff format --check audit_app tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

demo: $(STAMP)
	$(BIN)/audit-app demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
