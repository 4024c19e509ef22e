"""Properties that hold for any input: rows are accounted for, SoV sums to 100, nothing raises."""

from __future__ import annotations

import csv
import decimal
import io
import itertools
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from altair.utils.data import to_values
from babel.numbers import format_decimal
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator import validate
from generator.charts import records
from generator.csvout import neutralise, neutralise_texts
from generator.fingerprint import _month_hashes, sha
from generator.i18n import _BABEL, MINUS, figure, number
from generator.load import (
    LINE,
    LoadError,
    Table,
    _first_line,
    _left_open,
    _line_breaks,
    _mended_utf8,
    _mostly_nul,
    _quotes,
    _read_arrow,
    _read_python,
    _read_transcoded,
    _scan,
    true_mask,
)
from generator.metrics import _counted_cells, mention_cells
from generator.pipeline import ClientData, compute_metrics
from generator.problems import Problem
from generator.validate import (
    FileResult,
    _may_repeat,
    _text,
    concat_rows,
    link_keys,
    per_value,
)
from tests.conftest import EXAMPLE
from tests.helpers import load


def _chunked_text(chunks: Sequence[Sequence[str | None]]) -> pd.Series:
    """Text as Arrow reads it: pandas' own text type over the chunks given."""
    array = pa.chunked_array([pa.array(chunk, pa.large_string()) for chunk in chunks])
    return pd.Series(pd.arrays.ArrowStringArray(array, dtype=pd.StringDtype("pyarrow", np.nan)))


def _text_chunks(longest: int) -> st.SearchStrategy[list[list[str | None]]]:
    """Chunks of text with empty and missing values, for ``_chunked_text``."""
    return st.lists(st.lists(st.sampled_from(["a", "", "ё b", None]), max_size=longest), min_size=1)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADER = ["date", "brand", "sentiment", "platform", "kind", "media_type", "url", "likes", "reach"]

cells = {
    "date": st.sampled_from(
        ["2026-09-01", "2026-10-31T21:10:00Z", "01.11.2026 10:00", "2026-02-30", "", "x"]
    ),
    "brand": st.sampled_from(["Acme", "акме", "Globex", "ЕЛКА", "Unknown", ""]),
    "sentiment": st.sampled_from(["positive", "негатив", "0", "-1", "good", ""]),
    "platform": st.sampled_from(["VK", "vk", "", "Forum"]),
    "kind": st.sampled_from(["", "post", "review", "comment", "media", "webinar"]),
    "media_type": st.sampled_from(["", "tv", "radio", "cinema"]),
    "url": st.sampled_from(["", "https://x/1", "https://x/2", "javascript:alert(1)"]),
    "likes": st.sampled_from(["", "0", "12", "1 000", "-1", "2.5", "abc"]),
    "reach": st.sampled_from(["", "100", "5000", "1e9", "nan"]),
}
rows = st.lists(st.fixed_dictionaries(cells), max_size=25)


@contextmanager
def client_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(EXAMPLE, target)
        yield target / "acme"


def assert_accounted(result: FileResult) -> None:
    """Every row read is used, a duplicate or rejected; an unusable file says why."""
    counts = result.accounting()
    assert counts["read"] == counts["used"] + counts["duplicates"] + counts["rejected"]
    assert result.usable or result.file_problems


def _csv(records: list[dict[str, str]], delimiter: str) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


@SETTINGS
@given(records=rows, delimiter=st.sampled_from([",", ";", "\t"]))
def test_every_row_is_accounted_for(records: list[dict[str, str]], delimiter: str) -> None:
    with client_copy() as acme:
        (acme / "mentions.csv").write_text(_csv(records, delimiter), encoding="utf-8")
        data = load(acme)
        counts = data.files["mentions.csv"].accounting()
        assert counts["read"] == len(records)
        assert counts["read"] == counts["used"] + counts["duplicates"] + counts["rejected"]
        errors_on_rows = {p.line for p in data.files["mentions.csv"].row_problems if p.is_error}
        assert len(errors_on_rows) == counts["rejected"]
        if data.ok(lenient=True):
            for month in compute_metrics(data).values():
                if month["mentions_total"]:
                    assert abs(sum(month["sov"].values()) - 100) < 0.01
                else:
                    assert set(month["sov"].values()) == {0.0}
                totals = month["data_quality"]["mentions.csv"]
                assert totals["read"] == totals["used"] + totals["duplicates"] + totals["rejected"]


_VALID = {
    "date": "2026-09-01",
    "brand": "Acme",
    "sentiment": "positive",
    "platform": "VK",
    "kind": "",
    "media_type": "",
    "url": "https://x/1",
    "likes": "12",
    "reach": "100",
}


@SETTINGS
@given(records=rows, cuts=st.lists(st.integers(min_value=0, max_value=25), max_size=3))
# A publication exported twice, in two files; then twice in the second file after an invalid
# copy in the first (which must not count as the one kept).
@example(records=[_VALID, {**_VALID, "likes": "13"}], cuts=[1])
@example(records=[{**_VALID, "date": "x"}, _VALID, {**_VALID, "brand": "АКМЕ"}], cuts=[1])
def test_mentions_split_over_files_count_as_one_file(
    records: list[dict[str, str]], cuts: list[int]
) -> None:
    """The same rows in mentions.csv alone, or cut into it and files of mentions/: the same
    figures, the same rows left out, and every row of each file accounted for."""
    bounds = [0, *sorted(min(cut, len(records)) for cut in cuts), len(records)]
    with client_copy() as acme:
        (acme / "mentions.csv").write_text(_csv(records, ","), encoding="utf-8")
        whole = load(acme)
        parts = [records[a:b] for a, b in itertools.pairwise(bounds)]
        (acme / "mentions.csv").write_text(_csv(parts[0], ","), encoding="utf-8")
        (acme / "mentions").mkdir()
        for index, part in enumerate(parts[1:]):
            (acme / "mentions" / f"{index:02}.csv").write_text(_csv(part, ","), encoding="utf-8")
        split = load(acme)
    files = split.mention_files
    assert len(files) == len(parts)
    summed = {
        key: sum(f.accounting()[key] for f in files)
        for key in ("read", "used", "duplicates", "rejected")
    }
    assert summed == whole.files["mentions.csv"].accounting()
    assert split.ok(lenient=True) == whole.ok(lenient=True)
    if whole.ok(lenient=True):
        split_metrics, whole_metrics = compute_metrics(split), compute_metrics(whole)
        for month in (*split_metrics.values(), *whole_metrics.values()):
            del month["data_quality"]
        assert split_metrics == whole_metrics


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows as plain values (a column of categories or of text alike)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _outcome(data: ClientData) -> list[object]:
    """Everything a client's mention files came to, file by file, with categories as text."""
    found: list[object] = []
    for name, result in data.files.items():
        frame = result.frame
        # As objects, with None for a missing value: NaN is not equal to itself.
        rows = None if frame is None else _records(frame)
        found.append(
            (
                name,
                [
                    (p.path, p.line, p.column, p.message, p.hint, p.severity)
                    for p in result.problems
                ],
                result.ledger.records(),
                result.rejected,
                rows,
            )
        )
    return found


@SETTINGS
@given(
    records=rows,
    cuts=st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=4),
    delimiters=st.lists(st.sampled_from([",", ";"]), min_size=5, max_size=5),
    encodings=st.lists(st.sampled_from(["utf-8", "cp1251"]), min_size=5, max_size=5),
)
# Repeats in the same later file and across files of one batch; files of two layouts between;
# a file the Python reader reads (cp1251) between files Arrow reads.
@example(
    records=[_VALID, _VALID, {**_VALID, "likes": "x"}, _VALID, _VALID],
    cuts=[1, 3],
    delimiters=[","] * 5,
    encodings=["utf-8"] * 5,
)
@example(
    records=[_VALID, {**_VALID, "date": ""}, _VALID, _VALID],
    cuts=[1, 2, 3],
    delimiters=[",", ";", ",", ";", ","],
    encodings=["utf-8"] * 5,
)
@example(
    records=[_VALID, {**_VALID, "brand": "акме"}, {**_VALID, "brand": "ЕЛКА", "url": ""}, _VALID],
    cuts=[1, 2, 3],
    delimiters=[","] * 5,
    encodings=["utf-8", "cp1251", "utf-8", "cp1251", "utf-8"],
)
def test_files_checked_together_come_out_as_checked_alone(
    records: list[dict[str, str]], cuts: list[int], delimiters: list[str], encodings: list[str]
) -> None:
    """Small files of one layout are checked as one table: each file's rows, ledger, problems
    and rejected records are what checking it alone gives, whichever reader read each."""
    bounds = [0, *sorted(min(cut, len(records)) for cut in cuts), len(records)]
    with client_copy() as acme:
        (acme / "mentions.csv").unlink()
        (acme / "mentions").mkdir()
        for index, (a, b) in enumerate(itertools.pairwise(bounds)):
            text = _csv(records[a:b], delimiters[index])
            path = acme / "mentions" / f"{index:02}.csv"
            path.write_text(text, encoding=encodings[index])
        together = load(acme)
        with mock.patch.object(validate, "BATCH_ROWS", 0):
            alone = load(acme)
    assert _outcome(together) == _outcome(alone)
    # All the files' rows, as the pages get them.
    if alone.mentions is None:
        assert together.mentions is None
    else:
        assert together.mentions is not None
        assert _records(together.mentions) == _records(alone.mentions)
    assert together.ok(lenient=True) == alone.ok(lenient=True)
    if together.ok(lenient=True):
        assert compute_metrics(together) == compute_metrics(alone)


def _hashes_file_by_file(frame: pd.DataFrame) -> dict[str, str]:
    """Each month's rows of one file hashed on their own, as fingerprints are defined."""
    columns = sorted(c for c in frame.columns if c != "line")
    return {
        str(period): sha(
            pd.util.hash_pandas_object(rows[columns], index=False).to_numpy().tobytes()
        )
        for period, rows in frame.groupby("period", sort=True)
    }


