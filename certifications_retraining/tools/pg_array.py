# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""PostgreSQL arrays sent as one text parameter."""


def to_literal(values):
    """``values`` as the text of a PostgreSQL array: ``None`` is NULL, an
    integer its digits, any other value its ``str()`` in double quotes (a
    backslash escapes ``"`` and itself, the only two characters special
    there). Built in one pass: the audit writer sends 100,000 values per
    column."""
    elements = ",".join(
        [
            "NULL"
            if value is None
            # digits and a sign are never special in an array literal
            else str(value)
            if value.__class__ is int
            else _quote(str(value))
            for value in values
        ]
    )
    return f"{{{elements}}}"


def _quote(text):
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
