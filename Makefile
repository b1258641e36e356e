# Mercato — the two quick-start commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Install, then serve the store on http://127.0.0.1:9000 (SQLite, demo data, prints the admin login)
run: install
	$(BIN)/mercato serve

## Install the test dependencies and run the whole suite (MERCATO_TEST_DATABASE_URL=postgresql+asyncpg://… for PostgreSQL)
test: install
	$(BIN)/pytest -n 2 -p no:cacheprovider

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: install
	$(BIN)/python -m bench.run --help

clean:
	rm -rf $(VENV) mercato.db mercato.db-wal mercato.db-shm
