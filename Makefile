# La Dynamo du Gers — `make run` to serve the site, `make test` to test it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint messages bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# `make run` also starts a Celery worker with an embedded beat, so reminders and
# notifications go out (to the console unless EMAIL_URL says otherwise). With no
# broker configured they use kombu's filesystem transport under var/celery: no
# Redis, no other service. They stop when the site stops (Ctrl-C).
# Links in e-mails lead where `make run` serves the site, unless SITE_URL is already set
# (in the environment or on the command line).
run: export SITE_URL ?= http://$(HOST)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@mkdir -p var; \
	if [ -z "$$CELERY_BROKER_URL$$REDIS_URL" ]; then export CELERY_BROKER_URL=filesystem://; fi; \
	$(PY) -m celery -A dynamo worker --beat --pool=solo --loglevel=INFO \
		--without-mingle --without-gossip --without-heartbeat & \
	celery_pid=$$!; \
	trap 'kill -TERM $$celery_pid 2>/dev/null; wait $$celery_pid 2>/dev/null' EXIT INT TERM; \
	echo "Celery worker and beat: pid $$celery_pid; links in e-mails: $$SITE_URL"; \
	$(PY) manage.py runserver $(HOST)

# `make test PYTEST_ARGS=--today=2027-01-04` runs the suite as on another day.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The layers (pyproject.toml, [tool.importlinter]): no app imports one above it, and
# selectors never import services.
lint: install
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

messages: install
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
