# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""PostgreSQL arrays sent as one text parameter."""


def to_literal(values):
    """``values`` as the text of a PostgreSQL array: ``None`` is NULL, any
    other value its ``str()`` in double quotes (a backslash escapes ``"`` and
    itself, the only two characters special there)."""
    elements = ",".join(
        "NULL" if value is None else f'"{_escape(str(value))}"' for value in values
    )
    return f"{{{elements}}}"


def _escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')
