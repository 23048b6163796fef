# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Plain Python helpers of the addon (no ORM, no database): imported by the
models as ``from ..tools import schedule``."""
