# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Helpers shared by the bench scripts (imported, not a scenario: bench.sh runs
``bench_*.py`` only).

- :func:`record` appends one figure to ``$BENCH_JSON`` (JSON lines); bench.sh
  gathers them into ``.bench/last.json`` and ``make bench-compare`` compares two
  runs.
- :func:`bare_mail_yardstick`: Odoo's own floor for a notification, N
  ready-made ``mail.mail`` records (same values a rendered notification has,
  nothing to render) created in one ``create`` and committed.
- peak RSS of the process (Linux VmHWM, resettable per scenario).
"""

import json
import os
import resource
import time


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss():
    """Linux: reset the peak RSS (VmHWM) so that it measures one scenario."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def peak_rss_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return maxrss_mb()


def rss_mb():
    """Current resident set size (VmRSS): the start of a scenario, since a
    reset peak cannot go below what the process already holds."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return maxrss_mb()


def record(scenario, size, seconds, queries, **extra):
    """One figure of this run: scenario name, size (rows, learners, due
    awards), wall seconds, SQL queries, peak RSS (MB), plus free extras."""
    figure = {
        "scenario": scenario,
        "size": size,
        "seconds": round(seconds, 3),
        "queries": queries,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        **extra,
    }
    path = os.environ.get("BENCH_JSON")
    if path:
        with open(path, "a") as out:
            out.write(json.dumps(figure) + "\n")
    return figure


BARE_BODY = (
    '<div style="margin: 0px; padding: 0px; font-size: 13px;">'
    '<p style="margin: 0px 0px 12px 0px;">Hello Bench Learner,</p>'
    '<p style="margin: 0px 0px 12px 0px;">Congratulations! Your certification '
    "<strong>Bench Certification</strong> has been issued.</p>"
    '<p style="margin: 0px 0px 12px 0px;">It is valid until <strong>01/15/2027'
    "</strong> (365 days to renew).</p>"
    '<div style="margin: 16px 0px 16px 0px;"><a href="http://localhost:8069/my/'
    'certifications/1" style="background-color: #875A7B; padding: 8px 16px; '
    'text-decoration: none; color: #fff; border-radius: 5px;">View my '
    "certification</a></div></div>"
)


def bare_mail_yardstick(env, partner_ids, label="bare mail.mail"):
    """Create one ready-made ``mail.mail`` per partner in one ``create`` (what
    a notification costs in plain Odoo once rendered), commit, report, then
    delete them. Returns the seconds."""
    cr = env.cr
    company = env.company
    vals_list = [
        {
            "subject": "Certification issued: Bench Certification",
            "body_html": BARE_BODY,
            "email_from": company.email_formatted or "bench@example.com",
            "reply_to": company.email_formatted or "bench@example.com",
            "author_id": company.partner_id.id,
            "recipient_ids": [(4, partner_id)],
            "model": "res.partner",
            "res_id": partner_id,
            "message_type": "email_outgoing",
            "auto_delete": True,
            "is_notification": True,
        }
        for partner_id in partner_ids
    ]
    env.invalidate_all()
    reset_peak_rss()
    start, queries = time.perf_counter(), cr.sql_log_count
    mails = env["mail.mail"].sudo().create(vals_list)
    env.flush_all()
    cr.commit()
    seconds = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    count = len(partner_ids)
    print(
        f"{label + f' ({count})':<34} {count:>8} mails {seconds:8.1f} s  "
        f"{seconds / count * 1000:6.2f} ms/mail  {queries / count:6.2f} queries/mail",
        flush=True,
    )
    record("bare_mail", count, seconds, queries)
    mails.mail_message_id.unlink()  # cascades to the mails
    cr.commit()
    env.invalidate_all()
    return seconds
