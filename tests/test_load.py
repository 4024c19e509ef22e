"""Reading spreadsheets as agencies really export them."""

from __future__ import annotations

import contextlib
import gc
import io
import threading
import weakref
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pyarrow import csv as pa_csv

import generator.load
from generator.columns import (
    ACCOUNT_OPTIONAL,
    ACCOUNT_REQUIRED,
    MENTION_OPTIONAL,
    MENTION_REQUIRED,
    MENTION_TIME,
    OUTCOME_REQUIRED,
)
from generator.load import (
    SECOND_NAMES,
    LoadError,
    Table,
    TableAhead,
    _any_letter_first,
    _left_open,
    _line_list,
    _read_arrow,
    _records,
    _same_records,
    _where,
    load_yaml,
    normalise_header,
    parse_yaml,
    read_commentary,
    read_table,
)
from generator.problems import Severity
from tests.conftest import HERE
from tests.helpers import metrics_of, problems, rewrite

KNOWN = ("date", "brand", "sentiment", "text")


def test_records_keep_their_physical_line_across_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text('date,brand,text\n2026-01-01,A,"one\ntwo\nthree"\n2026-01-02,B,x\n')
    table = read_table(path, KNOWN)
    assert table.frame["__line"].tolist() == [2, 5]
    assert table.frame["text"].tolist() == ["one\ntwo\nthree", "x"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("utf-8-sig", ";"),
        ("cp1251", ";"),
        ("cp1251", "\t"),
        ("utf-16", "\t"),  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
        ("utf-16-le", ","),  # no BOM
        ("utf-16-be", ";"),
    ],
)
def test_every_encoding_and_delimiter_gives_the_same_metrics(
    data_dir: Path, encoding: str, delimiter: str
) -> None:
    expected = metrics_of(data_dir)
    path = data_dir / "acme" / "mentions.csv"
    text = rewrite(path.read_text(encoding="utf-8"), delimiter)
    path.write_bytes(text.encode(encoding))
    table = read_table(path, KNOWN)
    assert table.delimiter == delimiter
    assert metrics_of(data_dir) == expected


def test_header_names_are_case_insensitive_and_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(" Date ;BRAND;Sentiment;Media Type\n2026-01-01;A;1;tv\n")
    table = read_table(path, KNOWN)
    assert table.header == ["date", "brand", "sentiment", "media_type"]
    assert normalise_header("\ufeffMedia-Type ") == "media_type"
    path.write_text("Da\u200bte;\u00adБренд;Sentiment\u2060\n2026-01-01;A;1\n")
    assert read_table(path, KNOWN).header == ["date", "brand", "sentiment"]


def test_excel_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("sep=;\ndate;brand;sentiment\n2026-01-01;A,B;1\n")
    table = read_table(path, KNOWN)
    assert table.delimiter == ";"
    assert table.frame["brand"].tolist() == ["A,B"]
    assert table.frame["__line"].tolist() == [3]


def test_a_sep_line_may_name_any_character(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text('sep=ж\ndateжbrandжtext\n2026-01-01жA;Bжa 5" screen\n', encoding="utf-8")
    table = read_table(path, KNOWN)
    assert (table.delimiter, table.header) == ("ж", ["date", "brand", "text"])
    assert table.frame[["brand", "text", "__line"]].values.tolist() == [["A;B", 'a 5" screen', 3]]


TITLE = "the header is on line {}: {} above it (a title?) {} not a table and {} not read"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
@pytest.mark.parametrize("python", [False, True])
@pytest.mark.parametrize(
    ("above", "delimiter", "skipped"),
    [
        ("Выгрузка упоминаний: Acme, октябрь 2026\n\n", ";", "lines 1–2"),
        ("Отчёт;;\nКлиент;Acme;\n", ";", "lines 1–2"),
        ("Mentions report, October\n", ",", "line 1"),
        ("sep=;\nВыгрузка упоминаний\n", ";", "line 2"),
    ],
)
def test_a_title_above_the_header_is_passed_over_with_a_warning(
    tmp_path: Path, above: str, delimiter: str, skipped: str, encoding: str, python: bool
) -> None:
    """A report's title, its client or period, above the header (as agencies' spreadsheets
    have): the header is the first line that names two known columns, whichever reader."""
    path = tmp_path / "m.csv"
    rows = ["Дата", "Бренд", "Тональность"], ["01.10.2026", "Acme", "позитив"]
    body = "".join(delimiter.join(row) + "\n" for row in rows)
    path.write_bytes((above + body).encode(encoding))
    header_line = above.count("\n") + 1
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, KNOWN)
    assert (table.delimiter, table.header) == (delimiter, ["date", "brand", "sentiment"])
    assert table.frame[["date", "__line"]].values.tolist() == [["01.10.2026", header_line + 1]]
    (problem,) = table.problems
    first = 2 if above.startswith("sep=") else 1
    assert (problem.line, problem.column, problem.severity) == (first, "", Severity.WARNING)
    verbs = ("is", "was") if skipped.startswith("line ") else ("are", "were")
    assert problem.message == TITLE.format(header_line, skipped, *verbs)


