#!/usr/bin/env bash
# `make pot`: export certifications_retraining/i18n/certifications_retraining.pot from a
# throw-away database where the addon is installed, on Odoo 18.0 (ODOO18_PATH, default
# /opt/odoo) and on Odoo 19.0 (ODOO19_PATH, default /opt/odoo19) — each series has strings
# of its own (compat.py) — merged into one template (tools/pot_merge.py); then bring every
# shipped translation (i18n/fr.po, de.po, es.po) in line with it: new strings appear
# untranslated (`make lint` lists them until they are translated), strings gone from the
# .pot are dropped.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
POT="$ROOT/certifications_retraining/i18n/certifications_retraining.pot"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

export_pot() {  # ODOO_PATH -> $WORK/<series>.pot, in the series' virtualenv
    (
        export ODOO_PATH="$1" VENV=
        . "$ROOT/tools/odoo_env.sh"
        odoo_env_check
        bash "$ROOT/tools/setup.sh" >/dev/null
        DB=certifications_retraining_pot_$$_${ODOO_SERIES//./_}
        trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
        ODOO=("$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$ROOT" -d "$DB")
        "${ODOO[@]}" -i certifications_retraining "${ODOO_WITHOUT_DEMO[@]}" --stop-after-init --log-level=warn
        case "$ODOO_SERIES" in
            18.0)
                "${ODOO[@]}" --i18n-export="$WORK/$ODOO_SERIES.pot" \
                    --modules=certifications_retraining --stop-after-init --log-level=warn
                ;;
            *)  # 19.0 moved the export to its i18n command
                "$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$ROOT" i18n export \
                    -d "$DB" -o "$WORK/$ODOO_SERIES.pot" certifications_retraining
                ;;
        esac
        echo "[pot] exported on Odoo $ODOO_SERIES"
    )
}

export_pot "${ODOO18_PATH:-/opt/odoo}"
export_pot "${ODOO19_PATH:-/opt/odoo19}"
VENV=${VENV:-$ROOT/.venv}
"$VENV/bin/python" "$ROOT/tools/pot_merge.py" "$POT" "$WORK/18.0.pot" "$WORK/19.0.pot"
echo "[pot] certifications_retraining/i18n/certifications_retraining.pot (18.0 and 19.0)"
"$VENV/bin/python" "$ROOT/tools/po_sync.py"
