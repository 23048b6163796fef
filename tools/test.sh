#!/usr/bin/env bash
# `make test`: a fresh throw-away database, the addon installed (with demo data), all of its
# tests run by Odoo's own runner (at_install, post_install, HttpCase and Chromium tours),
# a one-line summary `N passed, M failed`, the database dropped. Exit code 1 on any failure,
# and on any skipped test: Odoo skips tours (and still says OK) when Chromium or
# websocket-client is missing, which would be a green run that tested nothing.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
MODULE=certifications_retraining
TAGS=${TEST_TAGS:-/$MODULE}
DB=${TEST_DB:-${MODULE}_test_$$_$(date +%s)}
LOG=${TEST_LOG:-$ROOT/.test-logs/$DB.log}
mkdir -p "$(dirname "$LOG")"

port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

start=$(date +%s)
echo "[test] database $DB, tags $TAGS, http port $port, log $LOG"
"$VENV/bin/python" "$ODOO_PATH/odoo-bin" \
    --addons-path="$ODOO_PATH/addons,$ROOT" \
    -d "$DB" "${ODOO_WITH_DEMO[@]}" -i "$MODULE" --test-tags "$TAGS" \
    --http-port "$port" --gevent-port 0 --db-filter "^$DB\$" \
    --stop-after-init --log-level=test --max-cron-threads=0 \
    2>&1 | tee "$LOG" | grep --line-buffered -E \
        "( ERROR | CRITICAL |FAIL: |tests when loading| skipped |Chrome executable|websocket-client|\.browser: \[1/)" \
        | grep --line-buffered -v "^\s*$"
rc=${PIPESTATUS[0]}

"$VENV/bin/python" "$ROOT/tools/test_summary.py" "$LOG" "$rc"
status=$?
echo "[test] wall time $(( $(date +%s) - start ))s"
exit $status
