# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The CSV format of the record import (``tools/csv_import.py``):
table-driven tests on the pure functions, no database."""

import csv
import io
import itertools
from datetime import datetime

from odoo.tests.common import BaseCase

from ..tools import csv_import
from ..tools.csv_import import CsvFileError, ImportOptions, ImportRow, RowProblem

HEADER = [name for name, _label in csv_import.COLUMNS]
MAPPING = dict(enumerate(HEADER))
BXL = "Europe/Brussels"


def cells(
    user="jdoe",
    code="FORK",
    issued="2024-01-15",
    always="0",
    expire="2026-01-15",
    row_type="course",
    item="FORK-101",
):
    return [user, code, issued, always, expire, row_type, item]


def file_bytes(rows, header=HEADER, separator=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=csv_import.csv_delimiter(separator), lineterminator="\n"
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


# (label, cells, options, expected problem codes, expected values or None)
# fmt: off
ROW_CASES = [
    ("a course row", cells(), {}, (),
     {"username": "jdoe", "certification_code": "FORK", "type": "course",
      "code": "FORK-101", "date_issued": datetime(2024, 1, 15),
      "date_expiry": datetime(2026, 1, 15), "is_always_valid": False}),
    ("cells are stripped", cells(user=" jdoe ", code=" FORK"), {}, (),
     {"username": "jdoe", "certification_code": "FORK"}),
    ("a manual row has no item code", cells(row_type="manual", item="X"), {}, (),
     {"type": "manual", "code": False}),
    ("type in any case", cells(row_type="Learning_Plan"), {}, (),
     {"type": "learning_plan"}),
    ("always valid drops the expiry", cells(always="yes", expire=""), {}, (),
     {"is_always_valid": True, "date_expiry": False}),
    ("TRUE in capitals", cells(always="TRUE", expire=""), {}, (),
     {"is_always_valid": True}),
    ("No is false", cells(always="No"), {}, (), {"is_always_valid": False}),
    ("dates are days in the uploader's timezone", cells(), {"tz": BXL}, (),
     {"date_issued": datetime(2024, 1, 14, 23),
      "date_expiry": datetime(2026, 1, 14, 23)}),
    ("summer time in Brussels", cells(issued="2024-07-01"), {"tz": BXL}, (),
     {"date_issued": datetime(2024, 6, 30, 22)}),
    ("expiry on the issue day", cells(expire="2024-01-15"), {}, (), None),
    ("missing user", cells(user=""), {}, ("mandatory",), None),
    ("missing certification", cells(code=""), {}, ("mandatory",), None),
    ("missing issue date", cells(issued=""), {}, ("mandatory",), None),
    ("day first", cells(issued="15/01/2024"), {}, ("date",), None),
    ("no such day", cells(issued="2023-02-29"), {}, ("date",), None),
    ("a time is no day", cells(issued="2024-01-15 10:00"), {}, ("date",), None),
    ("bad boolean", cells(always="maybe"), {}, ("boolean",), None),
    ("empty boolean", cells(always=""), {}, ("boolean",), None),
    ("expiring without expiry", cells(expire=""), {}, ("mandatory",), None),
    ("expiry before issue", cells(expire="2023-01-15"), {},
     ("expiry_before_issue",), None),
    ("unknown type", cells(row_type="badge"), {}, ("type",), None),
    ("empty type", cells(row_type=""), {}, ("type",), None),
    ("item code mandatory", cells(item=""), {}, ("code_mandatory",), None),
    ("every problem at once",
     ["", "", "2024-13-01", "x", "", "?", ""], {},
     ("mandatory", "mandatory", "date", "boolean", "type"), None),
    ("short row: missing cells are empty", ["jdoe", "FORK"], {},
     ("mandatory", "boolean", "type"), None),
    ("duplicates refused without renewals", cells(),
     {"duplicates": {"jdoe\x1fFORK": [2, 5]}}, ("duplicate",), None),
    ("the last duplicate is imported as a renewal", cells(),
     {"duplicates": {"jdoe\x1fFORK": [2, 5]}, "is_duplicate_renewal": True}, (),
     {"line": 5}),
]
# fmt: on


def read_in_batches(data, encoding, size, separator=","):
    """The data rows of ``data`` read ``size`` at a time, as an import job's
    batches read them: the first from the top (header skipped), each next one
    from where the one before stopped."""
    records, start = [], None
    while True:
        reader = csv_import.RecordReader(data, separator, encoding, start=start)
        skip = 0 if start else 1
        batch = list(itertools.islice(reader, skip, skip + size))
        if not batch:
            return records
        records += batch
        start = reader.position


class TestCsvRows(BaseCase):
    """One row at a time, through :func:`csv_import.parse_row`."""

    def test_table(self):
        for label, row_cells, options, codes, expected in ROW_CASES:
            with self.subTest(label):
                line = (expected or {}).get("line", 2)
                parsed = csv_import.parse_row(
                    line, row_cells, ImportOptions(mapping=MAPPING, **options)
                )
                row, _warnings = parsed
                self.assertIsInstance(row, ImportRow)
                self.assertEqual(tuple(problem.code for problem in row.errors), codes)
                self.assertEqual((row.line, row.cells), (line, row_cells))
                for name, value in (expected or {}).items():
                    self.assertEqual(getattr(row, name), value, name)

    def test_messages_name_the_values(self):
        row, _warnings = csv_import.parse_row(
            7,
            cells(user="", issued="18/11/2021", expire="2020-01-01", row_type=""),
            ImportOptions(mapping=MAPPING),
        )
        messages = [problem.english() for problem in row.errors]
        self.assertEqual(
            messages,
            [
                "username is mandatory.",
                (
                    "certification_issue_date: 18/11/2021 is not a date in the "
                    "expected format YYYY-MM-DD (e.g. 2021-11-18)."
                ),
                (
                    "type must be one of course, learning_plan, external_training, "
                    "manual (got nothing)."
                ),
            ],
        )

    def test_replaced_duplicate_is_skipped_with_its_reason(self):
        options = ImportOptions(
            mapping=MAPPING,
            duplicates={"jdoe\x1fFORK": [2, 5]},
            is_duplicate_renewal=True,
        )
        skipped = csv_import.parse_row(2, cells(), options)
        self.assertEqual(skipped.code, "replaced")
        self.assertIn("line 5 replaces it", skipped.english())

    def test_always_valid_with_an_expiry_warns(self):
        row, warnings = csv_import.parse_row(
            3, cells(always="1"), ImportOptions(mapping=MAPPING)
        )
        self.assertFalse(row.errors)
        self.assertEqual([w.code for w in warnings], ["expiry_ignored"])
        self.assertIn("Line 3", warnings[0].english())

    def test_mapping_reorders_and_ignores_columns(self):
        mapping = {0: "type", 2: "username", 3: "certification_code"}
        mapping.update({4: "certification_issue_date", 5: "always_valid"})
        row, _warnings = csv_import.parse_row(
            2,
            ["manual", "notes", "jdoe", "FORK", "2024-01-15", "1"],
            ImportOptions(mapping=mapping),
        )
        self.assertFalse(row.errors)
        self.assertEqual((row.username, row.type), ("jdoe", "manual"))


class TestCsvBatch(BaseCase):
    """A batch of records, through :func:`csv_import.parse_rows`."""

    def test_blank_lines_skipped_duplicates_reported(self):
        records = [
            (2, cells()),
            (3, ["", " ", ""]),
            (4, cells(user="asmith", always="1")),
            (5, cells()),
        ]
        options = ImportOptions(
            mapping=MAPPING,
            duplicates={"jdoe\x1fFORK": [2, 5]},
            is_duplicate_renewal=True,
        )
        batch = csv_import.parse_rows(records, options)
        self.assertEqual([row.line for row in batch.rows], [4, 5])
        self.assertEqual(
            [(line, problem.code) for line, problem in batch.skipped],
            [(2, "replaced")],
        )
        self.assertEqual([w.code for w in batch.warnings], ["expiry_ignored"])

    def test_options_round_trip_through_a_payload(self):
        options = ImportOptions(
            mapping={0: "username", 3: "type"},
            tz=BXL,
            is_duplicate_renewal=True,
            duplicates={"a\x1fB": [2, 3]},
            separator="tab",
            encoding="utf-16",
        )
        payload = options.to_payload()
        self.assertEqual(payload["mapping"], {"0": "username", "3": "type"})
        self.assertEqual(ImportOptions.from_payload(payload), options)


# (label, header, expected mapping or problem code)
# fmt: off
MAPPING_CASES = [
    ("canonical", HEADER, dict(enumerate(HEADER))),
    ("any case, extra columns ignored", ["Username", "notes", *HEADER[1:]],
     {0: "username", **{index + 2: name for index, name in enumerate(HEADER[1:])}}),
    ("no canonical header", ["Login", "Cert"], "missing_columns"),
    ("type missing", HEADER[:5], "missing_columns"),
    ("twice", [*HEADER, "USERNAME"], "mapped_twice"),
]
# fmt: on


class TestCsvFile(BaseCase):
    """Whole files: separators, charsets, header, mapping, duplicates."""

    def test_mapping_table(self):
        for label, header, expected in MAPPING_CASES:
            with self.subTest(label):
                mapping = csv_import.default_mapping(header)
                if isinstance(expected, dict):
                    self.assertEqual(mapping, expected)
                    csv_import.check_mapping(mapping)
                    continue
                if label == "twice":
                    mapping[len(header) - 1] = "username"
                with self.assertRaises(CsvFileError) as caught:
                    csv_import.check_mapping(mapping)
                self.assertEqual(caught.exception.problem.code, expected)

    def test_separators_and_charsets(self):
        rows = [cells(user="zoë"), cells(user="josé")]
        for separator in csv_import.SEPARATORS:
            for encoding in ("utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"):
                with self.subTest(separator=separator, encoding=encoding):
                    data = file_bytes(rows, separator=separator, encoding=encoding)
                    header = csv_import.read_header(data, separator, encoding)
                    self.assertEqual(header, HEADER)  # no byte order mark left
                    read = list(csv_import.iter_rows(data, separator, encoding))
                    self.assertEqual(read, [(2, rows[0]), (3, rows[1])])

    def test_line_numbers_count_quoted_line_breaks(self):
        data = file_bytes([cells(item="a\nb"), cells(user="asmith")])
        self.assertEqual([line for line, _cells in csv_import.iter_rows(data)], [3, 4])

    def test_reading_on_from_a_position(self):
        """Batch after batch, each reader starting where the one before
        stopped gives the records and line numbers of one reading of the
        whole file: quoted line breaks, each kind of line end, byte order
        marks, every charset."""
        rows = [
            cells(user="zoë", item="a\nb"),
            cells(user="jo\r\nsé"),
            cells(user="€ \r x"),
            cells(),
            cells(user="last"),
        ]
        for terminator in ("\n", "\r\n", "\r"):
            for encoding in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator=terminator).writerows([HEADER, *rows])
                data = buffer.getvalue().encode(encoding)
                whole = list(csv_import.iter_rows(data, ",", encoding))
                for size in (1, 2, 3):
                    with self.subTest(
                        terminator=terminator, encoding=encoding, size=size
                    ):
                        self.assertGreaterEqual(len(whole), len(rows))
                        self.assertEqual(read_in_batches(data, encoding, size), whole)

    def test_a_position_skips_what_is_before_it(self):
        """A reader started at a position parses nothing before it: a row
        there that cannot be read at all does not stop it."""
        self.addCleanup(csv.field_size_limit, csv.field_size_limit(100))
        too_long = "x" * 101
        head = ",".join(HEADER) + "\n" + ",".join(cells(user=too_long)) + "\n"
        data = (head + ",".join(cells(user="after")) + "\n").encode()
        with self.assertRaises(CsvFileError) as caught:
            list(csv_import.iter_rows(data))
        self.assertEqual(caught.exception.problem.code, "malformed")
        start = csv_import.Position(chars=len(head), line=2)
        reader = csv_import.RecordReader(data, start=start)
        self.assertEqual(list(reader), [(3, cells(user="after"))])
        self.assertEqual(reader.position, csv_import.Position(len(data), 3))

    def test_wrong_charset(self):
        data = file_bytes([cells(user="josé")], encoding="latin-1")
        with self.assertRaises(CsvFileError) as caught:
            list(csv_import.iter_rows(data, ",", "utf-8"))
        self.assertEqual(caught.exception.problem.code, "charset")
        self.assertIn("utf-8", caught.exception.problem.english())

    def test_empty_file(self):
        for data in (b"", b"\n", b" , ,\n"):
            with self.subTest(data=data), self.assertRaises(CsvFileError):
                csv_import.read_header(data)

    def test_find_duplicates(self):
        data = file_bytes(
            [
                cells(),
                cells(user="asmith"),
                ["short"],
                cells(user=" jdoe "),
                cells(code="CRANE"),
                cells(),
            ]
        )
        total, duplicates = csv_import.find_duplicates(data, MAPPING)
        self.assertEqual(total, 6)
        self.assertEqual(duplicates, {"jdoe\x1fFORK": [2, 5, 7]})
        self.assertEqual(
            csv_import.find_duplicates(file_bytes([cells()]), MAPPING), (1, {})
        )

    def test_parse_helpers(self):
        self.assertEqual(
            csv_import.parse_date("2024-02-29", tz_name="UTC"), datetime(2024, 2, 29)
        )
        for value in ("", None, "2024-2-29", "2024-02-30"):
            with self.subTest(value=value), self.assertRaises(RowProblem):
                csv_import.parse_date(value)
        for value, expected in (("1", True), ("Yes", True), ("false", False)):
            self.assertIs(csv_import.parse_bool(value), expected)
        with self.assertRaises(RowProblem):
            csv_import.parse_bool(None)


class TestCsvOutput(BaseCase):
    """The files the import writes: template, failed rows."""

    def test_template_in_each_separator(self):
        for separator in csv_import.SEPARATORS:
            with self.subTest(separator=separator):
                text = csv_import.template_csv(separator)
                delimiter = csv_import.csv_delimiter(separator)
                rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
                self.assertEqual(rows[0], HEADER)
                options = ImportOptions(mapping=csv_import.default_mapping(rows[0]))
                batch = csv_import.parse_rows(enumerate(rows[1:], 2), options)
                self.assertEqual([row.errors for row in batch.rows], [(), ()])

    def test_safe_cells(self):
        # fmt: off
        for value, expected in ((False, ""), (None, ""), (12, "12"), ("-3", "'-3"),
                                ("=SUM(A1)", "'=SUM(A1)"), ("@x", "'@x"),
                                ("a=b", "a=b"), ("", "")):
            # fmt: on
            with self.subTest(value=value):
                self.assertEqual(csv_import.csv_safe_cell(value), expected)

    def test_failed_rows_can_be_uploaded_again(self):
        buffer = io.StringIO()
        failed = [[3, "Unknown user x.", cells(user="x")], [5, "=bad", ["=cmd"]]]
        csv_import.write_failed_rows(buffer, failed, header=HEADER, separator=";")
        rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
        self.assertEqual(rows[0], [*HEADER, "line", "error"])
        self.assertEqual(rows[1], [*cells(user="x"), "3", "Unknown user x."])
        self.assertEqual(rows[2], ["'=cmd", *[""] * 6, "5", "'=bad"])
        header = csv_import.read_header(buffer.getvalue().encode(), ";")
        self.assertEqual(csv_import.strip_failed_columns(header), HEADER)

    def test_failed_rows_without_header(self):
        buffer = io.StringIO()
        csv_import.write_failed_rows(buffer, [[0, "+1 learner refused"]])
        self.assertEqual(
            buffer.getvalue().splitlines(), ["line,reason", "0,'+1 learner refused"]
        )
