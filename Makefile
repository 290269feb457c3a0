# Two commands: `make run` (the store with a demo catalogue) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: run test test-quick lint venv chromium migrate seed ci

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	./scripts/run_store.sh

chromium:
	@test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# pytest exits with 5 when it collects no tests: that is a failure too. A bare `pytest` leaves the
# slow tests out (pyproject.toml); this marker expression brings them all back.
ALL_TESTS := -m "slow or not slow"

test: venv chromium
	@$(BIN)/pytest $(ALL_TESTS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

# The quick run while working: everything but the tests marked slow (real models, real photos, browsers,
# worker processes, ADGAN, fresh interpreters). `make test` and .ci/run still run them all.
test-quick: venv
	@$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ci:
	./.ci/run
