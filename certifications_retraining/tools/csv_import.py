# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The CSV format of the certification record import, in plain Python.

No ORM and no database: the only thing taken from Odoo is its lazy
translation marker, so that messages are translated by the caller, in the
caller's language (``env._(problem.message)``).

Entry point: :func:`parse_rows` turns ``(line, cells)`` records, as read by
:func:`iter_rows`, into a :class:`ParsedBatch`::

    options = ImportOptions(mapping=default_mapping(header), tz="Europe/Brussels")
    batch = parse_rows(iter_rows(data, options.separator, options.encoding), options)
    batch.rows      # ImportRow per record; row.errors empty when the row parses
    batch.skipped   # (line, Problem): duplicates that a later row replaces
    batch.warnings  # Problem: harmless oddities worth a line in the job's log

Everything else the import needs from a file lives here too: the columns and
their mapping (:func:`default_mapping`, :func:`check_mapping`), the separators
(:func:`csv_delimiter`) and charsets (:func:`iter_records`), dates and
booleans (:func:`parse_date`, :func:`parse_bool`), duplicate detection over
the whole file (:func:`find_duplicates`), the template (:func:`template_csv`)
and the failed-rows file (:func:`write_failed_rows`, :func:`csv_safe_cell`).
Reading errors of a whole file raise :class:`CsvFileError`; a row's problems
are collected on the row, none stops at the first.
"""

import csv
import functools
import io
import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime, time

import pytz

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

COLUMNS = [
    ("username", "username"),
    ("certification_code", "certification_code"),
    ("certification_issue_date", "certification_issue_date"),
    ("always_valid", "always_valid"),
    ("certification_expire_date", "certification_expire_date"),
    ("type", "type"),
    ("code", "code"),
]
REQUIRED_COLUMNS = (
    "username",
    "certification_code",
    "certification_issue_date",
    "always_valid",
    "type",
)
ROW_TYPES = ("course", "learning_plan", "external_training", "manual")
# the separators offered, by key; the tab's key has no white space so that a
# .po can translate its label
SEPARATORS = (",", ";", "tab", "|")
TRUE_VALUES = ("1", "true", "yes")
FALSE_VALUES = ("0", "false", "no")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# the columns a failed-rows file adds after the original ones: ignored on upload
FAILED_ROWS_COLUMNS = ("line", "error")
# the two example rows of the template: an expiring and an always-valid one
TEMPLATE_ROWS = [
    ["jdoe", "FORK", "2024-01-15", "0", "2026-01-15", "course", "FORK-101"],
    ["asmith", "FIRSTAID", "2023-06-01", "1", "", "manual", ""],
]
# Spreadsheet applications read a cell starting with one of these as a formula.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# joins the learner and certification of a row into a duplicate key
KEY_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a file, or a row, cannot be imported as is. ``code`` names the
    check for programs and tests; ``message`` is a lazy translation for
    people: ``env._(problem.message)``, or :meth:`english`."""

    code: str
    message: object

    def english(self):
        return self.message._translate("en_US")


class CsvFileError(ValueError):
    """The file as a whole cannot be imported (charset, header, mapping)."""

    def __init__(self, problem):
        super().__init__(problem.code)
        self.problem = problem


