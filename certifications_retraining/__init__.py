from odoo.tools import SQL

from . import controllers
from . import models
from . import report
from . import wizards


def uninstall_hook(env):
    """Drop what the audit log and the credentials created outside the ORM
    (their tables, with the triggers, are dropped by Odoo)."""
    env.cr.execute(
        SQL(
            "DROP TABLE IF EXISTS certification_audit_log_chain; "
            "DROP TABLE IF EXISTS certification_audit_log_head; "
            "DROP FUNCTION IF EXISTS certification_audit_log_refuse() CASCADE"
        )
    )
    env.cr.execute(
        SQL("DROP FUNCTION IF EXISTS certification_award_revoke_deleted() CASCADE")
    )
