"""Plain Python helpers of the addon: no ORM, no database."""
