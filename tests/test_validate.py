"""Cells parsed exactly, every bad one reported at its line, every row accounted for."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from click.testing import CliRunner

from generator import validate
from generator.cli import cli
from generator.problems import Severity
from generator.validate import DATE_HINT, parse_dates, parse_numbers, parse_periods
from tests.helpers import load, metrics_of, problem_rows, problems

HEADER = (
    "date,brand,sentiment,platform,kind,media_type,url,author,text,likes,comments,reposts,reach\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-05", "2026-10-05 00:00:00"),
        ("2026-10-05 14:30", "2026-10-05 14:30:00"),
        ("2026-10-05T14:30:15", "2026-10-05 14:30:15"),
        ("2026-10-05T14:30:15.123", "2026-10-05 14:30:15"),
        ("2026-10-05T11:30:00Z", "2026-10-05 14:30:00"),
        ("2026-10-05T14:30:00+03:00", "2026-10-05 14:30:00"),
        ("2026-10-05T14:30:00+0300", "2026-10-05 14:30:00"),
        ("2026-10-05 03:30:00 -0800", "2026-10-05 14:30:00"),
        ("2026-10-05T11:30:00 UTC", "2026-10-05 14:30:00"),
        ("05.10.2026", "2026-10-05 00:00:00"),
        ("5.10.2026 14:30", "2026-10-05 14:30:00"),
        ("05.10.2026 14:30:15", "2026-10-05 14:30:15"),
        ("  05.10.2026  ", "2026-10-05 00:00:00"),
        ("2026/10/05", "2026-10-05 00:00:00"),
        ("2026/10/5 14:30", "2026-10-05 14:30:00"),
        ("2026/10/05 11:30:15Z", "2026-10-05 14:30:15"),
        ("5 октября 2026", "2026-10-05 00:00:00"),
        ("05 окт. 2026 г., 14:30", "2026-10-05 14:30:00"),
        ("5 October 2026 14:30", "2026-10-05 14:30:00"),
        ("Oct 5, 2026", "2026-10-05 00:00:00"),
        ("October 5, 2026 14:30:15", "2026-10-05 14:30:15"),
        ("05.10.2026, 14:30:15", "2026-10-05 14:30:15"),
        ("Mon Oct 05 11:30:00 +0000 2026", "2026-10-05 14:30:00"),
        ("2026.10.05 14:30", "2026-10-05 14:30:00"),
        ("1791199800", "2026-10-05 14:30:00"),
        ("1791199800123", "2026-10-05 14:30:00"),
        ("20261005", "2026-10-05 00:00:00"),
        ("20261005T1430", "2026-10-05 14:30:00"),
        ("20261005 143015", "2026-10-05 14:30:15"),
        ("20261005T113000Z", "2026-10-05 14:30:00"),
        ("20261005T113000+0000", "2026-10-05 14:30:00"),
        ("Oct 5, 2026 2:30 PM", "2026-10-05 14:30:00"),
        ("October 5, 2026, 2:30:15 p.m.", "2026-10-05 14:30:15"),
        ("2026-10-05 12:15 AM", "2026-10-05 00:15:00"),
        ("05.10.2026 12:00 PM", "2026-10-05 12:00:00"),
    ],
)
def test_every_date_form_becomes_local_time(text: str, expected: str) -> None:
    stamps, bad = parse_dates(pd.Series([text]), "Europe/Moscow")
    assert not bad[0]
    assert str(stamps[0]) == expected


def test_dates_of_other_forms_among_the_usual_ones_keep_their_rows(acme: Path) -> None:
    """Only the cells the usual forms do not read are rewritten, and each goes back to its
    own row, with its line: in a file, the problem of a cell of neither kind too."""
    _mentions(
        acme,
        "2026-10-05 14:30,Acme,1,VK,,,,,,,,,",
        "6 октября 2026,Acme,1,VK,,,,,,,,,",
        "7 брюквы 2026,Acme,1,VK,,,,,,,,,",
        "1791199800,Acme,1,VK,,,,,,,,,",
    )
    data = load(acme)
    assert [p[:3] for p in problem_rows(data, "mentions.csv")] == [("mentions.csv", 4, "date")]
    frame = data.frame("mentions.csv")
    assert frame["line"].tolist() == [2, 3, 5]
    assert frame["date"].astype(str).tolist() == [
        "2026-10-05 14:30:00",
        "2026-10-06 00:00:00",
        "2026-10-05 14:30:00",  # 11:30 UTC, in acme's Moscow
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-13-01",
        "31.02.2026",
        "2026-10-05 25:00",
        "10/05/2026",
        "2026/10-05",
        "2026/02/30",
        "yesterday",
        "2026-10",
        "5 брюквы 2026",
        "31 февраля 2026",
        "179119980",
        "20261305",
        "2026-10-05 13:30 PM",
        "2026-10-05 0:30 AM",
        "yesterday 2:30 PM",
        "20260230",
        "30261005",
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    _, bad = parse_dates(pd.Series([text]), "UTC")
    assert bad[0]


def test_a_month_is_a_calendar_month_in_the_clients_timezone() -> None:
    # 00:10 on 1 November in Moscow is 21:10 UTC on 31 October, and belongs to November.
    stamps, _ = parse_dates(
        pd.Series(["2026-10-31T21:10:00Z", "2026-10-31T21:10:00Z", "2026-11-01 00:10"]),
        "Europe/Moscow",
    )
    assert stamps.dt.strftime("%Y-%m").tolist() == ["2026-11", "2026-11", "2026-11"]
    utc, _ = parse_dates(pd.Series(["2026-10-31T21:10:00Z"]), "UTC")
    assert utc.dt.strftime("%Y-%m").tolist() == ["2026-10"]


def test_periods_accept_months_and_dates_a_spreadsheet_made_of_them() -> None:
    periods, bad = parse_periods(
        pd.Series(
            [
                *("2026-10", "2026-1", "10.2026", "01.10.2026", "2026-10-01"),
                *("2026/10", "10/2026", "2026/10/01"),
                *("2026-13", "x", "", "01/10/2026"),
            ]
        )
    )
    assert periods.tolist()[:8] == ["2026-10", "2026-01"] + ["2026-10"] * 6
    assert bad.tolist() == [False] * 8 + [True] * 4
    # A column of months alone, or of dates alone, as much as one of both.
    for column in (["2026-10", "10.2026"], ["01.10.2026", "2026-10-31"]):
        periods, bad = parse_periods(pd.Series(column))
        assert periods.tolist() == ["2026-10", "2026-10"] and not bad.any()


def test_periods_accept_a_months_name_and_year_in_russian_or_english() -> None:
    """A table of account statistics or outcomes kept by hand names its months."""
    named = ["Октябрь 2026", "окт. 2026 г.", "сентября 2026 года", "ФЕВР. 2027", "Май 2026"]
    named += ["October 2026", "Sep 2026", "sept 2026", "Dec-2026", "  march 2027 "]
    periods, bad = parse_periods(pd.Series([*named, "Октябрь", "Foo 2026", "Oct 26", "Итого 2026"]))
    assert periods.tolist()[: len(named)] == [
        *("2026-10", "2026-10", "2026-09", "2027-02", "2026-05"),
        *("2026-10", "2026-09", "2026-09", "2026-12", "2027-03"),
    ]
    assert bad.tolist() == [False] * len(named) + [True] * 4


@pytest.mark.parametrize(
    ("text", "decimal_comma", "value"),
    [
        ("1234", False, 1234.0),
        ("1 234", False, 1234.0),
        ("1\u00a0234", True, 1234.0),
        ("1\u202f234,5", True, 1234.5),
        ("12,5", True, 12.5),
        ("12.5", True, 12.5),
        ("-3", False, -3.0),
        ("\u22123,5", True, -3.5),  # the minus sign the reports themselves print
        ("1e3", False, 1000.0),
        # Thousands grouped as an English or a German spreadsheet shows them: read where no
        # decimal point could have made the grouping.
        ("1,234", False, 1234.0),  # a comma in a comma-separated file is never a decimal
        ("1,234,567.5", False, 1234567.5),
        ("1,234.5", True, 1234.5),
        ("1,234,567", True, 1234567.0),
        ("1.234.567", False, 1234567.0),
        ("1.234,5", True, 1234.5),
        ("+1.234.567,89", True, 1234567.89),
        ("1,234", True, 1.234),  # one comma where the comma is the decimal point
        ("1.234", True, 1.234),
    ],
)
def test_numbers(text: str, decimal_comma: bool, value: float) -> None:
    values, bad, empty = parse_numbers(pd.Series([text]), decimal_comma)
    assert not bad[0] and not empty[0]
    assert values[0] == value


@pytest.mark.parametrize(
    ("text", "decimal_comma"),
    [
        *[("12,5", False), ("abc", True), ("1.2.3", True), ("inf", False), ("nan", False)],
        *[("1.234,5", False), ("1,23.4", True), ("1234,567.5", True), ("1,234.5,6", True)],
        *[("1.234.5", True), ("12,34,567", False)],
    ],
)
def test_not_numbers(text: str, decimal_comma: bool) -> None:
    _, bad, _ = parse_numbers(pd.Series([text]), decimal_comma)
    assert bad[0]


def _mentions(acme: Path, *rows: str) -> None:
    (acme / "mentions.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")


def test_sentiment_words_in_any_case(acme: Path) -> None:
    words = [
        "positive",
        "NEUTRAL",
        "Negative",
        "позитивная",
        "Нейтральная",
        "негативная",
        "позитив",
        "нейтрал",
        "НЕГАТИВ",
        "1",
        "0",
        "-1",
        "+1",
    ]
    _mentions(acme, *(f"2026-09-01,Acme,{w},,,,,,,,,," for w in words))
    data = load(acme)
    assert data.problems == []
    assert data.frame("mentions.csv")["sentiment"].tolist() == [1, 0, -1] * 4 + [1]


def test_brands_match_names_and_aliases_ignoring_case_spaces_and_yo(acme: Path) -> None:
    spellings = ["acme", " ACME ", "акме", "Acme  Furniture", "глобекс", "ЕЛКА", "ёлка", "Елка"]
    _mentions(acme, *(f"2026-09-01,{s},positive,,,,,,,,,," for s in spellings))
    data = load(acme)
    assert data.problems == []
    assert data.frame("mentions.csv")["brand"].tolist() == [
        "Acme",
        "Acme",
        "Acme",
        "Acme",
        "Globex",
        "Ёлка",
        "Ёлка",
        "Ёлка",
    ]


def test_brands_in_quotes_with_a_trademark_or_as_a_hashtag_are_the_brand(acme: Path) -> None:
    """Russian texts write a company's name in quotes; monitoring tools name their queries
    with a hashtag or a handle. A legal form or a full stop still makes another name."""
    spellings = [
        "«Acme»",
        '"""Acme"""',
        "“Ёлка”",
        "Acme®",
        "Globex™",
        "#acme",
        "@Globex",
        "ООО Acme",
    ]
    _mentions(acme, *(f"2026-09-01,{s},positive,,,,,,,,,," for s in spellings))
    data = load(acme)
    assert [(p.line, p.message) for p in data.problems] == [(9, "unknown brand 'ООО Acme'")]
    assert data.frame("mentions.csv")["brand"].tolist() == [
        *("Acme", "Acme", "Ёлка", "Acme", "Globex", "Acme", "Globex")
    ]


def test_letters_written_as_a_letter_and_a_mark_match_as_one(acme: Path) -> None:
    """macOS writes `й` and `ё` as a letter and a combining mark (NFD): a brand, a sentiment
    word and a column name so written are those of client.yml and the contract."""
    text = (
        "Дата,Бренд,Тональность,Лайки\n"
        "2026-09-01,Ёлка,нейтральный,5\n"
        "2026-09-02,Ёлка,позитивный,7\n"
    )
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    (acme / "mentions.csv").write_text(decomposed, encoding="utf-8")
    data = load(acme)
    assert problems(acme) == []
    frame = data.frame("mentions.csv")
    assert frame[["brand", "sentiment", "likes"]].values.tolist() == [
        ["Ёлка", 0, 5],
        ["Ёлка", 1, 7],
    ]
    assert validate.fold(unicodedata.normalize("NFD", " Ёлка ")) == validate.fold("ёлка") == "елка"
    assert validate.fold("\u00adЁл\u200bка\ufeff") == "елка"


def test_a_row_dated_years_away_is_rejected_not_a_stretch_of_the_portal(
    acme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`2062` for `2026`, `1926` for a month: one such row would give the client a portal of
    every month between. A date more than a year after today, or before 2000, is refused."""
    monkeypatch.setattr(validate, "today", lambda: dt.date(2026, 11, 28))
    _mentions(
        acme,
        "2027-11-30 23:59,Acme,1,VK,,,,,,,,,",
        "2027-12-01,Acme,1,VK,,,,,,,,,",
        "31.12.1999,Acme,1,VK,,,,,,,,,",
        "2000-01-01,Acme,1,VK,,,,,,,,,",
    )
    with (acme / "outcomes.csv").open("a", encoding="utf-8") as handle:
        handle.write("2062-10\tleads\t5\n")
    data = load(acme)
    late = "is after 2027-11, more than a year from today: is its year mistyped?"
    assert [p for p in problem_rows(data) if p[0] in ("mentions.csv", "outcomes.csv")] == [
        ("mentions.csv", 3, "date", f"'2027-12-01' {late}"),
        ("mentions.csv", 4, "date", "'31.12.1999' is before 2000: is its year mistyped?"),
        ("outcomes.csv", 6, "period", f"'2062-10' {late}"),
    ]
    assert data.periods[0] == "2000-01" and data.periods[-1] == "2027-11"
    # Counted as rejected in no month, as a row whose date could not be read.
    records = (
        data.files["mentions.csv"].ledger.records() + data.files["outcomes.csv"].ledger.records()
    )
    assert [r["period"] for r in records if r["status"] == "rejected"] == [None, None, None]