class RowProblem(ValueError):
    """A value of a row cannot be read; ``problem`` says why."""

    def __init__(self, problem):
        super().__init__(problem.code)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to read a file: its column mapping (``{column index: field}``),
    the uploader's timezone (dates are days there), whether duplicates are
    renewals, the duplicate keys found in the whole file by
    :func:`find_duplicates`, the separator key and the charset."""

    mapping: dict
    tz: str = "UTC"
    is_duplicate_renewal: bool = False
    duplicates: dict = field(default_factory=dict)
    separator: str = ","
    encoding: str = "utf-8"

    @classmethod
    def from_payload(cls, payload):
        """The options stored in a job's JSON payload (string mapping keys)."""
        return cls(
            mapping={int(index): name for index, name in payload["mapping"].items()},
            tz=payload.get("tz") or "UTC",
            is_duplicate_renewal=bool(payload.get("is_duplicate_renewal")),
            duplicates=payload.get("duplicates") or {},
            separator=payload.get("separator") or ",",
            encoding=payload.get("encoding") or "utf-8",
        )

    def to_payload(self):
        return {
            "mapping": {str(index): name for index, name in self.mapping.items()},
            "tz": self.tz,
            "is_duplicate_renewal": self.is_duplicate_renewal,
            "duplicates": self.duplicates,
            "separator": self.separator,
            "encoding": self.encoding,
        }


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One record of the file as parsed: its line, its original cells (for
    the failed-rows file), the values read, and every problem found without a
    database (empty ``errors``: the row parses)."""

    line: int
    cells: list
    username: str = ""
    certification_code: str = ""
    type: str | None = None
    code: str | None = None
    date_issued: datetime | None = None
    date_expiry: datetime | None = None
    is_always_valid: bool | None = None
    errors: tuple = ()

    @property
    def key(self):
        """The row's duplicate key: learner and certification."""
        return duplicate_key(self.username, self.certification_code)


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    rows: list
    skipped: list
    warnings: list


# ------------------------------------------------------------
# CELLS AND SEPARATORS
# ------------------------------------------------------------


def csv_delimiter(separator):
    """The character of a separator choice: its key, except the tab's ("tab",
    a key without white space, so that a .po can translate its label)."""
    return "\t" if separator == "tab" else separator


def csv_safe_cell(value):
    """A CSV cell that spreadsheets show as text: like Odoo's own CSV export,
    a leading formula character gets a quote in front of it."""
    if value is None or value is False:
        return ""
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def duplicate_key(username, certification_code):
    return f"{username}{KEY_SEPARATOR}{certification_code}"


# ------------------------------------------------------------
# READING A FILE
# ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """Where a reading of a file stopped: the characters (decoded) and the
    physical lines read from its start, through the end of a record."""

    chars: int = 0
    line: int = 0


class RecordReader:
    """The records of a file as ``(line number, cells)``, header included,
    decoded on the fly so that memory does not grow with the file. ``data``:
    bytes or a binary stream (closed when the iteration ends). A byte order
    mark is dropped from the first cell.

    ``start``: the :attr:`position` an earlier reader of the same file had
    reached; the reading goes on from there without parsing what comes
    before (a job's batch does not read again the rows of the batches before
    it). :attr:`position` is where the last record given ends."""

    def __init__(self, data, separator=",", encoding="utf-8", start=None):
        self.data = data
        self.separator = separator
        self.encoding = encoding
        self.start = start or Position()
        self._chars = self.start.chars
        # where the last record given ends (see :attr:`position`)
        self._end_chars, self._end_line = self.start.chars, self.start.line

    @property
    def position(self):
        return Position(self._end_chars, self._end_line)

    def __iter__(self):
        stream = self.data if hasattr(self.data, "read") else io.BytesIO(self.data)
        self._chars = self.start.chars
        reader = None
        try:
            with io.TextIOWrapper(stream, encoding=self.encoding, newline="") as text:
                _skip_chars(text, self.start.chars)
                reader = csv.reader(
                    self._count_lines(text), delimiter=csv_delimiter(self.separator)
                )
                first = not self.start.chars
                for cells in reader:
                    if first and cells:
                        cells[0] = cells[0].removeprefix("\ufeff")
                    first = False
                    line = self.start.line + reader.line_num
                    # csv reads no line past the record it gives
                    self._end_chars, self._end_line = self._chars, line
                    yield line, cells
        except (csv.Error, UnicodeError, LookupError) as error:
            line = self.start.line + (reader.line_num if reader else 0) + 1
            raise CsvFileError(_reading_problem(error, self.encoding, line)) from error

    def _count_lines(self, text):
        """The lines of ``text`` as csv would read them, counted in
        characters."""
        for line in text:
            self._chars += len(line)
            yield line


def _reading_problem(error, encoding, line):
    """The :class:`Problem` of a file that cannot be read on at ``line``."""
    if isinstance(error, csv.Error):
        # a cell longer than the reader's limit (csv.field_size_limit())
        return Problem(
            "malformed",
            _lt(
                "Line %(line)s cannot be read as CSV: %(error)s. Cells are "
                "limited to %(limit)s characters.",
                line=line,
                error=str(error),
                limit=csv.field_size_limit(),
            ),
        )
    # UnicodeError: undecodable bytes, and also a UTF-16 file without BOM
    return Problem(
        "charset",
        _lt(
            "The file cannot be read with the charset %(encoding)s: pick "
            "another charset. (%(error)s)",
            encoding=encoding,
            error=str(error),
        ),
    )


def _skip_chars(text, count, chunk=1 << 20):
    """Read ``count`` characters of ``text``, a chunk at a time."""
    while count > 0:
        read = len(text.read(min(count, chunk)))
        if not read:
            return
        count -= read


def iter_records(data, separator=",", encoding="utf-8"):
    """(line number, cells) of every record, header included (see
    :class:`RecordReader`)."""
    return iter(RecordReader(data, separator, encoding))


def iter_rows(data, separator=",", encoding="utf-8"):
    """(line number, cells) of every data row, header excluded."""
    return itertools.islice(iter_records(data, separator, encoding), 1, None)


def read_header(data, separator=",", encoding="utf-8"):
    """The header's cells, stripped."""
    _line, header = next(iter_records(data, separator, encoding), (0, []))
    if not header or not any(cell.strip() for cell in header):
        raise CsvFileError(
            Problem(
                "empty", _lt("The file is empty: the first line must hold headers.")
            )
        )
    return [cell.strip() for cell in header]


