"""Mentions kept in several files: mentions.csv and every file in mentions/."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import generator.load
from generator import validate
from generator.cli import cli
from generator.pipeline import ClientData, check, compute_metrics
from tests.helpers import load, problems, run_fresh

EXPORT = "\ufeffdate;brand;sentiment;url;reach\r\n"


def _split(acme: Path, month: str) -> tuple[list[str], list[str]]:
    """Moves the rows of ``month`` (YYYY-MM) from mentions.csv to mentions/<month>.csv."""
    header, *rows = (acme / "mentions.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    moved = [row for row in rows if row.startswith(month)]
    kept = [row for row in rows if not row.startswith(month)]
    assert moved and kept
    (acme / "mentions.csv").write_text(header + "".join(kept), encoding="utf-8")
    (acme / "mentions").mkdir(exist_ok=True)
    (acme / "mentions" / f"{month}.csv").write_text(header + "".join(moved), encoding="utf-8")
    return kept, moved


def _without_quality(metrics: dict) -> dict:
    return {
        period: {k: v for k, v in month.items() if k != "data_quality"}
        for period, month in metrics.items()
    }


def _messages(data: ClientData) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.column, p.message) for p in data.problems]


def test_mentions_split_over_files_give_the_same_metrics(acme: Path) -> None:
    original = load(acme)
    whole = compute_metrics(original)
    _, moved = _split(acme, "2026-12")
    data = load(acme)
    assert _messages(data) == _messages(original)  # the same warning, at the same line
    split = compute_metrics(data)
    assert _without_quality(split) == _without_quality(whole)
    quality = split["2026-12"]["data_quality"]
    assert list(quality)[:2] == ["mentions.csv", "mentions/2026-12.csv"]
    assert quality["mentions/2026-12.csv"] == {
        "read": len(moved),
        "used": len(moved),
        "duplicates": 0,
        "rejected": 0,
    }
    # A month before the file's first row does not list it: adding it changed no such month.
    assert "mentions/2026-12.csv" not in split["2026-11"]["data_quality"]
    before = whole["2026-12"]["data_quality"]["mentions.csv"]
    for count, value in before.items():
        assert quality["mentions.csv"][count] + quality["mentions/2026-12.csv"][count] == value


def test_a_mention_repeated_in_a_later_file_is_a_duplicate_naming_both_places(
    acme: Path,
) -> None:
    whole = compute_metrics(load(acme))
    first = (acme / "mentions.csv").read_text(encoding="utf-8").splitlines()[1]
    (acme / "mentions").mkdir()
    header = (acme / "mentions.csv").read_text(encoding="utf-8").splitlines()[0]
    # The same publication exported again in a later file, with its counts grown since.
    again = first.rsplit(",", 1)[0] + ",5000"
    (acme / "mentions" / "b.csv").write_text(f"{header}\n{again}\n", encoding="utf-8")
    data = load(acme)
    kept_at = f"{acme / 'mentions.csv'}:2"
    found = [p for p in data.problems if Path(p.path).name == "b.csv"]
    assert [(p.line, p.column, p.message, p.is_error) for p in found] == [
        (2, "url", f"duplicate of {kept_at} (same url and brand); {kept_at} is kept", False)
    ]
    assert data.files["mentions/b.csv"].accounting() == {
        "read": 1,
        "used": 0,
        "duplicates": 1,
        "rejected": 0,
    }
    assert _without_quality(compute_metrics(data)) == _without_quality(whole)


def test_a_repeat_in_a_file_of_another_layout_is_found_too(acme: Path) -> None:
    """Files of another layout are checked apart; a repeat across them is still found, on the
    row it is on."""
    with (acme / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        header, first, second, *_ = csv.reader(handle)
    unique = [cell.replace("https://", "https://other.example/") for cell in second]
    assert unique != second
    (acme / "mentions").mkdir()
    with (acme / "mentions" / "b.csv").open("w", encoding="utf-8", newline="") as handle:
        # The columns in another order: a layout of its own.
        csv.writer(handle).writerows(row[::-1] for row in (header, unique, first))
    data = load(acme)
    kept_at = f"{acme / 'mentions.csv'}:2"
    found = [(p.line, p.message) for p in data.problems if Path(p.path).name == "b.csv"]
    assert found == [(3, f"duplicate of {kept_at} (same url and brand); {kept_at} is kept")]
    assert data.files["mentions/b.csv"].accounting()["duplicates"] == 1


def test_the_mentions_folder_alone_is_enough_and_hidden_files_are_left_out(acme: Path) -> None:
    original = load(acme)
    whole = compute_metrics(original)
    _split(acme, "2026-12")
    text = (acme / "mentions.csv").read_text(encoding="utf-8")
    (acme / "mentions.csv").unlink()
    (acme / "mentions" / "2026-09-11.csv").write_text(text, encoding="utf-8")
    (acme / "mentions" / ".~lock.2026-12.csv#").write_text("editor's lock file")
    (acme / "mentions" / "_drafts").mkdir()
    (acme / "mentions" / "_drafts" / "notes.txt").write_text("not data")
    # A folder of its own for a year's exports is read too, in the order of the paths.
    (acme / "mentions" / "2026").mkdir()
    (acme / "mentions" / "2026-12.csv").rename(acme / "mentions" / "2026" / "12.csv")
    data = load(acme)
    assert list(data.files)[:2] == ["mentions/2026/12.csv", "mentions/2026-09-11.csv"]
    assert _messages(data) == _messages(original)
    assert Path(data.problems[0].path).name == "2026-09-11.csv"
    assert _without_quality(compute_metrics(data)) == _without_quality(whole)


def test_every_file_in_the_mentions_folder_is_checked(acme: Path) -> None:
    (acme / "mentions").mkdir()
    (acme / "mentions" / "export.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (acme / "mentions" / "bad.csv").write_text(
        EXPORT + "31.10.2026 10:00;Acme;позитив;https://t.me/a/1;10\r\n"
        "32.10.2026 10:00;Acme;позитив;https://t.me/a/2;10\r\n",
        encoding="utf-8",
    )
    data = load(acme)
    found = [(Path(p.path).name, p.line, p.column) for p in data.problems if p.is_error]
    assert ("export.xlsx", None, "") in found
    assert ("bad.csv", 3, "date") in found
    assert not data.ok(lenient=True)  # a file that cannot be read stops the client


def test_validate_accounts_for_every_file(acme: Path) -> None:
    _split(acme, "2026-12")
    result = CliRunner().invoke(cli, ["validate", "--verbose", "--data", str(acme.parent)])
    assert result.exit_code == 0, result.output
    assert "acme/mentions/2026-12.csv: 1 read = 1 used + 0 duplicates + 0 rejected" in (
        result.output
    )


def test_a_client_without_any_mention_file_is_told_where_they_go(acme: Path) -> None:
    (acme / "mentions.csv").unlink()
    (acme / "mentions").mkdir()  # an empty folder is no mention file either
    (found,) = load(acme).problems
    assert found.format() == (
        f"{acme / 'mentions.csv'}: file not found (hint: put the mentions in mentions.csv or in"
        " mentions/)"
    )


def test_small_files_of_one_layout_are_checked_as_one_table(
    acme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file a day costs little more than its rows: files of one header and number format
    are checked together up to a number of rows; another layout, or a full batch, starts a new
    one. (That each file's results are as if checked alone is a property test.)"""
    (acme / "mentions").mkdir()
    day = "date;brand;sentiment;url;reach\n2026-10-{0:02};Acme;positive;https://t.me/a/{0};{1}\n"
    for number in range(1, 6):
        (acme / "mentions" / f"2026-10-{number:02}.csv").write_text(day.format(number, 10))
    (acme / "mentions" / "2026-10-03.csv").write_text(day.replace(";", ",").format(3, 10))
    (acme / "mentions" / "2026-10-04.csv").write_text(day.format(4, "x"))  # a bad row
    batches: list[list[str]] = []
    check_together = validate._check_together

    def spy(batch: list, *rest: object) -> None:
        batches.append([result.path.name for result, _ in batch])
        check_together(batch, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "_check_together", spy)
    monkeypatch.setattr(validate, "BATCH_ROWS", 2)
    data = load(acme)
    assert batches == [
        ["accounts.csv"],  # the small files first, while the first mention file is read
        ["outcomes.csv"],
        ["mentions.csv"],  # 12 rows: a full batch alone
        ["2026-10-01.csv", "2026-10-02.csv"],
        ["2026-10-03.csv"],  # comma-separated
        ["2026-10-04.csv", "2026-10-05.csv"],
    ]
    (problem,) = [p for p in data.problems if p.is_error]
    assert (Path(problem.path).name, problem.line, problem.column) == ("2026-10-04.csv", 2, "reach")
    assert [data.files[f"mentions/2026-10-0{n}.csv"].accounting()["used"] for n in range(1, 6)] == [
        1,
        1,
        1,
        0,
        1,
    ]


