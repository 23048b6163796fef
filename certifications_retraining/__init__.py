from odoo.tools import SQL

from . import controllers
from . import models
from . import report
from . import wizards


def uninstall_hook(env):
    """Drop what the audit log created outside the ORM (its table, with the
    trigger, is dropped by Odoo)."""
    env.cr.execute(
        SQL(
            "DROP TABLE IF EXISTS certification_audit_log_head; "
            "DROP FUNCTION IF EXISTS certification_audit_log_refuse() CASCADE"
        )
    )
