# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class CertificationOwnedDefaultsMixin(models.AbstractModel):
    """Records whose values come from the code that creates them, never from
    the caller's defaults.

    ``create`` fills the fields it was not given from ``default_get``, which
    reads the context's ``default_<field>`` keys (any RPC caller sets them, and
    they ride along into code run as superuser on the caller's behalf, such as
    the one door issuing a learner's award when they complete a course) and
    the user's personal ``ir.default`` rows (any employee sets their own).
    Either would create a record in a state or with a value its caller could
    not write. Here a missing field takes the field's own default only. Forms
    still show the context's defaults: the web client reads them through
    ``default_get`` and sends them as values, which the model checks."""

    _name = "certification.owned.defaults.mixin"
    _description = "Values set by their creator, not by the caller's defaults"

    def _add_missing_default_values(self, values):
        defaults = {
            name: field.default(self)
            for name, field in self._fields.items()
            if field.default and name not in values
        }
        defaults.update(values)
        return defaults
