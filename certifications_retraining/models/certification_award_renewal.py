# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import clean_context

from ..tools import schedule


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    """Earning and renewing through items: a completed course or learning
    plan issues or renews an award (through the one door,
    :meth:`_issue_awards`); "Renew now" offers the certification's items
    within its recertification window and starts a ``certification.renewal``."""

    _inherit = "certification.award"

    def _compute_can_renew(self):
        options = self._get_renewal_options_batch()
        for award in self:
            award.can_renew = any(option["usable"] for option in options[award])

    @api.model
    def _process_item_completion(self, completions):
        """Items were completed. ``completions`` is a list of
        ``(partner, item, completed_on)``. For each (learner, certification):
        an open renewal is completed through the one door; a learner already
        holding a current award gets nothing (completing is not renewing); others
        get a first award, unless they completed the item before it was assigned
        to the certification. Called as superuser by the completion hooks."""
        completions = [c for c in completions if c[1].certification_program_id]
        if not completions:
            return self.browse()
        Renewal = self.env["certification.renewal"]
        keys = {(c[1].certification_program_id.id, c[0].id) for c in completions}
        renewals = Renewal._get_open_renewals(keys)
        current = self._get_current_awards(keys)
        vals_list, done_renewals = [], Renewal
        for partner, item, completed_on in completions:
            program = item.certification_program_id
            key = (program.id, partner.id)
            renewal = renewals.get(key)
            if renewal:
                done_renewals |= renewal
                vals = item._prepare_certification_award_vals(partner, completed_on)
                vals["previous_award_id"] = renewal.award_id.id
                vals_list.append(vals)
            elif key in current:
                continue
            elif item._is_completion_after_assignment(completed_on):
                vals_list.append(
                    item._prepare_certification_award_vals(partner, completed_on)
                )
        blocked = self._get_blocked_partners(
            self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list})
        )
        vals_list = [v for v in vals_list if v["partner_id"] not in blocked.ids]
        awards = self._issue_awards(vals_list)
        done_renewals._close()
        return awards

    def _get_renewal_window_start(self):
        """When "Renew now" opens (the certification's window before the
        expiry, on the learner's calendar); False when renewing is open any
        time."""
        self.ensure_one()
        return (
            schedule.window_start(
                self.program_id._get_schedule_rule(),
                self.date_expiry or None,
                self._get_learner_tz(),
            )
            or False
        )

    def _get_renewal_options(self):
        """The items through which this award can be renewed, each as a dict
        ``{"item": record, "usable": bool, "reason": str, "is_retake": bool}``."""
        self.ensure_one()
        return self._get_renewal_options_batch()[self]

    def _get_renewal_options_batch(self):
        """{award: renewal options} for all awards of ``self``, with one query
        per kind of item whatever the number of awards."""
        current = self.filtered(lambda a: a.state != "archived")
        # the caller reads these awards; the items of their certifications are
        # listed even to learners who cannot read every course
        programs = current.program_id.sudo()
        courses = programs.channel_ids.filtered("active")
        plans = programs.learning_plan_ids
        status = {
            **courses._get_certification_status(current.partner_id),
            **plans._get_certification_status(current.partner_id),
        }
        return {award: award._build_renewal_options(status) for award in current} | {
            award: [] for award in self - current
        }

    def _build_renewal_options(self, status):
        self.ensure_one()
        # same as _get_renewal_options_batch: the items of a readable award
        program = self.program_id.sudo()
        items = list(program.channel_ids.filtered("active")) + list(
            program.learning_plan_ids
        )
        reason = self._get_window_reason()
        return [
            self._make_renewal_option(item, status[(item, self.partner_id)], reason)
            for item in items
        ]

    def _get_window_reason(self):
        """Why renewing is not offered yet (recertification window), or False."""
        window_start = self._get_renewal_window_start()
        if self.state != "valid" or not window_start:
            return False
        if fields.Datetime.now() >= window_start:
            return False
        return _(
            "Renewal opens on %(date)s (recertification window).",
            date=self._to_learner_date(window_start),
        )

    def _make_renewal_option(self, item, status, window_reason):
        reason = window_reason
        if not reason and status["is_expired"]:
            reason = _("Your enrolment in this item is over.")
        if not reason and status["is_completed"] and not self.program_id.allow_retake:
            reason = _(
                "Already completed, and this certification does not allow retakes."
            )
        return {
            "item": item,
            "usable": not reason,
            "reason": reason or "",
            "is_retake": status["is_completed"],
        }

    def action_start_renewal(self, item):
        """Start renewing this award through ``item`` (an assigned course or
        learning plan). Callable by the learner (portal users included) and by
        officers. Retaking resets the learner's progress on the item."""
        self.ensure_one()
        self._check_renewal_access()
        option = next(
            (opt for opt in self._get_renewal_options() if opt["item"] == item), None
        )
        if option is None:
            raise UserError(
                _(
                    "%(item)s cannot renew %(program)s: it is not assigned to it.",
                    item=item.display_name,
                    program=self.program_id.name,
                )
            )
        if not option["usable"]:
            raise UserError(option["reason"])
        # checked just above: the caller's own award (or an officer) and an item
        # offered for it; portal learners cannot enrol or create renewals. The
        # caller's default_* keys stay out of what is created on their behalf.
        env = self.with_context(clean_context(self.env.context)).sudo().env
        return env["certification.renewal"]._start(
            self.with_env(env), item.with_env(env)
        )

    def _check_renewal_access(self):
        self.check_access("read")
        is_officer = self.env.user.has_group(
            "certifications_retraining.group_certification_officer"
        )
        if not is_officer and self.partner_id != self.env.user.partner_id:
            raise AccessError(_("You can only renew your own certifications."))
