#!/usr/bin/env bash
# `make faults`: fault drills on real processes (Odoo prefork, PostgreSQL) on a throw-away
# database; see tools/faults.py. Prints each check and the figures (.bench/faults.json).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
"$ROOT/tools/pg.sh" ensure
export ODOO_WITHOUT_DEMO="${ODOO_WITHOUT_DEMO[*]:-}"
exec "$VENV/bin/python" "$ROOT/tools/faults.py"