@pytest.mark.parametrize("python", [False, True])
def test_a_note_under_the_table_is_passed_over_with_a_warning(tmp_path: Path, python: bool) -> None:
    """`Выгружено … из Brand Analytics` under an export: lines after the last record of one
    cell, or of words in the first cell and nothing in the others (as a spreadsheet writes a
    line to the table's width), are a note, whichever reader. A short line among records, or
    a longer one after them, is still a record cut short; a line of more cells, a record."""
    path = tmp_path / "m.csv"
    rows = "Дата;Бренд;Тональность\n01.10.2026;Acme;позитив\n02.10.2026;Acme;позитив\n"
    arrow = mock.patch("generator.load._read_arrow", return_value=None)

    def read(text: str) -> tuple[int, list[tuple[int | None, str, str]]]:
        """Records read, and the problems; each of them but the note's is a line rejected."""
        path.write_text(text, encoding="utf-8")
        with arrow if python else contextlib.nullcontext():
            table = read_table(path, KNOWN)
        assert table.rejected_lines == [p.line for p in table.problems if p.column == "row"]
        return len(table.lines), [(p.line, p.column, p.message) for p in table.problems]

    note = "Итого: 2 упоминания\nВыгружено 05.11.2026 из Brand Analytics\n"
    assert read(rows + note) == (
        2,
        [(4, "", "lines 4–5 below the table (a note?) are not a table and were not read")],
    )
    assert read(rows + "Выгружено 05.11.2026\n") == (
        2,
        [(4, "", "line 4 below the table (a note?) is not a table and was not read")],
    )
    assert read(rows + "Выгружено 05.11.2026;;\nИтого: 2 упоминания\nИсточник: BA;;\n") == (
        2,
        [(4, "", "lines 4–6 below the table (a note?) are not a table and were not read")],
    )
    assert read(rows + "Выгружено 05.11.2026;;x\n") == (3, [])
    short = "row", "has 1 field, the header has 3"
    assert read(rows.replace("\n02", "\nобрыв\n02")) == (2, [(3, *short)])
    assert read(rows + note + "a;b\n") == (
        2,
        [(4, *short), (5, *short), (6, "row", "has 2 fields, the header has 3")],
    )


@pytest.mark.parametrize("above", ["Отчёт по продажам, 2026\n", "sep=;\nОтчёт;;\n;;\n"])
def test_a_title_above_the_header_of_a_table_kept_wide_is_passed_over(
    tmp_path: Path, above: str
) -> None:
    """A wide table's header names one known column (``Месяц``), its others are its own."""
    path = tmp_path / "outcomes.csv"
    path.write_text(above + "Месяц;Лиды;Выручка\nсентябрь 2026;25;1 000\n", encoding="utf-8")
    table = read_table(path, ("period", "metric", "value"))
    assert table.header == ["period", "лиды", "выручка"]
    assert table.raw_header == ["Месяц", "Лиды", "Выручка"]
    assert table.frame[["period", "лиды", "__line"]].values.tolist() == [
        ["сентябрь 2026", "25", above.count("\n") + 2]
    ]


def test_a_first_line_naming_no_column_is_still_the_header_when_no_later_one_names_two(
    tmp_path: Path,
) -> None:
    """A header of misspelt names is not passed over for a data row that names one."""
    path = tmp_path / "m.csv"
    path.write_text("datum,brnd,sentimnt\n2026-01-01,text,1\n")
    table = read_table(path, KNOWN)
    assert table.header == ["datum", "brnd", "sentimnt"]
    assert table.problems == [] and table.rows_read == 1


AGAIN = "the header again (files joined one after another?): passed over, not a row"