@SETTINGS
@given(
    mentions=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 2), st.integers(0, 99)), max_size=30
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=4),
)
def test_month_hashes_of_joined_files_are_each_files_own(
    mentions: list[tuple[int, int, int]], cuts: list[int]
) -> None:
    """Fingerprints hash every mention file's rows at once; each file still gets the hashes of
    its own months, so a new file changes no other file's."""
    # Valid mentions of three months in no order (some of them repeats of a link).
    valid = [
        {**_VALID, "url": f"https://x/{link}", "date": f"2026-{9 + month:02}-01", "likes": str(n)}
        for link, month, n in mentions
    ]
    bounds = [0, *sorted(min(cut, len(valid)) for cut in cuts), len(valid)]
    with client_copy() as acme:
        (acme / "mentions.csv").unlink()
        (acme / "mentions").mkdir()
        for index, (a, b) in enumerate(itertools.pairwise(bounds)):
            text = _csv(valid[a:b], ",")
            (acme / "mentions" / f"{index:02}.csv").write_text(text, encoding="utf-8")
        data = load(acme)
    frames = [frame for _, frame in data.mention_frames]
    joined = _month_hashes(data.mentions, [len(frame) for frame in frames])
    assert joined == [_hashes_file_by_file(frame) for frame in frames]


@SETTINGS
@given(content=st.binary(max_size=400))
def test_random_bytes_never_raise(content: bytes) -> None:
    with client_copy() as acme:
        (acme / "mentions.csv").write_bytes(content)
        (acme / "accounts.csv").write_bytes(content[::-1])
        assert_accounted(load(acme).files["mentions.csv"])


@SETTINGS
@given(content=st.text(max_size=300))
def test_random_text_as_csv_and_yaml_never_raises(content: str) -> None:
    with client_copy() as acme:
        (acme / "outcomes.csv").write_text("period,metric,value\n" + content, encoding="utf-8")
        load(acme)
        (acme / "client.yml").write_text(content, encoding="utf-8")
        data = load(acme)
        assert data.client is None or data.client.name


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@SETTINGS
@given(
    key=st.sampled_from(
        [
            "name",
            "brand",
            "competitors",
            "goals",
            "strategy",
            "team",
            "branding",
            "timezone",
            "locale",
            "response_templates",
        ]
    ),
    value=yaml_values,
)
def test_wrong_types_in_client_yml_are_problems_not_crashes(key: str, value: object) -> None:
    import yaml

    with client_copy() as acme:
        content = yaml.safe_load((acme / "client.yml").read_text(encoding="utf-8"))
        content[key] = value
        (acme / "client.yml").write_text(
            yaml.safe_dump(content, allow_unicode=True), encoding="utf-8"
        )
        data = load(acme)
        assert data.client is not None or any(p.is_error for p in data.config_problems)


EXAMPLE_ROWS = (EXAMPLE / "acme" / "mentions.csv").read_text(encoding="utf-8")


@SETTINGS
@given(
    cut=st.integers(min_value=0, max_value=len(EXAMPLE_ROWS)),
    newline=st.sampled_from(["\n", "\r\n", "\r", "mixed"]),
    nul_at=st.none() | st.integers(min_value=0, max_value=len(EXAMPLE_ROWS)),
    huge=st.sampled_from([0, 200_000, 2_000_000]),
)
def test_truncated_mixed_huge_and_nul_files(
    cut: int, newline: str, nul_at: int | None, huge: int
) -> None:
    text = EXAMPLE_ROWS[:cut]
    if newline == "mixed":
        lines = text.split("\n")
        text = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines))
    else:
        text = text.replace("\n", newline)
    if huge:
        text += f'2026-09-02,Acme,positive,,,,,,"{"x" * huge}",,,,\n'
    if nul_at is not None:
        text = text[:nul_at] + "\x00" + text[nul_at:]
    with client_copy() as acme:
        (acme / "mentions.csv").write_text(text, encoding="utf-8")
        assert_accounted(load(acme).files["mentions.csv"])


@SETTINGS
@given(content=st.binary(max_size=300), name=st.sampled_from(["mentions.csv", "client.yml"]))
def test_the_cli_never_shows_a_traceback(content: bytes, name: str) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    with client_copy() as acme:
        (acme / name).write_bytes(content)
        result = CliRunner().invoke(cli, ["validate", "--data", str(acme.parent)])
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.strip()


def _records_of(
    alphabet: str, longest: int, fields: tuple[int, int], most: int, least: int = 0
) -> st.SearchStrategy[list[list[str]]]:
    """Between ``least`` and ``most`` records of ``fields`` (fewest, most) values, each up to
    ``longest`` characters of ``alphabet``."""
    cell = st.text(alphabet=alphabet, max_size=longest)
    record = st.lists(cell, min_size=fields[0], max_size=fields[1])
    return st.lists(record, min_size=least, max_size=most)


def _write_rows(
    path: Path,
    rows: list[list[str]],
    delimiter: str,
    ending: str,
    quoting: int = csv.QUOTE_MINIMAL,
    encoding: str = "utf-8",
) -> None:
    """``rows`` under a header of date, brand and text, as Python's csv module writes them."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=ending, quoting=quoting)
        writer.writerow(["date", "brand", "text"])
        writer.writerows(rows)


def _no_data(row: list[str]) -> bool:
    """A record both readers pass over as empty: every cell empty or ASCII spaces only."""
    return not any(cell.strip(" \t\n\v\f\r") for cell in row)


def _same_table(path: Path) -> bool:
    """Arrow's reading of a file, when it takes the file, equals the Python reader's."""
    data = path.read_bytes()
    known = {"date", "brand", "sentiment", "text"}
    # Texts with line breaks among the categories too: the lines must still come out right.
    repeated = frozenset({"brand", "text"})
    try:
        slow = _read_python(path, data, known, repeated)
    except LoadError:
        return _read_arrow(path, data, known, repeated) is None and (
            _read_transcoded(path, data, known, repeated) is None
        )
    fast = _read_arrow(path, data, known, repeated) or _read_transcoded(path, data, known, repeated)
    if fast is None:
        return False
    assert (fast.header, fast.delimiter, fast.encoding) == (
        slow.header,
        slow.delimiter,
        slow.encoding,
    )
    assert fast.problems == slow.problems
    assert (fast.nul, fast.mended) == (slow.nul, slow.mended)
    assert (fast.rejected_lines, fast.raw_rejected) == (slow.rejected_lines, slow.raw_rejected)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    return True


@SETTINGS
@given(
    cells=_records_of('ab ,;"\n\r\tжé\x00\u00a0', longest=6, fields=(3, 3), least=1, most=6),
    delimiter=st.sampled_from([",", ";"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    quote_all=st.booleans(),
    encoding=st.sampled_from(["utf-8", "cp1251", "utf-16"]),
    again=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.sampled_from(
                ["date", "\ufeffdate", "Дата", " DATE\t", "Текст", "Итого", " Total: ", ";Всего"]
            ),
        ),
        max_size=2,
    ),
)
@example(
    cells=[["a", "b", "c"]],
    delimiter=";",
    ending="\n",
    quote_all=True,
    encoding="utf-8",
    again=[(1, "\ufeffdate"), (0, "date"), (2, "Итого"), (3, ";Всего")],
)
@example(
    cells=[["a", "b", "c"], ["d", "e", "f"]],
    delimiter=",",
    ending="\r\n",
    quote_all=False,
    encoding="cp1251",
    again=[(1, "Текст"), (0, " DATE\t")],
)
def test_the_fast_reader_agrees_with_the_python_reader(
    tmp_path_factory: pytest.TempPathFactory,
    cells: list[list[str]],
    delimiter: str,
    ending: str,
    quote_all: bool,
    encoding: str,
    again: list[tuple[int, str]],
) -> None:
    """Any file either reads the same both ways or is left to the Python reader; a file in
    Windows-1251 or UTF-16 is read by Arrow as its text in UTF-8. The header repeated (files
    joined, the second with its byte order mark, or spelt otherwise, or in another order, that
    of the rows under it) and a row of totals are passed over alike."""
    # The csv module quotes only the line breaks of its own line terminator.
    stray = set("\r\n") - set(ending)
    assume(not any(ch in cell for row in cells for cell in row for ch in stray))
    if encoding == "cp1251":  # which has no é, nor a byte order mark
        cells = [[cell.replace("é", "e") for cell in row] for row in cells]
        again = [(at, first.lstrip("\ufeff")) for at, first in again]
    cells = list(cells)
    for at, first in again:
        if first.endswith("date"):
            row = [first, "brand", "text"]
        elif first.strip().lower() in ("дата", "date"):  # the header spelt otherwise
            row = [first, "Бренд", "TEXT"]
        elif first == "Текст":  # and in another order, that of the rows under it
            row = [first, "Date", "brand"]
        elif first.startswith(";"):  # a row of totals labelled in its second cell
            row = ["", first[1:], "5"]
        else:
            row = [first, "", "5"]
        cells.insert(min(at, len(cells)), row)
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    _write_rows(path, cells, delimiter, ending, quoting, encoding)
    taken = _same_table(path)
    # Only a record of empty values (which a blank line also is) needs the Python reader.
    assert taken or any(_no_data(row) for row in cells)


@SETTINGS
@given(
    cells=_records_of('ab ;"\nжёé', longest=6, fields=(3, 3), least=1, most=8),
    bad=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from([b"\xd0", b"\xff", b"\xcf\xf0\xe8", b"\xe2\x80"]),
        ),
        max_size=3,
    ),
    bom=st.booleans(),
)
def test_a_utf8_file_with_bytes_that_are_not_utf8_reads_alike_both_ways(
    tmp_path_factory: pytest.TempPathFactory,
    cells: list[list[str]],
    bad: list[tuple[int, bytes]],
    bom: bool,
) -> None:
    """Bytes that are not UTF-8 anywhere but beside a quote (a character cut in two, a word
    in Windows-1251): the file is mended, or read as Windows-1251, or refused, alike on both
    paths."""
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    _write_rows(path, cells, ";", "\n", encoding="utf-8-sig" if bom else "utf-8")
    data = bytearray(path.read_bytes())
    for at, chunk in bad:
        # Not beside a quote: a byte before one makes it text (a record of another shape,
        # which the Python reader words), and one between two splits an escaped quote.
        places = [
            i
            for i in range(len(data) + 1)
            if data[i : i + 1] != b'"' and (i == 0 or data[i - 1 : i] != b'"')
        ]
        if places:
            at = places[at % len(places)]
            data[at:at] = chunk
    path.write_bytes(bytes(data))
    # Only a record of empty values (which a blank line also is) needs the Python reader.
    assert _same_table(path) or any(_no_data(row) for row in cells)


def _mended_at_once(data: bytes, encoding: str) -> str | None:
    """``_mended_utf8`` as it reads a file whole: decoded at once, then counted."""
    if data.find(b"\xef\xbf\xbd") >= 0:
        return None
    text = str(data, encoding, errors="replace")
    bad = text.count("\ufffd")
    others = len(text) - sum(byte < 0x80 for byte in data) - bad
    return text if bad * 2 <= others else None


@SETTINGS
@example(pieces=[b"\xd0", "ж".encode(), b"\xd0"], encoding="utf-8", step=1)
@example(pieces=[b"\xef\xbb\xbf", "жж".encode(), b"\xcf\xf0\xe8"], encoding="utf-8-sig", step=2)
@example(pieces=["ёж".encode()[:3]], encoding="utf-8", step=2)  # cut at the end
@given(
    pieces=st.lists(
        st.sampled_from(
            [
                *(b"a;", b"\n", "ж".encode(), "ёжик".encode(), "€".encode(), "😀".encode()),
                *(b"\xd0", b"\xff", b"\xcf\xf0\xe8", b"\xe2\x80", "Дубрава".encode("cp1251")),
            ]
        ),
        max_size=30,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
    step=st.integers(1, 9),
)
def test_a_file_is_mended_step_by_step_as_when_read_whole(
    pieces: list[bytes], encoding: str, step: int
) -> None:
    """Decoded a few bytes at a time and given up early, the file is mended (or not) as it
    would be decoded whole: a character cut between two steps is still one."""
    data = b"".join(pieces)
    assert _mended_utf8(data, encoding, step) == _mended_at_once(data, encoding)


@SETTINGS
@given(
    cells=_records_of('ab ;"\nжé\x00', longest=5, fields=(3, 3), least=1, most=40),
    ragged=st.lists(st.integers(min_value=0, max_value=40), max_size=3),
    block=st.sampled_from([128, 256, 1024]),
    passed=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            st.sampled_from(
                [("date", "brand", "text"), ("Текст", "Дата", "brand"), ("Итого", "", "5")]
            ),
        ),
        max_size=3,
    ),
)
def test_a_file_read_in_many_blocks_reads_as_in_one(
    tmp_path_factory: pytest.TempPathFactory,
    cells: list[list[str]],
    ragged: list[int],
    block: int,
    passed: list[tuple[int, tuple[str, str, str]]],
) -> None:
    """A large file is parsed by Arrow in blocks, on several threads: records with quotes and
    line breaks, a ragged record, categories first seen in a later block, records passed over
    (the header again, in its order or another, a row of totals) in any block, all come out as
    Python's reader reads them, whichever block they fall in."""
    rows: list[list[str]] = [list(row) for row in cells]
    for at in sorted(ragged, reverse=True):
        rows.insert(min(at, len(rows)), ["a", "b", "c", "d"])
    for at, row in passed:
        rows.insert(min(at, len(rows)), list(row))
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    _write_rows(path, rows, ";", "\n")
    with mock.patch("generator.load._BLOCK_BYTES", block):
        taken = _same_table(path)
    # Only a record of empty values (which a blank line also is) needs the Python reader.
    assert taken or any(_no_data(row) for row in cells)


