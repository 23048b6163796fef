#!/usr/bin/env bash
# `make bench`: performance figures on a throw-away database. Prints figures, asserts nothing
# timed. Each scenario is a script bench/bench_*.py run inside `odoo-bin shell`.
# BENCH=expiry runs only bench/bench_expiry*.py (same throw-away database setup).
# Figures are also written as JSON: .bench/last.json (the previous run is rotated
# to .bench/previous.json); `make bench-compare` compares the two.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
DB=${BENCH_DB:-certifications_retraining_bench_$$}
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
ODOO_BIN=("$VENV/bin/python" "$ODOO_PATH/odoo-bin")
ARGS=(--addons-path="$ODOO_PATH/addons,$ROOT" -d "$DB" --db-filter "^$DB\$")
ODOO=("${ODOO_BIN[@]}" "${ARGS[@]}")
echo "[bench] installing certifications_retraining (no demo) in $DB"
"${ODOO[@]}" "${ARGS[@]}" -i certifications_retraining "${ODOO_WITHOUT_DEMO[@]}" --stop-after-init --log-level=warn
shopt -s nullglob
mkdir -p "$ROOT/.bench"
export BENCH_DIR="$ROOT/bench" BENCH_JSON="${BENCH_JSON:-$ROOT/.bench/run.jsonl}"
: > "$BENCH_JSON"
scripts=("$ROOT"/bench/bench_${BENCH:-}*.py)
if [ ${#scripts[@]} -eq 0 ]; then echo "[bench] no benchmark scenario yet"; exit 0; fi
for script in "${scripts[@]}"; do
    echo "[bench] === $(basename "$script")"
    # the subcommand must come first: odoo-bin shell [options]
    "${ODOO_BIN[@]}" shell "${ARGS[@]}" --log-level=warn --no-http < "$script"
done
[ -f "$ROOT/.bench/last.json" ] && mv "$ROOT/.bench/last.json" "$ROOT/.bench/previous.json"
"$VENV/bin/python" "$ROOT/tools/bench_compare.py" --collect "$BENCH_JSON" "$ROOT/.bench/last.json"
echo "[bench] figures written to .bench/last.json (make bench-compare: against .bench/previous.json)"