def test_platforms_are_grouped_under_their_usual_name(acme: Path) -> None:
    _mentions(
        acme,
        *(
            f"2026-09-01,Acme,1,{p},,,,,,,,,"
            for p in ["vk", "ВКонтакте", "VK", "Forum X", "forum x", ""]
        ),
    )
    frame = load(acme).frame("mentions.csv")
    assert frame["platform"].tolist() == ["VK", "VK", "VK", "Forum X", "Forum X", ""]


def test_a_name_holding_characters_that_show_nothing_is_the_name(acme: Path) -> None:
    """Copied from a web page, `V\u200bK` looks like `VK`, and is VK; so for a brand."""
    spellings = ["V\u200bK", "\ufeffvk", "Fo\u00adrum X", "forum\u2060 x", "Forum X"]
    _mentions(acme, *(f"2026-09-01,Ac\u200dme,1,{p},,,,,,,,," for p in spellings))
    data = load(acme)
    assert problem_rows(data, "mentions.csv") == []
    frame = data.frame("mentions.csv")
    assert frame["platform"].tolist() == ["VK", "VK", "Forum X", "Forum X", "Forum X"]
    assert set(frame["brand"]) == {"Acme"}


def test_a_platform_marked_with_an_asterisk_is_the_platform(acme: Path) -> None:
    """Russian reports write Meta's networks as Instagram* (banned in Russia): one platform."""
    spellings = ["Instagram*", "instagram", "Facebook *", "Forum X*", "forum x"]
    _mentions(acme, *(f"2026-09-01,Acme,1,{p},,,,,,,,," for p in spellings))
    frame = load(acme).frame("mentions.csv")
    assert frame["platform"].tolist() == [
        "Instagram",
        "Instagram",
        "Facebook",
        "Forum X*",
        "Forum X*",
    ]


def test_sentiment_words_as_adverbs(acme: Path) -> None:
    """Some monitoring exports write the tonality as an adverb (позитивно, нейтрально)."""
    words = ["Позитивно", "нейтрально", "НЕГАТИВНО", "положительно", "отрицательно", "\u22121"]
    _mentions(acme, *(f"2026-09-01,Acme,{w},,,,,,,,,," for w in words))
    data = load(acme)
    assert [p for p in data.problems if p.column == "sentiment"] == []
    assert data.frame("mentions.csv")["sentiment"].tolist() == [1, 0, -1, 1, -1, -1]


def test_sentiment_figures_with_a_decimal_part_are_the_three(acme: Path) -> None:
    """A column of 1/0/-1 with an empty cell is written by pandas as floats (`1.0`), by a
    Russian spreadsheet with a comma; other scores are still not a tonality."""
    words = ["1.0", "0.0", "-1.0", '"1,0"', '"0,0"', '"-1,0"', "+1.0", "\u22121.0", "0.8", "-5"]
    _mentions(acme, *(f"2026-09-01,Acme,{w},,,,,,,,,," for w in words))
    data = load(acme)
    assert data.frame("mentions.csv")["sentiment"].tolist() == [1, 0, -1, 1, 0, -1, 1, -1]
    assert [(p.line, p.message) for p in data.problems if p.column == "sentiment"] == [
        (10, "expected positive/neutral/negative, got '0.8'"),
        (11, "expected positive/neutral/negative, got '-5'"),
    ]


