#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""`make faults`: fault drills on real processes and a real PostgreSQL.

Odoo runs as in production (prefork: ``--workers=2``, one cron worker) on a
throw-away database. Each drill breaks something for real, lets the system
recover by itself, then counts what the database holds:

1. ``kill -9`` of the cron worker in the middle of an import batch: Odoo's
   master starts a new cron worker, the job completes, every row is imported
   exactly once, the audit chains verify;
2. ``kill -9`` of the cron worker during the expiry cron with 10,000 due
   awards: each learner gets exactly one "expired" mail, each due reminder is
   sent once;
3. PostgreSQL restarted during an import job: the job resumes by itself;
4. two job runners on one queue (two processes calling the job cron's method
   at once, as two cron workers would): every job done once, no row twice.

Prints one line per check and a summary; exits 1 when a check fails. The
figures go to .bench/faults.json. Run by tools/faults.sh (environment, venv)."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
VENV = os.environ.get("VENV", str(ROOT / ".venv"))
PYTHON = f"{VENV}/bin/python"
DB = os.environ.get("FAULTS_DB", f"certifications_retraining_faults_{os.getpid()}")
WITHOUT_DEMO = os.environ.get("ODOO_WITHOUT_DEMO", "").split()
IMPORT_ROWS = int(os.environ.get("FAULTS_IMPORT_ROWS", "20000"))
DUE_AWARDS = int(os.environ.get("FAULTS_DUE_AWARDS", "10000"))
BATCH = int(os.environ.get("FAULTS_BATCH", "2000"))
TIMEOUT = int(os.environ.get("FAULTS_TIMEOUT", "600"))
# a subset, e.g. FAULTS_DRILLS=kill_expiry,two_runners (default: all four)
DRILLS = [name for name in os.environ.get("FAULTS_DRILLS", "").split(",") if name]
LOG_DIR = ROOT / ".bench"
SCRIPTS = ROOT / "bench" / "faults"
ARGS = [
    f"--addons-path={ODOO_PATH}/addons,{ROOT}",
    "-d",
    DB,
    f"--db-filter=^{DB}$",
]
RESULTS = []


def say(message):
    print(f"[faults] {message}", flush=True)