def strip_failed_columns(header):
    """The header without the trailing ``line`` and ``error`` columns of a
    failed-rows file uploaded again."""
    if tuple(name.lower() for name in header[-2:]) == FAILED_ROWS_COLUMNS:
        return header[:-2]
    return header


def default_mapping(header):
    """{column index: canonical field} for headers named like a field."""
    names = dict(COLUMNS)
    return {
        index: name.lower()
        for index, name in enumerate(header)
        if name.lower() in names
    }


def check_mapping(mapping):
    """Raise :class:`CsvFileError` unless every mandatory field is mapped,
    each once."""
    mapped = list(mapping.values())
    twice = {name for name in mapped if mapped.count(name) > 1}
    if twice:
        raise CsvFileError(
            Problem(
                "mapped_twice",
                _lt(
                    "Several columns are mapped to %(fields)s: map each field once.",
                    fields=", ".join(sorted(twice)),
                ),
            )
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in mapped]
    if missing:
        raise CsvFileError(
            Problem(
                "missing_columns",
                _lt(
                    "Mandatory columns are missing: %(columns)s. Expected headers: "
                    "%(expected)s.",
                    columns=", ".join(missing),
                    expected=", ".join(name for name, _label in COLUMNS),
                ),
            )
        )


def find_duplicates(data, mapping, separator=",", encoding="utf-8"):
    """(number of rows, {duplicate key: [line, ...]} for keys on several
    rows) of the file ``data`` (bytes: it is read twice). A first pass keeps
    only hashes of the keys, a second one the lines of the few keys seen
    twice: memory stays small."""
    by_field = {name: index for index, name in mapping.items()}
    columns = (by_field["username"], by_field["certification_code"])
    seen, twice, total = set(), set(), 0
    for _line, key in _iter_keys(data, columns, separator, encoding):
        total += 1
        if key is None:
            continue
        digest = hash(key)
        (twice if digest in seen else seen).add(digest)
    if not twice:
        return total, {}
    lines_by_key = {}
    for line, key in _iter_keys(data, columns, separator, encoding):
        if key is not None and hash(key) in twice:
            lines_by_key.setdefault(key, []).append(line)
    return total, {key: lines for key, lines in lines_by_key.items() if len(lines) > 1}