@SETTINGS
@given(
    rows=_records_of("ab жé\x00", longest=4, fields=(1, 5), most=12),
    delimiter=st.sampled_from([",", ";"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
@example(
    rows=[["a", "b", "c"], ["a", "b", "c", "d"], ["  "], [""], ["a", "b"], ["", "", ""], ["c"]],
    delimiter=";",
    ending="\r\n",
)
@example(rows=[[""], ["a", "b", "c"], [""], [""]], delimiter=",", ending="\n")
@example(rows=[["a", "b", "c"], ["d", "e"], [""], ["f", "g", "h"]], delimiter=";", ending="\r")
def test_ragged_lines_without_quotes_read_as_the_python_reader_reads_them(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], delimiter: str, ending: str
) -> None:
    """A file without quotes and with records of the wrong width (a stray delimiter) or empty
    lines is read by Arrow, its ragged and empty lines found by counting delimiters: the same
    rows, lines, problems and rejected records as Python's reader gives."""
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    lines = [delimiter.join(["date", "brand", "text"]), *(delimiter.join(row) for row in rows)]
    path.write_bytes((ending.join(lines) + ending).encode("utf-8"))
    # A file with no record of the header's width but empty ones is the Python reader's.
    assert _same_table(path) or all(len(row) != 3 or _no_data(row) for row in rows)


_QUOTED_CELL = st.text(alphabet='ab ;\n"ж\x00', max_size=4).map(
    lambda t: '"' + t.replace('"', '""') + '"'
)
#: Text with quotes anywhere but first, as an export that quotes only some columns writes it.
_TEXT_QUOTE_CELL = st.text(alphabet='ab "ж\x00', max_size=4).map(
    lambda t: "x" + t if t[:1] == '"' else t
)


@SETTINGS
@given(
    rows=st.lists(
        st.lists(_QUOTED_CELL | _TEXT_QUOTE_CELL, min_size=1, max_size=5), min_size=1, max_size=12
    ),
    ending=st.sampled_from(["\n", "\r\n"]),
)
@example(rows=[['"a;b"', 'ООО "Р', "c"], ["d", "e", "f", "g"]], ending="\n")
@example(rows=[['"a"', 'x "y"', '"b;\nc"'], ["d", '"e;f"']], ending="\r\n")
def test_quoted_files_with_quotes_as_text_read_as_the_python_reader_reads_them(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], ending: str
) -> None:
    """A file that quotes some values and has quotes as text in others (`ООО "Ромашка"`),
    ragged records and all, is read by Arrow: the same rows, lines, problems and rejected
    records as Python's reader gives."""
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    lines = [";".join(["date", "brand", "text"]), *(";".join(row) for row in rows)]
    path.write_bytes((ending.join(lines) + ending).encode("utf-8"))
    values = [[_unquoted(cell) for cell in row] for row in rows]
    # A file with no record of the header's width but empty ones is the Python reader's.
    assert _same_table(path) or all(len(row) != 3 or _no_data(row) for row in values)


def _unquoted(cell: str) -> str:
    """A ``_QUOTED_CELL``'s value; any other cell is its own."""
    return cell[1:-1].replace('""', '"') if cell.startswith('"') else cell


@SETTINGS
@given(
    rows=_records_of('ab "жé', longest=4, fields=(1, 5), most=12),
    delimiter=st.sampled_from([",", ";"]),
    ending=st.sampled_from(["\n", "\r\n"]),
)
@example(rows=[["a", 'b 5" c', "d"]], delimiter=";", ending="\n")  # one quote: an odd number
@example(rows=[['a"', "b", 'c"'], ["d", 'e"', "f", "g"], [""]], delimiter=",", ending="\r\n")
def test_quotes_inside_unquoted_values_read_as_the_python_reader_reads_them(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], delimiter: str, ending: str
) -> None:
    """A file written without quoting whose values hold double quotes anywhere but at their
    start (`5" screen`) is read by Arrow as a file without quotes, ragged and empty lines
    and all: the same rows, lines, problems and rejected records as Python's reader gives."""
    rows = [[f"x{cell}" if cell.startswith('"') else cell for cell in row] for row in rows]
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    lines = [delimiter.join(["date", "brand", "text"]), *(delimiter.join(row) for row in rows)]
    path.write_bytes((ending.join(lines) + ending).encode("utf-8"))
    # A file with no record of the header's width but empty ones is the Python reader's.
    assert _same_table(path) or all(len(row) != 3 or _no_data(row) for row in rows)


@SETTINGS
@given(
    rows=_records_of("ab жé", longest=12, fields=(3, 4), least=1, most=12),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    head=st.integers(min_value=4, max_value=80),
    title=st.lists(st.text(alphabet="ab ;,ж", max_size=8), max_size=3),
)
@example(
    rows=[["a", "b", "c"], ["d", "e", "f", "g"], ["h", "i", "j"]], ending="\r", head=30, title=[]
)
@example(rows=[["a", "b", "c" * 12], ["d", "e", "f"]], ending="\n", head=20, title=[])
@example(rows=[["a", "b", "c"]], ending="\n", head=8, title=["ж;ж", "", "a"])
def test_a_header_found_in_a_part_of_the_file_reads_as_the_python_reader_reads_it(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[str]],
    ending: str,
    head: int,
    title: list[str],
) -> None:
    """The header is found in a part of the file, cut after a whole line and made larger
    while the header may go on past it: a header or first record longer than the part, and
    lines that end in a carriage return alone (old Mac exports), ragged lines and all, are
    read by Arrow as Python's reader reads them. So is a title above the header, however
    much of it the part holds."""
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    lines = [*title, "date;brand;text", *(";".join(row) for row in rows)]
    path.write_bytes(ending.join(lines).encode())
    with mock.patch("generator.load._HEAD_BYTES", head):
        assert _same_table(path) or all(len(row) != 3 or _no_data(row) for row in rows)


