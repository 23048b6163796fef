#!/usr/bin/env bash
# Quick iteration: update the addon in a kept development database and run tests.
# Usage: tools/devtest.sh [TEST_TAGS] (default /certifications_retraining). DEV_DB to choose.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
DB=${DEV_DB:-crt_dev$ODOO_DB_SUFFIX}
TAGS=${1:-/certifications_retraining}
mode=-u
psql -d "$DB" -Atqc "select 1" >/dev/null 2>&1 || mode=-i
port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$ROOT/.test-logs/dev-$DB.log
mkdir -p "$ROOT/.test-logs"
"$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$ROOT" -d "$DB" \
    $mode certifications_retraining "${ODOO_WITHOUT_DEMO[@]}" --test-tags "$TAGS" --http-port "$port" \
    --stop-after-init --log-level=test --max-cron-threads=0 > "$LOG" 2>&1
"$VENV/bin/python" "$ROOT/tools/test_summary.py" "$LOG" $?