def test_a_table_kept_by_hand_names_its_months_and_figures(acme: Path) -> None:
    (acme / "accounts.csv").write_text(
        "Месяц;Площадка;Подписчики;Публикации\nОктябрь 2026;ТГ;1 200;10\n", encoding="utf-8"
    )
    (acme / "outcomes.csv").write_text(
        "Month,Показатель,Значение\n2026-10,leads,30\n", encoding="utf-8"
    )
    data = load(acme)
    assert [p for p in data.problems if "csv" in p.path and "mentions" not in p.path] == []
    accounts = data.frame("accounts.csv")
    assert accounts[["period", "platform", "followers", "posts"]].values.tolist() == [
        ["2026-10", "Telegram", 1200, 10]
    ]
    assert data.frame("outcomes.csv")[["period", "metric", "value"]].values.tolist() == [
        ["2026-10", "leads", 30.0]
    ]


def test_a_table_of_months_headed_as_dates_reads_them_as_months(acme: Path) -> None:
    """A spreadsheet heads its month column `Дата` and writes the first day of each month;
    a `period` column, where there is one, is still the month and `Дата` an extra column."""
    (acme / "accounts.csv").write_text(
        "Дата;Площадка;Подписчики\n01.10.2026;ТГ;1 200\n", encoding="utf-8"
    )
    (acme / "outcomes.csv").write_text(
        "Дата;Лиды;Выручка\n01.09.2026;25;150\nСентябрь 2026;30;\n", encoding="utf-8"
    )
    data = load(acme)
    found = [p for p in problem_rows(data) if p[0] in ("accounts.csv", "outcomes.csv")]
    second = "a second row for period 2026-09, metric Лиды with other figures (first: line 2)"
    assert found == [("outcomes.csv", 3, "metric", second)]
    assert data.frame("accounts.csv")[["period", "platform", "followers"]].values.tolist() == [
        ["2026-10", "Telegram", 1200]
    ]
    assert data.frame("outcomes.csv")[["period", "metric", "value"]].values.tolist()[:2] == [
        ["2026-09", "Лиды", 25.0],
        ["2026-09", "Выручка", 150.0],
    ]
    (acme / "accounts.csv").write_text(
        "Дата;Период;Площадка;Подписчики\nвчера;2026-10;VK;5\n", encoding="utf-8"
    )
    data = load(acme)
    assert problem_rows(data, "accounts.csv") == []
    assert data.frame("accounts.csv")["period"].tolist() == ["2026-10"]


def test_outcomes_kept_with_a_column_per_metric_are_a_row_per_figure(acme: Path) -> None:
    """The table an agency keeps: a row per month, a column per metric. Each figure is a row,
    at its line; a problem names the column it was written in; an empty cell is no figure."""
    (acme / "outcomes.csv").write_text(
        "Месяц;Лиды;Выручка, ₽;Итого\n"
        "2026-09;25;150 000,50;150 025,5\n"
        "2026-10;30;;30\n"
        "2026-11;много;1 000;\n"
        "2026-12;4;5;9;лишнее\n",
        encoding="utf-8",
    )
    data = load(acme)
    found = problem_rows(data)
    totals = "a column of totals: passed over, the portal adds the months up itself"
    assert [problem for problem in found if problem[0] == "outcomes.csv"] == [
        ("outcomes.csv", 1, "Итого", totals),
        ("outcomes.csv", 4, "Лиды", "expected a number, got 'много'"),
        ("outcomes.csv", 5, "row", "has 5 fields, the header has 4"),
    ]
    assert data.frame("outcomes.csv")[["period", "metric", "value"]].values.tolist() == [
        ["2026-09", "Лиды", 25.0],
        ["2026-09", "Выручка, ₽", 150000.5],
        ["2026-10", "Лиды", 30.0],
        ["2026-11", "Выручка, ₽", 1000.0],
    ]
    ledger = data.files["outcomes.csv"].ledger
    assert ledger.lines.tolist() == [2, 2, 3, 4, 4, 5]
    assert data.files["outcomes.csv"].accounting() == {
        "read": 6,
        "used": 4,
        "duplicates": 0,
        "rejected": 2,
    }
    # A rejected figure is listed as the row it was read as; a line that could not be read
    # at all keeps every cell.
    listed = [
        (r["line"], r["problems"], r["period"], r["metric"], r["value"])
        for r in data.files["outcomes.csv"].rejected
    ]
    assert listed == [
        ("4", "value: expected a number, got 'много'", "2026-11", "Лиды", "много"),
        ("5", "row: has 5 fields, the header has 4", "2026-12", "", "4;5;9;лишнее"),
    ]


def test_outcomes_kept_with_a_column_per_month_are_a_row_per_figure(acme: Path) -> None:
    totals = "a column of totals: passed over, the portal adds the months up itself"
    (acme / "outcomes.csv").write_text(
        "Показатель,Сентябрь 2026,2026-10,Всего,Q4\n"
        "leads,25,30,55,\n"
        "revenue,1000,,1000,7\n"
        'Итого,"1 025 ₽",30,,\n',
        encoding="utf-8",
    )
    data = load(acme)
    found = problem_rows(data)
    assert [problem for problem in found if problem[0] == "outcomes.csv"] == [
        ("outcomes.csv", 1, "Всего", totals),
        ("outcomes.csv", 3, "Q4", "expected a month as YYYY-MM, got 'Q4'"),
        ("outcomes.csv", 4, "", "a row of totals ('Итого'): passed over, not a row"),
    ]
    assert data.frame("outcomes.csv")[["period", "metric", "value"]].values.tolist() == [
        ["2026-09", "leads", 25.0],
        ["2026-10", "leads", 30.0],
        ["2026-09", "revenue", 1000.0],
    ]
    assert data.files["outcomes.csv"].accounting()["read"] == 4


def test_a_wrong_month_of_a_wide_line_is_one_problem_and_a_dash_no_figure(acme: Path) -> None:
    (acme / "outcomes.csv").write_text(
        "Месяц;Лиды;Выручка\n2026-09;25;150\n;30;40\nзавтра;1;\n2026-10;—;н/д\n2026-11; - ;7\n",
        encoding="utf-8",
    )
    data = load(acme)
    assert problem_rows(data, "outcomes.csv") == [
        ("outcomes.csv", 3, "period", "is empty, a month (YYYY-MM) is required"),
        ("outcomes.csv", 4, "period", "expected a month as YYYY-MM, got 'завтра'"),
    ]
    assert data.files["outcomes.csv"].accounting() == {
        "read": 6,
        "used": 3,
        "duplicates": 0,
        "rejected": 3,
    }
    # A dash or n/a in the grid is no figure, as an empty cell is.
    assert data.frame("outcomes.csv")[["period", "metric", "value"]].values.tolist() == [
        ["2026-09", "Лиды", 25.0],
        ["2026-09", "Выручка", 150.0],
        ["2026-11", "Выручка", 7.0],
    ]


def test_a_wide_table_of_outcomes_with_a_metric_twice_is_not_guessed(acme: Path) -> None:
    (acme / "outcomes.csv").write_text("period,leads,Leads\n2026-09,1,2\n", encoding="utf-8")
    found = [p for p in problems(acme) if p[0] == "outcomes.csv"]
    assert found == [("outcomes.csv", 1, "", "column 'Leads' appears twice (columns 2 and 3)")]


def test_kinds_as_monitoring_tools_name_their_message_types(acme: Path) -> None:
    types = [
        "Репост",
        "Дополненный  репост",
        "reply",
        "Ответ",
        "Статья",
        "news",
        "Отзывы",
        "Сторис",
        "Tweet",
        "Ретвит",
        "Quote Tweet",
        "Видео",
        "Reels",
        "Extended repost",
        "replies",
        "Новости",
    ]
    _mentions(acme, *(f"2026-09-{d:02d},Acme,1,,{t},,,,,,,," for d, t in enumerate(types, 1)))
    data = load(acme)
    assert data.problems == []
    assert data.frame("mentions.csv")["kind"].tolist() == [
        *("post", "post", "comment", "comment", "media", "media", "review", "post"),
        *("post", "post", "post", "post", "post", "post", "comment", "media"),
    ]


def test_kind_and_media_type_defaults(acme: Path) -> None:
    _mentions(
        acme,
        "2026-09-01,Acme,1,,,,,,,,,,",
        "2026-09-01,Acme,1,,media,,,,,,,,",
        "2026-09-01,Acme,1,,Media,TV,,,,,,,",
        "2026-09-01,Acme,1,,отзыв,tv,,,,,,,",
    )
    frame = load(acme).frame("mentions.csv")
    assert frame["kind"].tolist() == ["post", "media", "media", "review"]
    assert frame["media_type"].tolist()[1:3] == ["online", "tv"]
    assert pd.isna(frame["media_type"][3])


