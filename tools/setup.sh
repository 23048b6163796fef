#!/usr/bin/env bash
# Idempotent machine preparation for certifications_retraining.
#  - checks the Odoo 18.0 source at $ODOO_PATH
#  - installs the Debian packages Odoo and the browser tours need (when missing)
#  - creates .venv with Odoo's requirements (patched for Python 3.11) and ours
#  - makes sure a PostgreSQL server is reachable (starts Debian's cluster if needed)
# Safe to re-run; does nothing that is already done.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
VENV=${VENV:-$ROOT/.venv}
PY=${PYTHON:-python3}

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# 1. Odoo source --------------------------------------------------------------
if [ ! -f "$ODOO_PATH/odoo-bin" ]; then
    die "Odoo 18.0 not found at ODOO_PATH=$ODOO_PATH. Get it with: git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $ODOO_PATH (or set ODOO_PATH to your checkout)."
fi
grep -q "version_info = (18, 0" "$ODOO_PATH/odoo/release.py" \
    || die "$ODOO_PATH is not Odoo 18.0 (see odoo/release.py)."

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
    [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PY" -m venv "$VENV"; }
    # Odoo pins cbor2==5.4.2, which does not build on Python 3.11: 5.4.6 does.
    patched=$(mktemp)
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.4.6/' "$ODOO_PATH/requirements.txt" > "$patched"
    log "installing Python requirements (Odoo + project), log in $VENV/pip.log"
    {
        "$VENV/bin/pip" install --upgrade pip wheel setuptools \
            && "$VENV/bin/pip" install -r "$patched" -r "$ROOT/requirements.txt"
    } > "$VENV/pip.log" 2>&1 || { tail -40 "$VENV/pip.log"; die "pip install failed"; }
    rm -f "$patched"
    echo "$want" > "$stamp"
fi

# 4. PostgreSQL ------------------------------------------------------------------
"$ROOT/tools/pg.sh" ensure
log "ready: Odoo $ODOO_PATH, venv $VENV"
