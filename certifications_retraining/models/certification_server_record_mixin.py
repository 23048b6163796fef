# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import contextlib
import contextvars

from odoo import models

from .certification_owned_defaults_mixin import add_field_defaults

# Set while the addon creates records of Odoo's models as the system (see
# creating_server_records)
SERVER_RECORDS = contextvars.ContextVar("certification_server_records", default=False)


@contextlib.contextmanager
def creating_server_records():
    """Within it, the records of the models that inherit
    ``certification.server.record.mixin`` take no default of the user in
    whose name they are created. A Python context variable: no RPC caller
    sets it."""
    token = SERVER_RECORDS.set(True)
    try:
        yield
    finally:
        SERVER_RECORDS.reset(token)


class CertificationServerRecordMixin(models.AbstractModel):
    """Records of Odoo's models that the addon creates as the system, in the
    name of whoever caused them (the learner completing a course, the officer
    issuing): its mails ("issued", "expired", reminders, the enrolment mail of
    a retake: the composer, the messages, the mails), the badge that goes with
    an award (and Odoo's mail about it), the status list sequence made at a
    company's first award and the officers' review activity of a learner's
    external training. That user's personal defaults (``ir.default``: any
    employee sets them over RPC, and ``sudo()`` keeps the user) would add any
    file of the database, read by its id, or recipients to those mails, name
    someone else as the badge's sender, archive the sequence or start it at
    the end of the list, or hide the review from the officers. Within
    :func:`creating_server_records` these records take their fields' own
    defaults only; the code gives the rest."""

    _name = "certification.server.record.mixin"
    _description = "Records created by the certifications, not by their caller"

    def _add_missing_default_values(self, values):
        if SERVER_RECORDS.get():
            return add_field_defaults(self, values)
        return super()._add_missing_default_values(values)
