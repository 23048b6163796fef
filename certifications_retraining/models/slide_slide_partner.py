# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

from .certification_owned_defaults_mixin import reset_to_field_defaults


class SlideSlidePartner(models.Model):
    _inherit = "slide.slide.partner"

    def _add_missing_default_values(self, values):
        """A lesson is completed by the learner's work, never by a default.
        Opening a lesson creates its row in the learner's name (eLearning's
        ``action_set_viewed``, as superuser: their personal ``ir.default``
        rows still apply); a default ``completed`` would complete a quiz
        without passing it, and the course with it, which issues the
        certification."""
        return reset_to_field_defaults(
            self, super()._add_missing_default_values(values), values, ("completed",)
        )
