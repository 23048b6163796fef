"""Generate certifications_retraining/README.rst from readme/*.md (OCA style).

`python tools/readme.py` writes the file; `--check` exits 1 when it is out of date.
"""

import ast
import pathlib
import re
import sys

ADDON = pathlib.Path(__file__).resolve().parent.parent / "certifications_retraining"
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]
UNDERLINES = {1: "=", 2: "~", 3: "^"}


def md_to_rst(text):
    lines = []
    for line in text.splitlines():
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = heading[2].strip()
            lines += [title, UNDERLINES.get(len(heading[1]), "^") * len(title)]
            continue
        line = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", line)
        line = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", line)
        lines.append(line)
    return "\n".join(lines).strip() + "\n"


def render():
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    title = manifest["name"]
    out = ["=" * len(title), title, "=" * len(title), ""]
    out += [
        ".. |license| image:: https://img.shields.io/badge/license-LGPL--3-blue.png",
        "   :alt: License: LGPL-3",
        "",
        "|license|",
        "",
    ]
    for filename, heading in SECTIONS:
        path = ADDON / "readme" / filename
        if not path.exists():
            continue
        if heading:
            out += [heading, "=" * len(heading), ""]
        out += [md_to_rst(path.read_text()), ""]
    return "\n".join(out).rstrip() + "\n"


def main():
    target = ADDON / "README.rst"
    text = render()
    if "--check" in sys.argv:
        if not target.exists() or target.read_text() != text:
            print("README.rst is out of date: run `make readme`")
            return 1
        return 0
    target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
