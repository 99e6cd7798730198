# Two commands do all set-up on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test lint format install install-test migrate seed lock clean mutate

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Waitroom needs Python 3.12 or newer (found " + sys.version.split()[0] + ")"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c constraints.txt ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo: SQLite, tasks in-process, no services needed. `make run PORT=8001` serves on another
# port; SITE_URL (the address in links the demo sends) follows PORT unless set.
PORT ?= 8000
run: export DEBUG ?= true
run: export PORT := $(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on the real PostgreSQL and Redis (override DATABASE_URL / REDIS_URL).
test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

# Mutation testing of the access rules, the clinic-scoping selectors and the invitation
# link/account code ([tool.mutmut] in pyproject.toml): one worker, on the real PostgreSQL and Redis.
# Slow (tens of minutes); `.venv/bin/mutmut results` lists survivors, `mutmut show NAME` one.
mutate: install-test
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 1
	$(VENV)/bin/mutmut results

# ruff, then scripts/lint_model_usage.py: views fetch records only through selectors.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/lint_model_usage.py

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh constraints.txt: every installed package pinned, for reproducible installs.
lock: install-test
	$(PIP) freeze --exclude waitroom | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache build *.egg-info
