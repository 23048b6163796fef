#!/usr/bin/env python3
"""`make lint`: every shipped translation (i18n/<lang>.po) translates every
string of the template (i18n/<module>.pot), and nothing else.

Fails (exit 1) and lists the msgids when a .po
- lacks a string of the .pot (run `make pot` to add it, then translate it);
- has an empty or fuzzy msgstr;
- keeps a string the .pot no longer has (run `make pot` to drop it);
- changes a placeholder (``%(name)s``, ``%s``, ``{{ ... }}``), a QWeb ``t-``
  attribute or the markup of its source: the translation would break the
  message, the mail or the view at run time;
- has no ``Language`` matching its file name or no ``Plural-Forms`` header.

Usage: check_po.py [PO_FILE ...]   (default: every .po of the addon's i18n/)
"""

import collections
import pathlib
import re
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
I18N = ROOT / "certifications_retraining" / "i18n"
POT = I18N / "certifications_retraining.pot"
SHOWN = 100  # characters of a msgid shown in a report line

# what a translation must carry over unchanged from its source
PATTERNS = {
    "placeholder": re.compile(r"%\([A-Za-z_]\w*\)[sdfr]|%[sdfr]"),
    "expression": re.compile(r"\{\{.*?\}\}", re.DOTALL),
    "QWeb attribute": re.compile(r"""\bt-[\w-]+=(?:"[^"]*"|'[^']*')"""),
    "tag": re.compile(r"</?[A-Za-z][\w-]*"),
}


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def shown(msgid):
    text = " ".join(msgid.split())
    return repr(text if len(text) <= SHOWN else text[: SHOWN - 1] + "…")


def format_problems(entry):
    problems = []
    for name, pattern in PATTERNS.items():
        source = collections.Counter(pattern.findall(entry.msgid))
        translated = collections.Counter(pattern.findall(entry.msgstr))
        if source != translated:
            lost = sorted((source - translated).elements())
            added = sorted((translated - source).elements())
            problems.append(f"{name} changed (missing {lost}, extra {added})")
    return problems


def check(po_path, template):
    """The problems of one .po file, as report lines."""
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:
        return [f"cannot be read: {exc}"]
    lines = []
    lang = po.metadata.get("Language", "")
    if lang.split("_")[0] != po_path.stem.split("_")[0]:
        lines.append(f"header: Language is {lang!r}, expected {po_path.stem!r}")
    if not po.metadata.get("Plural-Forms"):
        lines.append("header: Plural-Forms is empty")
    entries = {key(entry): entry for entry in po if not entry.obsolete}
    expected = [key(entry) for entry in template]
    missing = [msgid for (_ctx, msgid) in expected if (_ctx, msgid) not in entries]
    empty, fuzzy, broken = [], [], []
    for ctx_msgid in expected:
        entry = entries.get(ctx_msgid)
        if entry is None:
            continue
        if not entry.msgstr:
            empty.append(entry.msgid)
        elif "fuzzy" in entry.flags:
            fuzzy.append(entry.msgid)
        else:
            broken += [f"{shown(entry.msgid)}: {p}" for p in format_problems(entry)]
    known = set(expected)
    stale = [entry.msgid for k, entry in entries.items() if k not in known]
    for title, items, hint in (
        ("missing from the .po", missing, "run `make pot`, then translate them"),
        ("with an empty msgstr", empty, "translate them"),
        ("marked fuzzy", fuzzy, "review them and drop the fuzzy flag"),
        ("not in the .pot any more", stale, "run `make pot` to drop them"),
    ):
        if items:
            lines.append(f"{len(items)} string(s) {title} ({hint}):")
            lines += [f"    {shown(msgid)}" for msgid in items]
    if broken:
        lines.append(f"{len(broken)} translation(s) that break their source:")
        lines += [f"    {line}" for line in broken]
    return lines


def main(argv):
    paths = [pathlib.Path(arg) for arg in argv] or sorted(I18N.glob("*.po"))
    template = [entry for entry in polib.pofile(str(POT)) if not entry.obsolete]
    failed = False
    for path in paths:
        lines = check(path, template)
        name = path.resolve()
        name = name.relative_to(ROOT) if name.is_relative_to(ROOT) else path
        if lines:
            failed = True
            print(f"{name}: FAILED")
            print("\n".join(f"  {line}" for line in lines))
        else:
            print(f"{name}: {len(template)} strings translated")
    if not paths:
        print(f"no .po file in {I18N.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
