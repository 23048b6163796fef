# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import contextlib
import contextvars

from odoo import models

from .certification_owned_defaults_mixin import add_field_defaults

# Set while the addon sends its own mails (see sending_server_mail)
SERVER_MAIL = contextvars.ContextVar("certification_server_mail", default=False)


@contextlib.contextmanager
def sending_server_mail():
    """Within it, the composers, messages and mails created take no default
    of the user in whose name they run. A Python context variable: no RPC
    caller sets it."""
    token = SERVER_MAIL.set(True)
    try:
        yield
    finally:
        SERVER_MAIL.reset(token)


class CertificationServerMailMixin(models.AbstractModel):
    """The addon's own mails ("issued", "expired", reminders, the enrolment
    mail of a retake) are written in the name of whoever caused them: the
    learner completing a course, the officer issuing. That user's personal
    defaults (``ir.default``: any employee sets them over RPC, and
    ``sudo()`` keeps the user) would add any file of the database, read by
    its id, or recipients to those mails. Within :func:`sending_server_mail`
    the composer, the messages and the mails take their fields' own defaults
    only; the template and the code give the rest."""

    _name = "certification.server.mail.mixin"
    _description = "Mails sent by the certifications, not by their caller"

    def _add_missing_default_values(self, values):
        if SERVER_MAIL.get():
            return add_field_defaults(self, values)
        return super()._add_missing_default_values(values)