def _iter_keys(data, columns, separator, encoding):
    last = max(columns)
    for line, cells in iter_rows(data, separator, encoding):
        if last >= len(cells):
            yield line, None
            continue
        yield line, duplicate_key(cells[columns[0]].strip(), cells[columns[1]].strip())


# ------------------------------------------------------------
# PARSING ROWS
# ------------------------------------------------------------


def parse_rows(records, options):
    """Parse ``(line, cells)`` records with ``options``: blank lines are no
    record; a duplicate that a later row replaces (duplicates imported as
    renewals) is skipped with its reason; every other record becomes an
    :class:`ImportRow` carrying all its problems."""
    rows, skipped, warnings = [], [], []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is no record
        parsed = parse_row(line, cells, options)
        if isinstance(parsed, Problem):
            skipped.append((line, parsed))
            continue
        row, row_warnings = parsed
        warnings.extend(row_warnings)
        rows.append(row)
    return ParsedBatch(rows, skipped, warnings)


def parse_row(line, cells, options):
    """``(ImportRow, warnings)``, or the :class:`Problem` that skips the row
    (a duplicate that a later row replaces)."""
    values = {
        name: cells[index].strip() if index < len(cells) else ""
        for index, name in options.mapping.items()
    }
    username = values.get("username", "")
    certification_code = values.get("certification_code", "")
    errors, warnings = [], []
    duplicates = options.duplicates.get(duplicate_key(username, certification_code))
    if duplicates:
        if not options.is_duplicate_renewal:
            errors.append(_duplicate_problem(username, certification_code, duplicates))
        elif line != duplicates[-1]:
            return Problem(
                "replaced",
                _lt(
                    "skipped: line %(last)s replaces it (duplicate rows imported as "
                    "renewals: the last one wins).",
                    last=duplicates[-1],
                ),
            )
    for name in ("username", "certification_code"):
        if not values.get(name):
            errors.append(_mandatory(name))
    validity = _parse_validity(line, values, options.tz, errors, warnings)
    row_type, code = _parse_type(values, errors)
    row = ImportRow(
        line,
        cells,
        username,
        certification_code,
        row_type,
        code,
        *validity,
        errors=tuple(errors),
    )
    return row, warnings


def _duplicate_problem(username, certification_code, lines):
    return Problem(
        "duplicate",
        _lt(
            "Duplicate rows for user %(user)s and certification %(code)s on lines "
            "%(lines)s: fix the file or import duplicates as renewals.",
            user=username,
            code=certification_code,
            lines=", ".join(map(str, lines)),
        ),
    )


def _mandatory(column):
    return Problem("mandatory", _lt("%(column)s is mandatory.", column=column))


def _parse_validity(line, values, tz, errors, warnings):
    """(issue date, expiry date, always valid) of a row; problems are
    appended to ``errors`` and ``warnings``."""
    issued = expiry = always = None
    try:
        issued = parse_date(
            values.get("certification_issue_date"), "certification_issue_date", tz
        )
    except RowProblem as error:
        errors.append(error.problem)
    try:
        always = parse_bool(values.get("always_valid"))
    except RowProblem as error:
        errors.append(error.problem)
        return issued, expiry, always
    expire = values.get("certification_expire_date")
    if always:
        if expire:
            warnings.append(
                Problem(
                    "expiry_ignored",
                    _lt(
                        "Line %(line)s: certification_expire_date ignored, the "
                        "certification is always valid.",
                        line=line,
                    ),
                )
            )
        return issued, False, always
    try:
        expiry = parse_date(expire, "certification_expire_date", tz)
    except RowProblem as error:
        errors.append(error.problem)
        return issued, expiry, always
    if issued and expiry < issued:
        errors.append(
            Problem(
                "expiry_before_issue",
                _lt(
                    "certification_expire_date %(expiry)s is before "
                    "certification_issue_date %(issued)s.",
                    expiry=expire,
                    issued=values["certification_issue_date"],
                ),
            )
        )
    return issued, expiry, always


