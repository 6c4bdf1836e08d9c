# Wufei — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
WUFEI  := $(BIN)/wufei
HOST   ?= 127.0.0.1
PORT   ?= 8000
SCALE  ?= 1
SEED   ?= 2024
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint typecheck migrations-check pytest pytest-postgres browser-test serve seed messages clean

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev,postgres]'
	touch $(STAMP)

install: $(STAMP)

## demo: install, migrate, load the national catalogs, generate the demo district and serve it
demo: $(STAMP)
	$(WUFEI) migrate --noinput
	$(WUFEI) load_catalogs
	$(WUFEI) seed_demo --scale $(SCALE) --seed $(SEED) --reset
	$(WUFEI) runserver $(HOST):$(PORT)

seed: $(STAMP)
	$(WUFEI) seed_demo --scale $(SCALE) --seed $(SEED) --reset

serve: $(STAMP)
	$(WUFEI) runserver $(HOST):$(PORT)

## test: lint, type checks, migration check and the whole test suite
test: $(STAMP) lint typecheck migrations-check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy wufei tests $(wildcard bench/*.py)

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=wufei.settings.test $(WUFEI) makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest -n 2 -q

## the same suite against PostgreSQL (DATABASE_URL defaults to the local server)
pytest-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wufei} $(BIN)/pytest -n 2 -q

## browser tests in Debian's Chromium (apt-get install chromium)
browser-test: $(STAMP)
	$(BIN)/pytest -q -m browser -p no:xdist

messages: $(STAMP)
	for app in wufei/*/locale; do (cd $$(dirname $$app) && ../../$(WUFEI) makemessages -l zh_Hans --no-obsolete && ../../$(WUFEI) compilemessages); done

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