def check(name, ok, detail):
    RESULTS.append({"check": name, "ok": bool(ok), "detail": detail})
    say(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")


def odoo(*args, **kwargs):
    return [PYTHON, f"{ODOO_PATH}/odoo-bin", *args, *ARGS, *kwargs.get("extra", [])]


def shell_process(script, params):
    """``bench/faults/<script>.py`` in ``odoo-bin shell``, ``params`` in its
    environment (FAULTS_PARAMS, json)."""
    return subprocess.Popen(
        odoo("shell", extra=["--no-http", "--log-level=warn"]),
        stdin=(SCRIPTS / f"{script}.py").open(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, FAULTS_PARAMS=json.dumps(params)),
    )


def shell_result(process):
    """What the script printed as ``FAULTS {json}`` lines (merged)."""
    stdout, stderr = process.communicate()
    values = {}
    for line in stdout.splitlines():
        if line.startswith("FAULTS "):
            values.update(json.loads(line[len("FAULTS ") :]))
    if process.returncode or not values:
        sys.stderr.write(stdout[-4000:] + stderr[-4000:])
        raise SystemExit(f"[faults] a shell script failed (exit {process.returncode})")
    return values


def shell(script, **params):
    return shell_result(shell_process(script, params))


def sql(query, args=()):
    with psycopg2.connect(dbname=DB) as cnx, cnx.cursor() as cr:
        cr.execute(query, args)
        return cr.fetchall() if cr.description else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Odoo in prefork mode: ``--workers=2`` HTTP workers and one cron worker,
    as production runs it."""

    def __init__(self, name, cron_workers=1):
        self.log = LOG_DIR / f"faults-{name}.log"
        self.args = odoo(
            extra=[
                "--workers=2",
                f"--max-cron-threads={cron_workers}",
                f"--http-port={free_port()}",
                f"--gevent-port={free_port()}",
                "--limit-time-real-cron=0",
                f"--logfile={self.log}",
                "--log-level=info",
            ]
        )
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, start_new_session=True)
        return self

    def cron_worker(self):
        """Pid of the live cron worker: the master's child that the log names
        (the PostgreSQL connections of every worker carry the master's pid in
        their application name, the registry being loaded before the fork)."""
        pids = re.findall(r"WorkerCron \((\d+)\) alive", self.log.read_text())
        for pid in map(int, reversed(pids)):
            stat = Path(f"/proc/{pid}/stat")
            if stat.exists() and int(stat.read_text().split()[3]) == self.process.pid:
                return pid
        return None

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wait_for(what, predicate, timeout=TIMEOUT, step=0.05):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise SystemExit(f"[faults] timed out after {timeout} s waiting for {what}")


def busy_backend(table):
    """(odoo pid, seconds its transaction has been open) of the Odoo process
    whose transaction holds row locks on ``table`` (a batch in progress)."""
    rows = sql(
        "SELECT a.application_name, extract(epoch FROM now() - a.xact_start) "
        "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE c.relname = %s AND l.mode = 'RowShareLock' AND l.granted "
        "AND a.datname = %s AND a.application_name LIKE 'odoo-%%'",
        (table, DB),
    )
    if not rows:
        return None
    name, age = rows[0]
    return int(name.split("-", 1)[1]), float(age or 0)


def job_state(job_id):
    return sql(
        "SELECT state, COALESCE(cursor, 0), COALESCE(count_created, 0), "
        "COALESCE(count_failed, 0), progress_total "
        "FROM certification_job WHERE id = %s",
        (job_id,),
    )[0]


def check_import(name, jobs, rows_by_code):
    """Every job done, each row imported once, the audit chains verify."""
    for code, info in jobs.items():
        state, _cursor, created, failed, _total = job_state(info["job"])
        rows = rows_by_code[code]
        check(
            f"{name}: job {code} done",
            state == "done" and created == rows and failed == 0,
            f"state {state}, {created} created, {failed} failed of {rows} rows",
        )
    verify = shell(
        "verify_import", program_ids=[info["program"] for info in jobs.values()]
    )
    for code, info in jobs.items():
        count, distinct = verify["awards"].get(str(info["program"]), [0, 0])
        audit = verify["audit"].get(str(info["program"]), 0)
        rows = rows_by_code[code]
        check(
            f"{name}: {code} rows once",
            count == distinct == audit == rows,
            f"{count} awards, {distinct} learners, {audit} audit rows for {rows} rows",
        )
    check(f"{name}: audit chains", not verify["broken"], f"broken: {verify['broken']}")


def kill_mid_batch(server, table, min_progress):
    """Wait until a batch holds locks on ``table`` for a while after
    ``min_progress()`` is true, then SIGKILL the cron worker running it (the
    HTTP workers are idle) and wait for the master to start a new one."""
    wait_for("the first batches", min_progress)

    def in_batch():
        busy = busy_backend(table)
        return busy if busy and busy[1] >= 0.3 else None

    _master, age = wait_for("a batch in progress", in_batch, step=0.02)
    pid = server.cron_worker()
    os.kill(pid, signal.SIGKILL)
    wait_for("a new cron worker", lambda: server.cron_worker() not in (None, pid))
    return pid, age


def drill_kill_import(partner_ids, companies):
    say(f"drill 1: kill -9 of the cron worker in an import batch ({IMPORT_ROWS} rows)")
    imports = [("KILLIMP", 1, IMPORT_ROWS)]
    jobs = shell("queue_import", companies=companies, imports=imports)
    job = jobs["KILLIMP"]["job"]
    with Server("kill-import") as server:
        pid, age = kill_mid_batch(
            server, "certification_job", lambda: job_state(job)[1] >= BATCH
        )
        cursor = job_state(job)[1]
        start = time.monotonic()
        say(f"killed cron worker {pid} {age:.1f} s into a batch (job at row {cursor})")
        wait_for(
            "the job to end", lambda: job_state(job)[0] in ("done", "failed"), step=0.5
        )
        resumed = time.monotonic() - start
    check(
        "kill import: killed in a batch",
        age > 0 and cursor < IMPORT_ROWS,
        f"cron worker {pid}, {age:.1f} s into the batch after row {cursor}",
    )
    check_import("kill import", jobs, {"KILLIMP": IMPORT_ROWS})
    return {"killed_after_row": cursor, "resumed_and_done_s": round(resumed, 1)}


def reminders_due(program):
    return sql(
        "SELECT count(*) FROM certification_award WHERE program_id = %s "
        "AND date_next_reminder <= now() AT TIME ZONE 'UTC'",
        (program,),
    )[0][0]


def drill_kill_expiry(partner_ids):
    say(f"drill 2: kill -9 of the cron worker in the expiry cron ({DUE_AWARDS} due)")
    seed = shell("seed_due", partner_ids=partner_ids[:DUE_AWARDS])
    program = seed["program"]

    def expired():
        return sql(
            "SELECT count(*) FROM certification_award WHERE program_id = %s "
            "AND state = 'expired'",
            (program,),
        )[0][0]

    with Server("kill-expiry") as server:
        pid, age = kill_mid_batch(
            server, "certification_award", lambda: expired() >= 1000
        )
        at_kill = expired()
        say(f"killed cron worker {pid} {age:.1f} s into a batch ({at_kill} expired)")
        wait_for(
            "every due award to expire", lambda: expired() == seed["awards"], step=0.5
        )
        # each reminder is marked (moving the award's next reminder date) and
        # mailed in one transaction: none due left means all are committed
        wait_for(
            "every due reminder to be sent",
            lambda: reminders_due(program) == 0,
            step=0.5,
        )
    verify = shell("verify_due", program=program)
    check(
        "kill expiry: killed in a batch",
        0 < at_kill < seed["awards"],
        f"cron worker {pid}, {age:.1f} s into a batch, {at_kill} expired before",
    )
    check(
        "kill expiry: one expired mail each",
        verify["states"] == ["expired"]
        and verify["with_expired_mail"] == seed["awards"]
        and verify["max_expired_mails"] == 1,
        f"states {verify['states']}, {verify['with_expired_mail']} awards with the "
        f"mail, at most {verify['max_expired_mails']} each",
    )
    check(
        "kill expiry: each due reminder once",
        verify["reminders_sent"]
        == verify["reminder_mails"]
        == seed["awards"] * seed["due_steps"]
        and verify["max_same_mail"] == 1,
        f"{verify['reminders_sent']} reminders marked sent, "
        f"{verify['reminder_mails']} reminder mails for {seed['awards']} awards x "
        f"{seed['due_steps']} due step(s); "
        f"no mail twice: {verify['max_same_mail'] == 1}",
    )
    check(
        "kill expiry: audit chains", not verify["broken"], f"broken: {verify['broken']}"
    )
    return {"expired_before_kill": at_kill}


def drill_restart_postgres(companies):
    say(f"drill 3: PostgreSQL restarted during an import job ({IMPORT_ROWS} rows)")
    first = IMPORT_ROWS + 1
    imports = [("PGRESTART", first, IMPORT_ROWS)]
    jobs = shell("queue_import", companies=companies, imports=imports)
    job = jobs["PGRESTART"]["job"]
    with Server("restart-postgres"):
        wait_for("the first batches", lambda: job_state(job)[1] >= BATCH)
        wait_for(
            "a batch in progress", lambda: busy_backend("certification_job"), step=0.02
        )
        cursor = job_state(job)[1]
        subprocess.run(["bash", str(ROOT / "tools/pg.sh"), "restart"], check=True)
        start = time.monotonic()
        say(f"PostgreSQL restarted with the job at row {cursor}")

        def ended():
            try:
                return job_state(job)[0] in ("done", "failed")
            except psycopg2.OperationalError:
                return False

        wait_for("the job to end", ended, step=0.5)
        resumed = time.monotonic() - start
    check_import("restart postgres", jobs, {"PGRESTART": IMPORT_ROWS})
    return {"restarted_at_row": cursor, "resumed_and_done_s": round(resumed, 1)}


def drill_two_runners(companies):
    count = 4
    size = IMPORT_ROWS // 4
    say(f"drill 4: two job runners at once on {count} queued imports of {size} rows")
    first = 2 * IMPORT_ROWS + 1
    imports = [(f"TWO{n}", first + n * size, size) for n in range(count)]
    jobs = shell("queue_import", companies=companies, imports=imports)
    runners = [shell_process("runner", {"timeout": TIMEOUT}) for _ in range(2)]
    batches = [shell_result(runner)["batches"] for runner in runners]
    check(
        "two runners: both worked",
        len(batches) == 2 and all(batches),
        f"batches per runner: {batches}",
    )
    check_import("two runners", jobs, {code: size for code, _first, size in imports})
    return {"batches_per_runner": batches}


def install():
    """Install the addon, without demo data, in the throw-away database."""
    subprocess.run(
        odoo(
            "-i",
            "certifications_retraining",
            "--stop-after-init",
            "--log-level=warn",
            extra=WITHOUT_DEMO,
        ),
        check=True,
    )


def main():
    LOG_DIR.mkdir(exist_ok=True)
    learners = max(3 * IMPORT_ROWS, DUE_AWARDS)
    say(f"installing certifications_retraining (no demo) in {DB}")
    install()
    try:
        seed = shell("seed", batch=BATCH, expiry_batch=BATCH // 2, learners=learners)
        partner_ids = seed["partner_ids"]
        companies = [
            row[0] for row in sql("SELECT id FROM res_company ORDER BY id LIMIT 1")
        ]
        drills = {
            "kill_import": lambda: drill_kill_import(partner_ids, companies),
            "kill_expiry": lambda: drill_kill_expiry(partner_ids),
            "restart_postgres": lambda: drill_restart_postgres(companies),
            "two_runners": lambda: drill_two_runners(companies),
        }
        figures = {name: drills[name]() for name in DRILLS or drills}
    finally:
        if not os.environ.get("FAULTS_KEEP_DB"):
            subprocess.run(["dropdb", "--if-exists", DB], check=False)
    failed = [result for result in RESULTS if not result["ok"]]
    (LOG_DIR / "faults.json").write_text(
        json.dumps({"figures": figures, "checks": RESULTS}, indent=2) + "\n"
    )
    say(
        f"{len(RESULTS) - len(failed)} checks passed, {len(failed)} failed; figures: "
        f"{json.dumps(figures)}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
