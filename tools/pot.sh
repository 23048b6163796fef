#!/usr/bin/env bash
# `make pot`: export certifications_retraining/i18n/certifications_retraining.pot from a
# throw-away database where the addon is installed, then bring every shipped translation
# (i18n/fr.po, de.po, es.po) in line with it: new strings appear untranslated (`make lint`
# lists them until they are translated), strings gone from the .pot are dropped.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # ODOO_PATH, ODOO_SERIES, VENV (per series)
odoo_env_check
DB=certifications_retraining_pot_$$
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
ODOO=("$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$ROOT" -d "$DB")
"${ODOO[@]}" -i certifications_retraining "${ODOO_WITHOUT_DEMO[@]}" --stop-after-init --log-level=warn
"${ODOO[@]}" --i18n-export="$ROOT/certifications_retraining/i18n/certifications_retraining.pot" \
    --modules=certifications_retraining --stop-after-init --log-level=warn
echo "[pot] certifications_retraining/i18n/certifications_retraining.pot"
"$VENV/bin/python" "$ROOT/tools/po_sync.py"