@pytest.mark.parametrize("python", [False, True])
@pytest.mark.parametrize("ragged", [False, True])
def test_the_header_again_is_passed_over_with_a_warning(
    tmp_path: Path, python: bool, ragged: bool
) -> None:
    """Exports joined one after another (`cat`, or copied under each other in a spreadsheet)
    repeat the header, the second perhaps after its byte order mark: those lines are not rows.
    A row that only begins like the header is a row. (The first column here is read as
    categories: the header's value is not left among them.)"""
    header = "Бренд;Дата;Тональность\n"
    rows = [
        "Acme;01.10.2026;позитив\n",
        header,
        "Globex;02.10.2026;негатив\n",
        "\ufeff" + header,
        *(["Acme;03.10.2026\n"] if ragged else []),
        "Бренд;Дата;позитив\n",
    ]
    path = tmp_path / "m.csv"
    path.write_text("\ufeff" + header + "".join(rows), encoding="utf-8")
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, KNOWN, repeated=("brand",))
    last = 7 if ragged else 6
    assert table.frame[["brand", "__line"]].values.tolist() == [
        ["Acme", 2],
        ["Globex", 4],
        ["Бренд", last],
    ]
    assert list(table.frame["brand"].cat.categories) == ["Acme", "Globex", "Бренд"]
    assert [(p.line, p.message) for p in table.problems] == [
        (3, AGAIN),
        (5, AGAIN),
        *([(6, "has 2 fields, the header has 3")] if ragged else []),
    ]


@pytest.mark.parametrize("python", [False, True])
@pytest.mark.parametrize("first", ["date", "brand"])
def test_the_header_again_spelt_otherwise_or_in_another_order(
    tmp_path: Path, python: bool, first: str
) -> None:
    """Exports of two tools, or of one in two languages, joined: the second header names the
    same columns spelt otherwise, perhaps in another order, and the rows under it are in its
    order. A record that names another column is a row."""
    spelt = {
        "date": ["Дата", " DATE\t", "\ufeffдата"],
        "brand": ["BRAND", "Бренд", "brand"],
        "media_type": ["Тип СМИ", "Media  Type", "media-type"],
    }
    order = ["date", "brand", "media_type"] if first == "date" else ["brand", "date", "media_type"]
    other = ["media_type", first, "date" if first == "brand" else "brand"]
    values = {"date": "01.10.2026", "brand": "Acme", "media_type": "radio"}
    lines = [
        order,
        [values[name] for name in order],
        [spelt[name][0] for name in order],  # line 3: the same order, spelt otherwise
        [values[name] for name in order],
        [spelt[name][1] for name in other],  # line 5: another order
        [values[name] for name in other],
        ["Дата", "Бренд", "Тип"],  # line 7: another column: a row, in line 5's order
        [spelt[name][2] for name in order],  # line 8: back to the first order
        [values[name] for name in order],
    ]
    path = tmp_path / "m.csv"
    path.write_text("".join(";".join(cells) + "\n" for cells in lines), encoding="utf-8")
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, (*KNOWN, "media_type"), repeated=("brand",))
    reordered = AGAIN.replace("again", "again, its columns in another order") + (
        "; the rows under it are read in its order"
    )
    assert [(p.line, p.message) for p in table.problems] == [
        (3, AGAIN),
        (5, reordered),
        (8, AGAIN),
    ]
    assert table.frame["__line"].tolist() == [2, 4, 6, 7, 9]
    row = [values[name] for name in order]
    misread = dict(zip(other, ["Дата", "Бренд", "Тип"], strict=True))
    assert table.frame[order].astype(str).values.tolist() == [
        row,
        row,
        row,
        [misread[name] for name in order],
        row,
    ]
    assert table.rows_read == 5


@pytest.mark.parametrize("python", [False, True])
def test_a_header_of_names_that_are_not_words_is_found_again_as_spelt(
    tmp_path: Path, python: bool
) -> None:
    """Columns named by numbers or signs (`№;1;2`) have no other spellings to look for: the
    header again is found as it is spelt, over a first column of words as of numbers."""
    path = tmp_path / "m.csv"
    path.write_text("№;1;2\nx;a;b\n№;1;2\n\ufeff№;1;2\ny;c;d\n")
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, KNOWN)
    assert [(p.line, p.message) for p in table.problems] == [(3, AGAIN), (4, AGAIN)]
    assert table.frame["__line"].tolist() == [2, 5]


@pytest.mark.parametrize("python", [False, True])
def test_a_header_that_reads_as_totals_is_said_once_to_be_the_header_again(
    tmp_path: Path, python: bool
) -> None:
    """A header of a column named `Итого` and of years is also what a row of totals looks
    like: repeated, it is the header again, and said once."""
    path = tmp_path / "m.csv"
    path.write_text("Итого;2025;2026\n1;2;3\nИтого;2025;2026\n4;5;6\n")
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, KNOWN)
    assert [(p.line, p.message) for p in table.problems] == [(3, AGAIN)]
    assert table.frame["__line"].tolist() == [2, 4]