def test_a_monitoring_export_without_kind_counts_as_feedback_when_the_client_says_so(
    acme: Path,
) -> None:
    (acme / "mentions.csv").write_text(
        "date,brand,sentiment,text\n"
        "2026-09-01,Acme,positive,Love it\n"
        "2026-09-02,Acme,negative,Never again\n"
        "2026-09-03,Acme,negative,Slow\n"
        "2026-09-04,Globex,positive,Fine\n",
        encoding="utf-8",
    )
    before = metrics_of(acme.parent)["2026-09"]
    assert before["feedback"] == {"positive": 0, "neutral": 0, "negative": 0}
    assert before["net_sentiment"] is None
    client = acme / "client.yml"
    client.write_text(client.read_text(encoding="utf-8") + "default_kind: comment\n")
    after = metrics_of(acme.parent)["2026-09"]
    assert after["feedback"] == {"positive": 1, "neutral": 0, "negative": 2}
    assert after["net_sentiment"] == pytest.approx(-100 / 3, abs=1e-4)
    # A kind written in the file still counts as written.
    (acme / "mentions.csv").write_text(
        "date,brand,sentiment,kind\n2026-09-01,Acme,positive,\n2026-09-02,Acme,negative,post\n",
        encoding="utf-8",
    )
    assert metrics_of(acme.parent)["2026-09"]["feedback"]["negative"] == 0


@pytest.mark.parametrize(
    ("lines", "found", "dates"),
    [
        # A date with a time of its own keeps it; a wrong time is the time's problem.
        (
            [
                "Дата;Время;Бренд;Тональность",
                "05.09.2026;14:30;Acme;позитив",
                "06.09.2026;25:99;Acme;позитив",
                "07.09.2026 10:00;11:00;Acme;позитив",
                "32.09.2026;10:00;Acme;позитив",
                "08.09.2026;;Acme;позитив",
            ],
            [
                (3, "time", "not a time of day: '25:99'"),
                # Kept, and the time beside it is said to be unused.
                (
                    4,
                    "time",
                    "not used: '11:00', the date has a time of its own: '07.09.2026 10:00'",
                ),
                (5, "date", "not a date: '32.09.2026'"),
            ],
            ["2026-09-05 14:30:00", "2026-09-07 10:00:00", "2026-09-08 00:00:00"],
        ),
        # A date of digits alone is read with its time (`20260905` and `14:30`); a Unix time is
        # a time of its own, which the time column does not spoil (another time beside it is
        # said to be unused, once for the file); an American export's time of 12 hours is a
        # time of day; `13:30 PM` is none.
        (
            [
                "Date;Time;Brand;Sentiment",
                "20260905;14:30;Acme;1",
                "1788269400;14:30;Acme;1",
                "20260905T1430;09:00;Acme;1",
                "Sep 6, 2026;2:30 PM;Acme;1",
                "2026-09-07;12:05 a.m.;Acme;1",
                "2026-09-08;12:00 PM;Acme;1",
                "2026-09-09;13:30 PM;Acme;1",
            ],
            [
                (
                    3,
                    "time",
                    "not used: '14:30', the date has a time of its own: '1788269400'; and 1 more"
                    " of this file's times (line 4)",
                ),
                (8, "time", "not a time of day: '13:30 PM'"),
            ],
            [
                "2026-09-05 14:30:00",
                "2026-09-01 16:30:00",  # 13:30 UTC
                "2026-09-05 14:30:00",
                "2026-09-06 14:30:00",
                "2026-09-07 00:05:00",
                "2026-09-08 12:00:00",
            ],
        ),
    ],
)
def test_a_time_in_a_column_of_its_own_is_the_time_of_day_of_the_date(
    acme: Path, lines: list[str], found: list[tuple[int, str, str]], dates: list[str]
) -> None:
    """Exports that write a mention's date and time apart (`Дата;Время`): the time is read as
    the date's."""
    (acme / "mentions.csv").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    data = load(acme)
    assert [row[1:] for row in problem_rows(data, "mentions.csv")] == found
    assert data.files["mentions.csv"].frame["date"].astype(str).tolist() == dates


def test_a_time_beside_a_date_with_the_same_time_is_no_warning(acme: Path) -> None:
    """The time written in both, or the date's own in the client's zone: nothing is unused."""
    lines = [
        "date;time;brand;sentiment",
        "05.09.2026 14:30;14:30;Acme;1",  # written in both
        "2026-09-05T09:05:00Z;09:05;Acme;1",  # written in both, the date in UTC
        "1788269400;16:30;Acme;1",  # 13:30 UTC, in Moscow
        "20260905T1430;2:30 PM;Acme;1",  # of 12 hours
        "2026-09-06;11:00;Acme;1",  # the time of a date without one
        "06.09.2026 11:05;1:05;Acme;1",  # `1:05` is not `11:05`
    ]
    (acme / "mentions.csv").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    data = load(acme)
    assert [row[1:] for row in problem_rows(data, "mentions.csv")] == [
        (7, "time", "not used: '1:05', the date has a time of its own: '06.09.2026 11:05'")
    ]
    assert data.files["mentions.csv"].frame["date"].astype(str).tolist()[-2:] == [
        "2026-09-06 11:00:00",
        "2026-09-06 11:05:00",
    ]


def test_every_bad_cell_is_reported_with_its_line_and_column(acme: Path) -> None:
    _mentions(
        acme,
        "2026-09-01,Acme,positive,,,,,,,,,,",
        "2026-02-30,Acme,Отличная,,,,,,,,,,",
        ",Acme,positive,,,,,,,,,,",
        "2026-09-01,Acmee,positive,,,,,,,,,,",
        "2026-09-01,,positive,,webinar,,,,,,,,",
        "2026-09-01,Acme,,,media,cinema,,,,-1,2.5,x,1 000",
    )
    found = problems(acme)
    assert found == [
        ("mentions.csv", 3, "date", "not a date: '2026-02-30'"),
        ("mentions.csv", 3, "sentiment", "expected positive/neutral/negative, got 'Отличная'"),
        ("mentions.csv", 4, "date", "is empty, a date is required"),
        ("mentions.csv", 5, "brand", "unknown brand 'Acmee'"),
        ("mentions.csv", 6, "brand", "is empty, a brand is required"),
        ("mentions.csv", 6, "kind", "expected post/comment/review/media, got 'webinar'"),
        ("mentions.csv", 7, "comments", "expected a whole number ≥ 0, got '2.5'"),
        ("mentions.csv", 7, "likes", "expected a whole number ≥ 0, got '-1'"),
        ("mentions.csv", 7, "media_type", "expected online/radio/tv/print, got 'cinema'"),
        ("mentions.csv", 7, "reposts", "expected a whole number ≥ 0, got 'x'"),
        ("mentions.csv", 7, "sentiment", "is empty, a sentiment is required"),
    ]
    data = load(acme)
    hints = {(p.line, p.column): p.hint for p in data.problems}
    assert hints[(5, "brand")] == "did you mean 'Acme'?"
    assert hints[(3, "date")].startswith("use YYYY-MM-DD")
    assert data.files["mentions.csv"].accounting() == {
        "read": 6,
        "used": 1,
        "duplicates": 0,
        "rejected": 5,
    }


MENDED = (
    "holds bytes that are not UTF-8 (shown as \ufffd) at character {}: the export is damaged here"
)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("python", [False, True])
def test_bytes_that_are_not_utf8_reject_their_row_and_no_other(
    acme: Path, bom: bytes, python: bool
) -> None:
    """A UTF-8 export with a word pasted in from Windows-1251, or a character cut in two:
    those rows are rejected; the others are read as UTF-8 (as Windows-1251 they would be
    other letters, or, with one byte Windows-1251 lacks, not read at all)."""
    rows = [
        "2026-09-01,Acme,positive,,,,,,Ёлка и Acme: отлично,,,,".encode(),
        b"2026-09-02,Acme,positive,,,,,," + "При".encode("cp1251") + b" \xd0,,,,",
        b"2026-09-03,Acme,positive,,,,," + "Иван".encode()[:-1] + b",,,,,",
        "2026-09-04,Ёлка,negative,,,,,,Иногда ждём,,,,".encode(),
    ]
    (acme / "mentions.csv").write_bytes(bom + HEADER.encode() + b"\n".join(rows) + b"\n")
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        data = load(acme)
    found = problem_rows(data)
    assert found == [
        ("mentions.csv", 3, "text", MENDED.format(1)),
        ("mentions.csv", 4, "author", MENDED.format(4)),
    ]
    frame = data.frame("mentions.csv")
    assert frame["text"].tolist() == ["Ёлка и Acme: отлично", "Иногда ждём"]
    (record, _) = data.files["mentions.csv"].rejected
    assert record["text"] == "\ufffd\ufffd\ufffd \ufffd"


def test_a_windows_1251_file_is_not_taken_for_damaged_utf8(acme: Path) -> None:
    """In Windows-1251 nearly every letter is a byte that is not UTF-8; a pair of them may
    happen to be a UTF-8 character (`Я»`), which does not make the file UTF-8."""
    text = HEADER + "2026-09-01,Acme,positive,,,,,,«Я» — отличная мебель,,,,\n"
    (acme / "mentions.csv").write_bytes(text.encode("cp1251"))
    data = load(acme)
    assert problems(acme) == []
    assert data.frame("mentions.csv")["text"].tolist() == ["«Я» — отличная мебель"]


