# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


def add_field_defaults(model, values):
    """``values`` completed with the fields' own defaults of ``model`` only:
    no context ``default_*`` key, no ``ir.default`` row. As in Odoo's own
    ``_add_missing_default_values``, the fields inherited from a parent given
    in ``values`` (``_inherits``, e.g. a mail's message) take no default: they
    would overwrite that parent."""
    given_parents = {
        parent for parent, link in model._inherits.items() if link in values
    }
    # as ``default_get`` gives them: a record default becomes its id
    defaults = {
        name: field.convert_to_write(field.default(model), model)
        for name, field in model._fields.items()
        if field.default
        and name not in values
        and not (field.inherited and field.related_field.model_name in given_parents)
    }
    defaults.update(values)
    return defaults


def reset_to_field_defaults(model, defaults, values, names):
    """``defaults`` (as ``_add_missing_default_values`` completed ``values``)
    with each field of ``names`` that ``values`` lacks back to its own
    default, or empty: for a model of Odoo whose other defaults stay."""
    for name in names:
        if name not in values:
            field = model._fields[name]
            defaults[name] = field.convert_to_write(
                field.default(model) if field.default else False, model
            )
    return defaults


class CertificationOwnedDefaultsMixin(models.AbstractModel):
    """Records whose values come from the code that creates them, never from
    the caller's defaults.

    ``create`` fills the fields it was not given from ``default_get``, which
    reads the context's ``default_<field>`` keys (any RPC caller sets them, and
    they ride along into code run as superuser on the caller's behalf, such as
    the one door issuing a learner's award when they complete a course) and
    the user's personal ``ir.default`` rows (any employee sets their own, over
    RPC too, and they apply to what the server creates in the user's name,
    even through ``sudo()``).
    Either would create a record in a state or with a value its caller could
    not write. Here a missing field takes the field's own default only. Forms
    still show the context's defaults: the web client reads them through
    ``default_get`` and sends them as values, which the model checks.

    The precomputed fields are computed before the INSERT, on new records made
    of the values: a field they read that the values lack would be asked of
    ``default_get`` there, record by record (a cost per row of a large import),
    and code running as superuser keeps its context's ``default_*`` keys (only
    ``sudo()`` drops them). Such a field starts empty instead, as its column
    will: a ``default_revoked_on`` no longer gives a stored revocation date of
    the learner to an award that was never revoked."""

    _name = "certification.owned.defaults.mixin"
    _description = "Values set by their creator, not by the caller's defaults"

    def _add_missing_default_values(self, values):
        return add_field_defaults(self, values)

    def _add_precomputed_values(self, vals_list):
        inputs = self._get_precompute_inputs()
        for vals in vals_list:
            for name in inputs.difference(vals):
                vals[name] = False
        return super()._add_precomputed_values(vals_list)

    def _get_precompute_inputs(self):
        """Names of the columns, set by the creator (not computed), that the
        precomputed fields of the model depend on."""
        names = {
            path.split(".")[0]
            for field in self._fields.values()
            if field.precompute
            for path in self.pool.field_depends[field]
        }
        return {
            name
            for name in names
            if self._fields[name].column_type and not self._fields[name].compute
        }
