# certifications_retraining — developer entry points. See README.md.
ODOO_PATH ?= /opt/odoo
VENV      ?= $(CURDIR)/.venv
DB        ?= certifications_retraining
PORT      ?= 8069
export ODOO_PATH VENV

ADDON := certifications_retraining
ODOO  := $(VENV)/bin/python $(ODOO_PATH)/odoo-bin --addons-path=$(ODOO_PATH)/addons,$(CURDIR)

.PHONY: help check-odoo setup run test lint bench bench-compare pot readme clean

help:
	@echo "make run    - prepare everything, create database '$(DB)' with demo data, serve http://localhost:$(PORT)"
	@echo "make test   - prepare everything, run all tests on a throw-away database (lint first)"
	@echo "make lint   - ruff, pylint-odoo (OCA configuration), XML well-formedness, translations complete"
	@echo "make pot    - export i18n/certifications_retraining.pot and sync fr.po, de.po, es.po with it"
	@echo "make bench  - benchmarks on a throw-away database (prints figures, asserts nothing timed)"
	@echo "make bench-compare - compare .bench/last.json with .bench/previous.json (OLD=, NEW= to choose)"

check-odoo:
	@test -f "$(ODOO_PATH)/odoo-bin" || { echo "ERROR: Odoo 18.0 not found at ODOO_PATH=$(ODOO_PATH): set ODOO_PATH, or run: git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $(ODOO_PATH)"; exit 1; }

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

bench-compare:
	@python3 tools/bench_compare.py $(or $(OLD),.bench/previous.json) $(or $(NEW),.bench/last.json)

pot: setup
	@bash tools/pot.sh

readme:
	@$(VENV)/bin/python tools/readme.py

clean:
	rm -rf .test-logs