def _parse_type(values, errors):
    """(type, item code) of a row; a manual row has no item code."""
    raw = values.get("type", "")
    row_type = raw.lower()
    if row_type not in ROW_TYPES:
        errors.append(
            Problem(
                "type",
                _lt(
                    "type must be one of %(types)s (got %(value)s).",
                    types=", ".join(ROW_TYPES),
                    value=raw or _lt("nothing"),
                ),
            )
        )
        return None, None
    if row_type == "manual":
        return row_type, False
    code = values.get("code")
    if not code:
        errors.append(
            Problem(
                "code_mandatory",
                _lt("code is mandatory for the type %(type)s.", type=row_type),
            )
        )
    return row_type, code


def parse_date(value, column="date", tz_name="UTC"):
    """A YYYY-MM-DD day as 00:00 in ``tz_name``, as a naive UTC datetime;
    raises :class:`RowProblem` when ``value`` is empty or no such day."""
    if not value:
        raise RowProblem(_mandatory(column))
    try:
        return _day_start_in_utc(value, tz_name or "UTC")
    except ValueError as error:
        raise RowProblem(
            Problem(
                "date",
                _lt(
                    "%(column)s: %(value)s is not a date in the expected format "
                    "YYYY-MM-DD (e.g. 2021-11-18).",
                    column=column,
                    value=value,
                ),
            )
        ) from error


@functools.lru_cache(maxsize=4096)
def _day_start_in_utc(value, tz_name):
    """00:00 of the YYYY-MM-DD day ``value`` in ``tz_name``, in naive UTC
    (ValueError when it is no such day). Cached: an import's rows share few
    dates, and localizing each of them again is most of a row's parsing."""
    if not DATE_RE.match(value):
        raise ValueError(value)
    day = datetime.strptime(value, "%Y-%m-%d").date()
    local = pytz.timezone(tz_name).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def parse_bool(value):
    """1/0, true/false, yes/no in any case; raises :class:`RowProblem`
    otherwise."""
    lowered = (value or "").lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in FALSE_VALUES:
        return False
    raise RowProblem(
        Problem(
            "boolean",
            _lt(
                "always_valid must be 1/0, true/false or yes/no (got %(value)s).",
                value=value or _lt("nothing"),
            ),
        )
    )


# ------------------------------------------------------------
# WRITING FILES: the template, the failed rows
# ------------------------------------------------------------


def template_csv(separator=","):
    """The import template: the canonical header and two example rows (an
    expiring and an always-valid one), in ``separator``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(separator), lineterminator="\n")
    writer.writerow([name for name, _label in COLUMNS])
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue()


def write_failed_rows(buffer, failed_rows, header=None, separator=","):
    """Write ``failed_rows`` (``[line, reason, cells]`` lists) as CSV into
    ``buffer``. With the import's ``header``: the original header and cells
    of each row, then ``line`` and ``error``, so that the fixed file can be
    uploaded again as is (those two columns are ignored). Without it: just
    ``line`` and ``reason``. Every cell is made safe for spreadsheets."""
    if header is None:
        writer = csv.writer(buffer)
        writer.writerow(["line", "reason"])
        writer.writerows(
            [csv_safe_cell(cell) for cell in row[:2]] for row in failed_rows
        )
        return
    writer = csv.writer(buffer, delimiter=csv_delimiter(separator))
    writer.writerow([csv_safe_cell(cell) for cell in [*header, *FAILED_ROWS_COLUMNS]])
    for line, error, *cells in failed_rows:
        original = list(cells[0] if cells else [])[: len(header)]
        original += [""] * (len(header) - len(original))
        writer.writerow([csv_safe_cell(cell) for cell in [*original, line, error]])