@SETTINGS
@given(
    rows=_records_of('ab ,;"\n\r\tж', longest=5, fields=(0, 5), most=10),
    delimiter=st.sampled_from([",", ";"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    quote_all=st.booleans(),
)
@example(
    rows=[["a", "b\nc", "d"], ["e", "f;g", "h", "i"], [], ['"'], ["j", "k", "l\r\nm"]],
    delimiter=";",
    ending="\r\n",
    quote_all=False,
)
@example(
    rows=[["a", "b\rc", "d"], ["e", "f;g", "h", "i"], ["j", "k", "l"]],
    delimiter=";",
    ending="\r",
    quote_all=False,
)
def test_ragged_quoted_records_read_as_the_python_reader_reads_them(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[str]],
    delimiter: str,
    ending: str,
    quote_all: bool,
) -> None:
    """A quoted file with records of the wrong width or empty lines is read by Arrow, its
    records found by counting delimiters and line breaks outside quotes: the same rows, lines,
    problems and rejected records as Python's reader gives."""
    stray = set("\r\n") - set(ending)
    assume(not any(ch in cell for row in rows for cell in row for ch in stray))
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    _write_rows(path, rows, delimiter, ending, csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    # Declined: a file with no record of the header's width but empty ones.
    assert _same_table(path) or all(len(row) != 3 or _no_data(row) for row in rows)


@SETTINGS
@given(
    chunks=_text_chunks(60),
    data=st.data(),
)
def test_rows_left_out_of_a_sliced_text_column_are_those_of_the_mask(
    chunks: list[list[str | None]], data: st.DataObject
) -> None:
    """Few rows left out: the texts are sliced around them; many: copied. Either way the rows
    kept are those of a plain filter, and the runs sliced are the runs of rows kept."""
    frame = pd.DataFrame({"text": _chunked_text(chunks)})
    size = len(frame)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)), dtype=bool)
    frame["n"] = np.arange(size)
    frame["c"] = pd.Categorical(["x", "y", "x"] * (size // 3) + ["y"] * (size % 3))
    expected = frame[mask].reset_index(drop=True)
    pd.testing.assert_frame_equal(validate._rows(frame.copy(), mask), expected)
    with mock.patch.object(validate, "_kept_runs", return_value=None):
        pd.testing.assert_frame_equal(validate._rows(frame, mask), expected)
    runs = validate._kept_runs(mask)
    if runs is not None:
        kept = [row for start, stop in runs for row in range(start, stop)]
        assert kept == np.flatnonzero(mask).tolist() and all(b > a for a, b in runs)


_COLUMN_KINDS = {
    "int": lambda values: pd.Series(values, dtype="int64"),
    "float": lambda values: pd.Series(values, dtype="float64"),
    "date": lambda values: pd.Series(pd.to_datetime(values, unit="D"), dtype="datetime64[ns]"),
    "text": lambda values: pd.Series([f"t{v}" for v in values], dtype="str"),
    "object": lambda values: pd.Series([f"o{v}" for v in values], dtype=object),
}


@SETTINGS
@given(
    parts=st.lists(
        st.tuples(
            st.lists(st.integers(0, 9), max_size=4),
            st.sampled_from(sorted(_COLUMN_KINDS)),
            st.sampled_from(sorted(_COLUMN_KINDS)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_columns_join_as_pandas_joins_them(parts: list[tuple[list[int], str, str]]) -> None:
    """Each column as ``pd.concat`` joins it, whether the files' columns are of one type or not."""
    frames = [
        pd.DataFrame({"a": _COLUMN_KINDS[a](values), "b": _COLUMN_KINDS[b](values)})
        for values, a, b in parts
    ]
    pd.testing.assert_frame_equal(concat_rows(frames), pd.concat(frames, ignore_index=True))


@SETTINGS
@given(
    parts=st.lists(st.lists(st.sampled_from("abc"), max_size=4), min_size=1, max_size=6),
    ordered=st.booleans(),
    data=st.data(),
)
def test_columns_of_categories_join_to_the_values_they_hold(
    parts: list[list[str]], ordered: bool, data: st.DataObject
) -> None:
    """Files' columns of categories joined, whatever categories each has and in what order
    (months are ordered: then in order), hold each file's values in turn."""
    frames = []
    for values in parts:
        extra = data.draw(st.sets(st.sampled_from("abc"), min_size=1))
        categories = data.draw(st.permutations(sorted(set(values) | extra)))
        column = pd.Categorical(
            values, categories=sorted(categories) if ordered else categories, ordered=ordered
        )
        frames.append(pd.DataFrame({"c": column}))
    joined = concat_rows(frames)["c"]
    assert joined.astype(str).tolist() == [value for values in parts for value in values]
    assert joined.cat.ordered == ordered
    if ordered:
        assert list(joined.cat.categories) == sorted(joined.cat.categories)


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["a", "b", "", " a", "ё"]), st.booleans(), st.booleans()),
        min_size=1,
        max_size=20,
    ),
    categories=st.booleans(),
)
def test_problems_are_worded_for_each_cell_as_its_value_asks(
    rows: list[tuple[str, bool, bool]], categories: bool
) -> None:
    """Each bad cell gets its own problem, worded from its value (once per distinct value),
    and each rejected row its reasons, column by column in the order they were found."""
    values = [value for value, _, _ in rows]
    frame = pd.DataFrame(
        {
            "c": pd.Series(values, dtype="category" if categories else "str"),
            "d": pd.Series(values, dtype="str"),
            LINE: range(2, len(rows) + 2),
        }
    )
    cells = validate._Cells(Table(Path("m.csv"), "utf-8", ",", ["c", "d"], frame), ["m.csv"], None)
    for column, which in (("c", 1), ("d", 2)):
        mask = np.array([row[which] for row in rows])
        cells.report(
            column,
            mask,
            lambda v, c=column: f"{c} {v!r}",
            lambda v: f"hint {v}",
            ru=lambda v, c=column: f"{c} по-русски {v!r}",
        )
    expected = [
        Problem("m.csv", line, column, f"{column} {value!r}", f"hint {value}")
        for column, which in (("c", 1), ("d", 2))
        for line, (value, *bad) in enumerate(rows, start=2)
        if bad[which - 1]
    ]
    assert cells.problems == expected
    assert cells.reasons.texts(np.arange(len(rows))) == [
        "; ".join(f"{c}: {c} {value!r}" for c, bad in (("c", in_c), ("d", in_d)) if bad)
        for value, in_c, in_d in rows
    ]
    assert cells.reasons.texts(np.arange(len(rows)), ru=True) == [
        "; ".join(f"{c}: {c} по-русски {value!r}" for c, bad in (("c", in_c), ("d", in_d)) if bad)
        for value, in_c, in_d in rows
    ]


@SETTINGS
@given(
    filler=st.text(alphabet="a \t\r\n\x0b\x0c\u2028\x85", max_size=10),
    repeat=st.integers(min_value=0, max_value=3000),
    rest=st.text(alphabet="a \r\n\u2028", max_size=30),
    start=st.integers(min_value=0, max_value=6),
)
@example(filler=" " * 4095 + "\r", repeat=1, rest="\na", start=0)  # \r\n split by the part
@example(filler="a", repeat=5000, rest="\nb", start=0)  # a first line longer than the part
@example(filler=" " * 4094 + "\r", repeat=1, rest="\na", start=3)  # the same, from an offset
def test_the_first_line_is_found_splitting_only_what_it_takes(
    filler: str, repeat: int, rest: str, start: int
) -> None:
    text = filler * repeat + rest
    lines = text[start:].splitlines()
    assert _first_line(text, start) == next((line for line in lines if line.strip()), "")


@SETTINGS
@given(body=st.text(alphabet='ab,;"\n\r ', max_size=60))
# A value left open at the end, after a quote taken as text: it holds the last line breaks.
@example(body=',;","\r')
@example(body=',;","\r\n\n')
@example(body='a,"b",c\n\n\r\n')
# A quote taken as text, then one left open: an even number, counted run by run.
@example(body=';",,\r";\r')
def test_the_fast_reader_agrees_on_malformed_text(
    tmp_path_factory: pytest.TempPathFactory, body: str
) -> None:
    path = tmp_path_factory.mktemp("csv") / "m.csv"
    path.write_bytes(("date,brand,text\n" + body).encode())
    _same_table(path)


def test_the_fast_reader_takes_well_formed_fixture_files() -> None:
    taken = [_same_table(path) for path in sorted(Path("tests/data").rglob("*.csv"))]
    assert any(taken)


_DIGITS_OR_NOT = st.sampled_from("0123456789" * 3 + "x /")


@st.composite
def fixed_width_dates(draw: st.DrawFn) -> list[str]:
    """A column in one fixed-width form, with invalid digits, impossible dates and empties."""
    form = draw(
        st.sampled_from(
            [
                "dd.mm.yyyy",
                "yyyy-mm-dd",
                "dd.mm.yyyy HH:MM",
                "yyyy-mm-ddTHH:MM:SS",
                "yyyy-mm-dd HH:MM:SS",
                "dd.mm.yyyyTHH:MM",
                "yyyy/mm/dd",
                "yyyy/mm/dd HH:MM",
                "yyyy/mm/ddTHH:MM:SS",
                # With a fraction of a second and a zone, as APIs write them.
                "yyyy-mm-ddTHH:MM:SSZ",
                "yyyy-mm-ddTHH:MM:SS.fffZ",
                "yyyy-mm-ddTHH:MM:SS.ffffffz",
                "yyyy-mm-dd HH:MM:SS,fff",
                "yyyy-mm-ddTHH:MM:SS±hh:nn",
                "yyyy-mm-dd HH:MM:SS ±hhnn",
                "dd.mm.yyyy HH:MM±hh",
                "yyyy-mm-ddTHH:MM:SS.ffffff±hh:nn",
                "yyyy-mm-ddTHH:MMZ",
                # With slashes and the year last: the day or the month first, as the column
                # tells (random digits seldom tell: the examples below do).
                "dd/mm/yyyy",
                "mm/dd/yyyy HH:MM",
                "dd/mm/yyyyTHH:MM:SS",
                "mm/dd/yyyy HH:MMZ",
            ]
        )
    )
    broken = draw(st.booleans())

    def one(_: int) -> str:
        if draw(st.integers(0, 9)) == 0:
            return ""
        return "".join(
            (draw(_DIGITS_OR_NOT) if broken else str(draw(st.integers(0, 9))))
            if c in "dmyHMSfhn"
            else draw(st.sampled_from("+-x" if broken else "+-"))
            if c == "±"
            else c
            for c in form
        )

    return [one(i) for i in range(draw(st.integers(1, 30)))]


@SETTINGS
@example(
    values=["2026-10-31T21:05:00Z", "", "2026-11-01T00:10:00.250z"],
    timezone="Europe/Moscow",
    chunk=1,
)
@example(
    values=["2026-10-31 14:05:00 -0800", "2026-03-08 01:59:59 +0530"],
    timezone="America/Los_Angeles",
    chunk=2,
)
@example(
    values=["10/25/2026 14:30", "", "01/02/2026 00:00", "02/30/2026 10:00", "10/25/2026 24:00"],
    timezone="Europe/Moscow",
    chunk=2,
)
@example(values=["25/10/2026", "31/12/2026", "29/02/2025"], timezone="UTC", chunk=3)
@example(values=["05/10/2026", "06/10/2026"], timezone="UTC", chunk=1)  # the column does not tell
@example(values=["25/10/2026 14:30Z", "26/10/2026 09:00Z"], timezone="UTC", chunk=2)
@given(
    values=fixed_width_dates(),
    timezone=st.sampled_from(["UTC", "Europe/Moscow"]),
    chunk=st.integers(1, 31),
)
def test_fixed_width_dates_read_as_the_regular_expression_reads_them(
    values: list[str], timezone: str, chunk: int
) -> None:
    _read_in_chunks_alike_without(values, chunk, "_fixed_width_fields", timezone)


def _read_in_chunks_alike_without(values: list[str], chunk: int, name: str, timezone: str) -> None:
    """``_read_alike_without`` the fast path ``name`` (None), of ``values`` in Arrow's chunks
    of ``chunk`` cells, as a file is read: the fast paths read each chunk's bytes."""
    series = _chunked_text([values[at : at + chunk] for at in range(0, len(values), chunk)])
    _read_alike_without(series, name, lambda text: None, timezone)


@SETTINGS
@example(chunks=[["a\r\nb", "\r", "\n\r", "", None]], start=0, carriage=True)
@example(chunks=[["\r", "\nx"], ["\r\n\r\n"]], start=1, carriage=True)
@given(
    chunks=st.lists(
        st.lists(st.text(alphabet="a\r\n", max_size=6) | st.none(), max_size=8),
        min_size=1,
        max_size=4,
    ),
    start=st.integers(0, 3),
    carriage=st.booleans(),
)
def test_line_breaks_in_values_are_counted_value_by_value(
    chunks: list[list[str | None]], start: int, carriage: bool
) -> None:
    """Found in a chunk's bytes at once, each value's line breaks are those it has alone: a
    carriage return followed by a line feed in the next value is a break of its own."""
    values = pa.chunked_array([pa.array(chunk, pa.large_string()) for chunk in chunks])
    values = values.slice(min(start, len(values)))
    expected = pc.count_substring(values, "\n")
    if carriage:
        returns = pc.subtract(pc.count_substring(values, "\r"), pc.count_substring(values, "\r\n"))
        expected = pc.add(expected, returns)
    wanted = [count or 0 for count in expected.to_pylist()]
    assert _line_breaks(values, carriage).to_pylist() == wanted


@st.composite
def unix_times(draw: st.DrawFn) -> str:
    """A Unix time as an API dump writes it, in seconds or milliseconds, now and then with
    space around, empty, beyond the years pandas holds, or not one."""
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return draw(st.sampled_from(["", " ", "x", "176195522", "17619552240", "1761955224.5"]))
    seconds = draw(st.integers(1_000_000_000, 9_999_999_999))
    text = str(seconds) + (f"{draw(st.integers(0, 999)):03d}" if draw(st.booleans()) else "")
    return draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", "\u00a0"]))


@SETTINGS
@example(
    values=["1761955224", "", "1761955224999", " 1000000000 "], timezone="Europe/Moscow", chunk=2
)
@example(values=["9999999999", "9183110399", "1761955224"], timezone="UTC", chunk=1)  # 2286, 2261
@example(values=["1761955224", "2026-10-31"], timezone="UTC", chunk=2)  # another form too
@given(
    values=st.lists(unix_times(), min_size=1, max_size=30),
    timezone=st.sampled_from(["UTC", "Europe/Moscow", "America/Los_Angeles"]),
    chunk=st.integers(1, 31),
)
def test_unix_times_read_as_the_rewriting_reads_them(
    values: list[str], timezone: str, chunk: int
) -> None:
    """A column of Unix times is read from its digits as ``_as_iso`` reads each cell."""
    _read_in_chunks_alike_without(values, chunk, "_unix_fields", timezone)


def test_a_column_of_unix_times_takes_the_fast_path() -> None:
    series = pd.Series(["1761955224", "", "1761955224123"], dtype="str")
    with mock.patch.object(validate, "_as_iso", side_effect=AssertionError):
        stamps, bad = validate.parse_dates(series, "Europe/Moscow")
    assert stamps[0] == stamps[2] == pd.Timestamp("2025-11-01 03:00:24")
    assert bad.tolist() == [False, True, False]


def _read_alike_without(
    series: pd.Series, name: str, off: object, timezone: str = "Europe/Moscow"
) -> None:
    """``parse_dates`` gives the same with ``validate``'s ``name`` replaced by ``off``, which
    turns a faster path off."""
    fast = validate.parse_dates(series, timezone)
    with mock.patch.object(validate, name, off):
        slow = validate.parse_dates(series, timezone)
    pd.testing.assert_series_equal(fast[0], slow[0])
    pd.testing.assert_series_equal(fast[1], slow[1])


@st.composite
def slashed_dates(draw: st.DrawFn) -> str:
    """A date with slashes and the year last, as American and Russian spreadsheets write it,
    perhaps with a time, spaces and a 12-hour mark, perhaps with a piece out of place."""
    number = st.integers(0, 99).map(str) | st.integers(0, 9).map(lambda n: f"0{n}")
    pieces = [draw(number), "/", draw(number), "/", draw(st.integers(0, 9999).map(str))]
    if draw(st.booleans()):
        pieces += [draw(st.sampled_from(["T", " ", ", ", "\u00a0", "  "])), draw(number)]
        pieces += [":", draw(number)]
        if draw(st.booleans()):
            pieces += [":", draw(number)]
        if draw(st.booleans()):
            pieces += [
                draw(st.sampled_from(["", " ", "\u202f"])),
                draw(st.sampled_from(["AM", "pm", "p.m.", "A.M", "PM.", "P", "am."])),
            ]
    junk = st.sampled_from(["", "x", "/", ":", " ", "1", "T", "P", "13", "\t", "é"])
    for _ in range(draw(st.integers(0, 2))):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(junk))
    return draw(st.sampled_from(["", " ", "\u00a0"])) + "".join(pieces)


@SETTINGS
@example(values=["10/25/2026 2:30 PM", "5/1/2026T09:05:07 a.m.", " 25/10/2026 ", "1/2/2026 3:4"])
@given(values=st.lists(slashed_dates(), min_size=1, max_size=30))
def test_dates_with_slashes_are_read_as_the_regular_expression_reads_them(
    values: list[str],
) -> None:
    """The fields found in a date's bytes are those the regular expression's groups give."""
    text = pa.array(values, pa.large_string())
    parts = pc.extract_regex(text, validate._SLASHED_RE)
    half = pc.utf8_upper(pc.struct_field(parts, "half").fill_null(""))
    expected = [
        *(validate._part(parts, name) for name in ("a", "b", "y")),
        *(np.nan_to_num(validate._part(parts, name)) for name in ("H", "M", "S")),
        true_mask(pc.equal(half, "P")),
        true_mask(pc.equal(half, "A")),
    ]
    for found, wanted in zip(validate._slashed_fields(text), expected, strict=True):
        np.testing.assert_array_equal(found, wanted)


@SETTINGS
@example(values=["10/25/2026 2:30 PM", "", "1/2/2026"])  # the month first: read
@example(values=["05/10/2026", "06/10/2026"])  # the column does not tell: refused
@example(values=["25/10/2026", "2026-10-25"])  # another form too: the usual path
@given(
    values=st.lists(
        slashed_dates() | st.sampled_from(["", " ", "2026-10-05", "5 октября 2026"]),
        min_size=1,
        max_size=30,
    )
)
def test_a_column_of_dates_with_slashes_alone_is_read_as_the_usual_path_reads_it(
    values: list[str],
) -> None:
    """Such a column skips the usual forms' expression, which reads none of its dates."""
    _read_alike_without(pd.Series(values, dtype="str"), "_slashed_column", lambda text: None)


def test_a_column_of_dates_with_slashes_alone_skips_the_usual_forms_expression() -> None:
    series = pd.Series(["10/25/2026 2:30 PM", "", " 11/1/2026"], dtype="str")
    with mock.patch.object(validate.pc, "extract_regex", side_effect=AssertionError):
        stamps, bad = validate.parse_dates(series, "Europe/Moscow")
    assert stamps[0] == pd.Timestamp("2026-10-25 14:30")
    assert stamps[2] == pd.Timestamp("2026-11-01")
    assert bad.tolist() == [False, True, False]


@st.composite
def dotted_dates(draw: st.DrawFn) -> str:
    """A day, a month and a year with dots, as a Russian spreadsheet writes them, the day,
    month and hour of one digit or two, perhaps with a time; now and then empty or another
    form."""
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return draw(st.sampled_from(["", " ", "2026-10-05", "5.10.26", "5.10.2026 9:30 PM"]))
    one_or_two = st.integers(0, 39).map(str) | st.integers(0, 9).map(lambda n: f"0{n}")
    text = f"{draw(one_or_two)}.{draw(one_or_two)}.{draw(st.integers(1990, 2031))}"
    if draw(st.booleans()):
        text += draw(st.sampled_from([" ", "T", "\u00a0", "  "])) + draw(one_or_two)
        text += f":{draw(st.integers(0, 69)):02d}"
        if draw(st.booleans()):
            text += f":{draw(st.integers(0, 69)):02d}"
    return draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " "]))


