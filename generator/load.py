"""Reading the agency's files: YAML with key lines, CSV in whatever form a spreadsheet wrote it.

Every record keeps the physical line it started on, so a problem can be reported where a person
will find it (pandas row numbers drift on quoted newlines; Python's ``csv`` reader does not).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import functools
import io
import itertools
import mmap
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pyarrow import csv as pa_csv

from .columns import MENTION_OPTIONAL, MENTION_REPEATED, MENTION_REQUIRED, MENTION_TIME
from .problems import Problem, Severity, display_path, quote

if TYPE_CHECKING:
    # Not loaded with this module: a file is read (by Arrow) while pandas loads. See
    # ``TableAhead``.
    import pandas as pd

LINE = "__line"

_T = TypeVar("_T")

_UTF8_BOM = b"\xef\xbb\xbf"
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# A mention text may be long; the csv module's default of 128 KiB per field would stop the read.
csv.field_size_limit(2**31 - 1)


class LoadError(Exception):
    """A file that cannot be read at all; carries the one message that says why."""

    def __init__(self, message: str, hint: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


# --------------------------------------------------------------------------------------------
# YAML


@dataclass
class YamlDoc:
    """A parsed YAML document and the line of every key, by its path of keys and indexes."""

    data: Any
    lines: dict[tuple[str | int, ...], int]

    def line_of(self, loc: Iterable[str | int]) -> int | None:
        """The line of the deepest known key on ``loc`` (a missing key reports its parent)."""
        path = tuple(loc)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def load_yaml(path: Path) -> YamlDoc:
    """Parse a YAML file safely; raises LoadError with the line of a syntax error."""
    return parse_yaml(_decode(_read_bytes(path))[0])


#: libyaml's parser, where PyYAML was built with it: a client.yml in a sixth of the time,
#: which every command pays for every client.
_FAST_LOADER: type[Any] | None = getattr(yaml, "CSafeLoader", None)


def parse_yaml(text: str, fast: bool = True) -> YamlDoc:
    """``text`` parsed, with the line of each key. A document libyaml cannot parse is parsed
    again by PyYAML's own parser, which words the problem and its line as it always has."""
    if fast and _FAST_LOADER is not None:
        loader = _FAST_LOADER(text)
        try:
            node = loader.get_single_node()
            _bounded(node)
            data = loader.construct_document(node) if node is not None else None
        except (yaml.YAMLError, RecursionError, ValueError):
            return parse_yaml(text, fast=False)
        finally:
            loader.dispose()
        return _with_lines(data, node)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise LoadError(
            f"YAML cannot contain the control character U+{code:04X}", line=line
        ) from exc
    try:
        node = loader.get_single_node()
        _bounded(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark is not None else None
        raise LoadError(f"YAML syntax error: {exc.problem or exc.context}", line=at) from exc
    except yaml.YAMLError as exc:
        raise LoadError(f"YAML error: {exc}") from exc
    except RecursionError as exc:
        raise LoadError("YAML error: lists or mappings nested too deeply") from exc
    except ValueError as exc:
        # PyYAML reads `2026-02-30` as a date, and fails to make one of it.
        value, at = _unmade_scalar(node)
        raise LoadError(f"YAML error: {quote(value)} is not a date: {exc}", line=at) from exc
    finally:
        loader.dispose()
    return _with_lines(data, node)


def _unmade_scalar(node: yaml.Node | None) -> tuple[str, int | None]:
    """The first value of ``node`` PyYAML cannot make (a date of no calendar day), and its
    line; the value's text and no line when none is found."""
    pending = [node] if node is not None else []
    while pending:
        item = pending.pop(0)
        if isinstance(item, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(item)
            except ValueError:
                return item.value, item.start_mark.line + 1
        elif isinstance(item, yaml.MappingNode):
            pending.extend(part for pair in item.value for part in pair)
        elif isinstance(item, yaml.SequenceNode):
            pending.extend(item.value)
    return "", None


#: Values a YAML document may stand for once its aliases (`*name`) are followed. A client.yml
#: holds hundreds; ten lines of aliases of aliases can stand for billions, which reading the
#: document value by value would never finish.
YAML_VALUES = 100_000


def _bounded(node: yaml.Node | None) -> None:
    """Raises LoadError when ``node`` stands for more than ``YAML_VALUES`` values, or holds
    itself, with its aliases followed. Each node is counted once: the count takes as long as
    the document as written, however many values it stands for."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_:
            raise LoadError("YAML value holds an alias of itself", line=node.start_mark.line + 1)
        open_.add(key)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        total = 1 + sum(size(child) for child in children)
        open_.discard(key)
        sizes[key] = min(total, YAML_VALUES + 1)
        return sizes[key]

    if node is not None and size(node) > YAML_VALUES:
        raise LoadError(
            f"YAML stands for more than {YAML_VALUES:,} values once its aliases (*name) are "
            "followed",
            "write the values out, or name fewer aliases within aliases",
        )


def _with_lines(data: Any, node: yaml.Node | None) -> YamlDoc:
    lines: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return YamlDoc(data, lines)


def _collect_lines(
    node: yaml.Node, path: tuple[str | int, ...], out: dict[tuple[str | int, ...], int]
) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            line = key.start_mark.line + 1
            if name in seen:
                # YAML loaders keep the last value silently; that would lose the first.
                raise LoadError(
                    f"key '{name}' appears twice (first on line {seen[name]})", line=line
                )
            seen[name] = line
            out[(*path, name)] = line
            _collect_lines(value, (*path, name), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out[(*path, index)] = item.start_mark.line + 1
            _collect_lines(item, (*path, index), out)


# --------------------------------------------------------------------------------------------
# CSV


@dataclass
class ArrowRows:
    """Records as Arrow read them, not yet a frame: small files of one layout are joined as
    Arrow tables (nearly free) and made one frame, instead of a frame each (milliseconds each,
    whatever their size)."""

    table: pa.Table
    header: list[str]
    lines: np.ndarray
    repeated: frozenset[str]

    def __len__(self) -> int:
        return self.table.num_rows

    def frame(self) -> pd.DataFrame:
        columns = (column.to_pandas() for column in self.table.columns)
        return _frame(self.header, columns, self.lines, self.repeated)

    @staticmethod
    def join(parts: list[ArrowRows]) -> ArrowRows:
        """The records of several files of one header, one after another. A repeated column's
        values come first-seen first, across the files as within one."""
        return ArrowRows(
            pa.concat_tables([part.table for part in parts]),
            parts[0].header,
            np.concatenate([part.lines for part in parts]),
            parts[0].repeated,
        )


@dataclass
class Table:
    """A CSV file read as text: one string column per header name, plus each record's line."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    #: The records read: a frame, or Arrow's columns made a frame when ``frame`` is first read.
    rows: pd.DataFrame | ArrowRows
    problems: list[Problem] = field(default_factory=list)
    rejected_lines: list[int] = field(default_factory=list)
    raw_rejected: list[list[str]] = field(default_factory=list)
    #: Whether the file holds a NUL character (a zero byte) anywhere: its values are then
    #: checked for one, which a clean file need not pay for.
    nul: bool = False
    #: Whether bytes that are not UTF-8 were read as U+FFFD: the values are then checked for it.
    mended: bool = False
    #: The header's cells as written (``header`` has them normalised).
    raw_header: list[str] = field(default_factory=list)
    #: For a column whose cells came from several of the file's columns (a table kept wide,
    #: made long), the name of the column each row's cell was written in: problems name it.
    written_in: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """One text column per header name (repeated ones as categories), and ``LINE``."""
        if isinstance(self.rows, ArrowRows):
            self.rows = self.rows.frame()  # the Arrow table is let go: the frame shares it
        return self.rows

    @property
    def written_header(self) -> list[str]:
        """Each column's header cell as the file wrote it (its name, for a table the tool
        made, without the cells)."""
        return self.raw_header if len(self.raw_header) == len(self.header) else self.header

    @property
    def lines(self) -> np.ndarray:
        """Each record's line."""
        if isinstance(self.rows, ArrowRows):
            return self.rows.lines
        return self.rows[LINE].to_numpy()

    def renamed(self, names: Mapping[str, str]) -> Table:
        """The table with each column named in ``names`` (as normalised) called what it maps
        to, all at once: `{a: b, b: a}` swaps two columns."""
        header = [names.get(name, name) for name in self.header]
        rows = (
            dataclasses.replace(self.rows, header=header)
            if isinstance(self.rows, ArrowRows)
            else self.rows.rename(columns=dict(names))
        )
        return dataclasses.replace(self, header=header, rows=rows)

    @property
    def decimal_comma(self) -> bool:
        """A comma may be a decimal separator only when it is not the delimiter."""
        return self.delimiter != ","

    @property
    def rows_read(self) -> int:
        return len(self.rows) + len(self.rejected_lines)


#: Russian column names that exports from Russian monitoring tools and spreadsheets use, and
#: the names a table kept by hand gives its months and figures.
HEADER_ALIASES = {
    "дата": "date",
    "бренд": "brand",
    "тональность": "sentiment",
    "платформа": "platform",
    "площадка": "platform",
    "тип": "kind",
    "тип_сми": "media_type",
    "ссылка": "url",
    "автор": "author",
    "текст": "text",
    "лайки": "likes",
    "комментарии": "comments",
    "репосты": "reposts",
    "охват": "reach",
    "период": "period",
    "месяц": "period",
    "month": "period",
    "подписчики": "followers",
    "subscribers": "followers",
    "посты": "posts",
    "публикации": "posts",
    "метрика": "metric",
    "показатель": "metric",
    "значение": "value",
    "время": "time",
}

#: Names that monitoring tools and APIs give a column the contract names otherwise
#: (YouScan's `Дата публикации`, Brand Analytics' `Тип сообщения`, an API's `created_at`). A
#: file may hold such a column beside the one it stands for (`Дата` and `Дата публикации`,
#: `Тональность` and `Тон`), so each names its column second-hand: only when no column of the
#: header is that column's own name or one of the names above, and only the first such column
#: of the header (see ``header_names``).
_SECOND_NAMES_OF = {
    "date": "дата_публикации дата_и_время дата_время дата_сообщения datetime date_time created "
    "created_at tweet_created published published_at publication_date publish_date post_date "
    "timestamp date_published",
    "time": "время_публикации publication_time",
    "brand": "объект объект_мониторинга компания марка тема company topic",
    "sentiment": "тон tone tonality polarity",
    "platform": "источник соцсеть социальная_сеть сеть source social_network network domain "
    "page_type",
    "kind": "тип_сообщения тип_публикации тип_поста тип_записи post_type message_type type",
    "url": "ссылка_на_публикацию ссылка_на_сообщение ссылка_на_пост link permalink post_url",
    "author": "имя_автора автор_публикации author_name user username user_name screen_name",
    "text": "текст_сообщения текст_публикации сообщение message content full_text post_text",
    "likes": "нравится likes_count like_count favorite_count",
    "comments": "комментариев comments_count comment_count replies reply_count",
    "reposts": "репостов поделились shares share_count reposts_count retweets retweet_count",
    "period": "отчетный_период отчетный_месяц reporting_period",
}
SECOND_NAMES = {
    name: column for column, names in _SECOND_NAMES_OF.items() for name in names.split()
}


#: Characters that show nothing: a soft hyphen, zero-width spaces and joiners, direction
#: controls, a byte-order mark. Text copied from a web page brings them along unseen, and
#: names are compared without them.
UNSHOWN = r"[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"


def header_cell(name: str) -> str:
    """A header's cell as written, without the space around it (and a byte-order mark)."""
    return name.strip().strip("\ufeff").strip()


@functools.lru_cache(maxsize=4096)  # the same few names in every file's header
def normalise_header(name: str) -> str:
    """``' Media Type '``, ``'MEDIA_TYPE'`` and ``'Тип СМИ'`` all become ``'media_type'``;
    ``'Лайки'`` whether its ``й`` is one character or two (as macOS writes it)."""
    name = re.sub(UNSHOWN, "", unicodedata.normalize("NFC", name))
    key = re.sub(r"[\s\-]+", "_", header_cell(name).casefold())
    return HEADER_ALIASES.get(key.replace("ё", "е"), key)


def header_names(cells: Iterable[str]) -> list[str]:
    """The column each of a header's ``cells`` names (``normalise_header``), a second-hand
    name (``SECOND_NAMES``) taken for its column when the header has no other name for it."""
    names = [normalise_header(cell) for cell in cells]
    named = set(names)
    for index, name in enumerate(names):
        column = SECOND_NAMES.get(name)
        if column is not None and column not in named:
            names[index] = column
            named.add(column)
    return names


def read_table(path: Path, known_columns: Iterable[str], repeated: Iterable[str] = ()) -> Table:
    """Read a CSV whatever its encoding and delimiter; ragged records are rejected, not guessed.

    Columns named in ``repeated`` (a few values over many rows: brands, sentiments...) come as
    categories in the order their values first appear, so a value is held once, not per row.
    Raises LoadError for a file that cannot be read as a table at all.
    """
    known, few = set(known_columns), frozenset(repeated)
    # The mapped file serves every reader: reading it again into memory would add its size
    # to the peak, and a tenth of a second at a million rows.
    data = _map(path)
    _refuse_markup(data[:_MARKUP_BYTES])
    table = _read_arrow(path, data, known, few)
    if table is None:
        table = _read_transcoded(path, data, known, few)
    return _without_note(table if table is not None else _read_python(path, data, known, few))


#: Lines of one cell at the end of a file that are taken for a note under the table, at most.
NOTE_LINES = 5


def _without_note(table: Table) -> Table:
    """The table without a note under it (`Выгружено 05.11.2026 из Brand Analytics`): lines
    after its last record that hold one cell, or a text in the first cell and nothing in the
    others (as a spreadsheet writes a line to the table's width). They are passed over with a
    warning, as a title above the header is. Only a few such lines that end the file are a
    note: a short line among records is a record cut short, and rejected as one."""
    count = len(table.lines)
    if count < 2 or len(table.header) < 2:
        return table
    padded = 0
    for cells in reversed(_last_rows(table, min(NOTE_LINES, count - 1))):
        if not _is_note(cells):
            break
        padded += 1
    kept = table.lines[: count - padded]
    last = int(kept.max())
    short = [at for at, line in enumerate(table.rejected_lines) if line > last]
    if not padded and not short:
        return table
    if padded + len(short) > NOTE_LINES or any(len(table.raw_rejected[at]) != 1 for at in short):
        return table
    lines = sorted(
        [*table.lines[count - padded :].tolist(), *(table.rejected_lines[at] for at in short)]
    )
    rows = table.rows
    if isinstance(rows, ArrowRows):
        rows = dataclasses.replace(
            rows, table=rows.table.slice(0, count - padded), lines=rows.lines[: count - padded]
        )
    else:
        rows = rows.iloc[: count - padded]
    where = _lines_not_read(lines[0], lines[-1], "below the table (a note?)")
    problems = [
        problem
        for problem in table.problems
        if not (problem.column == "row" and problem.line in lines)
    ]
    problems.append(
        Problem(display_path(table.path), lines[0], "", where, severity=Severity.WARNING)
    )
    keep = [at for at in range(len(table.rejected_lines)) if at not in short]
    return dataclasses.replace(
        table,
        rows=rows,
        problems=problems,
        rejected_lines=[table.rejected_lines[at] for at in keep],
        raw_rejected=[table.raw_rejected[at] for at in keep],
    )


def _last_rows(table: Table, count: int) -> list[list[str]]:
    """The table's last ``count`` records, each as its cells."""
    rows = table.rows
    if isinstance(rows, ArrowRows):
        part = rows.table.slice(len(rows) - count)
        columns = [[str(cell) for cell in column.to_pylist()] for column in part.columns]
    else:
        part = rows.iloc[len(rows) - count :]
        columns = [part[name].astype(str).tolist() for name in dict.fromkeys(table.header)]
    return [list(cells) for cells in zip(*columns, strict=True)]


def _is_note(cells: list[str]) -> bool:
    """A record of a text of words in its first cell and nothing in the others."""
    first = cells[0].strip()
    return (
        " " in first
        and any(char.isalpha() for char in first)
        and not any(cell.strip() for cell in cells[1:])
    )


def _lines_not_read(first: int, last: int, where: str) -> str:
    """`line 1 above it (a title?) is not a table and was not read`, or of lines first–last."""
    if first == last:
        return f"line {first} {where} is not a table and was not read"
    return f"lines {first}–{last} {where} are not a table and were not read"


class TableAhead:
    """``read_table`` begun now on another thread, its table given once by ``take``.

    Arrow parses outside Python's lock, so a large file is read while the caller goes on, as
    when it loads the libraries the checks need: at a million rows loading them takes about
    as long as Arrow's read, in a run otherwise made of the two one after the other. Once
    taken, the table is no longer held here: the checks let the text as read go before they
    copy the rows kept (see ``validate._check_together``)."""

    def __init__(
        self, path: Path, known_columns: Iterable[str], repeated: Iterable[str] = ()
    ) -> None:
        self.path = path
        self._outcome: list[Table | BaseException] = []
        # A daemon: a process stopped meanwhile (Ctrl-C) ends at once instead of waiting for
        # the read, which Arrow cannot be asked to stop from outside the main thread.
        self._thread: threading.Thread | None = threading.Thread(
            target=self._read,
            args=(path, tuple(known_columns), tuple(repeated)),
            name="read-ahead",
            daemon=True,
        )
        self._thread.start()

    def _read(self, path: Path, known: tuple[str, ...], repeated: tuple[str, ...]) -> None:
        try:
            self._outcome.append(read_table(path, known, repeated))
        except BaseException as exc:  # raised by ``take``, in the caller's thread
            self._outcome.append(exc)

    def take(self) -> Table:
        """The table, or ``read_table``'s LoadError; once."""
        if self._thread is None:
            raise RuntimeError(f"{self.path}: the table read ahead was taken already")
        self._thread.join()
        self._thread = None
        outcome = self._outcome.pop()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def read_mentions_ahead(path: Path) -> TableAhead:
    """A mention file's read, with the mention columns, begun now on another thread."""
    return TableAhead(path, (*MENTION_REQUIRED, *MENTION_OPTIONAL, MENTION_TIME), MENTION_REPEATED)


def _read_transcoded(
    path: Path, data: bytes | mmap.mmap, known: set[str], repeated: frozenset[str] = frozenset()
) -> Table | None:
    """Arrow's reader for a file in another encoding (Windows-1251, as Excel writes CSV on a
    Russian system, or UTF-16), given the same text as UTF-8; None for a UTF-8 file (Arrow has
    declined it already) or anything Arrow declines. At a million rows Python's reader takes
    ten times as long and four times the memory."""
    try:
        text, encoding, mended = _decode(data, mend=True)
    except LoadError:
        return None  # the Python reader says why
    if encoding == "utf-8" and not mended:
        return None
    utf8 = text.encode("utf-8")
    del text
    table = _read_arrow(path, utf8, known, repeated)
    if table is not None:
        table.encoding, table.mended = encoding, mended
    return table


@dataclass
class _Head:
    """Where the records start: the delimiter and header, and what was read to find them."""

    delimiter: str
    first_line: int  # 2 when an Excel "sep=" line comes first
    header: list[str]
    header_line: int
    reader: Any  # the csv reader, positioned after the header
    end: int  # characters of the text read up to the end of the header
    #: The lines before the header that were passed over as a title (first and last), if any.
    title: tuple[int, int] | None = None
    #: Whether a title was looked for in less text than the search takes, so that more of the
    #: file might find another header.
    unsure: bool = False
    #: The header's cells as read.
    raw: list[str] = field(default_factory=list)

    def title_problem(self, shown: str) -> list[Problem]:
        """The warning that the lines above the header were not read, if any were passed over."""
        if self.title is None:
            return []
        first, last = self.title
        lines = _lines_not_read(first, last, "above it (a title?)")
        return [
            Problem(
                shown,
                first,
                "",
                f"the header is on line {self.header_line}: {lines}",
                severity=Severity.WARNING,
            )
        ]


def _head(text: str, known: set[str], whole: bool = True) -> _Head:
    """The delimiter and header of ``text``: the whole file, or the first part of it."""
    lines = io.StringIO(text, newline="")
    first_line = 1
    sep_line = re.match(r"sep=(.)\r?\n", text[:200].lstrip("\ufeff"))
    if sep_line:
        # Excel's own marker line, "sep=;", names the delimiter.
        delimiter = sep_line.group(1)
        lines.readline()
        first_line = 2
    else:
        delimiter = _detect_delimiter(text, known)
    # Where the header may start (after a "sep=" line): an offset, since a slice of the text
    # from there would copy a whole file's text for the Python reader.
    start = lines.tell()
    skip, unsure = 0, False
    if not _names_first(text, start, known, delimiter):
        unsure = not whole and len(text) - start < _TITLE_CHARS
        titled = _titled(text, start, known, delimiter, fixed=bool(sep_line))
        if titled is not None:
            delimiter, skip = titled
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header_row = _next_record(reader)
        for _ in range(skip):
            header_row = _next_record(reader)
    except csv.Error as exc:
        raise LoadError(f"not a readable CSV header: {exc}") from exc
    if header_row is None:
        raise LoadError(_EMPTY, hint="export the table with its header row")
    header_line = reader.line_num + first_line - 1
    header = header_names(header_row)
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        # Which of two columns of one name holds the values cannot be told; of a column the
        # tool ignores (and reads neither of), it need not be.
        if name in known and name in seen:
            raise LoadError(
                f"column '{name}' appears twice (columns {seen[name] + 1} and {index + 1})",
                line=header_line,
            )
        seen[name] = index
    title = (first_line, header_line - 1) if skip else None
    return _Head(
        delimiter, first_line, header, header_line, reader, lines.tell(), title, unsure, header_row
    )


def _next_record(reader: Any) -> list[str] | None:
    """The reader's next record that is not blank, None at the end."""
    row = next(reader, None)
    while row is not None and not any(cell.strip() for cell in row):
        row = next(reader, None)
    return row


#: The records a title above the header (a report's name, its client, its period) may take,
#: all within the first characters given: a title is short, and a search of a fixed part of
#: the file finds the same header whether the whole file was decoded or only its first part.
_TITLE_RECORDS = 20
_TITLE_CHARS = 4096


def _titled(
    text: str, start: int, known: set[str], delimiter: str, fixed: bool
) -> tuple[str, int] | None:
    """When the first record of ``text`` from ``start`` names no known column and a later one
    names two or more, as when a report's title comes first: that record's delimiter
    (``delimiter`` if it is ``fixed``) and how many records come before it. Failing that, the
    first later record that begins with a known name and has more cells, as a table kept wide
    does (``Месяц;Лиды;Выручка``). None otherwise: the header is first."""
    delimiters = (delimiter,) if fixed else DELIMITERS
    sample = text[start : start + _TITLE_CHARS]
    cut = len(text) - start > len(sample)
    parsed = {d: _first_records(sample, d, cut) for d in delimiters}
    if any(rows and _known_names(rows[0], known) for rows in parsed.values()):
        return None
    for is_header in (_names_two, _names_a_wide_table):
        for index in range(1, _TITLE_RECORDS):
            for option in delimiters:
                rows = parsed[option]
                if index < len(rows) and is_header(rows[index], known):
                    return option, index
    return None


def _names_two(row: list[str], known: set[str]) -> bool:
    return _known_names(row, known) >= 2


def _names_a_wide_table(row: list[str], known: set[str]) -> bool:
    """Whether a record begins with a known name, followed by other names."""
    cells = [cell for cell in row if cell.strip()]
    return len(cells) >= 2 and header_names(cells)[0] in known


def _names_first(text: str, start: int, known: set[str], delimiter: str) -> bool:
    """Whether the first line of ``text`` from ``start`` names a known column, as in nearly
    every file."""
    try:
        first = next(csv.reader([_first_line(text, start)], delimiter=delimiter), [])
    except csv.Error:
        return False
    return _known_names(first, known) > 0


def _first_records(text: str, delimiter: str, cut: bool) -> list[list[str]]:
    """The records of ``text`` that are not blank, the last left out when the text is ``cut``
    (it may be part of one); none when it is not CSV."""
    try:
        rows = [
            row
            for row in itertools.islice(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), _TITLE_RECORDS + 1
            )
            if any(cell.strip() for cell in row)
        ]
    except csv.Error:
        return []
    return rows[:-1] if cut else rows


def _known_names(row: list[str], known: set[str]) -> int:
    return sum(name in known for name in header_names(row))


def _frame(
    header: list[str], columns: Iterable[Any], lines: Any, repeated: frozenset[str]
) -> pd.DataFrame:
    """Text columns by header name (of several nameless columns, the last is kept); those in
    ``repeated`` as categories in the order of first appearance."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            name: _categories(col) if name in repeated else pd.Series(col, dtype="str")
            for name, col in zip(header, columns, strict=True)
        }
    )
    # The lines are the reader's own array, let go with it: shared, not copied.
    frame[LINE] = pd.Series(lines, dtype="int64", copy=False)
    return frame


def _categories(column: Any) -> pd.Series:
    import pandas as pd

    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        return column  # Arrow's dictionary: already in the order of first appearance
    text = pd.Series(column, dtype="str")
    return pd.Series(pd.Categorical(text, categories=pd.unique(text)))


def _read_python(
    path: Path, data: bytes | mmap.mmap, known: set[str], repeated: frozenset[str] = frozenset()
) -> Table:
    """Python's csv reader: slow, but it reads any record shape and knows every line."""
    text, encoding, mended = _decode(data, mend=True)
    head = _head(text, known)
    reader, first_line, delimiter = head.reader, head.first_line, head.delimiter
    shown = display_path(path)
    problems = head.title_problem(shown)
    good: list[list[str]] = []
    good_lines: list[int] = []
    rejected_lines: list[int] = []
    raw_rejected: list[list[str]] = []
    width = len(head.header)
    previous_end = reader.line_num
    again = _HeaderAgain.of(head.raw)
    order = None  # of the columns under the header again last read, when not the first's
    empty_lines: list[int] = []
    try:
        for row in reader:
            start = previous_end + first_line
            previous_end = reader.line_num
            if len(row) == width:
                if not any(cell.strip(_ASCII_SPACE) for cell in row):
                    empty_lines.append(start)
                    continue
                if again.may_be(row[0]) and (found := again.order_of(row)) is not None:
                    order = None if found == again.order else found
                    problems.append(_header_again_problem(shown, start, order is not None))
                    continue
                label = _totals_label(row)
                if label is not None:
                    problems.append(totals_problem(shown, start, label))
                    continue
                good.append(row if order is None else [row[index] for index in order])
                good_lines.append(start)
                continue
            if not any(cell.strip() for cell in row):
                continue  # a blank line is not a record
            rejected_lines.append(start)
            raw_rejected.append(row)
            problems.append(_ragged_problem(shown, start, len(row), width, delimiter))
    except csv.Error as exc:
        problems.append(
            Problem(
                shown,
                previous_end + first_line,
                "row",
                f"unreadable CSV from here on ({exc}); the rest of the file was not read",
                hint="check for an unclosed double quote",
            )
        )
    if empty_lines:
        problems.append(_empty_rows_problem(shown, empty_lines))
        problems.sort(key=lambda problem: problem.line or 0)  # as Arrow's path orders them
    columns = list(zip(*good, strict=True)) if good else [() for _ in head.header]
    return Table(
        path=path,
        encoding=encoding,
        delimiter=delimiter,
        header=head.header,
        rows=_frame(head.header, columns, good_lines, repeated),
        problems=problems,
        rejected_lines=rejected_lines,
        raw_rejected=raw_rejected,
        nul="\x00" in text,
        mended=mended,
        raw_header=head.raw,
    )


def _ragged_problem(shown: str, line: int, fields: int, width: int, delimiter: str) -> Problem:
    hint = f"a value that contains a {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}"
    return Problem(
        shown,
        line,
        "row",
        f"has {fields} field{'' if fields == 1 else 's'}, the header has {width}",
        hint=f"{hint} must be in double quotes" if fields > width else "",
        message_ru=f"полей в строке: {fields}, в заголовке: {width}",
    )


#: A prefix decoded to find the delimiter and header without decoding the whole file.
#: Decoding costs per byte, and a year of daily exports decodes 365 prefixes.
_HEAD_BYTES = 1 << 16

#: The most decoded to find a header: a file whose header or first record is longer than
#: that is the Python reader's.
_HEAD_LIMIT = 1 << 24


#: Bytes of a file scanned at a time for line breaks, delimiters or quotes: the masks of a
#: scan stay small however large the file.
_SCAN_BYTES = 1 << 24

#: Quotes in a row that a slice of a scan is stretched by, so as not to cut a run of them.
_QUOTE_RUN_BYTES = 1 << 20


#: Bytes of a file that Arrow parses as one block, on one thread. At a million rows (220 MB)
#: 4 MB blocks read and check the file in 1.18–1.44 s (median 1.25 s), 16 MB ones in
#: 1.31–1.64 s (1.44 s): fewer blocks leave a core idle at the end; 1 and 2 MB were no faster.
_BLOCK_BYTES = 1 << 22


def _read_arrow(
    path: Path,
    data: bytes | mmap.mmap,
    known: set[str],
    repeated: frozenset[str] = frozenset(),
) -> Table | None:
    """Arrow's multi-threaded CSV reader, for a well-formed UTF-8 file; None for anything else.

    Any record Arrow finds ragged, and any doubt about the encoding, leaves the file to the
    Python reader, which words each problem; so both give the same table for any file.
    """
    try:
        if _encodings(data[:8])[0] not in ("utf-8", "utf-8-sig"):
            return None
    except LoadError:
        return None
    bom = len(_UTF8_BOM) if data[:3] == _UTF8_BOM else 0
    nul = data.find(b"\x00") >= 0
    if nul and _mostly_nul(np.frombuffer(data, dtype=np.uint8)[bom:]):
        return None  # the Python reader says it is binary
    part = _utf8_head(data, bom, known)
    if part is None:
        return None
    text, head = part
    if not head.delimiter.isascii():
        return None  # Arrow splits on one byte (Excel's "sep=" line may name any character)
    width = len(head.header)
    offset = bom + len(text[: head.end].encode("utf-8"))
    # Trailing line breaks are blank lines, which Arrow would read as records. The body is a
    # view of the file's bytes, not a copy: the file may be gigabytes.
    end = len(data)
    while end > offset and data[end - 1] in b"\r\n":
        end -= 1
    if width < 2 or end <= offset:
        return None
    names = [f"c{index}" for index in range(width)]
    # Read straight into codes and a dictionary: no string per row for a brand or a sentiment.
    types = {
        name: _DICTIONARY if column in repeated else pa.large_string()
        for name, column in zip(names, head.header, strict=True)
    }
    ragged: list[Any] = []

    def on_ragged(row: object) -> str:
        ragged.append(row)
        return "skip"

    quotes, quoted = _quotes(data, offset, end, head.delimiter)
    # A quote that opens no value is part of one (`a 5" screen`), to Python's reader as to
    # Arrow's without quoting, so such a file is read as one without quotes. Taken for
    # quoting, a single stray quote would look unclosed and send the file to the Python
    # reader: at a million rows 15 s and 3 GB instead of 1 s and 0.75 GB.
    # An odd number of quotes leaves a value open unless some are text (`ООО "Ромашка`).
    if quoted and quotes % 2 and _left_open(data, offset, end, head.delimiter):
        return None  # an unclosed quote: the Python reader says where
    # With quotes, the trailing line breaks are read too: a quoted value left open at the end
    # holds them, as it does for the Python reader; otherwise they are blank lines, which
    # Arrow gives as records of empty values at the end and which are cut off below.
    stop = len(data) if quoted else end
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(offset, stop - offset)),
            # A file of one block gains nothing from the pool of threads, and read on this
            # thread it does not wait in the pool behind a large file's read ahead.
            read_options=pa_csv.ReadOptions(
                column_names=names,
                block_size=_BLOCK_BYTES,
                use_threads=stop - offset > _BLOCK_BYTES,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=head.delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=quoted,
                ignore_empty_lines=False,
                invalid_row_handler=on_ragged,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if quoted:
        table = _without_blank_end(table, bytes(data[end:]))
        if table is None:
            return None
    first = head.reader.line_num + head.first_line
    problems = head.title_problem(display_path(path))
    rejected_lines: list[int] = []
    raw_rejected: list[list[str]] = []
    # Arrow reads a blank line as a record of empty values, which a line of bare delimiters
    # also is, and it skips a ragged record without saying on which line it was.
    leading = _leading_empty(table)
    if ragged or _empty_records(leading, width) is not None:
        # So the records are found again by counting delimiters and line breaks (outside
        # quotes), and checked against Arrow's: one stray delimiter or empty line does not
        # send a million rows to the Python reader (ten times as long, four times the memory).
        # In a quoted file, a quote that is text in an unquoted value throws the plain count
        # of quotes off: the records are counted again, run by run.
        counts = (table.num_rows, len(ragged))
        for exact in (False, True) if quoted else (False,):
            try:
                found = _records(data, offset, end, head.delimiter, width, quoted, exact, counts)
            except LoadError:
                found = None
            if found is not None and _same_records(found, table, ragged, quoted):
                break
        else:
            return None
        if len(found.empty):
            kept = ~np.isin(found.arrow, found.empty)
            table = _fresh_dictionaries(table.filter(pa.array(kept)))
            leading = _leading_empty(table)
        if not table.num_rows:
            return None  # nothing but ragged lines: the Python reader's columns have no type
        lines = found.line[found.good] + first
        shown = display_path(path)
        for index, cells in found.rejected:
            line = first + int(found.line[index])
            rejected_lines.append(line)
            raw_rejected.append(cells)
            problems.append(_ragged_problem(shown, line, len(cells), width, head.delimiter))
    else:
        lines = np.arange(first, first + table.num_rows, dtype=np.int64)
        if quoted and table.num_rows:
            lines += _newlines_before(table, carriage=data.find(b"\r", offset, end) >= 0)
    first_column = table.column(0)
    letters = pa.types.is_dictionary(first_column.type) or _any_letter_first(first_column)
    header_again = _HeaderAgain.of(head.raw)
    again = _header_again(table, header_again, letters)
    totals = _totals_rows(table, letters, leading)
    # Left of a blank line's record by now: those of bare delimiters, a spreadsheet's unused
    # rows (`;;;;`).
    empty = _empty_records(leading, width)
    if again or totals or empty is not None:
        shown = display_path(path)
        passed = np.zeros(table.num_rows, dtype=bool)
        for position, order in again.items():
            reordered = order != header_again.order
            problems.append(_header_again_problem(shown, int(lines[position]), reordered))
            passed[position] = True
        if empty is not None:
            problems.append(_empty_rows_problem(shown, lines[empty].tolist()))
            passed |= empty
        for position, label in totals.items():
            if position not in again:  # a header of figures, as the Python reader takes it
                problems.append(totals_problem(shown, int(lines[position]), label))
                passed[position] = True
        problems.sort(key=lambda problem: problem.line or 0)  # in the order of lines, as read
        kept = _without(table, passed)
        if again:
            reordered = _reordered(kept, ~passed, again, header_again.order)
            if reordered is not kept:  # its pieces share cut chunks' dictionaries
                kept = _fresh_dictionaries(reordered)
        table = kept
        lines = lines[~passed]
        if not table.num_rows:
            return None  # nothing else: the Python reader's columns have no type
    return Table(
        path=path,
        encoding="utf-8",
        delimiter=head.delimiter,
        header=head.header,
        rows=ArrowRows(table, head.header, lines, repeated),
        problems=problems,
        rejected_lines=rejected_lines,
        raw_rejected=raw_rejected,
        nul=nul,
        raw_header=head.raw,
    )


def _utf8_head(data: bytes | mmap.mmap, bom: int, known: set[str]) -> tuple[str, _Head] | None:
    """The header of a UTF-8 file, and the text of the part of it read to find it; None when
    the part is not text, or has no header.

    The part is the first ``_HEAD_BYTES`` cut after a whole line (its last line feed, or
    carriage return in a file of old Mac line ends), and four times as much while the
    header may go on past it, as when a first record or the header itself is longer, up to
    ``_HEAD_LIMIT``: one long text in the first row does not send a million rows to the
    Python reader.
    """
    size = _HEAD_BYTES
    while True:
        prefix = data[bom:size]
        whole = len(data) <= size
        if not whole:
            last = prefix.rfind(b"\n")
            prefix = prefix[: (last if last >= 0 else prefix.rfind(b"\r")) + 1]
        try:
            text = prefix.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if text.strip():
            if _looks_binary(text):
                return None
            try:
                head: _Head | None = _head(text, known, whole)
            except LoadError:
                if whole:
                    return None
                head = None  # perhaps a title's line, taken for the header in too short a part
            if head is not None and (whole or (head.end < len(text) and not head.unsure)):
                return text, head
        elif whole:
            return None
        if size >= _HEAD_LIMIT:
            return None
        size *= 4


def _without_blank_end(table: pa.Table, tail: bytes) -> pa.Table | None:
    """``table`` less the records of empty values that the blank lines at its end (``tail``,
    the file's trailing line breaks) made; None when there are fewer, as when a quoted value
    left open at the end took the line breaks in. (More are records of empty values, such as
    ``"",""``, before the blank lines.)"""
    blank = max(0, len(tail.replace(b"\r\n", b"\n")) - 1)  # the last record's own break aside
    if not blank:
        return table
    last = table.slice(max(0, table.num_rows - blank))
    if len(last) < blank or any(
        any(value != "" for value in row.values()) for row in last.to_pylist()
    ):
        return None
    return _fresh_dictionaries(table.slice(0, table.num_rows - blank))


@dataclass(frozen=True)
class _HeaderAgain:
    """How a record is told to be the header again, as where exports were joined one after
    another: its cells name the header's columns, spelt as the header spells them or otherwise
    (`Дата`, `DATE` for `date`, `Media Type` for `media_type`: exports of another tool or in
    another language), in the same order or in another. The rows under it are read in its
    order. The first cell is looked at first: as one of the header's cells is read (perhaps
    after a byte order mark, a second export's), or matching ``pattern``; then every cell by
    ``normalise_header``."""

    spellings: frozenset[str]
    #: The other spellings of the header's names: a pattern read alike by Arrow's RE2 and
    #: Python's re (letters, ``[её]``, ``[ _-]+`` between words, ASCII spaces around them),
    #: of a cell that begins with one of ``starts``. Names that are not letters are looked
    #: for only as the header spells them: of a header of none, there is no pattern.
    pattern: str | None
    starts: frozenset[str]
    names: tuple[str, ...]
    compiled: re.Pattern[str] | None
    #: Where the header has each of its columns: in its order.
    order: tuple[int, ...]

    @classmethod
    def of(cls, raw: list[str]) -> _HeaderAgain:
        spelt = {cell.lstrip("\ufeff") for cell in raw}
        names = tuple(header_names(raw))
        others = [_spelt_otherwise(name) for name in dict.fromkeys(names)]
        found = [other for other in others if other is not None]
        spellings = frozenset(spelt | {"\ufeff" + cell for cell in spelt})
        if not found:
            return cls(spellings, None, frozenset(), names, None, tuple(range(len(names))))
        pattern = "|".join(sorted({other[0] for other in found}))
        pattern = f"[ \t\ufeff]*(?:{pattern})[ \t]*"
        starts = frozenset(" \t\ufeff").union(*(other[1] for other in found))
        compiled = re.compile(pattern, re.IGNORECASE)
        return cls(spellings, pattern, starts, names, compiled, tuple(range(len(names))))

    def may_be(self, cell: str) -> bool:
        """Whether ``cell`` may begin the header again (the cheap look, at every record)."""
        return cell in self.spellings or (
            cell[:1] in self.starts
            and self.compiled is not None
            and self.compiled.fullmatch(cell) is not None
        )

    def order_of(self, row: list[str]) -> tuple[int, ...] | None:
        """Where ``row`` has each of the header's columns, when it names them; else None."""
        names = header_names(row)
        if sorted(names) != sorted(self.names):
            return None
        places: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            places.setdefault(name, []).append(index)
        return tuple(places[name].pop(0) for name in self.names)


@functools.lru_cache(maxsize=256)
def _spelt_otherwise(name: str) -> tuple[str, frozenset[str]] | None:
    """A pattern of the spellings of ``name`` (``_HeaderAgain.pattern``), and the letters they
    begin with in either case; None for a name that is not letters."""
    if not re.fullmatch(r"[^\W\d_]\w*", name):
        return None
    spellings = [
        name,
        *(
            alias
            for aliases in (HEADER_ALIASES, SECOND_NAMES)
            for alias, target in aliases.items()
            if target == name
        ),
    ]
    pattern = "|".join(
        "[ _\\-]+".join(word.replace("е", "[её]") for word in spelling.split("_") if word)
        for spelling in spellings
    )
    return pattern, frozenset(_cases({spelling[0] for spelling in spellings}))


def _cases(letters: Iterable[str]) -> set[str]:
    """``letters`` in either case, and ``е`` also as ``ё``, as the patterns match them."""
    letters = {*letters, *("ё" for letter in letters if letter == "е")}
    return {case for letter in letters for case in (letter, letter.lower(), letter.upper())}


def _header_again(
    table: pa.Table, again: _HeaderAgain, letters: bool
) -> dict[int, tuple[int, ...]]:
    """The records that are the header again (``_HeaderAgain``), by position, with the order
    of their columns. A first column whose every cell begins with a digit (dates, as most
    exports have) is not looked at: ``letters`` is whether it has a cell that begins
    otherwise, or is a dictionary. Of one that has, only the cells that may begin one of the
    header's names are looked at closer."""
    # Without ``letters`` every cell that is not empty begins with a digit: only a spelling
    # that is empty or begins with one could be among them.
    spellings = sorted(s for s in again.spellings if letters or s[:1] in "0123456789")
    if not spellings and not letters:
        return {}

    def candidates(values: Any) -> Any:
        found = pc.is_in(values, value_set=pa.array(spellings, values.type))
        if not letters or again.pattern is None:
            return found
        otherwise = pc.match_substring_regex(values, f"^{again.pattern}$", ignore_case=True)
        return pc.or_(found, otherwise)

    starts = {s[:1] for s in spellings if s} | (again.starts if letters else set())
    found = _where(table.column(0), starts, candidates, empty="" in spellings)
    return _confirmed(
        table, found, lambda cells: again.order_of(cells) if again.may_be(cells[0]) else None
    )


def _confirmed(
    table: pa.Table, found: np.ndarray, check: Callable[[list[str]], _T | None]
) -> dict[int, _T]:
    """``check`` of each record ``found`` (the few an Arrow search found), as the Python
    reader checks a record, by position; those it gives None for are left out."""
    positions = np.flatnonzero(found)
    if not len(positions):
        return {}
    rows = table.take(pa.array(positions)).to_pylist()
    checked = {
        position: check(list(row.values()))
        for position, row in zip(positions.tolist(), rows, strict=True)
    }
    return {position: value for position, value in checked.items() if value is not None}


def _where(
    column: pa.ChunkedArray,
    starts: Iterable[str],
    func: Callable[[Any], Any],
    rows: np.ndarray | None = None,
    empty: bool = False,
) -> np.ndarray:
    """``func`` (a mask of Arrow values) of the cells of ``column`` that begin with one of
    ``starts`` (characters), or are empty when ``empty``, among ``rows``; False elsewhere.
    Cells are told by their first byte: a column of dates with a stray word or two costs a
    look at each cell's first byte, and ``func`` of those few. Of a dictionary, ``func`` of
    each of its values."""
    if pa.types.is_dictionary(column.type):
        found = true_mask(_per_row(column, func))
        return found & rows if rows is not None else found
    first_bytes = np.array(sorted({start.encode("utf-8")[0] for start in starts}), dtype=np.uint8)
    found = np.zeros(len(column), dtype=bool)
    at = 0
    for chunk in column.chunks:
        filled, first = _first_bytes(chunk)
        look = np.zeros(len(chunk), dtype=bool)
        look[filled] = np.isin(first, first_bytes)
        if empty:
            look |= ~filled
        if rows is not None:
            look &= rows[at : at + len(chunk)]
        positions = np.flatnonzero(look)
        if len(positions):
            found[at + positions] = true_mask(func(chunk.take(pa.array(positions))))
        at += len(chunk)
    return found


def _reordered(
    table: pa.Table, kept: np.ndarray, again: dict[int, tuple[int, ...]], order: tuple[int, ...]
) -> pa.Table:
    """``table``, the records ``kept`` of those read, with the rows under each header again
    moved into the first header's columns. ``again`` gives each header again's position among
    the records read, and where it has each column (``order`` when where the first has)."""
    if all(found == order for found in again.values()):
        return table
    before = np.cumsum(kept) - kept  # where each position falls among the records kept
    starts = [int(before[position]) for position in sorted(again)]
    orders = [again[position] for position in sorted(again)]
    pieces = [table.slice(0, starts[0])]
    for start, stop, found in zip(starts, [*starts[1:], table.num_rows], orders, strict=True):
        part = table.slice(start, stop - start)
        columns = [
            _as_type(part.column(source), field.type)
            for source, field in zip(found, table.schema, strict=True)
        ]
        pieces.append(pa.table(columns, schema=table.schema))
    return pa.concat_tables(pieces)


def _as_type(column: pa.ChunkedArray, kind: pa.DataType) -> pa.ChunkedArray:
    """A text column as a dictionary's codes or as plain text (``_DICTIONARY`` or
    ``pa.large_string()``), as the column it is moved to is."""
    if column.type == kind:
        return column
    text = column.cast(pa.large_string())
    return pc.dictionary_encode(text) if pa.types.is_dictionary(kind) else text


def _header_again_problem(shown: str, line: int, reordered: bool = False) -> Problem:
    what = "the header again, its columns in another order" if reordered else "the header again"
    rows = "; the rows under it are read in its order" if reordered else ""
    return Problem(
        shown,
        line,
        "",
        f"{what} (files joined one after another?): passed over, not a row{rows}",
        severity=Severity.WARNING,
    )


#: A row that a spreadsheet adds under its table, or under each month of it, to sum it up:
#: its first cell that is not empty says so (`Итого`, `Всего:`, `Total`, `Итого за октябрь`;
#: the second, `;Итого`, under a column of row numbers), and the cells after it are empty or
#: figures. It is no record of an export, and no row the tool could use. The spaces around
#: the word are ASCII's, as Arrow's expressions (RE2) know them.
_TOTALS = re.compile(
    r"[ \t\n\r\f]*(?:итого|всего|total|totals|subtotal|grand[ \t\n\r\f]+total)(?:\W.*)?",
    re.IGNORECASE | re.DOTALL,
)
#: What the totals' other cells may hold: numbers as spreadsheets write them, or a dash.
_FIGURES = re.compile(r"[\d\s.,:%'+\-\u2212\u2013\u2014]*")
#: The start of ``_TOTALS`` as RE2 can look for it: the cells it finds are then matched by
#: ``_TOTALS`` itself.
_TOTALS_START = r"^\s*(итого|всего|total|subtotal|grand\s+total)"
#: The characters a label of totals may begin with: a space, or its word's first letter.
_TOTALS_STARTS = frozenset(" \t\n\r\f") | frozenset(_cases("ивtsg"))


def is_totals(cell: str) -> bool:
    """Whether a cell is a label of totals (``Итого``, ``Total``...)."""
    return _TOTALS.fullmatch(cell) is not None


def _totals_label(cells: list[str]) -> str | None:
    """The label of a row of totals (``_TOTALS``): its first cell that is not empty (nor only
    spaces, ``_ASCII_SPACE``), when the cells after it are empty or figures; None for any other
    row."""
    for index, cell in enumerate(cells):
        if cell.strip(_ASCII_SPACE):
            if (
                cell[0] in _TOTALS_STARTS
                and _TOTALS.fullmatch(cell)
                and all(_FIGURES.fullmatch(other) for other in cells[index + 1 :])
            ):
                return cell
            return None
    return None


def _totals_rows(table: pa.Table, letters: bool, leading: list[np.ndarray]) -> dict[int, str]:
    """The records that are rows of totals (``_totals_label``), by position, with their
    labels. ``letters``: as for ``_header_again``; ``leading``: ``_leading_empty`` of the
    table, where a label after empty cells may be. A column of dates, as most exports begin
    with, costs nothing more."""

    def starts(values: Any) -> Any:
        return pc.match_substring_regex(values, _TOTALS_START, ignore_case=True)

    found = np.zeros(table.num_rows, dtype=bool)
    if letters:
        found |= _where(table.column(0), _TOTALS_STARTS, starts)
    for column, before in zip(table.columns[1:], leading, strict=False):
        if not before.any():
            break
        found |= _where(column, _TOTALS_STARTS, starts, rows=before)
    return _confirmed(table, found, _totals_label)


def _any_letter_first(column: pa.ChunkedArray) -> bool:
    """Whether a text column has a cell that begins with something other than a digit."""
    for chunk in column.chunks:
        first = _first_bytes(chunk)[1]
        if ((first < 0x30) | (first > 0x39)).any():
            return True
    return False


def _first_bytes(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Which cells of a text chunk are not empty, and the first byte of each of those."""
    offsets, data = string_buffers(chunk)
    filled = offsets[1:] > offsets[:-1]
    return filled, data[offsets[:-1][filled]]


def true_mask(mask: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """An Arrow mask as NumPy's, a missing value False."""
    if mask.null_count:
        mask = mask.fill_null(False)
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def string_buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's cell offsets (one more than its cells) and its bytes, without a copy."""
    _, offsets, data = array.buffers()
    if offsets is None or not len(array):
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    own = np.frombuffer(offsets, dtype=width)[array.offset : array.offset + len(array) + 1]
    data_bytes = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return own.astype(np.int64, copy=False), data_bytes


def totals_problem(shown: str, line: int, label: str) -> Problem:
    return Problem(
        shown,
        line,
        "",
        f"a row of totals ({quote(label.strip())}): passed over, not a row",
        severity=Severity.WARNING,
    )


def _without(table: pa.Table, passed: np.ndarray) -> pa.Table:
    """``table`` without the records ``passed`` (a header again, a row of totals: a few): only
    the chunks that held one are copied, the rest are shared. A dictionary chunk that held one
    is made anew from its values (``_fresh_dictionaries``), as it may hold a value only that
    record had, or its values in another order than their first use by the records kept."""
    columns = []
    for column in table.columns:
        chunks = []
        at = 0
        for chunk in column.chunks:
            cut = passed[at : at + len(chunk)]
            at += len(chunk)
            if not cut.any():
                chunks.append(chunk)
                continue
            chunks.append(_fresh(chunk.filter(pa.array(~cut))))
        columns.append(pa.chunked_array(chunks, type=column.type))
    return pa.table(columns, names=table.column_names)


def _fresh_dictionaries(table: pa.Table) -> pa.Table:
    """``table`` with each dictionary column made again from its values: after records are
    cut, it would still hold the values only they had (as categories no row has)."""
    return pa.table([_fresh(column) for column in table.columns], names=table.column_names)


def _fresh(values: Any) -> Any:
    """Dictionary values (a column or a chunk) made again from the values they stand for, in
    the order of their first use, none unused; text as it is."""
    if not pa.types.is_dictionary(values.type):
        return values
    return pc.dictionary_encode(values.cast(values.type.value_type))


@dataclass
class _Records:
    """The records of a body (0-based): those of ``width`` fields, the others that hold a value
    (index and cells), those of another number of fields that were empty lines and the text of
    the rest, the line each record starts on, and the line breaks inside each (in quoted
    values). ``arrow`` are the records Arrow gives: those of ``width`` fields and the empty
    lines. ``carriage``: some line ended at a carriage return alone."""

    good: np.ndarray
    arrow: np.ndarray
    rejected: list[tuple[int, list[str]]]
    empty: np.ndarray
    skipped: list[str]
    line: np.ndarray
    inner: np.ndarray
    carriage: bool = False


def _records(
    data: bytes | mmap.mmap,
    start: int,
    end: int,
    delimiter: str,
    width: int,
    quoted: bool,
    exact: bool = False,
    read: tuple[int, int] | None = None,
) -> _Records | None:
    """Each record of ``data[start:end]`` by its number of fields; None when ``read`` (the
    records Arrow read and the ragged ones it skipped) cannot be these records. A line ends
    at a line feed, or at a carriage return not followed by one (old Mac exports), as it does
    for both readers.

    With ``quoted``, a line break or delimiter inside a quoted value is part of it: one after
    an odd number of double quotes, which holds while every quote opens or closes a value or
    is doubled in one. A quote that is text in an unquoted value (`ООО "Ромашка"`) breaks
    that count, which the caller finds by comparing these records with Arrow's; with
    ``exact``, each run of quotes is taken as the readers take it (``_quote_states``), in
    about twice the time.
    """
    view = np.frombuffer(data, dtype=np.uint8)[start:end]
    mark = ord(delimiter)
    breaks, inside, delimiters = [np.zeros(0, np.int64)], [np.zeros(0, bool)], []
    parity, alone, left_open = 0, False, False
    for at, stop, runs in _scan(view, delimiter, quoted and exact):
        chunk = view[at:stop]
        found = np.flatnonzero(chunk == 10)
        returns = np.flatnonzero(chunk == 13)
        if len(returns):
            after = view[np.minimum(returns + at + 1, len(view) - 1)]
            lone = returns[(after != 10) | (returns + at + 1 == len(view))]
            if len(lone):
                found, alone = np.union1d(found, lone), True
        cut = np.flatnonzero(chunk == mark)
        if runs is not None:
            inside.append(runs.open_at(found + at))
            cut = cut[~runs.open_at(cut + at)]
            left_open = runs.open_at_end
        elif quoted:
            # 1 after an odd number of quotes: with the quotes before this chunk, per byte.
            odd = np.bitwise_xor.accumulate((chunk == 34).view(np.uint8)) ^ parity
            parity = int(odd[-1])
            inside.append(odd[found].astype(bool))
            cut = cut[odd[cut] == 0]
        breaks.append(found + at)
        delimiters.append(cut + at)
    if left_open:
        # A value left open at the end holds the file's last line breaks, which the body
        # leaves out: the Python reader's.
        return None
    every = np.concatenate(breaks)
    ends = np.flatnonzero(~np.concatenate(inside)) if quoted else np.arange(len(every))
    # A record starts on the line after the break that ended the one before it.
    line = np.concatenate([[0], ends + 1]).astype(np.int64)
    inner = np.diff(np.concatenate([line, [len(every) + 1]])) - 1
    stops_at = every[ends]
    fields = np.ones(len(ends) + 1, dtype=np.int64)
    for cut in delimiters:
        fields += np.bincount(np.searchsorted(stops_at, cut), minlength=len(fields))
    other = np.flatnonzero(fields != width)
    # Each record of another width is one Arrow skipped or an empty one it read. When they do
    # not add up, the count went wrong (a quote that is text): stop before reading each one.
    if read is not None and len(other) != read[1] + read[0] - (len(fields) - len(other)):
        return None
    starts = np.concatenate([[0], stops_at + 1])
    stops = np.concatenate([stops_at, [len(view)]])
    rejected = []
    empty = []
    skipped = []
    for index in other:
        text = bytes(view[starts[index] : stops[index]]).decode("utf-8").rstrip("\r")
        if not text:
            empty.append(int(index))
        else:
            skipped.append(text)
        cells = _cells(text, delimiter) if quoted and text else text.split(delimiter)
        if cells is None:
            return None
        if any(cell.strip() for cell in cells):  # a blank line is not a record
            rejected.append((int(index), cells))
    good = fields == width
    arrow = good.copy()
    arrow[empty] = True
    return _Records(
        np.flatnonzero(good),
        np.flatnonzero(arrow),
        rejected,
        np.array(empty, dtype=np.int64),
        skipped,
        line,
        inner,
        alone,
    )


@dataclass
class _QuoteRuns:
    """The runs of double quotes in a slice of a body: where each starts, whether a quoted
    value is open after it, and whether one was open before the first."""

    starts: np.ndarray
    open_after: np.ndarray
    open_before: bool

    @property
    def open_at_end(self) -> bool:
        return bool(self.open_after[-1]) if len(self.open_after) else self.open_before

    def open_at(self, places: np.ndarray) -> np.ndarray:
        """Whether a quoted value is open at each of ``places`` (none a quote)."""
        if not len(self.starts):
            return np.full(len(places), self.open_before)
        before = np.searchsorted(self.starts, places) - 1
        return np.where(
            before >= 0, self.open_after[np.maximum(before, 0)], self.open_before
        ).astype(bool)


def _quote_states(
    view: np.ndarray, at: int, stop: int, delimiter: str, open_before: bool
) -> _QuoteRuns:
    """The quotes of ``view[at:stop]`` (a body, from the start of its first record; the slice
    splits no run of quotes) as both readers take them. A run of ``n`` quotes where a value
    starts (at 0, after a delimiter or a line break) opens a value for odd ``n`` (the rest
    are doubled quotes) and, in an open value, closes it; elsewhere, an odd run closes an
    open value and is text in any other, and an even run is doubled quotes or text, which
    changes nothing. So a value is open after a run when the runs since the last odd one
    elsewhere (or since ``at``) that flip it are odd in number: no quote is read one by one."""
    places = np.flatnonzero(view[at:stop] == 34) + at
    if not len(places):
        return _QuoteRuns(places, np.zeros(0, bool), open_before)
    first = np.concatenate([[True], np.diff(places) != 1])
    starts = places[first]
    odd = np.diff(np.append(np.flatnonzero(first), len(places))) % 2 == 1
    opening = _value_starts(view, starts, delimiter)
    flips = np.cumsum(opening & odd)
    closing = np.flatnonzero(~opening & odd)
    # The last run before or at each run that closes whatever is open (-1 for none).
    last = np.full(len(starts), -1, dtype=np.int64)
    last[closing] = closing
    last = np.maximum.accumulate(last)
    open_after = (
        np.where(last >= 0, flips - flips[np.maximum(last, 0)], flips + int(open_before)) % 2 == 1
    )
    return _QuoteRuns(starts, open_after, open_before)


def _value_starts(view: np.ndarray, places: np.ndarray, delimiter: str) -> np.ndarray:
    """Whether a value starts at each of ``places`` of a body: at 0, or after a delimiter or
    a line break (a line feed, or a carriage return, which ends a line alone)."""
    before = view[np.maximum(places - 1, 0)]
    return (places == 0) | (before == ord(delimiter)) | (before == 10) | (before == 13)


def _scan(
    view: np.ndarray, delimiter: str, quoted: bool
) -> Iterator[tuple[int, int, _QuoteRuns | None]]:
    """``view`` (a body) in slices of about ``_SCAN_BYTES``, each with its runs of quotes when
    ``quoted``; a slice ends after a run of quotes, never inside one. A run that goes on for
    more than ``_QUOTE_RUN_BYTES`` past a slice (no export writes one) raises LoadError: the
    file is the Python reader's, and a slice never grows to the size of the file."""
    at, open_before = 0, False
    while at < len(view):
        stop = end = min(at + _SCAN_BYTES, len(view))
        while quoted and stop < len(view) and view[stop] == 34:
            tail = view[stop : stop + 4096] != 34
            stop += int(np.argmax(tail)) if tail.any() else len(tail)
            if stop - end > _QUOTE_RUN_BYTES:
                raise LoadError("a run of double quotes too long to follow")
        runs = _quote_states(view, at, stop, delimiter, open_before) if quoted else None
        yield at, stop, runs
        open_before = runs.open_at_end if runs is not None else False
        at = stop


def _left_open(data: bytes | mmap.mmap, start: int, end: int, delimiter: str) -> bool:
    """Whether a quoted value is still open at the end of ``data[start:end]``."""
    last = None
    try:
        for _, _, runs in _scan(np.frombuffer(data, dtype=np.uint8)[start:end], delimiter, True):
            last = runs
    except LoadError:
        return True
    return last is not None and last.open_at_end


def _cells(text: str, delimiter: str) -> list[str] | None:
    """One quoted record's values as Python's reader gives them; None if they are not one."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())


def _per_row(column: Any, func: Callable[[Any], Any]) -> Any:
    """``func`` of each value of a column, worked out once per value of a dictionary column."""
    if not pa.types.is_dictionary(column.type):
        return func(column)
    return pa.chunked_array(
        [pc.take(func(chunk.dictionary), chunk.indices) for chunk in column.chunks],
        type=func(pa.array([""], column.type.value_type)).type,
    )


#: What a cell may hold and still be empty: ASCII's spaces, as Arrow's ``ascii_is_space``
#: knows them. A spreadsheet user clears a cell with the space bar as often as with Delete.
_ASCII_SPACE = " \t\n\v\f\r"


def _blank_cells(values: Any) -> Any:
    """Which cells of a text array are empty or nothing but ``_ASCII_SPACE``."""
    return pc.or_(pc.equal(pc.binary_length(values), 0), pc.ascii_is_space(values))


def _leading_empty(table: pa.Table) -> list[np.ndarray]:
    """Which records have every cell empty (``_blank_cells``) in the first column, in the
    first two, and so on, as far as the first of these where none has: a clean file pays for
    its first column."""
    masks: list[np.ndarray] = []
    for column in table.columns:
        blank = true_mask(_per_row(column, _blank_cells))
        masks.append(masks[-1] & blank if masks else blank)
        if not masks[-1].any():
            break
    return masks


def _empty_records(leading: list[np.ndarray], width: int) -> np.ndarray | None:
    """Which records have every value empty, of ``_leading_empty``; None when none has."""
    return leading[-1] if len(leading) == width and leading[-1].any() else None


def _empty_rows_problem(shown: str, lines: list[int]) -> Problem:
    """One warning for the rows of nothing but empty cells (a spreadsheet writes its unused
    rows so), at the first of them: there may be thousands."""
    rows = "a row" if len(lines) == 1 else f"{len(lines):,} rows"
    where = "" if len(lines) == 1 else f" (lines {_line_list(lines)})"
    return Problem(
        shown,
        lines[0],
        "",
        f"{rows} with every cell empty{where}: passed over, not data",
        severity=Severity.WARNING,
    )


def _line_list(lines: list[int], most: int = 5) -> str:
    """Lines as runs (`4–6, 9`), the first ``most`` runs and how many lines more."""
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    shown = [f"{a}–{b}" if b > a else str(a) for a, b in runs[:most]]
    rest = sum(b - a + 1 for a, b in runs[most:])
    return ", ".join(shown) + (f" and {rest:,} more" if rest else "")


def _newlines_before(table: Any, carriage: bool) -> np.ndarray:
    """Line breaks inside the values of all earlier records, for each record."""
    return np.concatenate([[0], np.cumsum(_newlines_in(table, carriage))[:-1]])


def _newlines_in(table: Any, carriage: bool) -> np.ndarray:
    """Line breaks inside each record's values."""
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        breaks += _per_row(column, functools.partial(_line_breaks, carriage=carriage)).to_numpy(
            zero_copy_only=False
        )
    return breaks


def _same_records(found: _Records, table: Any, ragged: list[Any], quoted: bool) -> bool:
    """Whether the records found by counting are Arrow's: its records (those of the header's
    width and the empty lines) in number and, with quotes, in the lines each spans; and the
    text of each ragged record it skipped."""
    if len(found.arrow) != table.num_rows:
        return False
    if sorted(found.skipped) != sorted(row.text.rstrip("\r") for row in ragged):
        return False
    inner = found.inner[found.arrow]
    return not quoted or np.array_equal(inner, _newlines_in(table, carriage=found.carriage))


def _quotes(
    data: bytes | mmap.mmap, start: int, end: int, delimiter: str, step: int = _SCAN_BYTES
) -> tuple[int, bool]:
    """The double quotes in ``data[start:end]``, and whether any opens a value: at ``start``,
    or after a delimiter or a line break. Read ``step`` bytes at a time (no copy of the file,
    and no mask the size of it); once one opens a value, the rest are only counted (a file
    with every value quoted has 26 million quotes at a million rows)."""
    if data.find(b'"', start, end) < 0:
        return 0, False  # most exports quote nothing: one pass at memory speed settles it
    view = np.frombuffer(data, dtype=np.uint8)[start:end]
    quotes, opens = 0, False
    for at in range(0, len(view), step):
        found = view[at : at + step] == 34
        count = int(np.count_nonzero(found))
        quotes += count
        if opens or not count:
            continue
        # The first quote of a quoted export opens a value: most files are settled by it.
        first = np.array([at + int(np.argmax(found))])
        opens = bool(_value_starts(view, first, delimiter)[0]) or bool(
            _value_starts(view, np.flatnonzero(found) + at, delimiter).any()
        )
    return quotes, opens


def _map(path: Path) -> bytes | mmap.mmap:
    """The file's bytes, mapped instead of read: Arrow parses them in place, so a file of
    gigabytes is not copied into the process's own memory first (the kernel can drop mapped
    pages when memory runs short)."""
    if not path.is_file():
        return _read_bytes(path)  # which says what is wrong
    try:
        with path.open("rb") as handle:
            if not os.fstat(handle.fileno()).st_size:
                return b""
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return _read_bytes(path)


def _line_breaks(values: Any, carriage: bool) -> Any:
    """The line breaks in each of a text column's values: line feeds, and with ``carriage``
    carriage returns too, `\\r\\n` being one. Found in each chunk's bytes at once: Arrow's
    ``count_substring`` looks at each value on its own, which over a quoted 1M-row file's
    columns took 0.6 s, and 1.3 s with carriage returns (a file saved on Windows)."""
    if isinstance(values, pa.Array):
        return pa.array(_breaks_in(values, carriage), pa.int64())
    return pa.chunked_array(
        [pa.array(_breaks_in(chunk, carriage), pa.int64()) for chunk in values.chunks],
        pa.int64(),
    )


def _breaks_in(chunk: pa.Array, carriage: bool) -> np.ndarray:
    """``_line_breaks`` of one chunk, as NumPy's."""
    offsets, data = string_buffers(chunk)
    body = data[offsets[0] : offsets[-1]]
    at = np.flatnonzero(body == 10)
    if carriage:
        returns = np.flatnonzero(body == 13)
        # A carriage return is a break of its own unless a line feed follows it in its value.
        value_end = offsets[np.searchsorted(offsets, returns + offsets[0], side="right")]
        followed = body[np.minimum(returns + 1, max(len(body) - 1, 0))] == 10
        lone = returns[(returns + offsets[0] + 1 >= value_end) | ~followed]
        at = np.concatenate([at, lone])
    rows = np.searchsorted(offsets, at + offsets[0], side="right") - 1
    return np.bincount(rows, minlength=len(chunk))


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise LoadError("file not found")
    if path.is_dir():
        raise LoadError("is a folder, expected a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror}") from exc


def _encodings(data: bytes) -> list[str]:
    """The encodings a spreadsheet export may be in, by its first bytes (Excel files refused)."""
    if data.startswith(b"PK\x03\x04"):
        raise LoadError(
            "this is an Excel workbook (XLSX or another zip file), not a CSV file",
            hint="in Excel use File > Save As > 'CSV UTF-8'",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError(
            "this is an old Excel workbook (XLS), not a CSV file",
            hint="in Excel use File > Save As > 'CSV UTF-8'",
        )
    if data.startswith(_UTF8_BOM):
        return ["utf-8-sig"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        return ["utf-16-le"]
    if len(data) >= 4 and data[0:4:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
        return ["utf-16-be"]
    return ["utf-8", "cp1251"]


#: Bytes at the start of a file that are looked at for a web page's or an XML file's markup.
_MARKUP_BYTES = 512

#: The first tag of a web page (HTML) or of an XML file, after a byte-order mark and blanks.
_MARKUP = re.compile(r"\s*<(?:(?P<xml>\?xml\b)|!doctype\s+html|html|head|body|meta|table)\b", re.I)


def _refuse_markup(head: bytes) -> None:
    """A web page or an XML file saved as `.csv` (some monitoring tools' "Excel" exports are
    an HTML table, or Excel's XML Spreadsheet 2003; a failed download is an error page) is
    refused as what it is, where its first line would be read as a header without any of
    the required columns."""
    encoding = _encodings(head[:8])[0]
    text = head.decode(encoding if encoding.startswith("utf-16") else "latin-1", errors="ignore")
    found = _MARKUP.match(text.lstrip("\ufeff\xef\xbb\xbf"))
    if found is None:
        return
    if found["xml"]:
        raise LoadError(
            "this is an XML file (Excel's XML Spreadsheet or another), not a CSV file",
            hint="open it in Excel and use File > Save As > 'CSV UTF-8'",
        )
    raise LoadError(
        "this is a web page (HTML), not a CSV file",
        hint="an export saved as a web page or as an 'Excel' file that is one: open it in "
        "Excel and use File > Save As > 'CSV UTF-8'; an error page instead of the export: "
        "export the data again",
    )


def read_commentary(path: Path) -> str | None:
    """A month's commentary (Markdown), None when there is none: in the encodings a CSV may
    be in (Notepad on a Russian Windows wrote Windows-1251), without a byte-order mark.
    Raises LoadError for a file that is not text."""
    if not path.is_file():
        return None
    try:
        return _decode(_read_bytes(path), mend=True)[0]
    except LoadError as exc:
        if exc.message == _EMPTY:
            return ""
        # The hints of a CSV's decoding are not for Markdown; an unreadable file has none.
        hint = exc.hint and "save it as text (UTF-8) from a text editor: it is Markdown"
        raise LoadError(exc.message, hint) from None


def _decode(data: bytes | mmap.mmap, mend: bool = False) -> tuple[str, str, bool]:
    """Text and encoding of a spreadsheet export: UTF-8 (BOM or not), UTF-16, Windows-1251;
    and whether the text was mended: with ``mend``, a UTF-8 file with a few bytes that are
    not UTF-8 is read with those bytes as U+FFFD (``_mended_utf8``)."""
    for encoding in _encodings(data[:8]):
        mended = None
        try:
            text = str(data, encoding)
        except UnicodeDecodeError:
            mended = _mended_utf8(data, encoding) if mend else None
            if mended is None:
                continue
            text = mended
        if _looks_binary(text) or ("\x00" in text and _mostly_nul(text)):
            raise LoadError("this is a binary file, not text", hint="export the data as CSV")
        if _BLANK.fullmatch(text):
            raise LoadError(_EMPTY, hint="export the table with its header row")
        return text, "utf-8" if encoding == "utf-8-sig" else encoding, mended is not None
    raise LoadError(
        "cannot decode the file: it is not UTF-8, UTF-16 or Windows-1251 text",
        hint="save it as 'CSV UTF-8'",
    )


def _mended_utf8(data: bytes | mmap.mmap, encoding: str, step: int = _SCAN_BYTES) -> str | None:
    """The text of a UTF-8 file (``encoding`` utf-8 or utf-8-sig) that is UTF-8 but for a few
    bytes (a word pasted in from another encoding, a character cut in two), those bytes as
    U+FFFD, whose rows are then rejected; None for anything else. Read as Windows-1251, such
    a file would become other letters throughout, or not be read at all (at a million rows,
    for one byte). It is UTF-8 when its characters of more than one byte outnumber the bytes
    that are not UTF-8 two to one: in Windows-1251 text nearly every letter is such a byte,
    and only a rare pair of them makes a character of UTF-8.
    A file that holds a U+FFFD of its own is not mended: the damage could not be told apart.

    Decoded ``step`` bytes at a time, and given up as soon as the bytes left could not make
    enough characters (each takes two bytes of 0x80 or more): a file in Windows-1251 is known
    for one in a fifth of it (at a million rows 0.6 s, where decoding it all took 1.2 s)."""
    if not encoding.startswith("utf-8") or data.find(b"\xef\xbf\xbd") >= 0:
        return None
    content = np.frombuffer(data, dtype=np.uint8)
    high_left = _bytes_where(content, lambda part: part >= 0x80)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    parts: list[str] = []
    bad = others = 0
    for at in range(0, len(content), step):
        chunk = content[at : at + step]
        part = decoder.decode(chunk.tobytes(), final=at + step >= len(content))
        parts.append(part)
        part_bad = part.count("\ufffd")
        ascii_bytes = int(np.count_nonzero(chunk < 0x80))  # never held back by the decoder
        bad, others = bad + part_bad, others + len(part) - ascii_bytes - part_bad
        high_left -= len(chunk) - ascii_bytes
        # The decoder may hold back the start of a character (at most 3 bytes) for the next.
        if bad * 2 > others + (high_left + 3) // 2:
            return None
    return "".join(parts) if bad * 2 <= others else None


#: Text with nothing in it but spaces and byte-order marks: matched without the copy of a
#: whole file that stripping it would make (0.14 s for a million rows in Windows-1251).
_BLANK = re.compile(r"\s*\ufeff*\s*")
_EMPTY = "the file is empty"

#: Control characters that text does not hold (all but tab, line breaks and form feed).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return len(_CONTROLS.findall(sample)) > max(8, len(sample) // 20)


def _mostly_nul(content: str | np.ndarray) -> bool:
    """Whether more than one character in twenty of a text (or of UTF-8 bytes, counted as
    the characters they encode) is NUL, as in an image or a database file. A few NULs in a
    text are damage to its values, which rejects their rows only: at a million rows, one zero
    byte in one mention must not lose the others."""
    if isinstance(content, str):
        return content.count("\x00") * 20 > len(content)
    nuls = _bytes_where(content, lambda part: part == 0)
    # A character is one to four bytes, so characters need counting only near the bound.
    if nuls * 80 <= len(content):
        return False
    # Every byte of UTF-8 but a continuation byte (10xxxxxx) starts a character.
    return nuls * 20 > len(content) - _bytes_where(content, lambda part: (part & 0xC0) == 0x80)


def _bytes_where(content: np.ndarray, test: Callable[[np.ndarray], np.ndarray]) -> int:
    """How many bytes pass ``test``, a slice at a time: a mask of the whole file would be as
    large as the file."""
    return sum(
        int(np.count_nonzero(test(content[at : at + _SCAN_BYTES])))
        for at in range(0, len(content), _SCAN_BYTES)
    )


def _first_line(text: str, start: int = 0) -> str:
    """The first line of ``text`` from ``start`` that is not blank ("" if none), splitting
    only as much of the text as it takes: a file's text may be a million lines."""
    size = 4096
    while True:
        lines = text[start : start + size].splitlines()
        whole = start + size >= len(text)
        # The last line of a part may go on beyond it.
        found = next((line for line in (lines if whole else lines[:-1]) if line.strip()), None)
        if found is not None or whole:
            return found or ""
        size *= 8


def _detect_delimiter(text: str, known: set[str]) -> str:
    """The delimiter whose split of the header names the most known columns (then: most fields)."""
    header = _first_line(text.lstrip("\ufeff"))

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            return (0, 0)
        names = header_names(cells)
        return (sum(name in known for name in names), len(names))

    return max(DELIMITERS, key=score)
