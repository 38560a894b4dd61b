# The two commands of the quick start: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test system-deps system-deps-test lint bench-pdf clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

system-deps:
	./scripts/install-system-deps run

system-deps-test:
	./scripts/install-system-deps test

# The demo runs in development mode (DEBUG defaults to false everywhere else, production included).
run bench-pdf: export DEBUG ?= true
run: system-deps $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker beside the web server"; \
	  $(BIN)/celery -A portal worker --beat --schedule var/celerybeat-schedule --loglevel=INFO --concurrency=2 & \
	fi; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: system-deps-test $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark, not a test: warm render times, sizes and two-process throughput of the sample reports.
# BENCH_ARGS passes options (make bench-pdf BENCH_ARGS="--count 40").
bench-pdf: system-deps $(VENV)/.dev-installed
	$(BIN)/python manage.py bench_pdf $(BENCH_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var .pytest_cache
