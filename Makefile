# SMOP CMS: `make run` serves the demo site, `make test` runs the whole suite.

VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: install run migrate seed test lint format clean

# Re-install only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PYTHON) manage.py migrate --noinput

seed: migrate
	$(PYTHON) manage.py seed_site

run: seed
	@$(PYTHON) manage.py create_demo_users
	@echo ""
	@echo "SMOP CMS is starting on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Log in with one of the demo users above. Stop with Ctrl-C."
	@# The web server, the background worker and the scheduler (Procfile.dev), together.
	@# Links in notification emails point at this server unless told otherwise.
	WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)}" \
	HOST=$(HOST) PYTHON=$(PYTHON) $(VENV)/bin/honcho start --procfile Procfile.dev --port $(PORT)

# The suite always runs under cms.settings.test, whatever the shell exports.
test: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PYTHON) -m pytest

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PYTHON) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PYTHON) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
