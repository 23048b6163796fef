# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import math
from datetime import datetime, time, timedelta

import pytz
from werkzeug.exceptions import Forbidden, NotFound

from odoo import Command, _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.certification_award_portal import PORTAL_EXPIRING_DAYS

RENEWAL_ITEM_MODELS = ("slide.channel", "slide.learning.plan")


class CertificationPortal(CustomerPortal):
    _certification_max_file_size = 10 * 1024 * 1024  # bytes

    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "certification_count" in counters:
            Award = request.env["certification.award"]
            values["certification_count"] = (
                Award.search_count(self._certification_domain())
                if Award.has_access("read")
                else 0
            )
        return values

    def _certification_domain(self):
        """The visitor's current awards (officers read everybody's: the portal
        shows only their own)."""
        return [
            ("partner_id", "=", request.env.user.partner_id.id),
            ("state", "!=", "archived"),
        ]

    # ------------------------------------------------------------
    # LIST
    # ------------------------------------------------------------

    def _certification_searchbar_sortings(self):
        return {
            "expiry": {
                "label": _("Expiry Date"),
                "order": "date_expiry asc, id desc",
            },
            "issued": {"label": _("Newest"), "order": "date_issued desc, id desc"},
            "name": {"label": _("Certification"), "order": "program_id, id desc"},
        }

    def _certification_searchbar_filters(self):
        limit = self._certification_expiring_limit()
        return {
            "all": {"label": _("All"), "domain": []},
            "valid": {"label": _("Valid"), "domain": [("state", "=", "valid")]},
            "expiring": {
                "label": _("Expiring within %(days)s days", days=PORTAL_EXPIRING_DAYS),
                "domain": [
                    ("state", "=", "valid"),
                    ("date_expiry", "!=", False),
                    ("date_expiry", "<", limit),
                ],
            },
            "grace": {
                "label": _("In grace period"),
                "domain": [("state", "=", "grace")],
            },
            "expired": {"label": _("Expired"), "domain": [("state", "=", "expired")]},
        }

    def _certification_expiring_limit(self):
        """The first instant (UTC) that is more than PORTAL_EXPIRING_DAYS days
        away in the learner's calendar: the same rule as the status badge."""
        user = request.env.user
        tz = pytz.timezone(user.partner_id.tz or user.tz or "UTC")
        now = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        day = now.date() + timedelta(days=PORTAL_EXPIRING_DAYS + 1)
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @http.route(
        ["/my/certifications", "/my/certifications/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_certifications(self, page=1, sortby=None, filterby=None, **kw):
        Award = request.env["certification.award"]
        sortings = self._certification_searchbar_sortings()
        filters = self._certification_searchbar_filters()
        sortby = sortby if sortby in sortings else "expiry"
        filterby = filterby if filterby in filters else "all"
        domain = self._certification_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/certifications",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Award.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        awards = Award.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_certifications_history"] = awards.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            awards=awards,
            renewable=self._certification_renewable_values(awards),
            page_name="certification",
            default_url="/my/certifications",
            pager=pager,
            searchbar_sortings=sortings,
            sortby=sortby,
            searchbar_filters=filters,
            filterby=filterby,
        )
        return request.render(
            "certifications_retraining.portal_my_certifications", values
        )

    def _certification_renewable_values(self, awards):
        """The ids of the visitor's own awards of the page that may be renewed
        now: current, within the recertification window, with an item to renew
        through (the detail page then lists the items and why one is not
        usable). A fixed number of queries whatever the page holds."""
        own = awards.filtered(
            lambda a: (
                a.partner_id == request.env.user.partner_id and a.state != "archived"
            )
        )
        # filtered above to the visitor's own awards: only whether their
        # certifications have items is read, nothing of the items leaves
        programs = own.program_id.sudo()
        # inactive courses are left out of channel_ids by the ORM
        with_items = programs.filtered(lambda p: p.channel_ids or p.learning_plan_ids)
        return set(
            own.filtered(
                lambda a: a.program_id in with_items and not a._get_window_reason()
            ).ids
        )

    # ------------------------------------------------------------
    # DETAIL, CERTIFICATE, RENEW NOW
    # ------------------------------------------------------------

    def _certification_check_access(self, award_id):
        """The award as the visitor (not sudo), or 404 / 403."""
        try:
            self._document_check_access("certification.award", award_id)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error
        return request.env["certification.award"].browse(award_id)

    @http.route(
        ["/my/certifications/<int:award_id>"], type="http", auth="user", website=True
    )
    def portal_my_certification(self, award_id, report_type=None, download=False, **kw):
        award = self._certification_check_access(award_id)
        if report_type in ("html", "pdf"):
            return self._show_report(
                model=award,
                report_type=report_type,
                report_ref="certifications_retraining.action_report_certification_award",
                download=download,
            )
        return request.render(
            "certifications_retraining.portal_my_certification",
            self._certification_page_values(award),
        )

    def _certification_page_values(self, award, renew_error=None):
        values = self._prepare_portal_layout_values()
        values.update(
            award=award,
            page_name="certification",
            history=self._certification_history_values(award),
            renewal_options=self._certification_renewal_values(award),
            can_renew_here=award.partner_id == request.env.user.partner_id,
            renew_error=renew_error,
            current_award=self._certification_current_award(award),
            linkedin_url=award._get_linkedin_url(),
            verification_url=award._get_verification_url(),
        )
        return self._get_page_view_values(
            award, None, values, "my_certifications_history", False
        )

    def _certification_current_award(self, award):
        """The learner's current award of the same certification, shown on the
        page of an award it replaced (read as the visitor)."""
        if award.state != "archived" or not award.next_award_ids:
            return award.browse()
        return award.search(
            [
                ("program_id", "=", award.program_id.id),
                ("partner_id", "=", award.partner_id.id),
                ("state", "!=", "archived"),
            ],
            limit=1,
        )

    def _certification_history_values(self, award):
        """The earlier awards (read as the learner: they are theirs), with how
        each was earned; the item names are read as superuser, as plain text."""
        previous = award._get_previous_awards()
        # the award was checked by _document_check_access (the learner's own);
        # only the names of the items of its history leave, as text
        previous_sudo = previous.sudo()
        how = dict(
            previous._fields["association_type"]._description_selection(request.env)
        )
        return [
            {
                "date_issued": prev._to_learner_date(prev.date_issued),
                "date_expiry": prev._to_learner_date(prev.date_expiry),
                "validity": prev.validity_label,
                "how": how[prev.association_type],
                "source": (
                    prev_sudo.channel_id.name
                    or prev_sudo.learning_plan_id.name
                    or prev_sudo.external_training_id.name
                    or ""
                ),
            }
            for prev, prev_sudo in zip(previous, previous_sudo, strict=True)
        ]

    def _certification_renewal_values(self, award):
        """The items of the certification as plain values for the template."""
        return [
            {
                "value": f"{option['item']._name},{option['item'].id}",
                "name": option["item"].name,
                "kind": (
                    _("Course")
                    if option["item"]._name == "slide.channel"
                    else _("Learning plan")
                ),
                "url": self._certification_item_url(option["item"]),
                "usable": option["usable"],
                "reason": option["reason"],
                "is_retake": option["is_retake"],
            }
            for option in award._get_renewal_options()
        ]

    def _certification_item_url(self, item):
        channel = item if item._name == "slide.channel" else item.channel_ids[:1]
        return channel.website_url or "/slides"

    @http.route(
        ["/my/certifications/<int:award_id>/renew"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_certification_renew(self, award_id, item=None, model=None, **kw):
        award = self._certification_check_access(award_id)
        if model and kw.get("id"):
            item = f"{model},{kw['id']}"
        option = self._certification_find_option(award, item)
        if option is None:
            return self._certification_renew_error(
                award, _("This item cannot renew this certification.")
            )
        try:
            award.action_start_renewal(option["item"].with_env(request.env))
        except (UserError, AccessError) as error:
            return self._certification_renew_error(award, str(error))
        return request.redirect(self._certification_item_url(option["item"]))

    def _certification_find_option(self, award, item):
        """The renewal option matching the posted ``model,id`` value, or None."""
        model, _sep, res_id = (item or "").partition(",")
        if model not in RENEWAL_ITEM_MODELS or not res_id.isdigit():
            return None
        return next(
            (
                option
                for option in award._get_renewal_options()
                if option["item"]._name == model and option["item"].id == int(res_id)
            ),
            None,
        )

    def _certification_renew_error(self, award, message):
        return request.render(
            "certifications_retraining.portal_my_certification",
            self._certification_page_values(award, renew_error=message),
            status=400,
        )

    # ------------------------------------------------------------
    # EXTERNAL TRAINING
    # ------------------------------------------------------------

    @http.route(
        ["/my/certifications/external"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_external_training(self, **post):
        errors, form = [], {}
        if request.httprequest.method == "POST":
            form = {key: value for key, value in post.items() if key != "certificate"}
            errors = self._external_training_submit(post)
            if not errors:
                return request.redirect("/my/certifications/external?submitted=1")
        values = self._prepare_portal_layout_values()
        Training = request.env["certification.external.training"]
        values.update(
            page_name="certification_external",
            trainings=Training.search(
                [("partner_id", "=", request.env.user.partner_id.id)]
            ),
            programs=request.env["certification.program"].search([]),
            training_types=Training._fields["training_type"]._description_selection(
                request.env
            ),
            errors=errors,
            form=form,
            submitted=bool(post.get("submitted")) and not errors,
        )
        return request.render(
            "certifications_retraining.portal_my_external_training",
            values,
            status=400 if errors else 200,
        )

    def _external_training_submit(self, post):
        """Validate the form, create the activity as the learner and submit it.
        Returns the list of error messages (nothing is created when any)."""
        vals, errors = self._external_training_parse(post)
        upload = post.get("certificate")
        content = b""
        if upload and getattr(upload, "filename", None):
            content = upload.read(self._certification_max_file_size + 1)
            error = request.env["certification.external.training"]._get_proof_error(
                content
            )
            if error:
                errors.append(error)
        if errors:
            return errors
        try:
            with request.env.cr.savepoint():
                training = request.env["certification.external.training"].create(vals)
                if content:
                    self._external_training_attach(training, upload.filename, content)
                training.action_submit()
        except (UserError, ValidationError, AccessError) as error:
            return [str(error)]
        return []

    def _external_training_parse(self, post):
        errors = []
        vals = {
            "name": (post.get("name") or "").strip(),
            "provider": (post.get("provider") or "").strip(),
            "score": (post.get("score") or "").strip(),
            "partner_id": request.env.user.partner_id.id,
        }
        if not vals["name"]:
            errors.append(_("The title is required."))
        Training = request.env["certification.external.training"]
        types = dict(Training._fields["training_type"].selection)
        if post.get("training_type") not in types:
            errors.append(_("Choose a valid type of activity."))
        vals["training_type"] = post.get("training_type")
        try:
            vals["date_completed"] = datetime.strptime(
                post.get("date_completed") or "", "%Y-%m-%d"
            ).date()
        except ValueError:
            errors.append(_("The completion date must be a date (YYYY-MM-DD)."))
        else:
            if vals["date_completed"] > fields.Date.context_today(Training):
                errors.append(_("The completion date cannot be in the future."))
        try:
            vals["hours"] = float(post.get("hours") or 0)
            if not math.isfinite(vals["hours"]) or not 0 <= vals["hours"] <= 10000:
                raise ValueError
        except ValueError:
            errors.append(_("The hours must be a positive number."))
        program_id = post.get("certification_program_id")
        if program_id:
            program = (
                request.env["certification.program"].search(
                    [("id", "=", int(program_id))]
                )
                if program_id.isdigit()
                else False
            )
            if not program:
                errors.append(_("Choose a certification from the list."))
            else:
                vals["certification_program_id"] = program.id
        return vals, errors

    def _external_training_attach(self, training, filename, content):
        """The learner's own, just created activity gets its certificate. Portal
        users cannot create attachments: done as superuser after that check."""
        training.check_access("write")
        attachment = (
            request.env["ir.attachment"]
            # checked just above: the learner may write their own activity
            .sudo()
            .create(
                {
                    "name": filename,
                    "datas": base64.b64encode(content),
                    "res_model": training._name,
                    "res_id": training.id,
                }
            )
        )
        # same check: the learner's own activity, and the file just created
        training.sudo().attachment_ids = [Command.link(attachment.id)]

    # ------------------------------------------------------------
    # PUBLIC VERIFICATION
    # ------------------------------------------------------------

    @http.route(
        ["/certifications/verify/<string:token>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def certification_verify(self, token, **kw):
        # only _prepare_verification_values (what a certificate shows) leaves
        award_sudo = request.env["certification.award"]._get_by_verification_token(
            token
        )
        if not award_sudo:
            raise NotFound()
        return request.render(
            "certifications_retraining.certification_verify_page",
            {"cert": award_sudo._prepare_verification_values()},
        )