def test_a_date_as_a_spreadsheet_stores_it_is_told_apart(acme: Path) -> None:
    """A column not formatted as dates is exported as day numbers: the hint says what to do."""
    _mentions(acme, "46300,Acme,positive,,,,,,,,,,", "46300.5,Acme,positive,,,,,,,,,,")
    (acme / "mentions.csv").write_text(
        (acme / "mentions.csv").read_text() + "463000,Acme,positive,,,,,,,,,,\n"
    )
    (acme / "accounts.csv").write_text("period,platform,followers\n46296,VK,1\n")
    found = [(Path(p.path).name, p.line, p.column, p.hint) for p in load(acme).problems]
    serial = validate._SERIAL_HINT
    assert found == [
        ("mentions.csv", 2, "date", serial),
        ("mentions.csv", 3, "date", serial),
        ("mentions.csv", 4, "date", DATE_HINT),
        ("accounts.csv", 2, "period", serial),
    ]


def test_a_date_of_slashes_day_or_month_first_asks_for_an_unambiguous_form(acme: Path) -> None:
    """05/10/2026 is 5 October in Russia and May 10 in the US: it is not read either way, and
    the hint says how to write it; a year first is unambiguous, and read. A year of two digits
    has its own hint."""
    _mentions(
        acme,
        "05/10/2026,Acme,positive,,,,,,,,,,",
        "10/5/26 14:30,Acme,positive,,,,,,,,,,",
        "2026/09/05,Acme,positive,,,,,,,,,,",
        "05.09.26 14:30,Acme,positive,,,,,,,,,,",
    )
    (acme / "accounts.csv").write_text("period,platform,followers\n01/09/2026,VK,1\n")
    data = load(acme)
    found = [(Path(p.path).name, p.line, p.column, p.hint) for p in data.problems]
    slashed = validate._SLASHED_HINT
    assert found == [
        ("mentions.csv", 2, "date", slashed),
        ("mentions.csv", 3, "date", slashed),
        ("mentions.csv", 5, "date", validate._SHORT_YEAR_HINT),
        ("accounts.csv", 2, "period", slashed),
    ]
    assert data.frame("mentions.csv")["date"].astype(str).tolist() == ["2026-09-05"]


@pytest.mark.parametrize(
    ("rows", "dates", "unread"),
    [
        (  # month first, as American spreadsheets write, with a time of 12 hours
            ["10/25/2026 2:30 PM", "10/05/2026 12:15 AM", "9/30/2026 12:00 PM", "10/31/2026 1 PM"],
            ["2026-10-25 14:30:00", "2026-10-05 00:15:00", "2026-09-30 12:00:00"],
            [5],
        ),
        (["25/10/2026 14:30", "05/10/2026"], ["2026-10-25 14:30:00", "2026-10-05 00:00:00"], []),
        (["25/10/2026", "10/25/2026", "2026-10-01"], ["2026-10-01"], [2, 3]),
        (["13:00 PM", "10/31/2026 13:00 PM"], [], [2, 3]),
    ],
)
def test_dates_of_slashes_are_read_when_the_column_tells_the_day_from_the_month(
    acme: Path, rows: list[str], dates: list[str], unread: list[int]
) -> None:
    """A date whose first number is over 12 says the day comes first, one whose second is says
    the month does: the column's other dates with slashes are read so. When its dates say
    both, or neither, none is read, and the hint says how to write them."""
    _mentions(acme, *(f"{row},Acme,positive,,,,,,,,,," for row in rows))
    data = load(acme)
    assert data.frame("mentions.csv")["date"].astype(str).tolist() == dates
    assert [(p.line, p.column, p.message) for p in data.problems if p.path.endswith(".csv")] == [
        (line, "date", f"not a date: '{rows[line - 2]}'") for line in unread
    ]


@pytest.mark.parametrize(
    "text", ["-", "–", "—", "−", " — ", "н/д", "Н/Д", "n/a", "N/A", "#N/A", "#Н/Д"]
)
def test_a_spreadsheets_mark_for_no_figure_reads_as_an_empty_cell(text: str) -> None:
    values, bad, empty = parse_numbers(pd.Series(["5", text]), decimal_comma=True)
    assert bad.tolist() == [False, False]
    assert empty.tolist() == [False, True]
    assert values[0] == 5 and pd.isna(values[1])


@pytest.mark.parametrize("text", ["--", "-0-", "н/д5", "na", "0"])
def test_only_a_whole_mark_for_no_figure_is_one(text: str) -> None:
    values, bad, empty = parse_numbers(pd.Series([text]), decimal_comma=False)
    assert not empty[0]
    assert bad[0] or values[0] == 0


def test_an_outcomes_unit_is_read_off_its_figure_and_one_metric_keeps_to_one_unit(
    acme: Path,
) -> None:
    """A revenue column formatted as money is saved as `8 692 067,00 ₽`: the figure is read.
    Roubles and dollars in one metric cannot be summed or compared, so those rows are rejected."""
    (acme / "outcomes.csv").write_text(
        "period;metric;value\n"
        "2026-09;выручка;8 692 067,00 ₽\n"
        "2026-10;Выручка;10 611 773,5 руб.\n"
        "2026-09;конверсия;12,5 %\n"
        "2026-09;продажи;100 шт.\n"
        "2026-09;лиды;479\n"
        "2026-09;revenue;$1200\n"
        "2026-10;revenue;900 €\n"
        "2026-10;лиды;₽\n"
        "2026-10;продажи;$5 руб.\n"
        "2026-09;leads;25\n"
        "2026-09;прибыль;1.234.567,89 ₽\n"
    )
    data = load(acme)
    mixed = "the metric's rows mix units (EUR, USD): {}"
    found = problem_rows(data)
    assert [problem for problem in found if problem[0] == "outcomes.csv"] == [
        ("outcomes.csv", 7, "value", mixed.format("'$1200'")),
        ("outcomes.csv", 8, "value", mixed.format("'900 €'")),
        ("outcomes.csv", 9, "value", "has no figure ('₽'), a number is required"),
        ("outcomes.csv", 10, "value", "expected a number, got '$5 руб.'"),
    ]
    outcomes = data.frame("outcomes.csv")
    assert outcomes[["metric", "value"]].values.tolist() == [
        ["выручка", 8692067.0],
        ["выручка", 10611773.5],
        ["конверсия", 12.5],
        ["продажи", 100.0],
        ["лиды", 479.0],
        ["leads", 25.0],
        ["прибыль", 1234567.89],
    ]


def test_pounds_tenge_and_hryvnias_are_read_off_a_figure_as_roubles_are(acme: Path) -> None:
    """A London client's revenue is in pounds, a Kazakh or Ukrainian client's in tenge or
    hryvnias: written as a spreadsheet formats money, each is a figure and its currency."""
    (acme / "outcomes.csv").write_text(
        "period;metric;value\n"
        "2026-09;revenue;£1250,50\n"
        "2026-10;revenue;980 GBP\n"
        "2026-09;выручка;1 200 000 ₸\n"
        "2026-10;выручка;950 000 тг.\n"
        "2026-09;оборот;₴300\n"
        "2026-10;оборот;250 грн.\n"
        "2026-09;продажи;£5\n"
        "2026-10;продажи;€5\n"
    )
    data = load(acme)
    mixed = "the metric's rows mix units (EUR, GBP): {}"
    assert [p for p in problem_rows(data) if p[0] == "outcomes.csv"] == [
        ("outcomes.csv", 8, "value", mixed.format("'£5'")),
        ("outcomes.csv", 9, "value", mixed.format("'€5'")),
    ]
    outcomes = data.frame("outcomes.csv")
    assert outcomes[["metric", "value", "unit"]].values.tolist() == [
        ["revenue", 1250.5, "GBP"],
        ["revenue", 980.0, "GBP"],
        ["выручка", 1200000.0, "KZT"],
        ["выручка", 950000.0, "KZT"],
        ["оборот", 300.0, "UAH"],
        ["оборот", 250.0, "UAH"],
    ]


def test_counts_with_no_figure_are_not_known_and_a_required_value_is_rejected(
    acme: Path,
) -> None:
    """A dash in likes is not a reason to lose the mention, and never reads as zero."""
    _mentions(
        acme,
        "2026-09-01,Acme,positive,,,,https://vk.com/1,,,—,н/д,N/A,1000",
        "2026-09-01,Acme,positive,,,,https://vk.com/2,,,3,-,#Н/Д,-",
    )
    (acme / "accounts.csv").write_text("period,platform,followers,posts\n2026-09,VK,—,4\n")
    (acme / "outcomes.csv").write_text(
        "period,metric,value\n2026-09,leads,н/д\n2026-09,calls,\n2026-10,leads,7\n"
    )
    data = load(acme)
    assert problem_rows(data) == [
        ("outcomes.csv", 2, "value", "has no figure ('н/д'), a number is required"),
        ("outcomes.csv", 3, "value", "is empty, a number is required"),
    ]
    counts = data.frame("mentions.csv")[["likes", "comments", "reposts", "reach"]]
    assert counts.astype(object).where(counts.notna(), None).values.tolist() == [
        [None, None, None, 1000],
        [3, None, None, None],
    ]
    accounts = data.frame("accounts.csv")
    assert pd.isna(accounts["followers"][0]) and accounts["posts"][0] == 4


