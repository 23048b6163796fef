#!/usr/bin/env bash
# `make lint`: ruff (lint + format check), pylint-odoo with OCA's configuration, XML well-formed,
# every translation (i18n/*.po) complete against the .pot.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/odoo_env.sh"  # VENV of the series at ODOO_PATH (.venv without a tree)
cd "$ROOT"
status=0
echo "[lint] ruff check"; "$VENV/bin/ruff" check . || status=1
echo "[lint] ruff format --check"; "$VENV/bin/ruff" format --check . || status=1
echo "[lint] pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc certifications_retraining || status=1
echo "[lint] README.rst up to date"; "$VENV/bin/python" tools/readme.py --check || status=1
echo "[lint] xml well-formed"
"$VENV/bin/python" - <<'PY' || status=1
import pathlib, sys
from lxml import etree
bad = 0
for path in sorted(pathlib.Path("certifications_retraining").rglob("*.xml")):
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        print(f"{path}: {exc}")
        bad += 1
sys.exit(1 if bad else 0)
PY
echo "[lint] every sudo() says why"; "$VENV/bin/python" tools/check_sudo.py || status=1
echo "[lint] translations complete"; "$VENV/bin/python" tools/check_po.py || status=1
[ $status = 0 ] && echo "[lint] clean" || echo "[lint] FAILED"
exit $status