@pytest.mark.parametrize("python", [False, True])
def test_a_spreadsheets_unused_rows_are_passed_over_with_one_warning(
    tmp_path: Path, python: bool
) -> None:
    """Excel writes the empty rows of a sheet's used range as bare delimiters (`;;;`), and a
    cell cleared with the space bar holds spaces: no data, so not rows to reject, and one
    warning for all of them, however many."""
    path = tmp_path / "m.csv"
    body = [
        *("01.10.2026;Acme;5", ";;", "02.10.2026;Globex;", ";;", ";;", ""),
        *(";;", ";; ", ";;", " ;\t; ", "03.10.2026; ;"),
    ]
    path.write_text("date;brand;likes\n" + "".join(row + "\n" for row in body))
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, (*KNOWN, "likes"), repeated=("brand",))
    assert table.frame[["date", "brand", "likes", "__line"]].values.tolist() == [
        ["01.10.2026", "Acme", "5", 2],
        ["02.10.2026", "Globex", "", 4],
        ["03.10.2026", " ", "", 12],  # a row with a value is a row, checked as one
    ]
    assert [(p.line, p.message, p.severity) for p in table.problems] == [
        (
            3,
            "7 rows with every cell empty (lines 3, 5–6, 8–11): passed over, not data",
            Severity.WARNING,
        )
    ]
    assert table.rows_read == 3
    assert list(table.frame["brand"].cat.categories) == ["Acme", "Globex", " "]


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        ([7], "7"),
        ([3, 4, 5, 9], "3–5, 9"),
        ([*range(1, 12, 2), 20, 21], "1, 3, 5, 7, 9 and 3 more"),
    ],
)
def test_lines_are_listed_as_runs(lines: list[int], text: str) -> None:
    assert _line_list(lines) == text


TOTALS = "a row of totals ({}): passed over, not a row"


@pytest.mark.parametrize("python", [False, True])
@pytest.mark.parametrize("first", ["date", "brand"])
def test_a_row_of_totals_is_passed_over_with_a_warning(
    tmp_path: Path, python: bool, first: str
) -> None:
    """A spreadsheet's sum under its table, or under each month of it: its first cell that is
    not empty says so (the second or a later one under columns left empty, as of row numbers),
    and figures or nothing in the cells after it. A row that only begins with such a word, or
    has words after it, is a row (to be rejected as one), as is one whose label has a no-break
    space before it; a cell of spaces before the label is an empty one. The first column is
    read as text (dates) or as categories (brands)."""
    second = "brand" if first == "date" else "date"
    rows = [
        "Acme;x;5",
        "Итого за октябрь:;;1 234,5",
        "Globex;y;—",
        " ВСЕГО ;;",
        "Totally;;5",
        "Итого;z;5",
        "Grand total;01.10–31.10;12%",
        ";Итого:;1 000",
        ";;total",
        ";Всего;x",
        "\u00a0Итого;;5",
        " ;Итого;5",
    ]
    path = tmp_path / "m.csv"
    path.write_text(f"{first};{second};likes\n" + "".join(row + "\n" for row in rows))
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, (*KNOWN, "likes"), repeated=("brand",))
    assert table.frame[[first, second, "__line"]].values.tolist() == [
        ["Acme", "x", 2],
        ["Globex", "y", 4],
        ["Totally", "", 6],
        ["Итого", "z", 7],
        ["", "Всего", 11],
        ["\u00a0Итого", "", 12],
    ]
    assert [(p.line, p.message, p.severity) for p in table.problems] == [
        (3, TOTALS.format("'Итого за октябрь:'"), Severity.WARNING),
        (5, TOTALS.format("'ВСЕГО'"), Severity.WARNING),
        (8, TOTALS.format("'Grand total'"), Severity.WARNING),
        (9, TOTALS.format("'Итого:'"), Severity.WARNING),
        (10, TOTALS.format("'total'"), Severity.WARNING),
        (13, TOTALS.format("'Итого'"), Severity.WARNING),  # after a cell of a space
    ]
    assert table.rows_read == 6
    if first == "brand":
        assert list(table.frame["brand"].cat.categories) == [
            "Acme",
            "Globex",
            "Totally",
            "Итого",
            "",
            "\u00a0Итого",
        ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["2026-01-01", "", "01.01.2026"], False),
        (["2026-01-01", ""], False),
        (["", ""], False),
        (["2026-01-01", "Итого"], True),
        (["2026-01-01", " 5"], True),
    ],
)
def test_only_cells_that_begin_with_a_digit_are_no_start_of_totals(
    cells: list[str], expected: bool
) -> None:
    """The look at first bytes that spares a column of dates the search for totals, on a
    column of two chunks, the second (the one looked at) sliced out of a larger array."""
    chunks = [pa.array(["1"], pa.large_string()), pa.array(["x", *cells], pa.large_string())[1:]]
    assert _any_letter_first(pa.chunked_array(chunks)) is expected


