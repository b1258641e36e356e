# Mercato — the two quick-start commands are `make run` and `make test`.
# The interpreter the virtual environment is made from: the distribution's /usr/bin/python3 when it
# is 3.11 or newer and can make a venv, else the python3 on PATH. Debian builds its python3 with
# profile-guided and link-time optimisation and links libpython into the executable; pyenv's
# default build (first on PATH on the development machines) has neither, and serves a checkout
# with 10-15 % more CPU (bench/README.md). `make PYTHON=...` chooses another one.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo /usr/bin/python3 || echo python3)
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
