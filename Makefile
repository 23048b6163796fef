# certifications_retraining — developer entry points. See README.md.
ODOO_PATH ?= /opt/odoo
# The series (18.0, 19.0) is read from the tree; each series has its own virtualenv:
# .venv for 18.0, .venv-19.0 for 19.0 (tools/odoo_env.sh decides, for make and the tools alike).
ODOO_SERIES := $(shell ODOO_PATH='$(ODOO_PATH)' bash tools/odoo_env.sh series)
ifeq ($(origin VENV),undefined)
VENV      := $(shell ODOO_PATH='$(ODOO_PATH)' VENV= bash tools/odoo_env.sh venv)
endif
ifeq ($(origin DB),undefined)
DB        := certifications_retraining$(shell ODOO_PATH='$(ODOO_PATH)' bash tools/odoo_env.sh db-suffix)
endif
PORT      ?= 8069
export ODOO_PATH VENV

ADDON := certifications_retraining
ODOO  := $(VENV)/bin/python $(ODOO_PATH)/odoo-bin --addons-path=$(ODOO_PATH)/addons,$(CURDIR)

.PHONY: help check-odoo setup run test lint bench bench-compare faults load pot readme screenshots clean

help:
	@echo "Odoo $(or $(ODOO_SERIES),(none found)) at ODOO_PATH=$(ODOO_PATH), virtualenv $(VENV)"
	@echo "make run    - prepare everything, create database '$(DB)' with demo data, serve http://localhost:$(PORT)"
	@echo "make test   - prepare everything, run all tests on a throw-away database (lint first)"
	@echo "make lint   - ruff, pylint-odoo (OCA configuration), XML well-formedness, translations complete"
	@echo "make pot    - export i18n/certifications_retraining.pot and sync fr.po, de.po, es.po with it"
	@echo "make bench  - benchmarks on a throw-away database (prints figures, asserts nothing timed)"
	@echo "make faults - fault drills on real processes: kill -9 of workers, PostgreSQL restart, two job runners"
	@echo "make load   - load test: prefork Odoo (4 workers, 1 cron) under Locust, table per route (LOAD_AWARDS, LOAD_LEARNERS, LOAD_USERS, LOAD_DURATION, LOAD_KEEP_DB)"
	@echo "make screenshots - retake the README screenshots (docs/screenshots/*.png) with tours on the demo data"
	@echo "make bench-compare - compare .bench/last.json with .bench/previous.json (OLD=, NEW= to choose)"

check-odoo:
	@bash tools/odoo_env.sh check

setup: check-odoo
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh "$(DB)" "$(PORT)"

test: setup lint
	@bash tools/test.sh

lint: setup
	@bash tools/lint.sh

bench: setup
	@bash tools/bench.sh

faults: setup
	@bash tools/faults.sh

load: setup
	@bash tools/load.sh

bench-compare:
	@python3 tools/bench_compare.py $(or $(OLD),.bench/previous.json) $(or $(NEW),.bench/last.json)

pot: setup
	@bash tools/pot.sh

screenshots: setup
	@TEST_TAGS=certifications_screenshots/$(ADDON) bash tools/test.sh

readme:
	@$(VENV)/bin/python tools/readme.py

clean:
	rm -rf .test-logs
