# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Fault drills, in ``odoo-bin shell``: the mails the expiry cron queued for
the drill's awards: the "expired" mail (its subject rendered for each award),
the reminders, and whether any mail was queued twice."""

import json
import os

from odoo.addons.certifications_retraining.models import certification_award_expiry

params = json.loads(os.environ["FAULTS_PARAMS"])
awards = env["certification.award"].search([("program_id", "=", params["program"])])
template = env.ref(certification_award_expiry.TEMPLATE_EXPIRED)
subjects = template._render_field("subject", awards.ids)
cr = env.cr
cr.execute(
    "SELECT msg.res_id, msg.subject, count(*) FROM mail_mail m "
    "JOIN mail_message msg ON msg.id = m.mail_message_id "
    "WHERE msg.model = 'certification.award' AND msg.res_id = ANY(%s) "
    "GROUP BY msg.res_id, msg.subject",
    (awards.ids,),
)
mails = cr.fetchall()
expired = {res_id: n for res_id, subject, n in mails if subject == subjects[res_id]}
cr.execute(
    "SELECT count(*) FROM certification_award_reminder_sent "
    "WHERE award_id = ANY(%s) AND NOT is_superseded",
    (awards.ids,),
)
out = {
    "states": sorted(set(awards.mapped("state"))),
    "with_expired_mail": len(expired),
    "max_expired_mails": max(expired.values(), default=0),
    "max_same_mail": max((n for _res_id, _subject, n in mails), default=0),
    "reminders_sent": cr.fetchone()[0],
    "reminder_mails": sum(n for res, subject, n in mails if subject != subjects[res]),
    "broken": env["certification.audit.log"]._verify_chain().ids,
}
print("FAULTS " + json.dumps(out))
