"""The smrm command as a user runs it: exact output, exit codes, files written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import cli
from tests.conftest import CONTENT, EXAMPLE, HERE, compare_golden
from tests.helpers import run_fresh

REPO = HERE.parent
#: The test data have no commentary; the repository's content/ is the demo agency's.
NO_CONTENT = ["--content", "tests/data/no-content"]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


def test_validate_lists_every_planted_fault(runner: CliRunner, update_golden: bool) -> None:
    result = runner.invoke(cli, ["validate", "--data", "tests/data/faults", *NO_CONTENT])
    assert result.exit_code == 1
    compare_golden("validate-faults.txt", result.output, update_golden)
    assert result.output.endswith("15 problems in 7 files, 1 warning\n")


@pytest.mark.parametrize("command", ["validate", "metrics", "build"])
def test_every_problem_is_printed_once_and_in_order_however_many(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    # Problems are written a block at a time: blocks of 4 make the 16 of the faults four.
    monkeypatch.setattr("generator.cli._BLOCK", 4)
    out = [] if command == "validate" else ["--out", str(tmp_path)]
    content = [] if command == "metrics" else NO_CONTENT
    result = runner.invoke(cli, [command, "--data", "tests/data/faults", *out, *content])
    assert result.exit_code == 1
    listed = (HERE / "golden" / "validate-faults.txt").read_text(encoding="utf-8").splitlines()
    assert result.output.splitlines()[:16] == listed[:16]


def test_in_a_github_actions_run_the_first_problems_are_annotations(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = runner.invoke(cli, ["validate", "--data", "tests/data/faults", *NO_CONTENT]).output
    assert not [line for line in plain.splitlines() if line.startswith("::")]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(cli, ["validate", "--data", "tests/data/faults", *NO_CONTENT])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    # Every problem as before, then the first ten errors and the warning, then the count.
    assert [line for line in lines if not line.startswith("::")] == plain.splitlines()
    assert len(commands) == 11
    assert [c.split(" ", 1)[0] for c in commands] == ["::error"] * 10 + ["::warning"]
    assert commands[0] == (
        "::error file=tests/data/faults/Bad_Slug::a client folder name must be lowercase"
        " letters, digits and '-' (hint: rename it, e.g. to 'bad-slug')"
    )
    assert commands[2] == (
        "::error file=tests/data/faults/broken-csv/mentions.csv,line=3,title=sentiment::"
        "expected positive/neutral/negative, got 'Отличная'"
        " (hint: also accepted: позитив/нейтрал/негатив, 1/0/-1)"
    )
    assert commands[-1] == (
        "::warning file=tests/data/faults/broken-csv/mentions.csv,line=10,title=url::"
        "duplicate of line 2 (same url and brand); line 2 is kept"
    )
    assert lines.index(commands[0]) > lines.index(plain.splitlines()[-2])


def test_an_annotation_escapes_what_would_end_its_parts() -> None:
    from generator.problems import Problem, Severity, github_annotations

    hostile = Problem(
        "data/a,b:c%/mentions.csv",
        7,
        "da,te:\n::error::x",
        "not a date: '50%\n::error file=x::planted'",
        "write 100%",
        Severity.WARNING,
    )
    assert github_annotations([hostile]) == [
        "::warning file=data/a%2Cb%3Ac%25/mentions.csv,line=7,title=da%2Cte%3A\\n%3A%3Aerror%3A%3Ax"
        "::not a date: '50%25\\n::error file=x::planted' (hint: write 100%25)"
    ]
    whole_file = Problem("data/acme/mentions.csv", None, "", "is empty")
    assert github_annotations([whole_file]) == ["::error file=data/acme/mentions.csv::is empty"]
    many = [Problem("f.csv", n, "c", "m") for n in range(1, 30)]
    assert [a.split(",")[1] for a in github_annotations(many, most=3)] == [
        "line=1",
        "line=2",
        "line=3",
    ]


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_commentary_that_would_stop_the_build_is_found_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "data")
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "content" / "acme" / "2026-10.md").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 9)
    monkeypatch.chdir(tmp_path)
    out = ["--out", "site", "--config", str(REPO / "mkdocs.yml")] if command == "build" else []
    result = CliRunner().invoke(cli, [command, *out])
    assert result.exit_code == 1
    assert (
        "content/acme/2026-10.md: this is a binary file, not text (hint: save it as text "
        "(UTF-8) from a text editor: it is Markdown)"
    ) in result.output.splitlines()
    assert not (tmp_path / "site" / "acme").exists()


def test_validate_a_good_agency(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["validate", "--data", "tests/data/example", "--verbose", *NO_CONTENT]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "tests/data/example/acme/mentions.csv:11: url: warning: duplicate of line 10 "
        "(same url and brand); line 10 is kept",
        "acme/mentions.csv: 11 read = 10 used + 1 duplicates + 0 rejected",
        "acme/accounts.csv: 3 read = 3 used + 0 duplicates + 0 rejected",
        "acme/outcomes.csv: 4 read = 4 used + 0 duplicates + 0 rejected",
        "no problems in 5 files, 1 warning",
    ]


def test_validate_verbose_names_the_columns_it_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export's other columns are no problem, but one may hold a column of the contract
    under a name the tool does not know: ``--verbose`` names them, as the header has them."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    mentions = data / "acme" / "mentions.csv"
    header, *rows = mentions.read_text(encoding="utf-8").splitlines()
    extra = ["Аудитория", "Вовлечённость", "", *(f"x{i}" for i in range(20))]
    lines = [",".join([header, *extra]), *(",".join([row, *("1" * len(extra))]) for row in rows)]
    mentions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def not_read() -> list[str]:
        result = CliRunner().invoke(cli, ["validate", "--verbose"])
        assert result.exit_code == 0, result.output
        return [line for line in result.output.splitlines() if "not read" in line]

    assert not_read() == [
        "acme/mentions.csv: columns not read: 'Аудитория', 'Вовлечённость', "
        + ", ".join(f"'x{i}'" for i in range(18))
        + " and 2 more"
    ]
    # Named in client.yml, `Аудитория` is read as the reach, and the file's own reach is not.
    with (data / "acme" / "client.yml").open("a", encoding="utf-8") as handle:
        handle.write("mention_columns:\n  Аудитория: reach\n")
    assert not_read()[0].startswith("acme/mentions.csv: columns not read: 'reach', 'Вовлечённость'")


@pytest.mark.parametrize("value", ["yesterday", "1.5e9", "99999999999999999999"])
def test_a_build_day_that_is_no_moment_is_refused_in_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(cli, ["validate", "--data", "tests/data/example"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970-01-01"
    )
    assert "Traceback" not in result.output


def test_validate_names_an_unknown_client(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--data", "tests/data/example", "acne"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "tests/data/example/acne: no such client (hint: did you mean 'acme'?)"
    )


def test_validate_lists_the_clients_to_build_only_when_all_is_valid(
    runner: CliRunner, tmp_path: Path
) -> None:
    listed = tmp_path / "affected.json"
    usage = runner.invoke(
        cli, ["validate", "--data", "tests/data/example", "--affected", str(listed)]
    )
    assert usage.exit_code == 2 and "--affected needs --published BRANCH" in usage.output
    # A branch that does not exist publishes nothing: every client is read, and built.
    published = ["--published", "no-such-branch", "--affected", str(listed)]
    faulty = runner.invoke(cli, ["validate", "--data", "tests/data/faults", *published])
    assert faulty.exit_code == 1 and not listed.exists()
    good = runner.invoke(cli, ["validate", "--data", "tests/data/example", *published])
    assert good.exit_code == 0, good.output
    assert json.loads(listed.read_text(encoding="utf-8")) == ["acme"]


def test_metrics_writes_one_file_per_month(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["metrics", "--data", "tests/data/example", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    months = sorted(p.name for p in (tmp_path / "acme").iterdir())
    assert months == ["2026-09", "2026-10", "2026-11", "2026-12"]
    content = json.loads((tmp_path / "acme" / "2026-09" / "metrics.json").read_text())
    assert content["client"] == "Acme Furniture" and content["period"] == "2026-09"
    assert not (tmp_path / "acme" / "rejected.csv").exists()


def test_metrics_fails_on_invalid_rows_unless_lenient(
    runner: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    path = data_dir / "acme" / "mentions.csv"
    path.write_text(path.read_text() + "=HYPERLINK(1),Acme,positive,,,,,,,,,,\n")
    out = tmp_path / "out"
    strict = runner.invoke(cli, ["metrics", "--data", str(data_dir), "--out", str(out)])
    assert strict.exit_code == 1
    assert "acme: not written (invalid rows; --lenient leaves them out)" in strict.output
    assert not out.exists()
    lenient = runner.invoke(
        cli, ["metrics", "--data", str(data_dir), "--out", str(out), "--lenient"]
    )
    assert lenient.exit_code == 0, lenient.output
    with (out / "acme" / "rejected.csv").open(encoding="utf-8-sig") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["line"] == "14" and row["problems"] == "date: not a date: '=HYPERLINK(1)'"
    # Named as in the client's folder, not by a path of the agency's machine.
    assert row["file"] == "mentions.csv"
    assert row["date"] == "'=HYPERLINK(1)"  # neutralised for spreadsheets
    december = json.loads((out / "acme" / "2026-12" / "metrics.json").read_text())
    assert december["data_quality"]["mentions.csv"] == {
        "read": 12,
        "used": 10,
        "duplicates": 1,
        "rejected": 1,
    }


def test_rejected_csv_lists_the_rejected_records_of_every_file_under_one_header(
    runner: CliRunner, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of fewer columns, and a row of too few fields, leave the cells they lack empty;
    text that a spreadsheet would run as a formula is neutralised wherever it is. (Written
    a record at a time here, as a broken export's are, so many at a time.)"""
    monkeypatch.setattr(pipeline, "_REJECTED_BLOCK", 1)
    path = data_dir / "acme" / "mentions.csv"
    path.write_text(
        path.read_text() + "2026-10-05,Acme,positive,VK\n@1,Acme,positive,,,,,,-x,,,,\n"
    )
    daily = data_dir / "acme" / "mentions" / "2026"
    daily.mkdir(parents=True)
    (daily / "10.csv").write_text("date,brand,sentiment\n2026-10-21,+Acme,positive\n")
    out = tmp_path / "out"
    args = ["metrics", "--data", str(data_dir), "--out", str(out), "--lenient"]
    assert runner.invoke(cli, args).exit_code == 0
    with (out / "acme" / "rejected.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    header = path.read_text().splitlines()[0].split(",")
    assert reader.fieldnames == ["file", "line", "problems", *header]
    # Every other cell is empty (and a row of more cells than the header would show them).
    assert [{name: value for name, value in row.items() if value} for row in rows] == [
        {
            "file": "mentions.csv",
            "line": "14",
            "problems": "row: has 4 fields, the header has 13",
            **{"date": "2026-10-05", "brand": "Acme", "sentiment": "positive", "platform": "VK"},
        },
        {
            "file": "mentions.csv",
            "line": "15",
            "problems": "date: not a date: '@1'",
            **{"date": "'@1", "brand": "Acme", "sentiment": "positive", "text": "'-x"},
        },
        {
            "file": "mentions/2026/10.csv",
            "line": "2",
            "problems": "brand: unknown brand '+Acme'",
            **{"date": "2026-10-21", "brand": "'+Acme", "sentiment": "positive"},
        },
    ]


def test_a_nul_in_a_rejected_record_is_written_as_the_replacement_character(
    runner: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    """No spreadsheet cell holds a NUL: rejected.csv shows where it was with U+FFFD."""
    path = data_dir / "acme" / "mentions.csv"
    path.write_text(path.read_text() + "2026-12-01,Acme,positive,,,,,,te\x00xt,,,,\n")
    out = tmp_path / "out"
    args = ["metrics", "--data", str(data_dir), "--out", str(out), "--lenient"]
    assert runner.invoke(cli, args).exit_code == 0
    raw = (out / "acme" / "rejected.csv").read_bytes()
    assert b"\x00" not in raw
    (row,) = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["text"] == "te\ufffdxt"
    assert row["problems"] == (
        "text: holds a NUL character (a zero byte) at character 3: the export is damaged here"
    )


def test_unexpected_errors_are_one_line_unless_debug(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.pipeline

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(generator.pipeline, "check", boom)
    result = runner.invoke(cli, ["validate", "--data", "tests/data/example"])
    assert result.exit_code == 1
    assert result.output == "error: disk on fire (run with --debug for details)\n"
    debug = runner.invoke(cli, ["--debug", "validate", "--data", "tests/data/example"])
    assert debug.exit_code == 1
    assert "Traceback" in debug.output


def test_missing_data_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", "--data", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "data folder not found (hint: pass --data DIR)" in result.output


def test_help_does_not_import_heavy_libraries() -> None:
    assert run_fresh("from generator.cli import cli", ["pandas"]) == ([], [])
