#!/usr/bin/env bash
# Which Odoo tree, which series, which virtualenv: the one place that decides it.
# Sourced by the tools (after they set ROOT); also run by the Makefile: `tools/odoo_env.sh venv`.
#  - ODOO_PATH: the Odoo source tree (default /opt/odoo);
#  - ODOO_SERIES: read from the tree, odoo/release.py `version_info` ("18.0", "19.0");
#  - VENV: the virtualenv of that series, unless given: .venv for 18.0 (as before),
#    .venv-<series> for any other series (.venv-19.0).
# A virtualenv remembers its series in $VENV/.odoo-series (written by tools/setup.sh; a
# virtualenv without it predates the file and is 18.0): odoo_env_check refuses a virtualenv
# of another series, so an 18.0 venv never gets 19.0's requirements, nor runs 19.0.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
ODOO_SUPPORTED_SERIES="18.0 19.0"

odoo_series_of() {
    sed -nE 's/^version_info = \(([0-9]+), *([0-9]+)\b.*/\1.\2/p' "$1/odoo/release.py" 2>/dev/null | head -1
}

odoo_default_venv() {
    case "$1" in
        18.0 | "") echo "$ROOT/.venv" ;;
        *) echo "$ROOT/.venv-$1" ;;
    esac
}

venv_series_of() {
    if [ -f "$1/.odoo-series" ]; then cat "$1/.odoo-series"; else echo 18.0; fi
}

# Dies (exit 1) unless ODOO_PATH is a supported Odoo tree and VENV, if it exists, is of its series.
odoo_env_check() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ]; then
        echo "ERROR: no Odoo at ODOO_PATH=$ODOO_PATH (odoo-bin missing). Odoo 18.0: git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo; Odoo 19.0: git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git /opt/odoo19 and ODOO_PATH=/opt/odoo19." >&2
        exit 1
    fi
    case " $ODOO_SUPPORTED_SERIES " in
        *" $ODOO_SERIES "*) ;;
        *)
            echo "ERROR: $ODOO_PATH is Odoo '${ODOO_SERIES:-unknown}' (odoo/release.py); supported: $ODOO_SUPPORTED_SERIES." >&2
            exit 1
            ;;
    esac
    if [ -x "$VENV/bin/python" ] && [ "$(venv_series_of "$VENV")" != "$ODOO_SERIES" ]; then
        echo "ERROR: VENV=$VENV is the virtualenv of Odoo $(venv_series_of "$VENV"), ODOO_PATH=$ODOO_PATH is Odoo $ODOO_SERIES: unset VENV (default $(odoo_default_venv "$ODOO_SERIES")) or point it at a $ODOO_SERIES virtualenv." >&2
        exit 1
    fi
}

ODOO_SERIES=$(odoo_series_of "$ODOO_PATH")
VENV=${VENV:-$(odoo_default_venv "$ODOO_SERIES")}
export ODOO_PATH ODOO_SERIES VENV

# Kept databases (make run, devtest) are per series: an 18.0 database is not opened by 19.0.
case "$ODOO_SERIES" in
    18.0 | "") ODOO_DB_SUFFIX="" ;;
    *) ODOO_DB_SUFFIX="_${ODOO_SERIES//./_}" ;;
esac

# Demo data in a new database: 18.0 loads it unless --without-demo=all; 19.0 only with
# --with-demo (its --without-demo is a boolean, and the default).
case "$ODOO_SERIES" in
    18.0 | "") ODOO_WITH_DEMO=() ODOO_WITHOUT_DEMO=(--without-demo=all) ;;
    *) ODOO_WITH_DEMO=(--with-demo) ODOO_WITHOUT_DEMO=() ;;
esac

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        venv) echo "$VENV" ;;
        series) echo "$ODOO_SERIES" ;;
        db-suffix) echo "$ODOO_DB_SUFFIX" ;;
        check) odoo_env_check ;;
        *)
            echo "usage: $0 venv|series|db-suffix|check" >&2
            exit 2
            ;;
    esac
fi