@pytest.mark.parametrize("dictionary", [False, True])
def test_only_cells_that_begin_as_asked_are_looked_at_closer(dictionary: bool) -> None:
    """The look at first bytes that spares a column of dates the searches for a header or a
    label of totals: on a column of two chunks, the second sliced out of a larger array; among
    the rows asked about; with the empty cells or without. A dictionary's values are each
    looked at instead."""
    cells = ["01.10.2026", "Итого", "", "Иначе", "итого", "Итого"]
    chunks = [
        pa.array(cells[:2], pa.large_string()),
        pa.array(["x", *cells[2:]], pa.large_string())[1:],
    ]
    column = pa.chunked_array(chunks)
    if dictionary:
        column = pc.dictionary_encode(column)
    looked: list[int] = []

    def func(values: pa.Array) -> pa.Array:
        looked.append(len(values))
        return pc.or_(pc.equal(values, "Итого"), pc.equal(values, ""))

    # Of a dictionary, every value is looked at: the empty cell is found as func finds it.
    assert _where(column, {"И"}, func).tolist() == [0, 1, dictionary, 0, 0, 1]
    assert _where(column, {"И"}, func, empty=True).tolist() == [0, 1, 1, 0, 0, 1]
    rows = np.array([True, False, True, True, True, True])
    assert _where(column, {"И", "и"}, func, rows, empty=True).tolist() == [0, 0, 1, 0, 0, 1]
    # Not the date, nor the empty cell unless asked for, nor the first chunk's one candidate
    # when it is not among the rows asked about. A first byte tells a Cyrillic letter from a
    # digit, not from another Cyrillic letter: "итого" is looked at, and not found.
    if not dictionary:
        assert looked == [1, 3, 1, 4, 4]


@pytest.mark.parametrize("python", [False, True])
def test_a_column_named_twice_is_an_error_only_when_the_tool_reads_it(
    tmp_path: Path, python: bool
) -> None:
    """Of two `date` columns, which one holds the dates cannot be told: the file is refused.
    Two columns the tool ignores (an export's `Заметка` twice) are no reason to lose it."""
    path = tmp_path / "m.csv"
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    path.write_text("date;Заметка;brand;заметка;sentiment\n2026-01-01;x;A;y;1\n")
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, KNOWN)
    assert table.header == ["date", "заметка", "brand", "заметка", "sentiment"]
    assert table.frame[["date", "brand", "заметка"]].values.tolist() == [["2026-01-01", "A", "y"]]
    path.write_text("date;brand;Date;sentiment\n2026-01-01;A;2026-01-02;1\n")
    with arrow if python else contextlib.nullcontext(), pytest.raises(LoadError) as info:
        read_table(path, KNOWN)
    assert (info.value.line, info.value.message) == (
        1,
        "column 'date' appears twice (columns 1 and 3)",
    )


@pytest.mark.parametrize("python", [False, True])
def test_a_monitoring_tools_names_stand_for_a_column_the_header_has_no_name_for(
    tmp_path: Path, python: bool
) -> None:
    """YouScan's `Дата публикации`, Brand Analytics' `Тип сообщения`, an API's `created_at`
    name their columns when the header has no other name for them. Beside the column's own
    name, or a first such name, they are columns of their own, ignored: not a second `date`.
    Exports joined under headers spelt so are read as one."""
    path = tmp_path / "m.csv"
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    known = (*KNOWN, "platform", "kind", "url")
    path.write_text(
        "Дата публикации;Объект;Тон;Источник;Тип сообщения;Ссылка на публикацию\n"
        "05.10.2026;A;позитив;vk.com;Пост;https://vk.com/wall1_1\n"
        "created_at;Компания;Tone;Source;Type;Link\n"
        "06.10.2026;B;негатив;t.me;Репост;https://t.me/x/2\n",
        encoding="utf-8",
    )
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, known)
    assert table.header == ["date", "brand", "sentiment", "platform", "kind", "url"]
    assert table.frame[["date", "brand", "kind"]].values.tolist() == [
        ["05.10.2026", "A", "Пост"],
        ["06.10.2026", "B", "Репост"],
    ]
    assert [(p.line, p.message) for p in table.problems] == [(3, AGAIN)]
    path.write_text(
        "created_at;Дата;Дата публикации;Тон;brand;Тональность\n1;2026-10-05;3;4;A;позитив\n",
        encoding="utf-8",
    )
    with arrow if python else contextlib.nullcontext():
        table = read_table(path, known)
    assert table.header == ["created_at", "date", "дата_публикации", "тон", "brand", "sentiment"]
    assert table.frame[["date", "sentiment"]].values.tolist() == [["2026-10-05", "позитив"]]
    path.write_text("Дата публикации;created_at;brand;sentiment\n2026-10-05;2;A;1\n")
    with arrow if python else contextlib.nullcontext():
        assert read_table(path, known).header == ["date", "created_at", "brand", "sentiment"]


