#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""`make load`: the multi-worker load test, on real processes.

Odoo runs as in production (prefork: ``--workers=4``, one cron worker) on a
throw-away database seeded by bench/load/seed.py (``LOAD_AWARDS`` awards,
``LOAD_LEARNERS`` portal learners, ``LOAD_COMPANIES`` companies). Locust
(headless, its own virtualenv .venv-load, requirements-load.txt) sends the
traffic of bench/load/locustfile.py for ``LOAD_DURATION`` seconds with
``LOAD_USERS`` users. Once every user runs, an officer's CSV import job of
``LOAD_IMPORT_ROWS`` rows is queued (bench/faults/queue_import.py) and the
expiry cron made due with ``LOAD_DUE`` due awards; learners then finish a
course (``learner-to-award``).

Prints a markdown table per route (Locust's ``--csv`` statistics) and the
verdicts of the targets; writes everything to .bench/load.json. The
database is dropped at the end unless ``LOAD_KEEP_DB`` is set. Reuses the
database, shell and server helpers of tools/faults.py. Run by tools/load.sh
(environment, virtualenvs)."""

import csv
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("FAULTS_DB", f"certifications_retraining_load_{os.getpid()}")
sys.path.insert(0, str(ROOT / "tools"))

# imported once FAULTS_DB (above) names the database
import faults
from faults import DB, LOG_DIR, job_state, shell, sql, wait_for

AWARDS = int(os.environ.get("LOAD_AWARDS", "100000"))
LEARNERS = int(os.environ.get("LOAD_LEARNERS", "10000"))
COMPANIES = int(os.environ.get("LOAD_COMPANIES", "3"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "4"))
DURATION = int(os.environ.get("LOAD_DURATION", "900"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
IMPORT_ROWS = min(int(os.environ.get("LOAD_IMPORT_ROWS", "10000")), LEARNERS)
DUE = min(int(os.environ.get("LOAD_DUE", "5000")), LEARNERS)
CACHE_REPEAT = int(os.environ.get("LOAD_CACHE_REPEAT", "30"))
COMPLETERS = min(int(os.environ.get("LOAD_COMPLETERS", "300")), LEARNERS // 2)
MIN_REQUESTS = int(os.environ.get("LOAD_MIN_REQUESTS", "20000"))
LOCUST = os.environ.get("LOCUST", str(ROOT / ".venv-load/bin/locust"))
KEEP_DB = os.environ.get("LOAD_KEEP_DB")
DATA = LOG_DIR / "load-data.json"
GO = LOG_DIR / "load-go"
COMPLETIONS = LOG_DIR / "load-completions.jsonl"
CSV_PREFIX = LOG_DIR / "load"
# our routes that a logged-in learner opens, compared with Odoo's /my
PORTAL_ROUTES = [
    "/my/certifications",
    "/my/certifications/<id>",
    "/my/certifications/<id>?report_type=pdf",
    "/certifications/credential/<token>.jwt (learner)",
]
CACHED_ROUTES = {
    "status": "/certifications/status/<company>",
    "jwks": "/certifications/issuer/<company>/jwks.json",
    "issuer": "/certifications/issuer/<company>",
}
# Odoo's own light public route with a database (a small JSON document built
# from the company's settings): what any such request costs here, the floor
# under which no cache can bring a route
ODOO_FLOOR_ROUTE = "/web/manifest.webmanifest"
# A static file: Odoo serves it without a database, its floor for any answer.
ODOO_STATIC_ROUTE = "/web/static/img/favicon.ico"


def say(message):
    print(f"[load] {message}", flush=True)


class LoadServer(faults.Server):
    """faults.Server (prefork, one cron worker, free ports) with ``WORKERS``
    HTTP workers and its own log."""

    def __init__(self):
        super().__init__("load", cron_workers=1)
        self.log = LOG_DIR / "load-server.log"
        self.log.unlink(missing_ok=True)  # this run's only
        self.args = [
            arg for arg in self.args if not arg.startswith(("--workers=", "--logfile="))
        ] + [f"--workers={WORKERS}", f"--logfile={self.log}"]
        port = next(arg for arg in self.args if arg.startswith("--http-port="))
        self.url = f"http://127.0.0.1:{port.split('=', 1)[1]}"
        self.port = int(port.split("=", 1)[1])

    def up(self):
        try:
            with urllib.request.urlopen(f"{self.url}/web/login", timeout=5) as page:
                return page.status == 200
        except OSError:
            return False


def windows(job, due_program):
    """When the import job ran (its start and end, recorded by the job) and
    when the expiry cron expired the due awards (first and last write of an
    expired one: a batch's start), as epoch seconds."""
    epoch = "extract(epoch FROM %s AT TIME ZONE 'UTC')"
    row = sql(
        f"SELECT state, {epoch % 'date_started'}, {epoch % 'date_done'} "
        "FROM certification_job WHERE id = %s",
        (job,),
    )[0]
    expiry = sql(
        f"SELECT count(*), {epoch % 'min(write_date)'}, {epoch % 'max(write_date)'} "
        "FROM certification_award WHERE program_id = %s AND state <> 'valid'",
        (due_program,),
    )[0]
    times = {"import_state": row[0], "expired": expiry[0]}
    for name, value in (
        ("import_started", row[1]),
        ("import_ended", row[2]),
        ("expiry_started", expiry[1]),
        ("expiry_ended", expiry[2]),
    ):
        if value is not None:
            times[name] = float(value)
    return times


def make_due(xmlid):
    """The cron due now, as ``ir.cron._trigger`` does it (a trigger row, then
    a notification to wake the cron workers up)."""
    cron = sql(
        "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s",
        tuple(xmlid.split(".")),
    )[0][0]
    sql("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' WHERE id = %s", (cron,))
    sql(
        "INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, write_uid, "
        "create_date, write_date) VALUES (%s, now() AT TIME ZONE 'UTC', 1, 1, "
        "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')",
        (cron,),
    )
    sql("NOTIFY cron_trigger, %s", (DB,))


def timed_get(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as page:
        page.read()
        assert page.status == 200, (url, page.status)
    return (time.perf_counter() - start) * 1000


def cache_gain(server, company):
    """Each cached route of ``company`` over HTTP, one request at a time on the
    idle server (before the traffic), rebuilt on every request as before the
    cache (the company's credential version is moved on before each request,
    outside the timing: a version no worker has built) and then served from
    the cache (every worker warmed first): median ms of ``CACHE_REPEAT``
    requests each; then Odoo's own ``ODOO_FLOOR_ROUTE`` and a static file,
    ``ODOO_STATIC_ROUTE``, the same way."""
    bump = (
        "UPDATE certification_credential_version "
        "SET version = nextval('certification_credential_version_seq') "
        "WHERE company_id = %s"
    )
    gain = {}
    for kind, route in CACHED_ROUTES.items():
        url = server.url + route.replace("<company>", str(company))
        rebuilt = []
        for _ in range(CACHE_REPEAT):
            sql(bump, (company,))
            rebuilt.append(timed_get(url))
        for _ in range(4 * WORKERS):
            timed_get(url)
        cached = [timed_get(url) for _ in range(CACHE_REPEAT)]
        gain[kind] = {
            "rebuilt_ms": round(statistics.median(rebuilt), 2),
            "cached_ms": round(statistics.median(cached), 2),
        }
    floor = [timed_get(server.url + ODOO_FLOOR_ROUTE) for _ in range(CACHE_REPEAT)]
    gain["odoo_floor_ms"] = round(statistics.median(floor), 2)
    static = [timed_get(server.url + ODOO_STATIC_ROUTE) for _ in range(CACHE_REPEAT)]
    gain["odoo_static_ms"] = round(statistics.median(static), 2)
    return gain


def run_locust(server):
    for path in (GO, COMPLETIONS):
        path.unlink(missing_ok=True)
    env = dict(
        os.environ,
        LOAD_DATA=str(DATA),
        LOAD_GO=str(GO),
        LOAD_COMPLETIONS=str(COMPLETIONS),
    )
    log = (LOG_DIR / "load-locust.log").open("w")
    return subprocess.Popen(
        [
            LOCUST,
            "-f",
            str(ROOT / "bench/load/locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(SPAWN_RATE),
            "--run-time",
            f"{DURATION}s",
            "--stop-timeout",
            "60",
            "--host",
            server.url,
            "--csv",
            str(CSV_PREFIX),
            "--only-summary",
            "--exit-code-on-error",
            "0",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats():
    with open(f"{CSV_PREFIX}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    routes = {}
    for row in rows:
        routes[row["Name"]] = {
            "type": row["Type"],
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": number(row["Requests/s"]),
            "p50": number(row["50%"]),
            "p95": number(row["95%"]),
            "p99": number(row["99%"]),
        }
    failures = []
    if Path(f"{CSV_PREFIX}_failures.csv").exists():
        with open(f"{CSV_PREFIX}_failures.csv") as errors:
            failures = list(csv.DictReader(errors))
    return routes, failures


def table(routes):
    lines = [
        "| route | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(routes.items(), key=lambda item: item[0] == "Aggregated"):
        lines.append(
            f"| `{name}` | {row['requests']} | {row['rps'] or 0:.1f} | "
            f"{row['p50'] or 0:.0f} | {row['p95'] or 0:.0f} | {row['p99'] or 0:.0f} | "
            f"{row['errors']} |"
        )
    return "\n".join(lines)


def verdicts(routes, failures, baseline, gain, completions, times):
    results = []

    def target(name, ok, detail):
        results.append({"target": name, "ok": bool(ok), "detail": detail})

    http = {
        name: row for name, row in routes.items() if row["type"] not in ("AWARD", "")
    }
    requests = sum(row["requests"] for row in http.values())
    errors = sum(row["errors"] for row in http.values())
    target(
        f"at least {MIN_REQUESTS} requests",
        requests >= MIN_REQUESTS,
        f"{requests} HTTP requests",
    )
    kinds = sorted({f"{f['Method']} {f['Name']}: {f['Error']}"[:160] for f in failures})
    target(
        "0 errors (no 5xx, no timeouts)",
        errors == 0,
        f"{errors} errors" + (f": {'; '.join(kinds[:5])}" if kinds else ""),
    )
    home = routes.get("/my (Odoo)", {}).get("p95")
    for route in PORTAL_ROUTES:
        p95 = routes.get(route, {}).get("p95")
        target(
            f"p95 {route} <= 1.5 x p95 /my",
            home and p95 is not None and p95 <= 1.5 * home,
            f"{p95} ms vs /my {home} ms (x{(p95 or 0) / (home or 1):.2f})",
        )
    award = routes.get("learner-to-award", {})
    # a window still open when Locust stopped ends then
    end = time.time()
    during = [
        c
        for c in completions
        if "import_started" in times
        and times["import_started"] <= c["start"] <= times.get("import_ended", end)
        or "expiry_started" in times
        and times["expiry_started"] <= c["start"] <= times.get("expiry_ended", end)
    ]
    target(
        "p95 learner-to-award <= 2 s",
        award.get("p95") is not None
        and award["p95"] <= 2000
        and not award.get("errors"),
        f"p95 {award.get('p95')} ms, p50 {award.get('p50')} ms over "
        f"{award.get('requests', 0)} completions ({award.get('errors', 0)} without "
        f"an award in {os.environ.get('LOAD_TIMEOUT', '60')} s); {len(during)} of them "
        f"started while the import or the expiry cron ran",
    )
    if during:
        during_ms = sorted(c["ms"] for c in during)
        p95_during = during_ms[min(len(during_ms) - 1, int(0.95 * len(during_ms)))]
        target(
            "p95 learner-to-award <= 2 s while the import or the cron runs",
            p95_during <= 2000,
            f"p95 {p95_during:.0f} ms over {len(during)} completions",
        )
    for kind in CACHED_ROUTES:
        rebuilt = gain.get(kind, {}).get("rebuilt_ms")
        cached = gain.get(kind, {}).get("cached_ms")
        ratio = rebuilt / cached if rebuilt and cached else 0
        static = gain.get("odoo_static_ms")
        ceiling = rebuilt / static if rebuilt and static else 0
        target(
            f"{kind} served >= 10x faster from the cache than rebuilt",
            ratio >= 10,
            f"same route over HTTP, idle server, median of {CACHE_REPEAT}: rebuilt "
            f"on every request {rebuilt} ms vs cached {cached} ms: x{ratio:.1f} "
            f"(building it alone, in a shell: {baseline.get(kind, 0):.1f} ms; Odoo's "
            f"{ODOO_FLOOR_ROUTE}: {gain.get('odoo_floor_ms')} ms; Odoo's static "
            f"{ODOO_STATIC_ROUTE}, no database: {static} ms, so no cache served by "
            f"Odoo can be more than x{ceiling:.1f} faster here)",
        )
    return results


def main():
    LOG_DIR.mkdir(exist_ok=True)
    say(
        f"{AWARDS} awards, {LEARNERS} learners, {COMPANIES} companies, {USERS} users "
        f"for {DURATION} s, {WORKERS} workers; database {DB}"
    )
    say("installing certifications_retraining (no demo)")
    faults.install()
    try:
        server = LoadServer()
        start = time.monotonic()
        seed = shell(
            "../load/seed",  # tools/faults.py runs the scripts of bench/faults
            awards=AWARDS,
            learners=LEARNERS,
            companies=COMPANIES,
            due=DUE,
            completers=COMPLETERS,
            portal_learners=min(2000, LEARNERS - COMPLETERS),
            password="load-Test-2026",
            port=server.port,
            data=str(DATA),
        )
        say(f"seeded in {time.monotonic() - start:.0f} s: {json.dumps(seed)}")
        companies = json.loads(DATA.read_text())["companies"]
        baseline = shell("../load/build_docs", companies=companies, repeat=5)
        say(f"building without cache (ms, median of companies): {baseline}")
        with server:
            wait_for("the server", server.up, timeout=180, step=1)
            gain = cache_gain(server, companies[0])
            say(f"cached routes, rebuilt vs cached (ms, idle server): {gain}")
            say(f"Odoo serving at {server.url}; Locust starts")
            locust = run_locust(server)
            time.sleep(USERS / SPAWN_RATE + 10)
            make_due("certifications_retraining.ir_cron_certification_expiry")
            GO.touch()  # the completers start with the cron (and the import)
            jobs = shell(
                "queue_import",
                companies=companies[:1],
                imports=[("LOADIMP", 1, IMPORT_ROWS)],
            )
            say(
                f"expiry cron due ({DUE} due awards), import job of {IMPORT_ROWS} "
                "rows queued, learners finishing the course"
            )
            locust.wait()
            times = windows(jobs["LOADIMP"]["job"], seed["due_program"])
            state = job_state(jobs["LOADIMP"]["job"])
        say(f"Locust done (exit {locust.returncode}); log .bench/load-locust.log")
    finally:
        if not KEEP_DB:
            subprocess.run(["dropdb", "--if-exists", DB], check=False)
    routes, failures = read_stats()
    completions = (
        [json.loads(line) for line in COMPLETIONS.read_text().splitlines() if line]
        if COMPLETIONS.exists()
        else []
    )
    results = verdicts(routes, failures, baseline, gain, completions, times)
    background = {
        "import_rows": IMPORT_ROWS,
        "import_state_at_end": state[0],
        "import_rows_done_at_end": state[1],
        "import_seconds": round(times["import_ended"] - times["import_started"], 1)
        if "import_ended" in times and "import_started" in times
        else None,
        "due_awards": DUE,
        "expired_at_end": times.get("expired"),
        "import_window": [times.get("import_started"), times.get("import_ended")],
        "expiry_window": [times.get("expiry_started"), times.get("expiry_ended")],
        "expiry_seconds": round(times["expiry_ended"] - times["expiry_started"], 1)
        if "expiry_ended" in times and "expiry_started" in times
        else None,
        "completions": len(completions),
        "completion_ms_median": round(statistics.median(c["ms"] for c in completions))
        if completions
        else None,
    }
    print()
    print(table(routes))
    print()
    say(f"background: {json.dumps(background)}")
    for result in results:
        verdict = "PASS" if result["ok"] else "FAIL"
        say(f"{verdict} {result['target']}: {result['detail']}")
    (LOG_DIR / "load.json").write_text(
        json.dumps(
            {
                "config": {
                    "awards": AWARDS,
                    "learners": LEARNERS,
                    "companies": COMPANIES,
                    "users": USERS,
                    "duration_s": DURATION,
                    "workers": WORKERS,
                    "cron_workers": 1,
                },
                "seed": seed,
                "routes": routes,
                "failures": failures,
                "uncached_build_ms": baseline,
                "cache_gain_ms": gain,
                "background": background,
                "targets": results,
            },
            indent=2,
        )
        + "\n"
    )
    failed = [result for result in results if not result["ok"]]
    say(
        f"{len(results) - len(failed)} targets met, {len(failed)} not; .bench/load.json"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