def test_a_spreadsheets_totals_under_dates_are_passed_over_and_nothing_else_changes(
    acme: Path,
) -> None:
    """Agencies' sheets sum their columns in a last row: the figures are the same without it."""
    before = metrics_of(acme.parent)
    warned = [(Path(p.path).name, p.line, p.severity) for p in load(acme).problems]
    mentions = (acme / "mentions.csv").read_text(encoding="utf-8")
    (acme / "mentions.csv").write_text(mentions + "Итого,,,,,,,,,123,4,5,6789\n")
    accounts = (acme / "accounts.csv").read_text(encoding="utf-8")
    (acme / "accounts.csv").write_text(accounts + "Всего:;;3 250;30;;;;\n")
    data = load(acme)
    assert [(Path(p.path).name, p.line, p.severity) for p in data.problems] == [
        *warned,
        ("mentions.csv", mentions.count("\n") + 1, Severity.WARNING),
        ("accounts.csv", accounts.count("\n") + 1, Severity.WARNING),
    ]
    assert data.files["accounts.csv"].accounting()["read"] == accounts.count("\n") - 1
    assert metrics_of(acme.parent) == before


def test_exports_joined_under_a_header_in_another_order_give_the_same_figures(
    acme: Path,
) -> None:
    """A second export, from another tool or in Russian, with its columns in another order,
    joined under the first: its rows are read by its own header, so the figures are the
    same as from one export."""
    before = metrics_of(acme.parent)
    warned = [(Path(p.path).name, p.line, p.severity) for p in load(acme).problems]
    with (acme / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    order = list(reversed(range(len(header))))  # reach, reposts, ..., brand, date
    russian = {"date": "Дата", "brand": "Бренд", "reach": "Охват", "likes": "Лайки"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([header, *rows[:4]])
    line = out.getvalue().count("\n") + 1
    writer.writerow([russian.get(header[index], header[index].upper()) for index in order])
    writer.writerows([[row[index] for index in order] for row in rows[4:]])
    (acme / "mentions.csv").write_text(out.getvalue(), encoding="utf-8")
    data = load(acme)
    again = [p for p in data.problems if (Path(p.path).name, p.line) == ("mentions.csv", line)]
    assert [p.message for p in again] == [
        "the header again, its columns in another order (files joined one after another?): "
        "passed over, not a row; the rows under it are read in its order"
    ]
    assert [(Path(p.path).name, p.line, p.severity) for p in data.problems if p not in again] == [
        (name, at + (name == "mentions.csv" and at >= line), severity)
        for name, at, severity in warned
    ]
    assert metrics_of(acme.parent) == before


def test_a_count_too_large_to_be_held_exactly_is_rejected(acme: Path) -> None:
    _mentions(
        acme,
        f"2026-09-01,Acme,positive,,,,,,,{2**53 - 1},,,",
        f"2026-09-01,Acme,positive,,,,https://vk.com/2,,,{2**53 + 1},,,",
        "2026-09-01,Acme,positive,,,,https://vk.com/3,,,,,,1e30",
    )
    data = load(acme)
    assert [(p.line, p.column, p.message, p.hint) for p in data.problems] == [
        (3, "likes", "too large for a count, got '9007199254740993'", HUGE_HINT),
        (4, "reach", "too large for a count, got '1e30'", HUGE_HINT),
    ]
    assert data.frame("mentions.csv")["likes"].tolist() == [2**53 - 1]


HUGE_HINT = "counts up to 9 007 199 254 740 991 are kept exactly"


NUL_HINT = "export the file again, or delete the character in a text editor"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "utf-16"])
@pytest.mark.parametrize("python", [False, True])
def test_a_nul_character_rejects_its_row_and_no_other(
    acme: Path, encoding: str, python: bool
) -> None:
    """A zero byte in one value is damage to that value: its row is rejected, at its line and
    column, and the file's other rows are read, by Arrow or by Python's reader alike. A column
    the tool ignores is not read for it."""
    rows = [
        "2026-09-01,Acme,positive,,,,,,Отлич\x00но,,,,",
        "2026-09-02,Acme,positive,,,,,Ив\x00ан,,,,,",
        "2026-09-03,Acme,positive,,,,,,,,,,",
        "2026-09-0\x004,Acme,positive,,,,,,,,,,",
        "2026-09-05,Acme",
    ]
    text = HEADER.replace("reach", "reach,note") + "".join(f"{r},\x00\n" for r in rows)
    (acme / "mentions.csv").write_bytes(text.encode(encoding))
    (acme / "accounts.csv").write_text(
        "period,platform,followers\n2026-09,VK,1\x00200\n2026-09,Telegram,800\n", encoding="utf-8"
    )
    arrow = mock.patch("generator.load._read_arrow", return_value=None)
    with arrow if python else contextlib.nullcontext():
        data = load(acme)
    nul = "holds a NUL character (a zero byte) at character {}: the export is damaged here"
    found = [(Path(p.path).name, p.line, p.column, p.message, p.hint) for p in data.problems]
    assert found == [
        ("mentions.csv", 2, "text", nul.format(6), NUL_HINT),
        ("mentions.csv", 3, "author", nul.format(3), NUL_HINT),
        ("mentions.csv", 5, "date", nul.format(10), NUL_HINT),
        ("mentions.csv", 5, "date", "not a date: '2026-09-0\\x004'", DATE_HINT),
        ("mentions.csv", 6, "row", "has 3 fields, the header has 14", ""),
        ("accounts.csv", 2, "followers", "expected a whole number ≥ 0, got '1\\x00200'", ""),
        ("accounts.csv", 2, "followers", nul.format(2), NUL_HINT),
    ]
    assert data.files["mentions.csv"].accounting() == {
        "read": 5,
        "used": 1,
        "duplicates": 0,
        "rejected": 4,
    }
    assert data.files["accounts.csv"].accounting()["used"] == 1
    (record, *_) = data.files["mentions.csv"].rejected
    assert record["text"] == "Отлич\x00но"  # the record as read


def test_a_comma_decimal_in_a_comma_separated_file_says_why(acme: Path) -> None:
    _mentions(acme, '2026-09-01,Acme,positive,,,,,,,"1,5",,,')
    data = load(acme)
    (problem,) = data.problems
    assert (problem.line, problem.column) == (2, "likes")
    assert problem.hint == "this file is comma-separated, so write decimals with '.'"


def test_a_count_grouped_by_a_comma_where_the_comma_is_the_decimal_point(acme: Path) -> None:
    """``1,200`` is 1.2 in a file separated by ';': rejected as a count, with a hint; read as
    1200 in a comma-separated file, where a comma cannot be the decimal point."""
    (acme / "mentions.csv").write_text(
        HEADER.replace(",", ";") + "2026-09-01;Acme;positive;;;;;;;1,200;;;1.234.567\n",
        encoding="utf-8",
    )
    (problem,) = load(acme).problems
    assert (problem.line, problem.column, problem.message) == (
        2,
        "likes",
        "expected a whole number ≥ 0, got '1,200'",
    )
    assert "a comma is the decimal point, so 1,234 is 1.234" in problem.hint
    _mentions(acme, '2026-09-01,Acme,positive,,,,,,,"1,200",,,"1,234,567"')
    data = load(acme)
    assert not data.problems
    assert data.mentions[["likes", "reach"]].values.tolist() == [[1200, 1234567]]
    # A negative count in a comma-separated file is wrong for its sign, not for its comma.
    _mentions(acme, '2026-09-01,Acme,positive,,,,,,,"-1,200",,,')
    (problem,) = load(acme).problems
    assert (problem.message, problem.hint) == ("expected a whole number ≥ 0, got '-1,200'", "")


def test_a_count_rounded_as_a_platform_shows_it_asks_for_the_exact_number(acme: Path) -> None:
    """``12K`` is read by no one as exactly 12,000: rejected, with a hint of what to write."""
    (acme / "mentions.csv").write_text(
        HEADER.replace(",", ";")
        + "2026-09-01;Acme;positive;;;;;;;12K;1,2 тыс.;3.4m;2 млн\n"
        + "2026-09-02;Acme;positive;;;;;;;много;1,5;;7\n",
        encoding="utf-8",
    )
    rounded = (
        "a count rounded as platforms show it: write the exact number, which the export or "
        "the platform's statistics give"
    )
    assert sorted((p.line, p.column, p.message, p.hint) for p in load(acme).problems) == [
        (2, "comments", "expected a whole number ≥ 0, got '1,2 тыс.'", rounded),
        (2, "likes", "expected a whole number ≥ 0, got '12K'", rounded),
        (2, "reach", "expected a whole number ≥ 0, got '2 млн'", rounded),
        (2, "reposts", "expected a whole number ≥ 0, got '3.4m'", rounded),
        (3, "comments", "expected a whole number ≥ 0, got '1,5'", ""),
        (3, "likes", "expected a whole number ≥ 0, got 'много'", ""),
    ]