@pytest.mark.parametrize("first", [False, True])
def test_small_files_are_read_ahead_and_come_out_in_their_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: bool
) -> None:
    """While one file is checked, the next small ones are read on other threads, at most
    ``_AHEAD_FILES`` ahead; a file over the bound is read in its turn, on the caller's thread,
    so that no more than one large file's text is held. A first file whose read the caller
    began is given its read."""
    monkeypatch.setattr(validate, "_AHEAD_BYTES", 30)
    paths = [tmp_path / f"{number}.csv" for number in range(6)]
    for path, large in zip(paths, [False, False, True, False, False, False], strict=True):
        path.write_text("x" * 50 if large else "date;brand;sentiment\n")
    paths.append(tmp_path / "missing.csv")
    begun: list[str] = []
    real = validate.read_mentions_ahead

    def spied(path: Path) -> generator.load.TableAhead:
        begun.append(path.name)
        return real(path)

    monkeypatch.setattr(validate, "read_mentions_ahead", spied)
    given = real(paths[0]) if first else None
    came: list[str] = []
    read_ahead: dict[str, bool] = {}
    for path, ahead in validate._reads_ahead(paths, given):
        came.append(path.name)
        assert len(set(begun) - set(came)) <= validate._AHEAD_FILES  # the text held ahead
        read_ahead[path.name] = ahead is not None
        if ahead is not None:
            assert ahead.path == path
            assert ahead.take().header == ["date", "brand", "sentiment"]
    assert came == [path.name for path in paths]
    assert read_ahead == {
        "0.csv": first,  # the first, read ahead only when the caller began it
        "1.csv": True,
        "2.csv": False,  # too large to be read ahead
        "3.csv": True,
        "4.csv": True,
        "5.csv": True,
        "missing.csv": False,  # read in its turn, which says what is wrong
    }
    assert sorted(begun) == ["1.csv", "3.csv", "4.csv", "5.csv"]


