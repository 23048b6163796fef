#!/usr/bin/env python3
"""`make lint`: every ``.sudo()`` of the addon's code (tests aside) has a
comment, on its line or in the five lines above, saying why the superuser
is needed and what was checked before."""

import re
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "certifications_retraining"
COMMENT = re.compile(r"\s*#|.*\S\s+#")


def unjustified(root=ADDON):
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if ".sudo()" not in line:
                continue
            before = lines[max(0, number - 5) : number + 1]
            if not any(COMMENT.match(text) for text in before):
                found.append(f"{path.relative_to(root.parent)}:{number + 1}")
    return found


if __name__ == "__main__":
    missing = unjustified()
    for where in missing:
        print(f"{where}: sudo() without a comment saying why", file=sys.stderr)
    sys.exit(1 if missing else 0)
