#!/usr/bin/env bash
# Idempotent machine preparation for certifications_retraining.
#  - checks the Odoo source at $ODOO_PATH: 18.0 or 19.0 (read from odoo/release.py)
#  - installs the Debian packages Odoo and the browser tours need (when missing)
#  - creates the virtualenv of that series (.venv for 18.0, .venv-19.0 for 19.0; VENV to
#    choose another path) with Odoo's requirements (patched for Python 3.11) and ours
#  - makes sure a PostgreSQL server is reachable (starts Debian's cluster if needed)
# Safe to re-run; does nothing that is already done.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# 1. Odoo source --------------------------------------------------------------
# ODOO_PATH, ODOO_SERIES, VENV (per series); refuses a missing tree, a series other than
# 18.0/19.0, and a VENV built for the other series.
. "$ROOT/tools/odoo_env.sh"
odoo_env_check

# 2. Debian packages ------------------------------------------------------------
need_pkgs=()
for pkg in postgresql libpq-dev libldap2-dev libsasl2-dev chromium wkhtmltopdf; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_pkgs+=("$pkg")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "missing packages ${need_pkgs[*]} and no apt-get"
    log "installing Debian packages: ${need_pkgs[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# 3. Python virtualenv -----------------------------------------------------------
stamp="$VENV/.requirements.sha"
want=$(cat "$ODOO_PATH/requirements.txt" "$ROOT/requirements.txt" | sha1sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV (Odoo $ODOO_SERIES)"
        "$PY" -m venv "$VENV"
        echo "$ODOO_SERIES" > "$VENV/.odoo-series"
    fi
    # Odoo (18.0 and 19.0) pins cbor2==5.4.2, which does not build on Python 3.11: 5.4.6 does.
    patched=$(mktemp)
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.4.6/' "$ODOO_PATH/requirements.txt" > "$patched"
    log "installing Python requirements (Odoo + project), log in $VENV/pip.log"
    {
        "$VENV/bin/pip" install --upgrade pip wheel "setuptools<81" \
            && "$VENV/bin/pip" install -r "$patched" -r "$ROOT/requirements.txt"
    } > "$VENV/pip.log" 2>&1 || { tail -40 "$VENV/pip.log"; die "pip install failed"; }
    rm -f "$patched"
    echo "$want" > "$stamp"
fi
[ -f "$VENV/.odoo-series" ] || echo "$ODOO_SERIES" > "$VENV/.odoo-series"

# 4. PostgreSQL ------------------------------------------------------------------
"$ROOT/tools/pg.sh" ensure
log "ready: Odoo $ODOO_SERIES at $ODOO_PATH, venv $VENV"