def test_each_second_hand_name_is_a_header_cell_as_normalised_and_no_columns_own_name() -> None:
    """A second-hand name written otherwise than ``normalise_header`` makes it (`ё`, a space,
    a capital) would never be found; one that is a column's own name or a first-hand alias
    would take a column of the file for another."""
    own = {*MENTION_REQUIRED, *MENTION_OPTIONAL, MENTION_TIME, *ACCOUNT_REQUIRED}
    own |= {*ACCOUNT_OPTIONAL, *OUTCOME_REQUIRED}
    assert set(SECOND_NAMES.values()) <= own
    for name in SECOND_NAMES:
        assert normalise_header(name) == name, name
        assert name not in own, name


def test_blank_lines_are_not_records_and_do_not_shift_lines(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("date,brand,sentiment\n\n2026-01-01,A,1\r\n\r\n2026-01-02,B,0\n\n")
    table = read_table(path, KNOWN)
    assert table.frame["__line"].tolist() == [3, 5]
    assert table.rows_read == 2


def test_ragged_rows_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("date,brand,sentiment\n2026-01-01,A,1\n2026-01-02,B,0,extra\n2026-01-03,C\n")
    table = read_table(path, KNOWN)
    assert table.rows_read == 3
    assert table.rejected_lines == [3, 4]
    assert [(p.line, p.message) for p in table.problems] == [
        (3, "has 4 fields, the header has 3"),
        (4, "has 2 fields, the header has 3"),
    ]
    assert "must be in double quotes" in table.problems[0].hint


def test_records_found_by_counting_must_span_the_lines_of_arrows() -> None:
    """Records found by counting delimiters and line breaks outside quotes stand in for
    Arrow's only when they are the same, line for line: here two bodies have as many records,
    of as many fields, but the line break inside a quoted value is in another record."""
    first, second = b'"a\nb",c,d\ne,f,g', b'a,b,c\n"d\ne",f,g'
    found = _records(first, 0, len(first), ",", 3, quoted=True)
    assert found is not None
    assert found.line.tolist() == [0, 2]

    def arrow(body: bytes) -> object:
        return pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        )

    assert _same_records(found, arrow(first), [], quoted=True)
    assert not _same_records(found, arrow(second), [], quoted=True)


def test_a_run_of_quotes_longer_than_a_slice_is_left_to_the_python_reader(
    tmp_path: Path,
) -> None:
    """Quotes are taken run by run, each run within one slice of the file; a run that goes on
    far beyond a slice (no export writes one) is not followed: the file is read by Python's
    reader, which takes the run as text in an unquoted value."""
    odd, even = tmp_path / "odd.csv", tmp_path / "even.csv"
    odd.write_text('date;brand;text\n"2026-01-01";A;x' + '"' * 13 + "\n", encoding="utf-8")
    # An even number of quotes, counted wrong by their parity: the records of a ragged line
    # are counted run by run.
    even.write_text(odd.read_text() + '"2026-01-02";B;y"\nc;d\n', encoding="utf-8")
    with (
        mock.patch("generator.load._SCAN_BYTES", 4),
        mock.patch("generator.load._QUOTE_RUN_BYTES", 8),
    ):
        assert _left_open(b"x" + b'"' * 13, 0, 14, ";")  # in doubt, a value is left open
        tables = [read_table(path, KNOWN) for path in (odd, even)]
    assert [table.frame["text"].tolist() for table in tables] == [
        ["x" + '"' * 13],
        ["x" + '"' * 13, 'y"'],
    ]
    assert [p.line for p in tables[1].problems] == [4]
    assert not _left_open(b"x" + b'"' * 13, 0, 14, ";")  # in slices of 16 MB: text


def test_the_part_read_for_the_header_ends_after_a_whole_line(tmp_path: Path) -> None:
    """A file of old Mac line ends (a carriage return alone) is cut after its last one; a
    header or first record longer than the most read for the header is the Python reader's."""
    path = tmp_path / "m.csv"
    path.write_bytes(b"date;brand;text\r2026-01-01;A;a\r2026-01-02;B;" + b"b" * 40 + b"\r")
    with (
        mock.patch("generator.load._HEAD_BYTES", 34),
        mock.patch("generator.load._HEAD_LIMIT", 34),
    ):
        fast = _read_arrow(path, path.read_bytes(), KNOWN)
        assert fast is not None and fast.frame["text"].tolist() == ["a", "b" * 40]
        path.write_bytes(b"date;brand;text\n2026-01-01;A;" + b"a" * 40 + b"\n")
        assert _read_arrow(path, path.read_bytes(), KNOWN) is None
        assert read_table(path, KNOWN).frame["text"].tolist() == ["a" * 40]


