#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Benchmark figures as JSON, and the comparison of two runs.

  bench_compare.py --collect RUN.jsonl OUT.json   gather one run's figures
  bench_compare.py OLD.json NEW.json              print NEW/OLD ratios

A figure: {"scenario", "size", "seconds", "queries", "peak_rss_mb", ...}.
Figures are matched on (scenario, size); a ratio below 1 means NEW is faster
(fewer queries, less memory)."""

import json
import sys
from datetime import datetime, timezone

METRICS = ("seconds", "queries", "peak_rss_mb")


def collect(jsonl_path, out_path):
    with open(jsonl_path) as lines:
        figures = [json.loads(line) for line in lines if line.strip()]
    run = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "figures": figures,
    }
    with open(out_path, "w") as out:
        json.dump(run, out, indent=1)
    return run


def load(path):
    with open(path) as source:
        run = json.load(source)
    return run, {(f["scenario"], f["size"]): f for f in run["figures"]}


def ratio(new, old):
    if new is None or old is None:
        return "-"
    if not old:
        return "=" if new == old else "new"
    return f"x{new / old:.2f}"


def compare(old_path, new_path):
    old_run, old = load(old_path)
    new_run, new = load(new_path)
    print(f"old: {old_path} ({old_run.get('date')})")
    print(f"new: {new_path} ({new_run.get('date')})")
    header = f"{'scenario':<28}{'size':>9}"
    for metric in METRICS:
        header += f"{metric + ' old':>16}{'new':>11}{'ratio':>8}"
    print(header)
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1])):
        line = f"{key[0]:<28}{key[1]:>9}"
        for metric in METRICS:
            before = old.get(key, {}).get(metric)
            after = new.get(key, {}).get(metric)
            line += (
                f"{'-' if before is None else before:>16}"
                f"{'-' if after is None else after:>11}"
                f"{ratio(after, before):>8}"
            )
        print(line)


def main(argv):
    if len(argv) == 4 and argv[1] == "--collect":
        collect(argv[2], argv[3])
        return 0
    if len(argv) == 3:
        compare(argv[1], argv[2])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
