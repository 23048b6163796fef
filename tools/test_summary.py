"""Read an Odoo test log and print `N passed, M failed` (exit 1 on any problem).

Odoo's runner prints `odoo.tests.result: F failed, E error(s) of K tests when
loading database ...` once per test phase. A skipped test (for instance a tour
without Chromium or websocket-client) counts as a failure here, and so does an
error logged outside tests or a run that executed no test at all.
"""

import re
import sys

RESULT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
SKIPPED = re.compile(r"odoo\.tests\.result: skipped (.*)|: skipped (\S+) : (.*)")
LOGGED_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
TOUR_RAN = re.compile(r"Starting tour|running tour|tour .* succeeded|tour_ran")


def main(path, returncode):
    failed = errors = total = 0
    skipped, logged_errors = [], []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = RESULT.search(line)
            if match:
                failed += int(match[1])
                errors += int(match[2])
                total += int(match[3])
            elif " skipped " in line and SKIPPED.search(line):
                skipped.append(line.strip())
            elif LOGGED_ERROR.match(line):
                logged_errors.append(line.strip())
    bad = failed + errors + len(skipped)
    if not bad and logged_errors:
        bad = 1
    passed = max(total - failed - errors - len(skipped), 0)
    for line in skipped:
        print(f"[test] SKIPPED counts as failure: {line}")
    for line in logged_errors[:20]:
        print(f"[test] logged: {line}")
    if total == 0:
        print("[test] no test was executed")
        bad = max(bad, 1)
    print(f"{passed} passed, {bad} failed")
    return 1 if bad or returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
