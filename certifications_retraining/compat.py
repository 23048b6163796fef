# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Odoo 18.0 / 19.0: every difference the addon meets, in one place.

Nothing else in the addon reads the Odoo version. Code and tests import the
names below; each says what it is on 18.0 and on 19.0, and where 19.0 changed
it (paths in the 19.0 tree).
"""

from contextlib import contextmanager

from odoo import models, release
from odoo.tools import SQL

IS_19 = release.version_info[:2] >= (19, 0)
SERIES = "19.0" if IS_19 else "18.0"

# --------------------------------------------------------------------------
# SQL constraints. 19.0 ignores ``_sql_constraints`` (with a warning only) and
# declares ``_name = models.Constraint(definition, message)`` class attributes
# (odoo/orm/table_objects.py); the database name is ``<table>_<name>`` on both,
# so a database upgraded from 18.0 keeps its constraints. On 18.0 the same
# declaration appends to the defining class's own ``_sql_constraints``, which
# Odoo 18 collects from every definition class (odoo/models.py,
# ``_build_model_attributes``) after the class statement has run.
# --------------------------------------------------------------------------
if IS_19:
    Constraint = models.Constraint
else:

    class Constraint:
        """``_name = Constraint("unique(code)", "message")`` on Odoo 18.0."""

        def __init__(self, definition, message=""):
            self.definition = definition
            self.message = message

        def __set_name__(self, owner, name):
            own = owner.__dict__.get("_sql_constraints", [])
            owner._sql_constraints = [
                *own,
                (name.removeprefix("_"), self.definition, self.message),
            ]


# --------------------------------------------------------------------------
# Renamed relational fields (odoo/addons/base/models/res_groups.py,
# res_users.py, ir_ui_menu.py on 19.0).
# --------------------------------------------------------------------------
GROUP_USERS = "user_ids" if IS_19 else "users"  # res.groups -> res.users
USER_GROUPS = "group_ids" if IS_19 else "groups_id"  # res.users -> res.groups
MENU_GROUPS = "group_ids" if IS_19 else "groups_id"  # ir.ui.menu -> res.groups

# What an RPC call runs (the tests attack through it): odoo/service/model.py on
# 19.0, odoo/api.py on 18.0.
if IS_19:
    from odoo.service.model import call_kw
else:
    from odoo.api import call_kw  # noqa: F401 - for the tests


def filter_add_members(courses, partners, raise_on_access=False):
    """The ``courses`` the current user may add ``partners`` to
    (website_slides' ``slide.channel._filter_add_members``; 19.0 dropped its
    partners argument)."""
    if IS_19:
        return courses._filter_add_members(raise_on_access=raise_on_access)
    return courses._filter_add_members(partners, raise_on_access=raise_on_access)


# Mail bodies. 18.0's composer compares its copy of a template body with the
# template through ``html_sanitize``, which misses a body with inline styles
# (wizards/mail_compose_message.py fixes the comparison on awards); 19.0's
# comparison matches it, and the fix is inert there.
COMPOSER_MATCHES_STYLED_BODY = IS_19
# The award mails' QWeb body compiled once per batch
# (models/mail_render_mixin.py) takes ir.qweb's 18.0 ``_render`` apart
# (``_prepare_environment``, ``_compile`` -> (functions, name), run); 19.0
# renders through ``_render_iterall`` with per-render state, and keeps Odoo's
# own per-record rendering. QWEB_COMPILE_METHOD: what compiles a body.
MAIL_BODY_COMPILED_ONCE = not IS_19
QWEB_COMPILE_METHOD = "_generate_code_uncached" if IS_19 else "_generate_code"

# The mass-mail composer lost ``record_name`` on 19.0
# (mail/wizard/mail_compose_message.py); on 18.0 False keeps each message's
# record name from being the first record's.
MASS_MAIL_COMPOSER_VALUES = {} if IS_19 else {"record_name": False}

# --------------------------------------------------------------------------
# Domains: ``odoo.osv.expression`` is deprecated on 19.0 for ``odoo.fields.Domain``,
# which 18.0 does not have.
# --------------------------------------------------------------------------
if IS_19:
    from odoo.fields import Domain

    domain_and = Domain.AND
    domain_or = Domain.OR
else:
    from odoo.osv import expression

    domain_and = expression.AND
    domain_or = expression.OR


def check_attachment_read(attachments):
    """Raise AccessError unless the current user may read ``attachments``,
    by ir.attachment's own rules (the record each belongs to). 18.0 keeps
    them in ``check(mode)``; 19.0 in ``check_access`` (``check`` is a
    deprecated wrapper there)."""
    if IS_19:
        attachments.check_access("read")
    else:
        attachments.check("read")


# --------------------------------------------------------------------------
# Where an employee's job and department live. 18.0: columns of hr_employee
# (today's only). 19.0: columns of hr_version, one row per period of the
# employee's contract (addons/hr/models/hr_version.py); the version in effect
# at a date is the latest with ``date_version`` on or before it, else the first
# one (``hr.employee._get_version``, addons/hr/models/hr_employee.py).
# --------------------------------------------------------------------------
EMPLOYEE_POSITION_DEPENDS = (
    {
        "hr.employee": ["current_version_id"],
        "hr.version": [
            "employee_id",
            "job_id",
            "department_id",
            "date_version",
            "active",
        ],
    }
    if IS_19
    else {"hr.employee": ["job_id", "department_id"]}
)

# Whether the job and department held at a past date are known (19.0) or only
# today's (18.0). The reports' action and dialog texts say which
# (data/certification_data_<series>.xml); field help is one text for both
# series (a field's help has one translation per field, whatever its source).
POSITION_HISTORY = IS_19


def employee_values_since(date_from):
    """Values of a new employee that date its job and department from
    ``date_from`` (19.0: its first ``hr.version``; 18.0 dates nothing)."""
    return {"date_version": date_from} if IS_19 else {}


def employee_position_sql(periods=False):
    """A relation ``(employee_id, job_id, department_id)``: each employee's
    current job and department; with ``periods``, one row per period of them
    with its bounds ``valid_from`` (included) and ``valid_to`` (excluded),
    dates. 18.0 keeps no history: one period, unbounded. 19.0: a period per
    ``hr.version``, from its ``date_version`` to the next one's, the first
    one also before its date (``hr.employee._get_version`` falls back to the
    first version)."""
    if not periods:
        if not IS_19:
            return SQL(
                "SELECT id AS employee_id, job_id, department_id FROM hr_employee"
            )
        return SQL(
            """SELECT e.id AS employee_id, v.job_id, v.department_id
                 FROM hr_employee e
                 JOIN hr_version v ON v.id = e.current_version_id"""
        )
    if not IS_19:
        return SQL(
            """SELECT id AS employee_id, job_id, department_id,
                      '-infinity'::date AS valid_from, 'infinity'::date AS valid_to
                 FROM hr_employee"""
        )
    return SQL(
        """SELECT v.employee_id, v.job_id, v.department_id,
                  CASE WHEN row_number() OVER version_order = 1 THEN '-infinity'::date
                       ELSE v.date_version END AS valid_from,
                  COALESCE(lead(v.date_version) OVER version_order, 'infinity'::date)
                      AS valid_to
             FROM hr_version v
            WHERE v.active AND v.employee_id IS NOT NULL
           WINDOW version_order AS (
                  PARTITION BY v.employee_id ORDER BY v.date_version
           )"""
    )


def move_employee(employee, date_from, values):
    """Give ``employee`` the job/department ``values`` from ``date_from`` on:
    a new ``hr.version`` on 19.0 (its history kept); on 18.0, which keeps no
    history, a plain write (the new position then holds at every date)."""
    if IS_19:
        return employee.create_version(dict(values, date_version=date_from))
    return employee.write(values)


# --------------------------------------------------------------------------
# Cron progress (odoo/addons/base/models/ir_cron.py). 19.0 deprecates
# ``ir.cron._notify_progress`` for ``_commit_progress``, which adds to the
# run's count and commits, and outside a cron run only commits. Our cron
# methods run one batch per call and report last, where the cron runner
# commits anyway; outside a cron run (tests, a shell) they report nothing on
# both series, as 18.0's ``_notify_progress`` does.
# --------------------------------------------------------------------------
def report_cron_progress(env, done, remaining):
    """Tell Odoo's cron runner that this call processed ``done`` items and
    that ``remaining`` are left (0: done until the cron's next run). Call it
    as the last step of the batch: on 19.0 it commits the batch."""
    Cron = env["ir.cron"]
    if not IS_19:
        Cron._notify_progress(done=done, remaining=remaining)
    elif env.context.get("ir_cron_progress_id"):  # set by the cron runner
        Cron._commit_progress(done, remaining=remaining)


# --------------------------------------------------------------------------
# Data that differs by series (the groups' category or privilege, the
# administrators' membership, the settings action's target, the demo portal
# users' groups): the XML of both series sits side by side, and the one of the
# running series is loaded last by ``res.groups._certification_load_series_data``
# from a <function> tag (a manifest is a literal, it cannot choose).
# --------------------------------------------------------------------------
SERIES_DATA_FILES = {
    "data": f"data/certification_data_{SERIES}.xml",
    "demo": f"demo/certification_demo_{SERIES}.xml",
}


# --------------------------------------------------------------------------
# Test fixtures that differ by series.
# --------------------------------------------------------------------------
@contextmanager
def cron_runner_on_test_cursor(case):
    """Let Odoo's cron runner (``ir.cron.method_direct_trigger``) run on the
    cursor of a ``TransactionCase``: 19.0 runs the job in a cursor of its own,
    which its tests route to the test's (``enter_registry_test_mode``,
    odoo/tests/common.py); 18.0 runs it in the caller's cursor."""
    if IS_19:
        with case.enter_registry_test_mode():
            yield
    else:
        yield


@contextmanager
def plain_http_requests(http_case):
    """Let a plain HTTP client (urllib, without the test cookie) reach the
    test server from an ``HttpCase``: 19.0 refuses requests without its
    ``test_cursor`` cookie unless allowed, as its own XML-RPC transport does
    (``allow_requests(all_requests=True)``, odoo/tests/common.py); 18.0 lets
    them in."""
    if IS_19:
        http_case.cr.flush()
        with http_case.allow_requests(all_requests=True):
            yield
    else:
        yield
