#!/usr/bin/env bash
# `make load`: the load test (Odoo prefork, Locust headless) on a throw-away database; see
# tools/load.py. Locust lives in its own virtualenv (.venv-load, requirements-load.txt): its
# gevent/flask pins are not Odoo's. Prints the table per route and the targets (.bench/load.json).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
LOAD_VENV="$ROOT/.venv-load"
if ! "$LOAD_VENV/bin/python" -m pip freeze 2>/dev/null | grep -qxFf "$ROOT/requirements-load.txt"; then
    python3 -m venv "$LOAD_VENV"
    "$LOAD_VENV/bin/python" -m pip install --quiet -r "$ROOT/requirements-load.txt"
fi
"$ROOT/tools/pg.sh" ensure
export ODOO_WITHOUT_DEMO="${ODOO_WITHOUT_DEMO[*]:-}"
export LOCUST="$LOAD_VENV/bin/locust"
exec "$VENV/bin/python" "$ROOT/tools/load.py"
