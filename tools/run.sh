#!/usr/bin/env bash
# `make run`: a database with the addon and its demo data, served on http://localhost:PORT.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
DB=${1:-certifications_retraining$ODOO_DB_SUFFIX}
PORT=${2:-8069}
ODOO=("$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$ROOT" -d "$DB" --db-filter "^$DB\$")

installed=$(psql -d "$DB" -Atqc "select state from ir_module_module where name='certifications_retraining'" 2>/dev/null || true)
if [ "$installed" != "installed" ]; then
    # measured: about a minute on two cores (Odoo's base, website, eLearning and HR included)
    echo "[run] creating database $DB with certifications_retraining and demo data (about a minute, first start only)"
    start=$(date +%s)
    "${ODOO[@]}" "${ODOO_WITH_DEMO[@]}" -i certifications_retraining --stop-after-init --log-level=warn
    echo "[run] database $DB created in $(( $(date +%s) - start ))s; later starts only update the addon (seconds)"
else
    echo "[run] updating certifications_retraining in $DB"
    "${ODOO[@]}" -u certifications_retraining --stop-after-init --log-level=warn
fi
echo "[run] Odoo is starting on http://localhost:$PORT — login: admin / password: admin (Ctrl-C to stop)"
exec "${ODOO[@]}" --http-port "$PORT"