HTML = "this is a web page (HTML), not a CSV file"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf\r\n", "the file is empty"),
        (" \t\r\n".encode("utf-16"), "the file is empty"),
        (b"\xa0 \r\n\xa0", "the file is empty"),  # Windows-1251 no-break spaces
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "this is an Excel workbook (XLSX or another zip file), not a CSV file",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "this is an old Excel workbook (XLS), not a CSV file",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a binary file, not text"),
        # Web pages and XML saved as .csv: a tool's "Excel" export, a failed download's page.
        (b"<!DOCTYPE html>\n<html><body>Error 500</body></html>\n", HTML),
        (b"\xef\xbb\xbf\r\n  <HTML>\n<table><tr><td>date</td></tr></table>", HTML),
        ("<table>\n<tr><td>дата</td><td>бренд</td></tr>\n".encode("utf-16"), HTML),
        ("<meta charset=windows-1251><table><tr><td>дата</td>".encode("cp1251"), HTML),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook>',
            "this is an XML file (Excel's XML Spreadsheet or another), not a CSV file",
        ),
        # More than one character in twenty is NUL (a text with a few is read, see test_validate).
        (b"date,brand,sentiment\n" + b"\x00" * 2, "this is a binary file, not text"),
        ("дата;бренд;тональность\n".encode() + b"\x00" * 2, "this is a binary file, not text"),
        (
            "дата;бренд;тональность\n".encode("utf-16-le") + b"\x00" * 4,
            "this is a binary file, not text",
        ),
    ],
)
def test_files_that_are_not_csv_get_one_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        read_table(path, KNOWN)
    assert info.value.message == message


def test_a_csv_that_only_mentions_markup_is_read(tmp_path: Path) -> None:
    """Tags in a value, or a header cell that merely begins with `<`, are text."""
    path = tmp_path / "m.csv"
    path.write_text("<date>;brand;text\n2026-10-01;A;<html> and <table>\n", encoding="utf-8")
    assert read_table(path, KNOWN).frame["text"].tolist() == ["<html> and <table>"]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="file not found"):
        read_table(tmp_path / "nope.csv", KNOWN)
    with pytest.raises(LoadError, match="is a folder"):
        read_table(tmp_path, KNOWN)


def test_a_table_read_ahead_is_the_table_read_given_once_and_not_held(tmp_path: Path) -> None:
    """``TableAhead`` is ``read_table`` on another thread: the same table, or the same
    LoadError, when it is taken; once taken, the table lives no longer than its user holds it
    (the checks let the text as read go before they copy the rows kept)."""
    path = tmp_path / "m.csv"
    path.write_text("date;brand;sentiment;text\n2026-10-01;A;positive;x\n2026-10-02;B;negative;y\n")
    ahead = TableAhead(path, KNOWN, ("brand",))
    table = ahead.take()
    now = read_table(path, KNOWN, ("brand",))
    assert (table.header, table.delimiter, table.problems) == (now.header, now.delimiter, [])
    assert table.frame.equals(now.frame)
    assert str(table.frame["brand"].dtype) == "category"
    with pytest.raises(RuntimeError, match="taken already"):
        ahead.take()
    held = weakref.ref(table)
    del table
    gc.collect()
    assert held() is None
    with pytest.raises(LoadError, match="file not found"):
        TableAhead(tmp_path / "nope.csv", KNOWN).take()


