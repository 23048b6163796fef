# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``tools/pg_array.py``: the audit writer's array literals, read back by
PostgreSQL itself."""

from datetime import datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools import pg_array


@tagged("at_install", "-post_install")
class TestArrayLiteral(TransactionCase):
    def read_back(self, values, array_type):
        self.env.cr.execute(
            SQL("SELECT %s::%s", pg_array.to_literal(values), SQL(array_type))
        )
        return self.env.cr.fetchone()[0]

    def test_values_come_back_as_sent(self):
        cases = [
            ("text[]", ["plain", None, "", "NULL", "null", 'say "hi"', "back\\slash"]),
            ("text[]", ["{braces}", "a,b", " spaced ", "line\nbreak\r\ttab", "é中😀"]),
            ("text[]", ['\\"', '"', "\\", "\\\\", '""']),
            ("varchar[]", ["ends with backslash \\", None]),
            ("int4[]", [1, None, -7, 2147483647]),
            ("timestamp[]", [datetime(2026, 12, 4, 12, 30, 5), None]),
        ]
        for array_type, values in cases:
            with self.subTest(array_type=array_type, values=values):
                self.assertEqual(self.read_back(values, array_type), values)

    def test_empty_and_all_null(self):
        self.assertEqual(self.read_back([], "text[]"), [])
        self.assertEqual(self.read_back([None, None], "int4[]"), [None, None])