@SETTINGS
@example(values=["5.10.2026 9:30", "", "31.12.2026T23:59:59", " 1.1.2027 "])
@example(values=["31.04.2026", "29.02.2024 24:00", "29.02.2025"])
@given(values=st.lists(dotted_dates(), min_size=1, max_size=30))
def test_dates_with_dots_of_any_width_are_read_as_the_regular_expression_reads_them(
    values: list[str],
) -> None:
    _read_alike_without(pd.Series(values, dtype="str"), "_dotted_fields", lambda text: None)


#: Fields of dates as a file may give them: the edges of each field, of leap years and of the
#: years a timestamp holds, and missing fields (NaN) when the fields are floats.
_YEARS = st.sampled_from([1677, 1678, 1900, 1969, 1970, 2000, 2024, 2025, 2100, 2261, 2262])
_DATE_FIELDS = st.tuples(
    _YEARS | st.integers(1600, 2400),
    st.sampled_from([0, 1, 2, 4, 12, 13]) | st.integers(0, 13),
    st.sampled_from([0, 1, 28, 29, 30, 31, 32]) | st.integers(0, 32),
    st.sampled_from([0, 23, 24]) | st.integers(0, 25),
    st.sampled_from([0, 59, 60]) | st.integers(0, 60),
    st.sampled_from([0, 59, 60]) | st.integers(0, 60),
)
#: Days that are not in their month, the leap years and the years a timestamp holds.
_DATE_EDGES = [
    (2025, 4, 31, 0, 0, 0),
    (2025, 4, 30, 23, 59, 59),
    (2024, 2, 29, 12, 0, 0),
    (2025, 2, 29, 12, 0, 0),
    (1900, 2, 29, 0, 0, 0),
    (2000, 2, 29, 0, 0, 0),
    (1678, 1, 1, 0, 0, 0),
    (2261, 12, 31, 23, 59, 59),
    (1677, 12, 31, 0, 0, 0),
    (2262, 1, 1, 0, 0, 0),
    (2025, 12, 31, 24, 0, 0),
]


