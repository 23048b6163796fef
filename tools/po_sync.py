#!/usr/bin/env python3
"""`make pot`: bring every shipped translation (i18n/<lang>.po) in line with
the freshly exported template (i18n/<module>.pot), as ``msgmerge`` would,
without fuzzy guesses.

Each .po gets exactly the entries of the .pot, in its order and with its
reference comments; a translation is kept when its msgid (and msgctxt) is
still in the .pot, new strings get an empty msgstr (which `make lint`
reports until someone translates them) and strings gone from the .pot are
dropped. An obsolete entry (``#~``, which Odoo does not load) whose msgid is
now in the .pot is revived: a translation written ahead of the code that
uses it. The header of the .po is kept, except for POT-Creation-Date.

Usage: po_sync.py [PO_FILE ...]   (default: every .po of the addon's i18n/)
"""

import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
I18N = ROOT / "certifications_retraining" / "i18n"
POT = I18N / "certifications_retraining.pot"
WRAP = 78  # the width Odoo's exporter writes


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def sync(po_path, template):
    """Rewrite ``po_path`` after ``template``; return the counts of new,
    revived and dropped strings."""
    old = polib.pofile(str(po_path), wrapwidth=WRAP)
    current = {key(entry): entry for entry in old if not entry.obsolete}
    ahead = {key(entry): entry for entry in old if entry.obsolete and entry.msgstr}
    translations = {**ahead, **current}
    new = polib.POFile(wrapwidth=WRAP)
    new.header = old.header or template.header
    new.metadata = dict(old.metadata)
    new.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
    added = revived = 0
    for source in template:
        if source.obsolete:
            continue
        previous = translations.get(key(source))
        if previous is None:
            added += 1
        elif key(source) not in current:
            revived += 1
        new.append(
            polib.POEntry(
                msgid=source.msgid,
                msgctxt=source.msgctxt,
                msgstr=previous.msgstr if previous else "",
                occurrences=source.occurrences,
                comment=source.comment,
                tcomment=previous.tcomment if previous else source.tcomment,
                flags=previous.flags if previous else source.flags,
            )
        )
    kept = {key(entry) for entry in new}
    dropped = sum(1 for k in current if k not in kept)
    new.save(str(po_path))
    return added, revived, dropped


def main(argv):
    template = polib.pofile(str(POT), wrapwidth=WRAP)
    paths = [pathlib.Path(arg) for arg in argv] or sorted(I18N.glob("*.po"))
    for path in paths:
        added, revived, dropped = sync(path, template)
        print(
            f"[pot] {path.name}: {added} new string(s) to translate, "
            f"{revived} translated ahead, {dropped} dropped"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