def test_a_mixed_tonality_asks_for_one_of_the_three(acme: Path) -> None:
    _mentions(acme, "2026-09-01,Acme,Mixed,,,,,,,,,,", "2026-09-02,Acme,meh,,,,,,,,,,")
    assert [(p.line, p.hint) for p in load(acme).problems] == [
        (
            2,
            "the reports count three tonalities; give the row its tonality towards the brand: "
            "positive, neutral or negative",
        ),
        (3, "also accepted: позитив/нейтрал/негатив, 1/0/-1"),
    ]


def test_missing_required_column_is_one_message_and_rejects_every_row(acme: Path) -> None:
    (acme / "mentions.csv").write_text(
        "date,brand,sentimnet\n2026-09-01,Acme,1\n2026-09-02,Acme,1\n"
    )
    data = load(acme)
    assert [(p.line, p.column, p.message, p.hint) for p in data.problems] == [
        (1, "sentiment", "required column is missing", "did you mean 'sentimnet'?")
    ]
    assert data.files["mentions.csv"].accounting() == {
        "read": 2,
        "used": 0,
        "duplicates": 0,
        "rejected": 2,
    }
    assert not data.ok(lenient=True)


def test_a_misspelt_optional_column_is_a_warning(acme: Path) -> None:
    (acme / "mentions.csv").write_text("date,brand,sentiment,rech\n2026-09-01,Acme,1,5\n")
    (problem,) = [p for p in load(acme).problems if p.path.endswith("mentions.csv")]
    assert (problem.line, problem.column, problem.message, problem.hint) == (
        1,
        "rech",
        "unknown column, ignored",
        "did you mean 'reach'?",
    )
    assert not problem.is_error


def test_a_rejected_row_does_not_make_a_later_one_a_duplicate(acme: Path) -> None:
    _mentions(
        acme,
        "someday,Acme,positive,,,,https://x/1,,,,,,",
        "2026-09-02,Acme,positive,,,,https://x/1,,,,,,",
        "2026-09-03,Acme,positive,,,,https://x/1,,,,,,",
    )
    data = load(acme)
    assert [(p.line, p.is_error) for p in data.problems] == [(2, True), (4, False)]
    assert data.problems[1].message.startswith("duplicate of line 3 ")
    assert data.frame("mentions.csv")["line"].tolist() == [3]


def test_duplicates_keep_the_first_and_name_both_lines(acme: Path) -> None:
    _mentions(
        acme,
        "2026-09-01,Acme,positive,,,,https://x/1,,,,,,",
        "2026-09-02,Globex,positive,,,,https://x/1,,,,,,",
        "2026-09-03,АКМЕ,negative,,,,https://x/1,,,,,,",
        "2026-09-04,Acme,positive,,,,,,,,,,",
        "2026-09-05,Acme,positive,,,,,,,,,,",
    )
    data = load(acme)
    assert [(p.line, p.message) for p in data.problems] == [
        (4, "duplicate of line 2 (same url and brand); line 2 is kept")
    ]
    assert not data.problems[0].is_error
    assert data.frame("mentions.csv")["line"].tolist() == [2, 3, 5, 6]
    assert data.files["mentions.csv"].accounting() == {
        "read": 5,
        "used": 4,
        "duplicates": 1,
        "rejected": 0,
    }


def test_a_link_written_without_its_scheme_is_the_same_publication(acme: Path) -> None:
    _mentions(
        acme,
        "2026-09-01,Acme,positive,,,,vk.com/wall-1_7,,,,,,",
        "2026-09-02,Acme,positive,,,,https://vk.com/wall-1_7,,,,,,",
        "2026-09-03,Acme,positive,,,,//t.me/acme/5,,,,,,",
        "2026-09-04,Acme,positive,,,,www.сайт.рф/отзывы?id=2,,,,,,",
        "2026-09-05,Acme,positive,,,,javascript:alert(1),,,,,,",
        "2026-09-06,Acme,positive,,,,user@mail.ru,,,,,,",
        "2026-09-07,Acme,positive,,,,HTTPS://VK.COM/X,,,,,,",
        "2026-09-08,Acme,positive,,,,,,,,,,",
    )
    data = load(acme)
    assert [(p.line, p.message) for p in data.problems] == [
        (3, "duplicate of line 2 (same url and brand); line 2 is kept"),
        (6, "not a web address: 'javascript:alert(1)'; and 1 more of this file's urls (line 7)"),
    ]
    assert data.frame("mentions.csv")["url"].tolist() == [
        "https://vk.com/wall-1_7",
        "https://t.me/acme/5",
        "https://www.сайт.рф/отзывы?id=2",
        "javascript:alert(1)",  # kept as written: the pages show it as text, not as a link
        "user@mail.ru",
        "HTTPS://VK.COM/X",
        "",
    ]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("vk.com", "https://vk.com"),
        ("vk.com:8080/x", "https://vk.com:8080/x"),
        ("vk.com?x=1", "https://vk.com?x=1"),
        ("vk.com/#x", "https://vk.com/#x"),
        ("ex-ample.co.uk/a", "https://ex-ample.co.uk/a"),
        ("сайт.рф", "https://сайт.рф"),
        ("ОТЗЫВЫ.САЙТ.РФ/1", "https://ОТЗЫВЫ.САЙТ.РФ/1"),
        ("//t.me/x", "https://t.me/x"),
        ("https://vk.com/x", "https://vk.com/x"),
        ("user@mail.ru", "user@mail.ru"),
        ("1.2", "1.2"),
        ("x.y1", "x.y1"),
        ("foo.c", "foo.c"),
        ("a..b.com", "a..b.com"),
        ("vk.com and more", "vk.com and more"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("", ""),
    ],
)
def test_which_addresses_are_given_a_scheme(written: str, read: str) -> None:
    """Among others that are not (a column of a million is read in Arrow, not row by row)."""
    column = pd.Series(["https://a.example/1", written, "id-5"], dtype="str")
    url, no_links = validate.with_scheme(column)
    assert url.tolist() == ["https://a.example/1", read, "id-5"]
    assert no_links.tolist() == ([1, 2] if read and not read.startswith("http") else [2])


def test_urls_that_are_no_web_address_are_warned_of_once_a_file(acme: Path) -> None:
    """A column of post ids instead of links: the rows are used, and one warning a file names
    the first and how many more; a dash says there is no link."""
    ids = [f"2026-09-0{day},Acme,positive,,,,61573205584291000{day},,,,,," for day in range(1, 7)]
    _mentions(acme, "2026-09-01,Acme,positive,,,,—,,,,,,", *ids, "2026-09-07,Acme,1,,,,н/д,,,,,,")
    data = load(acme)
    assert [(p.line, p.column, p.message, p.severity) for p in data.problems] == [
        (
            3,
            "url",
            "not a web address: '615732055842910001'; and 5 more of this file's urls "
            "(lines 4, 5, 6, …)",
            Severity.WARNING,
        )
    ]
    assert len(data.frame("mentions.csv")) == 8


def test_a_dash_for_a_link_is_no_link_and_no_duplicate(acme: Path) -> None:
    """A hand-kept sheet's dash or н/д in the url column says there is no link: the rows are
    not one publication twice (the column repeats its values, so it is held as categories)."""
    cells = ["—", "-", "н/д", "Н/Д", "—", "#N/A"]
    _mentions(acme, *(f"2026-09-0{d},Acme,positive,,,,{c},,,,,," for d, c in enumerate(cells, 1)))
    data = load(acme)
    assert data.problems == []
    assert data.frame("mentions.csv")["url"].tolist() == [""] * 6


def test_a_site_address_on_every_row_is_given_its_scheme(acme: Path) -> None:
    """A column that repeats one address written without its scheme (the brand's page, on a
    sheet kept by hand) is held as categories, which took no new value: the check failed."""
    rows = [f"2026-09-0{day},Acme,positive,,,,vk.com/acme,,,,,," for day in (1, 2, 3)]
    _mentions(acme, *rows, "2026-09-04,Acme,positive,,,,t.me/acme,,,,,,")
    data = load(acme)
    assert [(p.line, p.message) for p in data.problems] == [
        (3, "duplicate of line 2 (same url and brand); line 2 is kept"),
        (4, "duplicate of line 2 (same url and brand); line 2 is kept"),
    ]
    assert data.frame("mentions.csv")["url"].tolist() == [
        "https://vk.com/acme",
        "https://t.me/acme",
    ]