@pytest.mark.parametrize("layout", ["one file", "a folder", "a file that is no table", "none"])
def test_check_reads_the_first_mention_file_ahead_and_finds_what_a_client_read_alone_does(
    acme: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    """``check`` begins reading the first client's first mention file on a thread of its own
    before it loads the libraries of the checks; what it reports is what ``load_client``
    reports reading every file in its turn."""
    if layout == "a folder":
        _split(acme, "2026-09")
        (acme / "mentions" / "2026-08.csv").write_text(EXPORT)  # first in the folder's order
        (acme / "mentions.csv").rename(acme / "mentions" / "2026-10.csv")
    elif layout == "a file that is no table":
        (acme / "mentions.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    elif layout == "none":
        (acme / "mentions.csv").unlink()
    read_on: dict[str, str] = {}
    real = generator.load.read_table

    def spied(path: Path, *args: object) -> object:
        read_on[path.relative_to(acme).as_posix()] = threading.current_thread().name
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.load, "read_table", spied)
    checked = check(acme.parent)
    # The first file is read ahead by ``check`` (left to ``load_client`` it would be read in
    # its turn, on this thread); the folder's later files, small, as they are reached.
    ahead = {
        "one file": ["mentions.csv"],
        "a folder": ["mentions/2026-08.csv", "mentions/2026-09.csv", "mentions/2026-10.csv"],
        "a file that is no table": ["mentions.csv"],
        "none": [],
    }
    assert read_on == dict.fromkeys(ahead[layout], "read-ahead")
    data, alone = checked.clients[0], load(acme)
    assert [p.format() for p in data.problems] == [p.format() for p in alone.problems]
    assert list(data.files) == list(alone.files)
    if data.client is not None and data.mentions is not None:
        assert compute_metrics(data) == compute_metrics(alone)


def test_the_pipeline_and_the_reader_load_no_library_of_the_checks() -> None:
    """What ``check`` needs before it begins reading leaves pandas and pydantic unloaded: they
    load while the file is read. (A fresh process: the tests' own has loaded them.)"""
    code = "import generator.pipeline, generator.load, generator.columns"
    assert run_fresh(code, ["pandas", "pydantic", "altair"]) == ([], [])


def test_a_nul_character_in_any_file_checked_together_is_found(acme: Path) -> None:
    """Files checked as one table are checked for NULs when any of them holds one."""
    (acme / "mentions").mkdir()
    day = "date;brand;sentiment;url;reach\n2026-10-{0:02};Acme;positive;https://t.me/a/{0}{1};10\n"
    for number in range(1, 4):
        (acme / "mentions" / f"2026-10-{number:02}.csv").write_text(
            day.format(number, "\x00" if number == 3 else "")
        )
    data = load(acme)
    assert [(Path(p.path).name, p.line, p.column) for p in data.problems if p.is_error] == [
        ("2026-10-03.csv", 2, "url")
    ]
    assert [
        data.files[f"mentions/2026-10-0{n}.csv"].accounting()["rejected"] for n in (1, 2, 3)
    ] == [
        0,
        0,
        1,
    ]


def test_daily_files_checked_together_are_joined_by_the_rows_they_were_checked_in(
    acme: Path,
) -> None:
    """The mentions of files checked together are the rows they were checked in, not their
    frames copied into one again; a file whose rows changed since (a repeat of an earlier
    file left out) gives its own rows."""
    alone = load(acme)
    assert alone.mentions is not None and alone.files["mentions.csv"].frame is not None
    alone.mentions["extra"] = 1  # a column added to the mentions is not added to the file's
    assert "extra" not in alone.files["mentions.csv"].frame
    (acme / "mentions.csv").unlink()
    (acme / "mentions").mkdir()
    day = "date;brand;sentiment;url;reach\n2026-10-{0:02};Acme;positive;https://t.me/a/{1};{0}\n"
    for number, link in ((1, 1), (2, 2), (3, 1), (4, 4)):  # the 3rd repeats the 1st's link
        (acme / "mentions" / f"2026-10-{number:02}.csv").write_text(day.format(number, link))
    data = load(acme)
    files = [data.files[f"mentions/2026-10-0{n}.csv"] for n in range(1, 5)]
    assert [result.accounting()["duplicates"] for result in files] == [0, 0, 1, 0]
    mentions = data.mentions
    assert mentions is not None
    assert mentions["reach"].tolist() == [1.0, 2.0, 4.0]
    assert mentions["line"].tolist() == [2, 2, 2]
    assert mentions.index.tolist() == [0, 1, 2]
    # The first two files' rows are one slice of the rows checked, not a copy of them.
    first_two = validate.joined_rows(files[:2])
    assert first_two["reach"].tolist() == [1.0, 2.0]
    for result in files[:2]:
        assert result.frame is not None
        assert np.shares_memory(first_two["reach"].to_numpy(), result.frame["reach"].to_numpy())
    assert validate.joined_rows([files[0], files[3]])["reach"].tolist() == [1.0, 4.0]
    first_two["extra"] = 1
    assert all(result.frame is not None and "extra" not in result.frame for result in files)
    assert "extra" not in validate.joined_rows(files[:2])
    assert validate.joined_rows(files, ["line", "reach"]).columns.tolist() == ["line", "reach"]


def test_urls_that_are_no_web_address_are_warned_of_in_each_file_of_their_own(
    acme: Path,
) -> None:
    """Files of one layout are checked together; each file's warning names its own lines."""
    (acme / "mentions.csv").unlink()
    (acme / "mentions").mkdir()
    for day, ids in (("01", ["a1", "a2"]), ("02", ["https://vk.com/x"]), ("03", ["b1"])):
        rows = "".join(f"2026-09-{day};Acme;1;{cell};\r\n" for cell in ids)
        (acme / "mentions" / f"2026-09-{day}.csv").write_text(EXPORT + rows, encoding="utf-8")
    data = load(acme)
    found = [(Path(p.path).name, p.line, p.message) for p in data.problems if p.column == "url"]
    assert found == [
        ("2026-09-01.csv", 2, "not a web address: 'a1'; and 1 more of this file's urls (line 3)"),
        ("2026-09-03.csv", 2, "not a web address: 'b1'"),
    ]


AIRLINE_EXPORT = (
    "tweet_id,Airline,airline_sentiment,brand,tweet_created,name,text\n"
    "1,Acme,positive,wrong,2026-10-05 10:00:00 +0300,anna,Отлично\n"
    "2,Globex,negative,wrong,2026-10-06 11:30:00 +0300,boris,Плохо\n"
)


def test_an_exports_own_column_names_are_mapped_in_client_yml(acme: Path) -> None:
    """An export that names the columns otherwise (an airline's tweets: `Airline` for the
    brand, `airline_sentiment`) is read through client.yml's ``mention_columns``: any case,
    and over a column of the mapped name the file has too, which is then not read."""
    (acme / "mentions.csv").write_text(AIRLINE_EXPORT, encoding="utf-8")
    assert "sentiment" in {p.column for p in load(acme).problems}  # not mapped yet
    client = acme / "client.yml"
    client.write_text(
        client.read_text(encoding="utf-8")
        + "mention_columns:\n  AIRLINE: brand\n  Airline Sentiment: sentiment\n"
        "  tweet_created: date\n  name: author\n",
        encoding="utf-8",
    )
    data = load(acme)
    assert not [p for p in data.problems if p.path.endswith("mentions.csv")]
    frame = data.files["mentions.csv"].frame
    assert frame is not None
    assert frame["brand"].astype(str).tolist() == ["Acme", "Globex"]
    assert frame["sentiment"].tolist() == [1, -1]
    assert frame["author"].astype(str).tolist() == ["anna", "boris"]
    assert frame["date"].astype(str).tolist() == ["2026-10-05 10:00:00", "2026-10-06 11:30:00"]


def test_a_column_mapped_to_no_column_of_the_contract_is_a_problem_of_client_yml(
    acme: Path,
) -> None:
    client = acme / "client.yml"
    client.write_text(
        client.read_text(encoding="utf-8") + "mention_columns:\n  Airline: company\n",
        encoding="utf-8",
    )
    ((_, line, column, message),) = [p for p in problems(acme) if p[0] == "client.yml"]
    assert (line, column) == (_last_line(client), "mention_columns.Airline")
    assert "company" in message and "brand" in message


def _last_line(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_an_exports_names_are_mapped_all_at_once(acme: Path) -> None:
    """A name mapped away may be another's target: `airline` read as the brand, and the
    export's own `brand` column (its authors, here) as the author, whatever their order."""
    (acme / "mentions.csv").write_text(
        "airline,brand,sentiment,date\nAcme,anna,positive,2026-10-05\n", encoding="utf-8"
    )
    client = acme / "client.yml"
    client.write_text(
        client.read_text(encoding="utf-8") + "mention_columns:\n  airline: brand\n"
        "  brand: author\n",
        encoding="utf-8",
    )
    frame = load(acme).files["mentions.csv"].frame
    assert frame is not None
    assert frame["brand"].astype(str).tolist() == ["Acme"]
    assert frame["author"].astype(str).tolist() == ["anna"]