def _plain_stamp(fields: tuple[float, ...]) -> np.datetime64:
    """One date made from its fields by Python's datetime, as a reference."""
    if any(np.isnan(value) for value in fields):
        return np.datetime64("NaT", "ns")
    year, month, day, hour, minute, second = (int(value) for value in fields)
    if not 1678 <= year <= 2261:
        return np.datetime64("NaT", "ns")
    try:
        return np.datetime64(datetime(year, month, day, hour, minute, second), "ns")
    except ValueError:
        return np.datetime64("NaT", "ns")


@SETTINGS
@example(rows=_DATE_EDGES, floats=False, missing=[])
@example(rows=_DATE_EDGES, floats=True, missing=[(0, 2), (3, 0)])
@given(
    rows=st.lists(_DATE_FIELDS, min_size=1, max_size=40),
    floats=st.booleans(),
    missing=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 2)), max_size=5),
)
def test_timestamps_are_made_as_python_makes_dates(
    rows: list[tuple[int, ...]], floats: bool, missing: list[tuple[int, int]]
) -> None:
    columns = [
        np.array(column, dtype=np.float64 if floats else np.int32)
        for column in zip(*rows, strict=True)
    ]
    if floats:  # the regular expression's fields: a date's may be missing
        for row, field in missing:
            columns[field][row % len(rows)] = np.nan
    stamps = validate._stamps(*columns)
    expected = [_plain_stamp(fields) for fields in zip(*columns, strict=True)]
    assert stamps.dtype == np.dtype("datetime64[ns]")
    assert stamps.tolist() == np.array(expected, dtype="datetime64[ns]").tolist()


@SETTINGS
@given(
    dates=st.lists(
        st.none() | st.datetimes(min_value=datetime(1678, 1, 1), max_value=datetime(2261, 12, 31)),
        max_size=40,
    )
)
def test_month_keys_are_the_months_of_the_dates_in_order(dates: list[datetime | None]) -> None:
    index = range(5, 5 + len(dates))  # not from 0: the keys keep the dates' index
    series = pd.Series(pd.to_datetime(dates), dtype="datetime64[ns]", index=index)
    keys = validate.month_keys(series)
    months = [None if d is None else f"{d.year:04d}-{d.month:02d}" for d in dates]
    assert keys.index.equals(series.index)
    assert keys.cat.ordered
    assert list(keys.cat.categories) == sorted({m for m in months if m is not None})
    assert [None if pd.isna(k) else k for k in keys] == months


@SETTINGS
@given(
    chunks=st.lists(st.lists(st.sampled_from(["a", "b", "", "ё", "a b"]), max_size=12), min_size=1),
    step=st.integers(1, 7),
)
def test_a_sample_taken_chunk_by_chunk_is_the_strided_slice(
    chunks: list[list[str]], step: int
) -> None:
    series = _chunked_text(chunks)
    assert validate._is_arrow_text(series)
    sample = series.iloc[::step]
    assert validate._sampled_distinct(series, step) == (sample.nunique(), len(sample))


def test_fixed_width_dates_take_the_fast_path() -> None:
    from generator.validate import _fixed_width_fields

    text = pa.array(["31.10.2026 14:05", "", "01.01.2027 00:00"])
    fixed = _fixed_width_fields(text)
    assert fixed is not None
    filled, (year, month, day, hour, minute, second), zone = fixed
    assert zone is None
    # The fields are of the non-empty cells only.
    assert filled.tolist() == [True, False, True]
    assert year.tolist() == [2026, 2027] and month.tolist() == [10, 1]
    assert day.tolist() == [31, 1] and hour.tolist() == [14, 0] and minute.tolist() == [5, 0]
    assert second.tolist() == [0, 0]
    assert _fixed_width_fields(pa.array(["31.10.2026 14:05", "2026-10-31 14:05"])) is None
    assert _fixed_width_fields(pa.array(["31.10.2026 14:05", "1.10.2026 14:05"])) is None
    slashed = _fixed_width_fields(pa.array(["2026/10/31 14:05"]))
    assert slashed is not None
    assert [field.tolist() for field in slashed[1][:3]] == [[2026], [10], [31]]
    assert _fixed_width_fields(pa.array(["2026/10/31", "2026-10-31"])) is None  # one form each
    # The year last: the day is whichever number is over 12 somewhere in the column.
    for cells, days, months in [
        (["10/25/2026 14:05", "11/01/2026 09:30"], [25, 1], [10, 11]),  # American
        (["25/10/2026 14:05", "01/11/2026 09:30"], [25, 1], [10, 11]),  # Russian
    ]:
        read = _fixed_width_fields(pa.array(cells))
        assert read is not None
        assert read[1][2].tolist() == days and read[1][1].tolist() == months
    assert _fixed_width_fields(pa.array(["05/10/2026", "06/10/2026"])) is None  # which is which?
    assert _fixed_width_fields(pa.array(["25/10/2026", "10/25/2026"])) is None  # both
    assert _fixed_width_fields(pa.array(["25/10/2026 14:05Z"])) is None  # no zone after them
    # With a zone, as APIs write the time: its offset in minutes.
    zoned = _fixed_width_fields(
        pa.array(["2026-10-31T14:05:00.250+03:00", "2026-10-31T14:05:00.000-08:30"])
    )
    assert zoned is not None and zoned[2] is not None
    assert zoned[2].tolist() == [180, -510] and zoned[1][5].tolist() == [0, 0]
    utc = _fixed_width_fields(pa.array(["2026-10-31T14:05:00Z", "2026-10-31T14:05:00z"]))
    assert utc is not None and utc[2] is not None and utc[2].tolist() == [0, 0]
    assert _fixed_width_fields(pa.array(["2026-10-31T14:05:00Z", "2026-10-31T14:05:00+"])) is None
    assert _fixed_width_fields(pa.array(["2026-10-31T14:05.123Z"])) is None  # a fraction of what?
    # Chunk by chunk: the fields run on across chunks, and every chunk must have the one form.
    chunked = pa.chunked_array([["31.10.2026 14:05", ""], [], ["01.01.2027 00:00"]])
    fixed = _fixed_width_fields(chunked)
    assert fixed is not None
    assert fixed[0].tolist() == [True, False, True] and fixed[1][0].tolist() == [2026, 2027]
    assert (
        _fixed_width_fields(pa.chunked_array([["31.10.2026 14:05"], ["2026-10-31 14:05"]])) is None
    )
    assert (
        _fixed_width_fields(pa.chunked_array([["31.10.2026 14:05"], ["31.1x.2026 14:05"]])) is None
    )
    assert (
        _fixed_width_fields(pa.chunked_array([["31.10.2026 14:05"], ["31/10/2026 14:05"]])) is None
    )


@SETTINGS
@given(
    chunks=_text_chunks(9),
    data=st.data(),
)
def test_rows_taken_chunk_by_chunk_are_the_rows_at_those_places(
    chunks: list[list[str | None]], data: st.DataObject
) -> None:
    series = _chunked_text(chunks).rename("text")
    positions = np.array(
        sorted(data.draw(st.sets(st.integers(0, max(0, len(series) - 1)), max_size=len(series)))),
        dtype=np.int64,
    )
    expected = series.iloc[positions]
    taken = validate.take_rows(series, positions)
    pd.testing.assert_series_equal(taken, expected)
    frame = pd.DataFrame({"text": series, "n": np.arange(len(series))})
    pd.testing.assert_frame_equal(validate.take_frame(frame, positions), frame.iloc[positions])


@SETTINGS
@given(
    chunks=st.lists(
        st.lists(st.sampled_from(["a", "", "ё\x00b", "\x00", "жж", None]), max_size=6), min_size=1
    ),
    cut=st.integers(0, 2),
    form=st.sampled_from(["arrow", "category", "object"]),
)
def test_values_holding_a_nul_are_found_however_the_column_is_held(
    chunks: list[list[str | None]], cut: int, form: str
) -> None:
    """Each chunk is a slice of a larger array, with NULs just outside it in the same bytes."""
    arrays = [
        pa.array(["\x00"] * cut + chunk + ["\x00"], pa.large_string()).slice(cut, len(chunk))
        for chunk in chunks
    ]
    array = pa.chunked_array(arrays, pa.large_string())
    series = pd.Series(pd.arrays.ArrowStringArray(array, dtype=pd.StringDtype("pyarrow", np.nan)))
    if form != "arrow":
        series = series.astype("category" if form == "category" else object)
    expected = [isinstance(v, str) and "\x00" in v for v in itertools.chain(*chunks)]
    assert validate._holds(series, "\x00").tolist() == expected