def test_accounts_and_outcomes_repeats(acme: Path) -> None:
    (acme / "accounts.csv").write_text(
        "period,platform,followers\n2026-09,VK,100\n2026-09,vk,100\n2026-09,VK,120\n2026-9,Telegram,\n"
    )
    (acme / "outcomes.csv").write_text("period,metric,value\n2026-09,leads,5\n2026-09,Leads,6\n")
    found = [p for p in problems(acme) if p[0] != "mentions.csv"]
    assert found == [
        (
            "accounts.csv",
            3,
            "platform",
            "duplicate of line 2 (period 2026-09, platform VK); line 2 is kept",
        ),
        (
            "accounts.csv",
            4,
            "platform",
            "a second row for period 2026-09, platform VK with other figures (first: line 2)",
        ),
        (
            "outcomes.csv",
            3,
            "metric",
            "a second row for period 2026-09, metric leads with other figures (first: line 2)",
        ),
    ]
    data = load(acme)
    assert data.files["accounts.csv"].accounting() == {
        "read": 4,
        "used": 2,
        "duplicates": 1,
        "rejected": 1,
    }


def test_lenient_keeps_good_rows_and_lists_rejected_ones(acme: Path) -> None:
    _mentions(acme, "2026-09-01,Acme,positive,,,,,,,,,,", "bad,Acme,positive,,,,,,hello,,,,")
    data = load(acme)
    assert not data.ok(lenient=False)
    assert data.ok(lenient=True)
    (record,) = data.files["mentions.csv"].rejected
    assert record["line"] == "3"
    assert record["problems"] == "date: not a date: 'bad'"
    assert record["text"] == "hello"


def test_a_rejected_rows_reasons_come_in_the_order_of_its_columns(acme: Path) -> None:
    """However the checks of the columns are run, a rejected row's reasons are given column by
    column: the date's, then the brand's, the sentiment's, the kind's."""
    _mentions(
        acme,
        "bad,Acme,positive,,,,,,,,,,",
        "2026-09-01,Nobody,meh,,odd,,,,,,,,",
        ",Nobody,positive,,,,,,,,,,",
        "2026-13-01,Acme,meh,,,,,,,,,,",
    )
    meh = "expected positive/neutral/negative, got 'meh'"
    assert problems(acme) == [
        ("mentions.csv", 2, "date", "not a date: 'bad'"),
        ("mentions.csv", 3, "brand", "unknown brand 'Nobody'"),
        ("mentions.csv", 3, "kind", "expected post/comment/review/media, got 'odd'"),
        ("mentions.csv", 3, "sentiment", meh),
        ("mentions.csv", 4, "brand", "unknown brand 'Nobody'"),
        ("mentions.csv", 4, "date", "is empty, a date is required"),
        ("mentions.csv", 5, "date", "not a date: '2026-13-01'"),
        ("mentions.csv", 5, "sentiment", meh),
    ]
    reasons = [record["problems"] for record in load(acme).files["mentions.csv"].rejected]
    assert reasons == [
        "date: not a date: 'bad'",
        f"brand: unknown brand 'Nobody'; sentiment: {meh}; "
        "kind: expected post/comment/review/media, got 'odd'",
        "date: is empty, a date is required; brand: unknown brand 'Nobody'",
        f"date: not a date: '2026-13-01'; sentiment: {meh}",
    ]


def test_a_rejected_record_of_a_file_with_a_column_named_twice(acme: Path) -> None:
    """A name the header gives twice (a column the tool ignores) is one column of the record:
    the last, as read; and one warning when it is a near miss."""
    (acme / "mentions.csv").write_text(
        HEADER.replace("reach", "reach,note,Note") + "bad,Acme,positive,,,,,,hello,,,,,x,y\n"
    )
    (record,) = load(acme).files["mentions.csv"].rejected
    assert (record["problems"], record["text"], record["note"]) == (
        "date: not a date: 'bad'",
        "hello",
        "y",
    )
    (acme / "mentions.csv").write_text(
        HEADER.replace("reach", "rech,Rech") + "2026-09-01,Acme,positive,,,,,,,,,,1,2\n"
    )
    assert problems(acme) == [("mentions.csv", 1, "rech", "unknown column, ignored")]


def test_rejected_records_are_made_only_when_read(acme: Path) -> None:
    """``smrm validate`` lists problems and never reads the rejected records: for a broken
    export of a million rows they would be a million records made for nothing."""
    _mentions(acme, "2026-09-01,Acme,positive,,,,,,,,,,", "bad,Acme,positive,,,,,,hello,,,,")
    made = mock.patch.object(validate, "_rejected_records", wraps=validate._rejected_records)
    with made as spy:
        result = CliRunner().invoke(cli, ["validate", "--data", str(acme.parent)])
        assert result.exit_code == 1
        assert "not a date: 'bad'" in result.output
        assert spy.call_count == 0
        (record,) = load(acme).files["mentions.csv"].rejected
    assert spy.call_count == 1
    assert record["text"] == "hello"


def test_header_only_file_is_a_warning_and_has_no_periods(acme: Path) -> None:
    (acme / "mentions.csv").write_text(HEADER)
    for name in ("accounts.csv", "outcomes.csv"):
        (acme / name).unlink()
    data = load(acme)
    assert [(p.message, p.is_error) for p in data.problems if "goals" not in p.column] == [
        ("no data rows, only a header", False)
    ]
    assert data.periods == []


def test_platforms_by_usual_name_or_as_first_written() -> None:
    from generator.validate import platform_names

    raw = pd.Series([" forum ", "vk", "Forum", "ВКонтакте", "", "FORUM", "Дзен", "telegram"])
    names = platform_names(raw)
    assert names.tolist() == [
        "forum",
        "VK",
        "forum",
        "VK",
        "",
        "forum",
        "Дзен",
        "Telegram",
    ]
    # As an export's `Источник` column writes sites: with a scheme, `www.` or a final `/`.
    sites = ["https://vk.com/", "www.instagram.com", "http://www.t.me", "forum.ru", "FORUM.ru/"]
    sites += ["https://m.vk.com", "X (Twitter)", "ЖЖ", "WB", "market.yandex.ru", "mforum.ru"]
    assert platform_names(pd.Series(sites)).tolist() == [
        "VK",
        "Instagram",
        "Telegram",
        "forum.ru",
        "forum.ru",
        "VK",
        "Twitter",
        "LiveJournal",
        "Wildberries",
        "Яндекс Маркет",
        "mforum.ru",
    ]
    assert names.index.equals(raw.index)
    # As monitoring tools and account managers write them, in words of two and by address.
    written = ["ТГ", "Яндекс  Дзен", "tik tok", "YouTube.com", "Отзовик", "ок", "2GIS", "ig"]
    assert platform_names(pd.Series(written)).tolist() == [
        *("Telegram", "Дзен", "TikTok", "YouTube", "Отзовик", "Одноклассники", "2ГИС"),
        "Instagram",
    ]


@pytest.mark.parametrize(
    ("header", "rows", "setting", "warned"),
    [
        ("date,brand,sentiment", ["2026-09-01,Acme,1", "2026-09-02,Globex,-1"], "", True),
        ("date,brand,sentiment", ["2026-09-01,Acme,1", "2026-09-02,Acme,-1"], "", True),
        ("date,brand,sentiment", ["2026-09-01,Acme,1"], "default_kind: post\n", False),
        ("date,brand,sentiment,kind", ["2026-09-01,Acme,1,post"], "", False),
        ("date,brand,sentiment,kind", ["2026-09-01,Acme,1,"], "", False),
        ("date,brand,sentiment", ["2026-09-01,Globex,1"], "", False),
    ],
)
def test_an_export_without_kinds_or_feedback_is_warned_of(
    acme: Path, header: str, rows: list[str], setting: str, warned: bool
) -> None:
    """A monitoring export of people's posts has no kind column: without `default_kind` in
    client.yml, none of its mentions is feedback, and the reports have no tonality of it. A
    file or client.yml that says what kind the mentions are, or a brand not mentioned, is
    not warned of."""
    (acme / "mentions.csv").write_text(header + "\n" + "".join(r + "\n" for r in rows))
    client = acme / "client.yml"
    client.write_text(client.read_text(encoding="utf-8") + setting, encoding="utf-8")
    found = [p for p in load(acme).problems if p.column == "default_kind"]
    assert [(Path(p.path).name, p.line, p.severity) for p in found] == (
        [("client.yml", None, Severity.WARNING)] if warned else []
    )
    if warned:
        many = len(rows) == 2 and "Globex" not in rows[1]
        assert found[0].message == (
            ("none of the 2 mentions of Acme is" if many else "the one mention of Acme is not")
            + " a review or a comment: its reports will show no tonality of feedback and no net"
            " sentiment"
        )
        assert "`default_kind: comment`" in found[0].hint
