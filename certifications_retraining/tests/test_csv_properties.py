# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bad input at volume: property-based tests (Hypothesis) of the CSV format
(``tools/csv_import.py``), no database.

Thousands of generated files (random bytes, wrong charsets, byte order
marks, quotes, separators, huge cells and lines, formula cells, dates in
every format) go through the same steps as an import job: header, mapping,
duplicates, rows. Each one must end in rows (each parsed or carrying its
own readable problems) or in one clear file-level problem, never in any
other exception.
"""

import csv
import io
import string
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools import csv_import
from ..tools.csv_import import (
    CsvFileError,
    ImportOptions,
    ImportRow,
    Problem,
    RowProblem,
)
from .test_csv_parsing import read_in_batches

HEADER = [name for name, _label in csv_import.COLUMNS]
# No example database on disk (the suite runs from a clean clone), no
# deadline (timings on a shared machine are noise), examples derived from
# the test name so that a failure is reproduced by running the test again.
PROPERTIES = settings(
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEPARATORS = st.sampled_from(csv_import.SEPARATORS)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
FILE_PROBLEMS = {"charset", "empty", "mapped_twice", "missing_columns", "malformed"}
# cells made of what breaks CSV readers: quotes, every separator, line
# breaks, byte order marks, NUL, formula prefixes, non-Latin letters
NASTY = "\"',;|\t\r\n\ufeff\x00=+-@ éß漢字" + string.ascii_letters + string.digits
CELLS = st.text(alphabet=NASTY, max_size=40)
DATE_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%Y%m%d",
    "%d-%m-%Y",
    "%b %d %Y",
    "%d %B %Y",
    "%Y-%m-%dT%H:%M:%S",
    "%y-%m-%d",
    "%Y-%j",
    "%G-W%V-%u",
    " %Y-%m-%d ",
]


def run_import_steps(data, separator=",", encoding="utf-8", tz="UTC"):
    """What an import job does with a file, without a database: the
    header and its mapping, the duplicates over the whole file, then every
    row. Returns the :class:`ParsedBatch`; raises :class:`CsvFileError`."""
    header = csv_import.strip_failed_columns(
        csv_import.read_header(data, separator, encoding)
    )
    mapping = csv_import.default_mapping(header)
    csv_import.check_mapping(mapping)
    _total, duplicates = csv_import.find_duplicates(data, mapping, separator, encoding)
    options = ImportOptions(
        mapping=mapping,
        tz=tz,
        duplicates=duplicates,
        separator=separator,
        encoding=encoding,
    )
    records = csv_import.iter_rows(data, separator, encoding)
    return csv_import.parse_rows(records, options)


def write_csv(rows, separator=",", encoding="utf-8", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=csv_import.csv_delimiter(separator), lineterminator="\r\n"
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def csv_files(draw, cells=CELLS):
    """A CSV file with our header (columns maybe shuffled or missing) and
    rows of hostile cells, in some separator and charset."""
    header = draw(st.permutations(HEADER))
    header = header[: draw(st.integers(min_value=3, max_value=len(header)))]
    width = st.integers(min_value=0, max_value=len(header) + 2)
    rows = draw(
        st.lists(
            width.flatmap(lambda n: st.lists(cells, min_size=n, max_size=n)),
            max_size=12,
        )
    )
    separator = draw(SEPARATORS)
    encoding = draw(ENCODINGS)
    return write_csv(rows, separator, encoding, header), separator, encoding


class TestCsvProperties(BaseCase):
    def assert_clear_outcome(self, data, separator, encoding):
        """``data`` ends in rows with readable problems, or in one clear
        file-level problem: nothing else."""
        try:
            batch = run_import_steps(data, separator, encoding)
        except CsvFileError as error:
            self.assertIn(error.problem.code, FILE_PROBLEMS)
            self.assertTrue(error.problem.english())
            return None
        for row in batch.rows:
            self.assertIsInstance(row, ImportRow)
            for problem in row.errors:
                self.assertIsInstance(problem, Problem)
                self.assertTrue(problem.english())
            if not row.errors:
                self.assertTrue(row.username and row.certification_code)
                self.assertIn(row.type, csv_import.ROW_TYPES)
                self.assertIsInstance(row.date_issued, datetime)
        for _line, problem in batch.skipped:
            self.assertTrue(problem.english())
        for problem in batch.warnings:
            self.assertTrue(problem.english())
        return batch

    @settings(PROPERTIES, max_examples=1000)
    @given(data=st.binary(max_size=2000), separator=SEPARATORS, encoding=ENCODINGS)
    def test_random_bytes_end_in_rows_or_a_clear_file_problem(
        self, data, separator, encoding
    ):
        self.assert_clear_outcome(data, separator, encoding)

    @settings(PROPERTIES, max_examples=500)
    @given(
        body=st.binary(max_size=1000),
        bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
        separator=SEPARATORS,
        encoding=ENCODINGS,
    )
    def test_our_header_then_random_bytes(self, body, bom, separator, encoding):
        delimiter = csv_import.csv_delimiter(separator)
        head = (delimiter.join(HEADER) + "\n").encode()
        self.assert_clear_outcome(bom + head + body, separator, encoding)

    @settings(PROPERTIES, max_examples=400)
    @given(csv_files())
    def test_hostile_cells_end_in_rows_or_a_clear_file_problem(self, generated):
        self.assert_clear_outcome(*generated)

    @settings(PROPERTIES, max_examples=300)
    @given(generated=csv_files(), size=st.integers(min_value=1, max_value=4))
    def test_batches_read_on_as_one_reading(self, generated, size):
        """An import job's batches, each reading on from where the one before
        stopped, give the records and line numbers of one reading of the
        whole file, or the same file problem."""
        data, separator, encoding = generated
        try:
            whole = list(csv_import.iter_rows(data, separator, encoding))
        except CsvFileError as error:
            whole = error.problem.code
        try:
            batches = read_in_batches(data, encoding, size, separator)
        except CsvFileError as error:
            batches = error.problem.code
        self.assertEqual(batches, whole)

    @settings(PROPERTIES, max_examples=300)
    @given(
        rows=st.lists(
            st.lists(CELLS, min_size=len(HEADER), max_size=len(HEADER)), max_size=10
        ),
        separator=SEPARATORS,
    )
    def test_every_record_is_read_back_as_written(self, rows, separator):
        """Quotes, separators and line breaks inside cells survive: each
        non-blank record comes back with its cells (stripped), in order."""
        data = write_csv(rows, separator)
        batch = self.assert_clear_outcome(data, separator, "utf-8")
        kept = [row for row in rows if any(cell.strip() for cell in row)]
        self.assertFalse(batch.skipped)
        self.assertEqual([row.cells for row in batch.rows], kept)

    @settings(PROPERTIES, max_examples=60)
    @given(
        size=st.integers(min_value=100_000, max_value=400_000),
        quoted=st.booleans(),
        separator=SEPARATORS,
    )
    def test_huge_cells_and_lines(self, size, quoted, separator):
        """A cell or a line far beyond the usual sizes is a clear problem or
        a row, never a reader's traceback."""
        cell = "x" * size
        cell = f'"{cell}' if quoted else cell
        delimiter = csv_import.csv_delimiter(separator)
        data = (
            delimiter.join(HEADER)
            + "\n"
            + delimiter.join(["jdoe", "FORK", cell, "1", "", "manual", ""])
            + "\n"
        ).encode()
        batch = self.assert_clear_outcome(data, separator, "utf-8")
        if batch is not None:
            self.assertTrue(all(row.errors for row in batch.rows))

    @settings(PROPERTIES, max_examples=400)
    @given(
        day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
        fmt=st.sampled_from(DATE_FORMATS),
        tz=st.sampled_from(
            ["UTC", "Europe/Brussels", "Pacific/Kiritimati", "America/Adak"]
        ),
    )
    def test_dates_in_every_format(self, day, fmt, tz):
        """Only YYYY-MM-DD is a date; any other format is the row's date
        problem, and a date is 00:00 of that day in the uploader's zone."""
        try:
            text = day.strftime(fmt)
        except ValueError:
            return
        try:
            value = csv_import.parse_date(text, "certification_issue_date", tz)
        except RowProblem as error:
            self.assertEqual(error.problem.code, "date")
            self.assertIn(text, error.problem.english())
            return
        self.assertEqual(text, day.isoformat())
        self.assertIsInstance(value, datetime)
        self.assertLessEqual(abs((value.date() - day).days), 1)

    @settings(PROPERTIES, max_examples=300)
    @given(text=st.text(max_size=30))
    def test_any_text_as_a_date_or_a_boolean(self, text):
        for parse in (
            lambda: csv_import.parse_date(text, "certification_issue_date", "UTC"),
            lambda: csv_import.parse_bool(text),
        ):
            try:
                parse()
            except RowProblem as error:
                self.assertIn(error.problem.code, {"date", "mandatory", "boolean"})
                self.assertTrue(error.problem.english())

    @settings(PROPERTIES, max_examples=300)
    @given(
        failed=st.lists(
            st.tuples(
                st.integers(min_value=2, max_value=10**6),
                CELLS,
                st.lists(CELLS, max_size=len(HEADER) + 2),
            ),
            max_size=8,
        ),
        separator=SEPARATORS,
    )
    def test_failed_rows_file_is_safe_and_uploads_again(self, failed, separator):
        """The failed-rows file opens in a spreadsheet without running a
        formula, and uploaded again it has the import's header."""
        buffer = io.StringIO()
        rows = [[line, error, cells] for line, error, cells in failed]
        csv_import.write_failed_rows(buffer, rows, HEADER, separator)
        data = buffer.getvalue().encode()
        header = csv_import.strip_failed_columns(
            csv_import.read_header(data, separator)
        )
        self.assertEqual(header, HEADER)
        for _line, cells in csv_import.iter_rows(data, separator):
            for cell in cells:
                self.assertFalse(cell.startswith(csv_import.CSV_FORMULA_PREFIXES), cell)
        self.assert_clear_outcome(data, separator, "utf-8")
