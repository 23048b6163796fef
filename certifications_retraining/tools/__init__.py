# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Pure helpers of the addon (no ORM): imported by the models as
``from ..tools import schedule``."""
