# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Database errors as messages people understand."""

from contextlib import contextmanager

import psycopg2


@contextmanager
def translate_unique_violation(env, constraint, make_error):
    """Run the block in a savepoint; a violation of the unique index
    ``constraint`` (two transactions doing the same thing at once) becomes the
    exception returned by ``make_error()``, a clear message instead of a raw
    database error."""
    try:
        with env.cr.savepoint(flush=False):
            yield
    except psycopg2.errors.UniqueViolation as error:
        if error.diag.constraint_name != constraint:
            raise
        raise make_error() from None
