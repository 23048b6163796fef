#!/usr/bin/env bash
# `make bench`: performance figures on a throw-away database. Prints figures, asserts nothing
# timed. Each scenario is a script bench/bench_*.py run inside `odoo-bin shell`.
# BENCH=expiry runs only bench/bench_expiry*.py (same throw-away database setup).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
VENV=${VENV:-$ROOT/.venv}
DB=${BENCH_DB:-certifications_retraining_bench_$$}
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
ODOO_BIN=("$VENV/bin/python" "$ODOO_PATH/odoo-bin")
ARGS=(--addons-path="$ODOO_PATH/addons,$ROOT" -d "$DB" --db-filter "^$DB\$")
ODOO=("${ODOO_BIN[@]}" "${ARGS[@]}")
echo "[bench] installing certifications_retraining (no demo) in $DB"
"${ODOO[@]}" "${ARGS[@]}" -i certifications_retraining --without-demo=all --stop-after-init --log-level=warn
shopt -s nullglob
scripts=("$ROOT"/bench/bench_${BENCH:-}*.py)
if [ ${#scripts[@]} -eq 0 ]; then echo "[bench] no benchmark scenario yet"; exit 0; fi
for script in "${scripts[@]}"; do
    echo "[bench] === $(basename "$script")"
    # the subcommand must come first: odoo-bin shell [options]
    "${ODOO_BIN[@]}" shell "${ARGS[@]}" --log-level=warn --no-http < "$script"
done
