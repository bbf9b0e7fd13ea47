# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate demo demo-reset lint format messages collectstatic clean mutate

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip shows what it downloads and installs: a first install takes a minute or two.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "==> Installing the application and its libraries (a minute or two the first time)"
	$(BIN)/pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "==> Installing the application, its libraries and the test tools"
	$(BIN)/pip install --progress-bar on -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate, load the demo data (into an empty database only: a restart changes
## no row) and serve http://$(HOST) (SQLite unless DATABASE_URL is set)
## Another address or port: make run HOST=127.0.0.1:8080 (HOST=0.0.0.0:8000 serves the local network)
run: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo --address $(HOST)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST)

## make demo-reset: DELETE every row (and the attachments) of the database, then load the demo again
demo-reset: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo --reset

## make test: install the dev dependencies and run the whole suite
test: install-dev
	$(BIN)/pytest

## make mutate: mutation testing of the rules' modules (slow, not in CI; see [tool.mutmut] in
## pyproject.toml and bench/MUTATION.md). One module: make mutate MUTANTS='wards.scoping*'
## The SQLite test database is a file kept between the mutants' sessions (--reuse-db), migrated
## once instead of once per mutant; one mutant at a time, since they share that file.
MUTANTS ?=
mutate: install-dev
	rm -rf mutants
	MUTMUT_TEST_DB=$(CURDIR)/mutants/test-db.sqlite3 PYTEST_ADDOPTS=--reuse-db \
		$(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: refresh the Vietnamese catalogue (needs GNU gettext) and compile it
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=static --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 mutants