@SETTINGS
@given(
    values=st.lists(
        st.one_of(
            st.from_regex(r"[0-9]{0,25}", fullmatch=True),
            st.text(alphabet="0123456789 ,.+-xe\u00a0١", max_size=6),
        ),
        max_size=20,
    ),
    decimal_comma=st.booleans(),
)
def test_plain_numbers_read_as_any_numbers_are(values: list[str], decimal_comma: bool) -> None:
    from generator.validate import _any_numbers, _plain_numbers, parse_numbers

    series = pd.Series(values, dtype="str")
    for fast, slow in zip(
        parse_numbers(series, decimal_comma), _any_numbers(series, decimal_comma), strict=True
    ):
        pd.testing.assert_series_equal(fast, slow)
    plain = all(v.isascii() and (v.isdecimal() or not v) for v in values)
    assert (_plain_numbers(series) is not None) == (plain and bool(values))


_FIGURE_PARTS = st.sampled_from(["1", "12", "234", "1,234", "1.234", ",", ".", " ", "-", "\u2212"])


@SETTINGS
@given(
    values=st.lists(
        st.one_of(
            st.lists(_FIGURE_PARTS, max_size=5).map("".join),
            st.text(alphabet="0123456789 ,.+-e\u00a0\u2212'١", max_size=8),
        ),
        min_size=1,
        max_size=20,
    ),
    decimal_comma=st.booleans(),
)
@example(values=["1,234.5", "1.234.567", "1.234,5", "1,234", "١٢٣", "1e999"], decimal_comma=True)
@example(values=["1,234.5", "1.234.567", "1.234,5", "1,234", "−1 234"], decimal_comma=False)
def test_a_figure_in_client_yml_reads_as_a_cell_of_a_data_file(
    values: list[str], decimal_comma: bool
) -> None:
    """``read_figure`` (a goal's target) and ``parse_numbers`` (the CSV files) agree."""
    from generator.figures import read_figure
    from generator.validate import parse_numbers

    numbers, bad, empty = parse_numbers(pd.Series(values, dtype="str"), decimal_comma)
    expected = [None if b or e else float(n) for n, b, e in zip(numbers, bad, empty, strict=True)]
    assert [read_figure(value, decimal_comma) for value in values] == expected


words = st.sampled_from([" VK", "vk", "ВКонтакте ", "", "Forum", "forum"])


@SETTINGS
@given(
    values=st.lists(words, max_size=40),
    categorical=st.booleans(),
    missing=st.booleans(),
    to_number=st.booleans(),
)
def test_per_value_gives_what_the_function_gives_row_by_row(
    values: list[str], categorical: bool, missing: bool, to_number: bool
) -> None:
    """Whatever the column holds and however it is stored, working once per distinct value and
    spreading the results (text as categories) gives every row what the function gives it."""

    def func(series: pd.Series) -> pd.Series:
        folded = series.str.strip().str.casefold()
        return folded.map({"vk": 1, "forum": 2}) if to_number else folded

    series = pd.Series(values, dtype="str")
    if categorical:
        series = series.astype("category")
    if missing and values:
        series.iloc[0] = None
    expected = func(series.astype("str")).tolist()
    actual = per_value(func)(series)
    assert len(actual) == len(expected)
    assert actual.index.equals(series.index)
    for got, want in zip(actual.tolist(), expected, strict=True):
        assert (pd.isna(got) and pd.isna(want)) or got == want


def _open_before(body: bytes, delimiter: int) -> tuple[list[bool], bool]:
    """Whether a quoted value is open before each byte of a body, and after the last, read a
    byte at a time as Python's csv reader reads (a quote after a closing one doubles it,
    anything else after one is more of the value, unquoted)."""
    state, open_before = "start", []
    for byte in body:
        open_before.append(state == "quoted")
        if state == "quoted":
            state = "closed" if byte == ord('"') else "quoted"
        elif state == "closed" and byte == ord('"'):
            state = "quoted"
        elif byte in (delimiter, ord("\n"), ord("\r")):
            state = "start"
        elif state == "start" and byte == ord('"'):
            state = "quoted"
        else:
            state = "field"
    return open_before, state == "quoted"


@SETTINGS
@given(
    body=st.lists(st.sampled_from([b'"', b'""', b"a", b";", b"\n", b"\r"]), max_size=120).map(
        b"".join
    ),
    step=st.integers(1, 40),
)
@example(body=b'a "b;c"\n"d;e"', step=40)  # text quotes around a delimiter, then a quoted one
@example(body=b'"a;""";b', step=3)  # the slice must not split the run of three
@example(body=b'"a;";b', step=2)  # a slice that starts in an open value, closed after ";"
def test_quotes_are_taken_run_by_run_as_the_python_reader_takes_them(
    body: bytes, step: int
) -> None:
    expected, left_open = _open_before(body, ord(";"))
    view = np.frombuffer(body, dtype=np.uint8)
    with mock.patch("generator.load._SCAN_BYTES", step):
        got: list[tuple[int, bool]] = []
        for at, stop, runs in _scan(view, ";", quoted=True):
            assert runs is not None and (stop == len(body) or body[stop - 1 : stop + 1] != b'""')
            places = np.array([p for p in range(at, stop) if body[p] in b";\n\r"], np.int64)
            got.extend(zip(places.tolist(), runs.open_at(places).tolist(), strict=True))
        assert _left_open(body, 0, len(body), ";") == left_open
    assert got == [(p, expected[p]) for p in range(len(body)) if body[p] in b";\n\r"]


@SETTINGS
@given(
    data=st.lists(st.sampled_from([b'"', b"a", b";", b"\n", b"\r"]), max_size=200).map(b"".join),
    bounds=st.tuples(st.integers(0, 200), st.integers(0, 200)),
    step=st.integers(1, 50),
)
@example(data=b'aaaaa"', bounds=(0, 5), step=3)  # the last slice must stop at the end
@example(data=b'"aaaaa', bounds=(1, 6), step=2)  # and the first start at the start
@example(data=b'a"a"', bounds=(1, 4), step=1)  # the first opens a value whatever comes before
@example(data=b'a"\r"', bounds=(0, 4), step=4)  # a carriage return ends a line too
def test_quotes_counted_by_slices_are_counted_once(
    data: bytes, bounds: tuple[int, int], step: int
) -> None:
    start, end = min(bounds), min(max(bounds), len(data))
    opening = sum(
        1
        for at in range(start, end)
        if data[at] == ord('"') and (at == start or data[at - 1] in b";\n\r")
    )
    assert _quotes(data, start, end, ";", step) == (data.count(b'"', start, end), opening > 0)


@SETTINGS
@given(text=st.text(alphabet="a\x00ж€😀", max_size=60))
@example(text="a" * 19 + "\x00")  # one in twenty: text
@example(text="ж" * 18 + "\x00")  # binary as 19 characters, though not as 37 bytes
def test_a_text_is_mostly_nul_alike_as_characters_and_as_utf8_bytes(text: str) -> None:
    """Arrow's path counts a UTF-8 file's bytes, Python's its characters: both call it binary
    or neither does, or the same file would be read on one path and refused on the other."""
    as_bytes = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    assert _mostly_nul(text) == _mostly_nul(as_bytes)
    assert _mostly_nul(text) == (text.count("\x00") * 20 > len(text))


@SETTINGS
@given(
    values=st.lists(
        st.text(alphabet=[" ", "\t", "\u00a0", "\u2009", "\u3000", "a", "é", "1", ":"]),
        max_size=30,
    )
)
@example(values=["a\u00a0", "b"])  # a space of two bytes, last
@example(values=["\u3000a", "b"])  # of three bytes, first
def test_text_is_trimmed_as_the_string_method_trims_it(values: list[str]) -> None:
    """Skipping the trim of a column that has nothing to trim never changes a value."""
    series = pd.Series(values, dtype="str")
    assert _text(series).astype("str").tolist() == series.str.strip().tolist()


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.text(alphabet=["=", "+", "-", "@", "\t", "\r", "\n", "\x00", "a", "я", " "]),
        max_size=12,
    )
)
@example(values=["a\n=b", "c"])  # a formula's start after a line break inside a text
@example(values=["", "=1", "\n", "@"])
def test_a_column_of_text_is_neutralised_as_each_cell_is(values: list[str]) -> None:
    assert neutralise_texts(values) == [neutralise(value) for value in values]


@SETTINGS
@given(
    value=st.one_of(
        st.integers(min_value=-(10**18), max_value=10**18),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(min_value=-1e7, max_value=1e7),
        st.decimals(places=4, min_value=-10_000, max_value=10_000).map(float),
    ),
    locale=st.sampled_from(["ru", "en"]),
    digits=st.integers(min_value=0, max_value=3),
)
@example(value=2.675, locale="ru", digits=2)  # 2,68 as Babel rounds the decimal, not 2,67
@example(value=0.5, locale="en", digits=0)  # half to even: 0
@example(value=-0.4, locale="ru", digits=0)  # a negative that rounds to 0: no sign
@example(value=-0.04, locale="en", digits=1)
@example(value=-1234.5, locale="ru", digits=1)
@example(value=1234567.891, locale="ru", digits=1)
@example(value=1e20, locale="en", digits=0)
@example(value=1e30, locale="ru", digits=0)  # a hostile reach: Babel itself fails
@example(value=1e26, locale="ru", digits=2)  # 27 whole digits and 2 decimals: so does Babel
def test_numbers_read_as_babel_writes_them(value: float, locale: str, digits: int) -> None:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    text = number(value, locale, digits)
    try:
        expected = format_decimal(value, format=pattern, locale=_BABEL[locale])
    except decimal.InvalidOperation:  # beyond Babel's 28 digits: every digit, grouped
        # Babel fails when the whole digits and the decimals asked for pass 28; a float that
        # large (over 10**24) is whole.
        assert len(str(int(abs(value)))) + digits > 28
        group = "\u00a0" if locale == "ru" else ","
        written = f"{decimal.Decimal(str(value)):f}"  # the shortest decimal, as Babel reads it
        whole = written + ("," if locale == "ru" else ".") * bool(digits) + "0" * digits
        assert text.replace(group, "") == whole.replace("-", MINUS)
        return
    # Babel's hyphen is a minus sign here; Babel signs a negative that rounds to 0, this not.
    if expected.startswith("-"):
        expected = MINUS + expected[1:] if expected.strip("-0.,\u00a0") else expected[1:]
    assert text == expected


