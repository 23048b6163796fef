# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Load test, in ``odoo-bin shell``: the throw-away database behind
``make load``. Two more companies (three in all), ``learners`` portal
learners ``drill1``..``drillN`` (bulk SQL, the logins the
fault drills' import files name), one certification per 10,000 awards spread over the
companies (the first award of each through the door, which makes the
company's signing key and status list, the others by bulk SQL), ``due``
awards whose expiry passed (state still valid, for the expiry cron), a
published course of two slides linked to a certification, with ``completers``
learners enrolled who finished its first slide. One bulk award in ten is an
archived earlier award of its learner (history). ``password`` is set through
the ORM on one learner, and its hash copied to the learners Locust logs in
as. What Locust needs is written to ``data`` (json); a summary is printed as
a ``FAULTS {json}`` line (run by tools/faults.py's ``shell``)."""

import json
import os
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

params = json.loads(os.environ["FAULTS_PARAMS"])  # tools/faults.py shell()
env = env(context=dict(env.context, tz="UTC", tracking_disable=True))
cr = env.cr
Award = env["certification.award"]
LEARNERS = params["learners"]
PROGRAMS = -(-params["awards"] // LEARNERS)  # ceil: distinct (program, learner)
# One bulk award in ten is history: an earlier award of the same learner and
# certification, archived when it was renewed. Archived awards are revoked
# places of the company's status list, as in any database with renewals.
HISTORY_EVERY = 10


def quiet_crons():
    """Only the two crons under load stay active, due tomorrow until the
    orchestrator triggers them (the mail queue waits: mails stay countable)."""
    keep = [
        env.ref("certifications_retraining.certification_job_cron").id,
        env.ref("certifications_retraining.ir_cron_certification_expiry").id,
    ]
    env["ir.cron"].search([("id", "not in", keep)]).active = False
    tomorrow = fields.Datetime.now() + timedelta(days=1)
    env["ir.cron"].browse(keep).write({"nextcall": tomorrow})


def companies():
    """The main company and two more."""
    more = env["res.company"].create(
        [{"name": f"Load Company {n}"} for n in range(2, params["companies"] + 1)]
    )
    return env.company | more


def insert_learners(company_ids):
    """Portal learners ``drill1``..``drillN`` (partners and users, bulk SQL),
    allowed in every company."""
    cr.execute(
        "INSERT INTO res_partner (name, complete_name, email, active, type, lang, "
        "create_date, write_date) SELECT 'Load Learner ' || i, 'Load Learner ' || i, "
        "'drill' || i || '@example.com', true, 'contact', 'en_US', now(), now() "
        "FROM generate_series(1, %s) i ORDER BY i RETURNING id",
        (LEARNERS,),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        (partner_ids,),
    )
    cr.execute(
        "INSERT INTO res_users (login, partner_id, company_id, active, share, "
        "notification_type, create_date, write_date) SELECT 'drill' || n, p, %s, "
        "true, true, 'email', now(), now() "
        "FROM unnest(%s::int[]) WITH ORDINALITY AS t(p, n) ORDER BY n RETURNING id",
        (company_ids[0], partner_ids),
    )
    user_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO res_company_users_rel (cid, user_id) "
        "SELECT c, u FROM unnest(%s::int[]) c, unnest(%s::int[]) u",
        (company_ids, user_ids),
    )
    cr.execute(
        "INSERT INTO res_groups_users_rel (gid, uid) SELECT %s, unnest(%s::int[])",
        (env.ref("base.group_portal").id, user_ids),
    )
    env.invalidate_all()
    return partner_ids, user_ids


def programs(company_records):
    """The certifications of the bulk awards, spread over the companies."""
    return env["certification.program"].create(
        [
            {
                "name": f"Load Certification {n}",
                "validity_unit": "years",
                "validity_number": 2,
                "company_id": company_records[n % len(company_records)].id,
            }
            for n in range(PROGRAMS)
        ]
    )


def first_awards(program_records, partner_ids):
    """One award per certification through the door (learner 1): the
    company's signing key and status list sequence are made there."""
    vals_list = [
        {"program_id": program.id, "partner_id": partner_ids[0]}
        for program in program_records
    ]
    Award._issue_awards(vals_list, notify=False)
    env.flush_all()


def insert_awards(program, partner_ids, user_ids, first, last, kind="current"):
    """Awards of ``program`` for learners number ``first``..``last`` (1-based),
    with their status list places: ``current`` expire in 60 to 760 days,
    ``due`` expired within the last two hours and are still valid,
    ``history`` expired 30 to 730 days ago and are archived (renewed)."""
    company = program.company_id
    sequence = Award._get_open_badge_sequence(company)
    state = "archived" if kind == "history" else "valid"
    reminder = SQL("NULL::timestamp")
    if kind == "current":
        expiry = SQL(
            "now() AT TIME ZONE 'UTC' + make_interval(days => 60 + mod(g, 700))"
        )
        reminder = SQL("e - interval '30 days'")
    elif kind == "history":
        expiry = SQL(
            "now() AT TIME ZONE 'UTC' - make_interval(days => 30 + mod(g, 700))"
        )
    else:
        expiry = SQL(
            "now() AT TIME ZONE 'UTC' - make_interval(mins => 1 + mod(g, 120))"
        )
    cr.execute(
        SQL(
            """INSERT INTO certification_award
                   (program_id, partner_id, user_id, company_id, date_issued,
                    date_expiry, date_grace_end, grace_period_days, state,
                    learner_date_issued, learner_date_expiry, learner_date_grace_end,
                    association_type, verification_token, date_next_reminder,
                    is_always_valid, open_badge_company_id, open_badge_status_index,
                    create_uid, write_uid, create_date, write_date)
               SELECT %(program)s, (%(partners)s::int[])[g], (%(users)s::int[])[g],
                      %(company)s, e - interval '2 years', e, e, 0, %(state)s,
                      (e - interval '2 years')::date, e::date, e::date,
                      'manual', md5('load-' || %(kind)s || %(program)s || '-' || g),
                      %(reminder)s,
                      false, %(company)s, nextval(%(sequence)s) - 1,
                      1, 1, now(), now()
                 FROM generate_series(%(first)s, %(last)s) g,
                      LATERAL (SELECT %(expiry)s AS e) x""",
            program=program.id,
            partners=partner_ids,
            users=user_ids,
            company=company.id,
            reminder=reminder,
            state=state,
            kind=kind,
            sequence=f"ir_sequence_{sequence.id:03d}",
            expiry=expiry,
            first=first,
            last=last,
        )
    )
    return cr.rowcount


def set_password(user_ids):
    """The password through the ORM (hashed as production does) on the first
    learner, the same hash copied to the others."""
    env["res.users"].browse(user_ids[0]).password = params["password"]
    env.flush_all()
    cr.execute(
        "UPDATE res_users SET password = "
        "(SELECT password FROM res_users WHERE id = %s) WHERE id = ANY(%s)",
        (user_ids[0], user_ids),
    )


def course(partner_ids, company):
    """A published course of two article slides earning a certification, the
    ``completers`` (the last learners) enrolled, its first slide finished."""
    program = env["certification.program"].create(
        {
            "name": "Load Course Certification",
            "code": "LOADCOURSE",
            "validity_number": 2,
            "company_id": company.id,
        }
    )
    channel = env["slide.channel"].create(
        {
            "name": "Load Course",
            "code": "LOADCOURSE-1",
            "is_published": True,
            "enroll": "public",
        }
    )
    channel.certification_program_id = program
    slides = env["slide.slide"].create(
        [
            {
                "name": f"Load Lesson {n}",
                "channel_id": channel.id,
                "slide_category": "article",
                "html_content": f"<p>Lesson {n}</p>",
                "is_published": True,
                "sequence": n,
            }
            for n in (1, 2)
        ]
    )
    completers = partner_ids[-params["completers"] :]
    channel.sudo()._action_add_members(env["res.partner"].browse(completers))
    env["slide.slide.partner"].sudo().create(
        [
            {"slide_id": slides[0].id, "partner_id": partner, "completed": True}
            for partner in completers
        ]
    )
    env.flush_all()
    return program, channel, slides[1], completers


def main():
    company_records = companies()
    quiet_crons()
    config = env["ir.config_parameter"].sudo()
    base_url = f"http://127.0.0.1:{params['port']}"
    # PDF reports: wkhtmltopdf fetches the assets from this very server
    config.set_param("web.base.url", base_url)
    config.set_param("web.base.url.freeze", True)
    config.set_param("report.url", base_url)
    partner_ids, user_ids = insert_learners(company_records.ids)
    set_password(user_ids)
    program_records = programs(company_records)
    first_awards(program_records, partner_ids)
    left = params["awards"] - len(program_records)
    for program in program_records:
        count = min(LEARNERS - 1, left)
        if count > 0:
            history = count // HISTORY_EVERY
            left -= insert_awards(
                program, partner_ids, user_ids, 2, count - history + 1
            )
            if history:
                left -= insert_awards(
                    program, partner_ids, user_ids, 2, history + 1, kind="history"
                )
    due_program = env["certification.program"].create(
        {
            "name": "Load Due Certification",
            "validity_number": 2,
            "grace_period_days": 0,
            "company_id": company_records[0].id,
        }
    )
    due = insert_awards(
        due_program, partner_ids, user_ids, 1, params["due"], kind="due"
    )
    course_program, channel, last_slide, completers = course(
        partner_ids, company_records[0]
    )
    # learners Locust logs in as (not completers): their award in the main
    # company (the website's: the portal shows the awards of its company)
    cr.execute(
        "SELECT u.login, a.id, a.verification_token FROM certification_award a "
        "JOIN res_users u ON u.id = a.user_id WHERE a.program_id = %s "
        "AND a.state = 'valid' AND a.partner_id <> ALL(%s) ORDER BY a.id LIMIT %s",
        (program_records[0].id, completers, params["portal_learners"]),
    )
    portal = [{"login": r[0], "award": r[1], "token": r[2]} for r in cr.fetchall()]
    cr.execute(
        "SELECT verification_token FROM certification_award "
        "WHERE verification_token IS NOT NULL ORDER BY random() LIMIT 2000"
    )
    tokens = [row[0] for row in cr.fetchall()]
    cr.execute(
        "SELECT login FROM res_users WHERE partner_id = ANY(%s) ORDER BY id",
        (completers,),
    )
    data = {
        "password": params["password"],
        "learners": portal,
        "tokens": tokens,
        "companies": company_records.ids,
        "course_url": channel.website_url,
        "course_certification": course_program.name,
        "completers": [row[0] for row in cr.fetchall()],
        "last_slide": last_slide.id,
        "last_slide_url": f"/slides/slide/{env['ir.http']._slug(last_slide)}",
    }
    with open(params["data"], "w") as out:
        json.dump(data, out)
    cr.execute("SELECT count(*) FROM certification_award")
    total = cr.fetchone()[0]
    # the statistics a real database has: the rows above were inserted in bulk
    # (see bench_import.make_learners)
    cr.execute("ANALYZE")
    env.cr.commit()
    return {
        "awards": total,
        "learners": len(partner_ids),
        "companies": len(company_records),
        "due": due,
        "due_program": due_program.id,
        "course_program": course_program.id,
        "completers": len(completers),
    }


print("FAULTS " + json.dumps(main()))