def test_a_table_is_read_ahead_on_a_thread_that_does_not_keep_the_process_alive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A daemon thread: stopped meanwhile (Ctrl-C), the process ends at once instead of
    waiting for Arrow to finish reading a large file."""
    path = tmp_path / "m.csv"
    path.write_text("date;brand;sentiment\n2026-10-01;A;positive\n")
    seen: list[tuple[str, bool]] = []
    real = generator.load.read_table

    def spied(*args: Any) -> Table:
        seen.append((threading.current_thread().name, threading.current_thread().daemon))
        return real(*args)

    monkeypatch.setattr(generator.load, "read_table", spied)
    assert TableAhead(path, KNOWN).take().rows_read == 1
    assert seen == [("read-ahead", True)]


def test_yaml_keys_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    path.write_text("name: A\nbrand:\n  name: B\n  aliases:\n    - b1\n    - b2\n")
    doc = load_yaml(path)
    assert doc.line_of(("brand", "aliases", 1)) == 6
    assert doc.line_of(("brand", "missing_key")) == 2


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    path.write_text("name: A\nbrand: [unclosed\nlocale: ru\n")
    with pytest.raises(LoadError) as info:
        load_yaml(path)
    assert info.value.line == 3
    assert info.value.message.startswith("YAML syntax error")


def test_mentions_in_an_xlsx_file_are_one_problem(acme: Path) -> None:
    (acme / "mentions.csv").write_bytes(b"PK\x03\x04rest of a zip")
    assert problems(acme) == [
        (
            "mentions.csv",
            None,
            "",
            "this is an Excel workbook (XLSX or another zip file), not a CSV file",
        )
    ]


def test_yaml_with_a_control_character(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    path.write_text("name: A\nbrand: \x1b\n")
    with pytest.raises(LoadError) as info:
        load_yaml(path)
    assert (info.value.line, info.value.message) == (
        2,
        "YAML cannot contain the control character U+001B",
    )


YAML_DOCUMENTS = [
    (HERE / "data" / "example" / "acme" / "client.yml").read_text(encoding="utf-8"),
    "name: A\nbrand: {name: B, aliases: [b, 'B b']}\ngoals:\n- metric: sov\n  target: 3.5e1\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: [yes, no, ~, .inf, 0o17, 2026-12-01, 2026-12]\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\n# a comment\n",
    "\ufeffname: с BOM\r\nlocale: ru\r\n",
    "",
    "name: X\nbrand: {name: X\n",
    "name: A\nbrand: \x1b\n",
    "a: 1\n---\nb: 2\n",
    "x: !!python/object:os.system echo\n",
    "a: *missing\n",
    "\t- tab\n",
    "[" * 5000 + "]" * 5000,
    "name: A\nname: B\n",
    "a: &a [1, *a]\n",
    "a: &a [x, x]\nb: [*a, *a]\n",
]


@pytest.mark.parametrize("text", YAML_DOCUMENTS, ids=range(len(YAML_DOCUMENTS)))
def test_libyaml_and_pyyaml_read_a_document_alike(text: str) -> None:
    """Every YAML file is parsed by libyaml where PyYAML has it; values, lines of keys and
    the wording of every problem are those of PyYAML's own parser."""
    assert generator.load._FAST_LOADER is not None  # PyYAML's wheels are built with libyaml

    def read(fast: bool) -> object:
        try:
            document = parse_yaml(text, fast=fast)
        except LoadError as exc:
            return exc.line, exc.message
        return document.data, document.lines

    assert read(fast=True) == read(fast=False)


def test_yaml_nested_too_deeply_is_a_problem_not_a_crash() -> None:
    with pytest.raises(LoadError, match=r"^YAML error: lists or mappings nested too deeply$"):
        parse_yaml("[" * 5000 + "]" * 5000)


def test_yaml_whose_aliases_stand_for_billions_of_values_is_refused_at_once() -> None:
    """Ten lines, each an alias of the one before nine times, stand for 9¹⁰ values: read one
    by one, never finished. Counted as written, they are refused in milliseconds."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(LoadError, match=r"^YAML stands for more than 100,000 values"):
        parse_yaml("\n".join(lines))
    with pytest.raises(LoadError, match=r"^YAML value holds an alias of itself$"):
        parse_yaml("brand: &a {name: A, aliases: [*a]}\n")
    # Aliases as a person uses them are read as ever.
    shared = parse_yaml("a: &a [x, y]\nb: *a\n").data
    assert shared == {"a": ["x", "y"], "b": ["x", "y"]}


def test_russian_column_names(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Дата;Бренд;Тональность;Тип СМИ;Охват\n01.09.2026;A;позитив;тв;5\n")
    assert read_table(path, KNOWN).header == ["date", "brand", "sentiment", "media_type", "reach"]


@pytest.mark.parametrize(
    "content",
    [
        "Октябрь — **пик**.\n".encode(),
        "\ufeffОктябрь — **пик**.\n".encode(),
        "Октябрь — **пик**.\n".encode("cp1251"),  # Notepad on a Russian Windows
        "Октябрь — **пик**.\n".encode("utf-16"),
    ],
)
def test_a_months_commentary_is_read_in_any_encoding_a_csv_may_be_in(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "2026-10.md"
    path.write_bytes(content)
    assert read_commentary(path) == "Октябрь — **пик**.\n"


def test_a_commentary_that_is_not_text_is_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert read_commentary(tmp_path / "2026-10.md") is None
    (tmp_path / "2026-10.md").write_bytes(b"\xef\xbb\xbf \n")
    assert read_commentary(tmp_path / "2026-10.md") == ""
    (tmp_path / "2026-10.md").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    with pytest.raises(LoadError) as info:
        read_commentary(tmp_path / "2026-10.md")
    assert info.value.message == "this is a binary file, not text"
    assert "text (UTF-8)" in info.value.hint

    def refused(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refused)
    with pytest.raises(LoadError) as info:
        read_commentary(tmp_path / "2026-10.md")
    assert (info.value.message, info.value.hint) == ("cannot read the file: Permission denied", "")