@SETTINGS
@given(
    value=st.one_of(
        st.decimals(places=2, min_value=-(10**12), max_value=10**12),
        # a rate or a share: below 0.1, up to four decimals are shown
        st.decimals(
            places=4, min_value=decimal.Decimal("-0.0999"), max_value=decimal.Decimal("0.0999")
        ),
    ),
    locale=st.sampled_from(["ru", "en"]),
    unit=st.sampled_from([None, "RUB", "pcs"]),
)
@example(value=decimal.Decimal("150000.50"), locale="ru", unit="RUB")
@example(value=decimal.Decimal("2.30"), locale="en", unit=None)
@example(value=decimal.Decimal("0.004"), locale="ru", unit=None)
@example(value=decimal.Decimal("-0.0375"), locale="en", unit="pcs")
def test_an_outcome_is_shown_as_the_figure_written(
    value: decimal.Decimal, locale: str, unit: str | None
) -> None:
    """Read back, an outcome's text is the figure itself: no cent of it rounded away, and no
    decimals beyond those it has (money keeps two, and shows no fraction of a kopeck)."""
    assume(unit != "RUB" or value == value.quantize(decimal.Decimal("0.01")))
    text = figure(float(value), locale, unit)
    group, point = ("\u00a0", ",") if locale == "ru" else (",", ".")
    plain = text.replace(group, "").replace(point, ".").replace("\u2212", "-")
    assert decimal.Decimal(plain) == value
    decimals = len(plain.partition(".")[2])
    if value == value.to_integral_value():
        assert decimals == 0
    else:
        assert decimals == (2 if unit == "RUB" else len(str(value.normalize()).partition(".")[2]))


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(-0.004, "RUB", "0"), (-0.00001, None, "0"), (0.00001, None, "0"), (-0.004, None, "-0,004")],
)
def test_a_figure_that_rounds_to_nothing_is_zero_without_a_sign(
    value: float, unit: str | None, text: str
) -> None:
    assert figure(value, "ru", unit).replace("\u2212", "-") == text


_TEXTS = st.one_of(st.none(), st.text(max_size=5))
_FLOATS = st.floats(allow_nan=True, allow_infinity=True)


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            _TEXTS, st.integers(-(2**40), 2**40), _FLOATS, _TEXTS, st.booleans(), st.integers(-9, 9)
        ),
        max_size=8,
    ),
    missing=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_chart_data_is_written_as_altair_writes_it(
    rows: list[tuple[object, ...]], missing: list[bool]
) -> None:
    columns = ["label", "count", "value", "brand", "flag", "nullable"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["brand"] = frame["brand"].astype("category")
    frame["nullable"] = frame["nullable"].astype("Int64").mask(pd.Series(missing[: len(frame)]))
    frame["label"] = frame["label"].astype("str")  # pandas' own text type, NaN where missing
    assert records(frame) == to_values(frame)


def _guess(links: list[str], brands: list[int], chunk: int) -> list[bool]:
    """``_may_repeat`` of links (as trimmed text) and brands, the links read in chunks."""
    pieces = [links[at : at + chunk] for at in range(0, len(links), chunk)] or [[]]
    url = _chunked_text(pieces)
    return _may_repeat(url, link_keys(url), np.array(brands, dtype=np.int8)).tolist()


@SETTINGS
@given(
    pairs=st.lists(
        st.tuples(st.text(alphabet=["a", "b", "/", "é", "1"], max_size=20), st.integers(0, 2)),
        max_size=40,
    ),
    chunk=st.integers(min_value=1, max_value=41),
    block=st.sampled_from([1, 2, 7, 1 << 20]),
)
@example(pairs=[("", 0), ("a", 0), ("", 0), ("a", 0)], chunk=1, block=1)  # empty never repeats
@example(pairs=[("x" * 9 + "a", 0), ("y" * 9 + "a", 0)], chunk=2, block=1 << 20)
@example(pairs=[("a", 0), ("a", 1)], chunk=1, block=1)  # the same link for two brands
@example(  # links of 8 bytes or more among short ones, the last at the end of the bytes
    pairs=[("x" * 9, 0), ("https://vk.com/w1", 0), ("y", 0), ("https://vk.com/w1", 0)],
    chunk=4,
    block=1 << 20,
)
def test_every_repeated_link_and_brand_is_found(
    pairs: list[tuple[str, int]], chunk: int, block: int
) -> None:
    """Links are first compared by a key of a few of their bytes: a repeated non-empty link
    with the same brand is never missed, whatever the blocks and chunks it is read in."""
    links, brands = [link for link, _ in pairs], [brand for _, brand in pairs]
    with mock.patch("generator.validate._KEY_BLOCK", block):
        guess = _guess(links, brands, chunk)
    for pair, flagged in zip(pairs, guess, strict=True):
        if pair[0] and pairs.count(pair) > 1:
            assert flagged, pair
        if not pair[0]:
            assert not flagged


#: Links of one length that differ only in bytes their keys are not made of, so they share a
#: key (the test adds the first again with spaces around it: the same link once trimmed).
_SAME_KEY = ["https://a.example/p/0000000001", "https://b.example/p/0000000001"]


@SETTINGS
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {
                **{column: st.just(value) for column, value in _VALID.items()},
                "url": st.sampled_from([*_SAME_KEY, f" {_SAME_KEY[0]} ", ""]),
                "brand": st.sampled_from(["Acme", "АКМЕ", "Globex", "Unknown"]),
                "date": st.sampled_from(["2026-09-01", "x"]),
            }
        ),
        max_size=25,
    )
)
def test_a_duplicate_in_a_file_repeats_the_link_and_brand_of_an_earlier_valid_row(
    records: list[dict[str, str]],
) -> None:
    """Within a file, a row is a duplicate exactly when its trimmed link (not empty) and its
    brand (aliases are the brand) are those of an earlier row without errors, which is kept."""
    brand_of = {"Acme": "Acme", "АКМЕ": "Acme", "Globex": "Globex"}
    with client_copy() as acme:
        (acme / "mentions.csv").write_text(_csv(records, ","), encoding="utf-8")
        result = load(acme).files["mentions.csv"]
    errors = {p.line for p in result.row_problems if p.is_error}
    expected, kept = [], {}
    for line, record in enumerate(records, start=2):
        key = (record["url"].strip(), brand_of.get(record["brand"]))
        if line in errors or not key[0]:
            continue
        if key in kept:
            expected.append((line, f"duplicate of line {kept[key]} (same url and brand)"))
        else:
            kept[key] = line
    found = [
        (p.line, p.message.split(";")[0])
        for p in result.problems
        if not p.is_error and p.message.startswith("duplicate")
    ]
    assert found == expected


def test_distinct_links_are_not_taken_for_repeated_ones() -> None:
    # Links that differ only in an id, before a common ending or at the end, and short ones.
    links = [f"https://vk.com/wall-{n}_1?utm_source=monitoring" for n in range(3000)]
    links += [f"https://t.me/channel/{n}" for n in range(3000)] + list("abcdef")
    assert not any(_guess(links, [0] * len(links), 1000))
    twice = [*links, links[10], links[20]]
    assert _guess(twice, [0] * len(links) + [0, 1], 1000).count(True) == 2


def test_rows_are_sliced_around_up_to_one_row_in_a_hundred_left_out() -> None:
    mask = np.ones(20_000, dtype=bool)
    mask[::100] = False  # 200 rows left out in 200 places
    runs = validate._kept_runs(mask)
    assert runs is not None and len(runs) == 200
    mask[50::100] = False  # 400 places: more than one in a hundred rows
    assert validate._kept_runs(mask) is None


def _grouped_cells(frame: pd.DataFrame) -> pd.DataFrame:
    groups = frame.groupby(["period", "brand", "platform", "sentiment"])
    return pd.DataFrame({"mentions": groups.size(), "reach": groups["reach"].sum(min_count=1)})


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["2026-09", "2026-10", "2026-11", None]),
            st.sampled_from(["Acme", "Globex", "Елка"]),
            st.sampled_from(["VK", "", "Telegram"]),
            st.sampled_from([-1, 0, 1]),
            st.one_of(st.none(), st.integers(0, 10**6), st.sampled_from([0.5, 2.0**53])),
        ),
        max_size=30,
    ),
    brands=st.permutations(["Acme", "Globex", "Елка", "Unused"]),
)
def test_cells_counted_on_codes_are_the_cells_grouped(
    rows: list[tuple[str | None, str, str, int, float | None]], brands: list[str]
) -> None:
    """Counting on the categories' codes gives what pandas' grouping gives: the same cells in
    the same order, categories no row has left out; rows of no month, reaches not held
    exactly, or no categories at all, are grouped."""
    periods, names, platforms, tones, reaches = zip(*rows, strict=True) if rows else ([],) * 5
    frame = pd.DataFrame(
        {
            # Months are ordered categories, as validation makes them.
            "period": pd.Categorical(
                periods, categories=["2026-09", "2026-10", "2026-11"], ordered=True
            ),
            "brand": pd.Categorical(names, categories=brands),
            "platform": pd.Categorical(platforms, categories=["Telegram", "", "VK"]),
            "sentiment": np.array(tones, dtype=np.int8),
            "reach": np.array([np.nan if r is None else r for r in reaches], dtype=np.float64),
        }
    )
    expected = _grouped_cells(frame)
    pd.testing.assert_frame_equal(mention_cells(frame), expected)
    plain = frame.assign(platform=frame["platform"].astype("str"))
    pd.testing.assert_frame_equal(mention_cells(plain), _grouped_cells(plain))
    counted = _counted_cells(frame)
    known = [r for r in reaches if r is not None]
    held = all(r == int(r) for r in known) and sum(known) <= 2**53
    assert (counted is not None) == bool(rows and None not in periods and held)
