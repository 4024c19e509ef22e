"""Reading the agency's files: YAML with key lines, CSV in whatever form a spreadsheet wrote it.

Every record keeps the physical line it started on, so a problem can be reported where a person
will find it (pandas row numbers drift on quoted newlines; Python's ``csv`` reader does not).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .problems import Problem, display_path

LINE = "__line"

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
    text = _decode(_read_bytes(path))[0]
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
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark is not None else None
        raise LoadError(f"YAML syntax error: {exc.problem or exc.context}", line=at) from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise LoadError(f"YAML error: {exc}") from exc
    finally:
        loader.dispose()
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
class Table:
    """A CSV file read as text: one string column per header name, plus each record's line."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rejected_lines: list[int] = field(default_factory=list)
    raw_rejected: list[list[str]] = field(default_factory=list)

    @property
    def decimal_comma(self) -> bool:
        """A comma may be a decimal separator only when it is not the delimiter."""
        return self.delimiter != ","

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.rejected_lines)


#: Russian column names that exports from Russian monitoring tools and spreadsheets use.
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
    "подписчики": "followers",
    "посты": "posts",
    "метрика": "metric",
    "значение": "value",
}


def normalise_header(name: str) -> str:
    """``' Media Type '``, ``'MEDIA_TYPE'`` and ``'Тип СМИ'`` all become ``'media_type'``."""
    key = re.sub(r"[\s\-]+", "_", name.strip().strip("\ufeff").strip().casefold())
    return HEADER_ALIASES.get(key.replace("ё", "е"), key)


def read_table(path: Path, known_columns: Iterable[str]) -> Table:
    """Read a CSV whatever its encoding and delimiter; ragged records are rejected, not guessed.

    Raises LoadError for a file that cannot be read as a table at all.
    """
    text, encoding = _decode(_read_bytes(path))
    known = set(known_columns)
    lines = io.StringIO(text, newline="")
    first_line = 1
    head = text[:200].lstrip("\ufeff")
    sep_line = re.match(r"sep=(.)\r?\n", head)
    if sep_line:
        # Excel's own marker line, "sep=;", names the delimiter.
        delimiter = sep_line.group(1)
        lines.readline()
        first_line = 2
    else:
        delimiter = _detect_delimiter(text, known)
    reader = csv.reader(lines, delimiter=delimiter)
    shown = display_path(path)
    try:
        header_row = next(reader, None)
        while header_row is not None and not any(cell.strip() for cell in header_row):
            header_row = next(reader, None)
    except csv.Error as exc:
        raise LoadError(f"not a readable CSV header: {exc}") from exc
    if header_row is None:
        raise LoadError("the file is empty", hint="export the table with its header row")
    header_line = reader.line_num + first_line - 1
    header = [normalise_header(cell) for cell in header_row]
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name and name in seen:
            raise LoadError(
                f"column '{name}' appears twice (columns {seen[name] + 1} and {index + 1})",
                line=header_line,
            )
        seen[name] = index

    problems: list[Problem] = []
    good: list[list[str]] = []
    good_lines: list[int] = []
    rejected_lines: list[int] = []
    raw_rejected: list[list[str]] = []
    width = len(header)
    previous_end = reader.line_num
    try:
        for row in reader:
            start = previous_end + first_line
            previous_end = reader.line_num
            if len(row) == width:
                good.append(row)
                good_lines.append(start)
                continue
            if not any(cell.strip() for cell in row):
                continue  # a blank line is not a record
            rejected_lines.append(start)
            raw_rejected.append(row)
            hint = f"a value that contains a {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}"
            problems.append(
                Problem(
                    shown,
                    start,
                    "row",
                    f"has {len(row)} fields, the header has {width}",
                    hint=f"{hint} must be in double quotes" if len(row) > width else "",
                )
            )
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
    columns = list(zip(*good, strict=True)) if good else [() for _ in header]
    frame = pd.DataFrame(
        {name: pd.Series(col, dtype=object) for name, col in zip(header, columns, strict=True)}
    )
    frame[LINE] = pd.Series(good_lines, dtype="int64")
    return Table(
        path=path,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        frame=frame,
        problems=problems,
        rejected_lines=rejected_lines,
        raw_rejected=raw_rejected,
    )


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise LoadError("file not found")
    if path.is_dir():
        raise LoadError("is a folder, expected a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror}") from exc


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a spreadsheet export: UTF-8 (BOM or not), UTF-16, Windows-1251."""
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
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        candidates = ["utf-16-le"]
    elif len(data) >= 4 and data[0:4:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
        candidates = ["utf-16-be"]
    else:
        candidates = ["utf-8", "cp1251"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _looks_binary(text):
            raise LoadError("this is a binary file, not text", hint="export the data as CSV")
        if not text.strip().strip("\ufeff"):
            raise LoadError("the file is empty", hint="export the table with its header row")
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise LoadError(
        "cannot decode the file: it is not UTF-8, UTF-16 or Windows-1251 text",
        hint="save it as 'CSV UTF-8'",
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls > max(8, len(sample) // 20)


def _detect_delimiter(text: str, known: set[str]) -> str:
    """The delimiter whose split of the header names the most known columns (then: most fields)."""
    header = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            return (0, 0)
        names = [normalise_header(cell) for cell in cells]
        return (sum(name in known for name in names), len(names))

    return max(DELIMITERS, key=score)
