# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models

from ..tools import schedule


class CertificationAwardGranter(models.AbstractModel):
    """Issue one certification to many learners from the values shared by all
    of them (a json-able template whose dates are days). The award wizard
    calls it for a small selection; a ``grant`` job calls it batch by batch,
    with no wizard record."""

    _name = "certification.award.granter"
    _description = "Certification Granting Engine"

    @api.model
    def _prepare_award_vals_list(self, template, partner_ids):
        """The award values of each learner: the template's days are the
        learner's local midnights (their calendar, as the certificate shows
        the dates), one read of the learners' timezones."""
        Award = self.env["certification.award"]
        program = self.env["certification.program"].browse(template["program_id"])
        partners = self.env["res.partner"].browse(partner_ids)
        partners.fetch(["tz"])
        vals_list = []
        for partner in partners:
            tz = Award._get_issue_tz(partner, program)
            vals = dict(template, partner_id=partner.id)
            for name in ("date_issued", "date_expiry"):
                if vals.get(name):
                    day = fields.Date.to_date(vals[name][:10])
                    vals[name] = schedule.local_midnight_utc(day, tz)
            vals_list.append(vals)
        return vals_list

    @api.model
    def _grant(self, template, partner_ids):
        """Issue the template's certification to each learner, through the
        award's one door; returns the awards issued (renewals and history
        included)."""
        return self.env["certification.award"]._issue_awards(
            self._prepare_award_vals_list(template, partner_ids)
        )

    @api.model
    def _process_job_batch(self, job):
        """One batch of a ``grant`` job, as its requester: learners deactivated
        since the job was queued are reported as failed rows, the others
        awarded. Returns the number of learners handled."""
        payload = job.payload
        size = job._get_batch_size("grant")
        partner_ids = payload["partner_ids"][job.cursor : job.cursor + size]
        Granter = job._get_requester_env()[self._name]
        partners = Granter.env["res.partner"].browse(partner_ids)
        blocked = Granter.env["certification.award"]._get_blocked_partners(partners)
        failed = [
            (partner.id, _("%(name)s: user deactivated.", name=partner.name))
            for partner in blocked
        ]
        blocked_ids = set(blocked.ids)
        awards = Granter._grant(
            payload["values"], [pid for pid in partner_ids if pid not in blocked_ids]
        )
        history = len(awards.filtered(lambda a: a.state == "archived"))
        renewed = len(
            awards.filtered(lambda a: a.previous_award_id and a.state != "archived")
        )
        job._add_results(
            len(partner_ids),
            created=len(awards) - renewed - history,
            renewed=renewed,
            failed_rows=failed,
            history=history,
        )
        return len(partner_ids)
