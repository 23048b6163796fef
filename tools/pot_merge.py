#!/usr/bin/env python3
"""`make pot`: merge the templates exported on each Odoo series into one.

Odoo 18.0 and 19.0 export mostly the same strings; each also has its own
(19.0: the groups' privilege, the texts that speak of the job history;
18.0: field labels 19.0 no longer exports). The merged template holds every
string once, with the references of both series, in the first template's
order, then the strings only the next ones have.

Usage: pot_merge.py OUT.pot FIRST.pot [NEXT.pot ...]
"""

import sys

import polib

WRAP = 78  # the width Odoo's exporter writes


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def merge(paths):
    merged = polib.pofile(paths[0], wrapwidth=WRAP)
    by_key = {key(entry): entry for entry in merged}
    for path in paths[1:]:
        for entry in polib.pofile(path, wrapwidth=WRAP):
            known = by_key.get(key(entry))
            if known is None:
                merged.append(entry)
                by_key[key(entry)] = entry
                continue
            for occurrence in entry.occurrences:
                if occurrence not in known.occurrences:
                    known.occurrences.append(occurrence)
            for comment in entry.comment.splitlines():
                if comment not in known.comment.splitlines():
                    known.comment = "\n".join(filter(None, [known.comment, comment]))
    return merged


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    merge(argv[2:]).save(argv[1])


if __name__ == "__main__":
    main(sys.argv)
