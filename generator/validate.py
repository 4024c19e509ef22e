"""Turning text tables into typed frames, reporting every bad cell and accounting for every row.

Parsing is vectorised over whole columns (a million-row export must stay fast); only the rows
that are wrong are visited one by one, to word their messages.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import union_categoricals

from . import clock
from .columns import (
    ACCOUNT_OPTIONAL,
    ACCOUNT_REQUIRED,
    MENTION_COUNTS,
    MENTION_OPTIONAL,
    MENTION_REPEATED,
    MENTION_REQUIRED,
    MENTION_TIME,
    OUTCOME_REQUIRED,
)
from .figures import COMMA_GROUPS_RE, GROUPED_RE, MINUS, NUMBER_RE, SPACES_RE
from .load import (
    LINE,
    UNSHOWN,
    ArrowRows,
    LoadError,
    Table,
    TableAhead,
    header_cell,
    is_totals,
    normalise_header,
    read_mentions_ahead,
    read_table,
    string_buffers,
    totals_problem,
    true_mask,
)
from .problems import Problem, Severity, did_you_mean, display_path, quote
from .schema import Client, Kind

# Statuses of a row in a file's ledger.
USED, DUPLICATE, REJECTED = "used", "duplicate", "rejected"

KINDS: tuple[str, ...] = get_args(Kind)
MEDIA_TYPES = ("online", "radio", "tv", "print")
SENTIMENTS = {1: "positive", 0: "neutral", -1: "negative"}


def _by_spelling(spellings: Mapping[Any, str]) -> dict[str, Any]:
    """Each value's spellings, written a comma between them, as a table from spelling to value."""
    return {word.strip(): value for value, words in spellings.items() for word in words.split(",")}


_SENTIMENT_WORDS: dict[str, int] = _by_spelling(
    {
        1: "positive, pos, позитивная, позитивный, позитивное, позитив, позитивно, "
        "положительная, положительный, положительное, положительно, 1, +1",
        0: "neutral, neu, нейтральная, нейтральный, нейтральное, нейтрал, нейтрально, 0",
        -1: "negative, neg, негативная, негативный, негативное, негатив, негативно, "
        "отрицательная, отрицательный, отрицательное, отрицательно, -1, \u22121",
    }
)
#: The three as a spreadsheet or a data frame writes a column of numbers that has an empty cell
#: (`1.0`, `-1,0`): the same figures, and nothing else is meant by them. Other scores (`0.8`,
#: Talkwalker's `-5`…`5`) are still rejected: which tonality each means is the agency's call.
_SENTIMENT_WORDS |= {
    f"{number}{point}0": value
    for number, value in (("1", 1), ("+1", 1), ("0", 0), ("-1", -1), ("\u22121", -1))
    for point in ".,"
}

#: Tonalities some monitoring tools add to the three, which the metrics have no place for: still
#: rejected, with a hint of their own.
_MIXED_WORDS = frozenset({"mixed", "смешанная", "смешанный", "смешанное", "смешанно", "смешан"})

#: Kinds as the contract names them, and as monitoring tools and platforms name their message
#: types: a repost, a tweet, a video or a mention is a post of its author's, a reply a comment,
#: an article or a news item the media's.
_KIND_WORDS: dict[str, str] = _by_spelling(
    {
        "post": "post, posts, пост, посты, публикация, публикации, repost, репост, "
        "дополненный репост, extended repost, расширенный репост, mention, упоминание, "
        "tweet, твит, retweet, ретвит, quote, quote tweet, цитата, video, видео, reel, reels, "
        "рилс, клип, story, stories, сторис, история, истории",
        "comment": "comment, comments, комментарий, комментарии, reply, replies, ответ, ответы",
        "review": "review, reviews, отзыв, отзывы",
        "media": "media, сми, article, articles, статья, статьи, news, новость, новости",
    }
)
_MEDIA_WORDS: dict[str, str] = _by_spelling(
    {
        "online": "online, онлайн, интернет",
        "radio": "radio, радио",
        "tv": "tv, тв, television, телевидение",
        "print": "print, пресса, печать",
    }
)

#: Spellings of the usual platforms, so "vk", "ВКонтакте" and "VK" are one platform: as
#: monitoring tools, account managers and the platforms' own addresses write them (compared
#: folded, as ``fold`` makes them; a comma between spellings).
PLATFORM_NAMES: dict[str, str] = _by_spelling(
    {
        "VK": "vk, vkontakte, вконтакте, в контакте, вк, vk.com, vk.ru",
        "Telegram": "telegram, tg, тг, телеграм, телеграмм, t.me",
        "Instagram": "instagram, insta, ig, инстаграм, инстаграмм, инста, instagram.com",
        "Facebook": "facebook, fb, фейсбук, фб, facebook.com",
        "Twitter": "twitter, x, x.com, твиттер, твитер, twitter.com, x (twitter), twitter (x)",
        "YouTube": "youtube, yt, ютуб, ютьюб, ютюб, youtube.com, youtu.be",
        "TikTok": "tiktok, tik tok, тикток, тик ток, tiktok.com",
        "Одноклассники": "ok, ок, ok.ru, odnoklassniki, одноклассники",
        "Дзен": "dzen, zen, дзен, яндекс.дзен, яндекс дзен, dzen.ru, zen.yandex.ru",
        "Rutube": "rutube, рутуб, rutube.ru",
        "VC.ru": "vc, vc.ru",
        "Пикабу": "pikabu, пикабу, pikabu.ru",
        "Отзовик": "otzovik, отзовик, otzovik.com",
        "IRecommend": "irecommend, irecommend.ru, айрекоменд",
        "Яндекс Карты": "яндекс карты, яндекс.карты, yandex maps, yandex.maps",
        "2ГИС": "2гис, 2gis, 2gis.ru",
        "LiveJournal": "livejournal, lj, жж, живой журнал, livejournal.com",
        "Хабр": "habr, хабр, habr.com",
        "Threads": "threads, threads.net",
        "LinkedIn": "linkedin, линкедин, linkedin.com",
        "Reddit": "reddit, реддит, reddit.com",
        "Google Карты": "google карты, google maps, google.maps, гугл карты",
        "Wildberries": "wildberries, wb, вайлдберриз, валберис, wildberries.ru",
        "Ozon": "ozon, озон, ozon.ru",
        "Яндекс Маркет": "яндекс маркет, яндекс.маркет, yandex market, market.yandex.ru",
    }
)

_PERIOD_RE = re.compile(r"^(?:(?P<y>\d{4})[-/](?P<m>\d{1,2})|(?P<m2>\d{1,2})[./](?P<y2>\d{4}))$")
#: The largest whole number a float64 holds exactly, and so the largest count accepted.
MAX_COUNT = 2**53 - 1
_MAX_COUNT_HINT = f"counts up to {MAX_COUNT:,} are kept exactly".replace(",", " ")
_DECIMAL_COMMA_HINT = (
    "in a file separated by ';' or tabs a comma is the decimal point, so 1,234 is 1.234: "
    "write thousands without a mark or with spaces (1234 or 1 234)"
)
#: A count as a platform shows it, rounded (``12K``, ``1,2 тыс.``, ``3.4M``, ``2 млн``): not read,
#: since the report would show the rounded figure as an exact one; the hint says so.
_ABBREVIATED_RE = re.compile(
    r"^\s*\d+(?:[.,]\d+)?\s*(?:k|к|тыс|m|м|млн|b|млрд|bn)\.?\s*$", re.IGNORECASE
)
_ABBREVIATED_HINT = (
    "a count rounded as platforms show it: write the exact number, which the export or the "
    "platform's statistics give"
)
#: What a spreadsheet writes in a number's cell for "no figure": a dash of any length (the
#: Russian table's прочерк), "no data" (н/д, n/a) and Excel's #N/A (#Н/Д in Russian Excel).
#: They read as an empty cell: not known, never zero, as a dash may mean either.
NO_VALUE = frozenset({"-", "‐", "‒", "–", "—", "―", "−", "н/д", "n/a", "#n/a", "#н/д"})


#: The longest a cell of ``NO_VALUE`` may be, with space around it.
_NO_VALUE_LENGTH = 8


def _no_value(text: pd.Series) -> pd.Series:
    """Which cells are ``NO_VALUE``'s, whatever their case and the space around them."""
    return text.str.strip().str.casefold().isin(NO_VALUE)


DATE_HINT = "use YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS][+03:00] or DD.MM.YYYY [HH:MM[:SS]]"
TIME_HINT = "use HH:MM or HH:MM:SS (24-hour) or H:MM AM/PM, or leave the cell empty"

#: A date as a spreadsheet holds it, a count of days since 1900 (46 000 is in 2025), which an
#: export of a column not formatted as dates writes.
_SERIAL_DATE = re.compile(r"\s*[1-9]\d{4}(?:[.,]\d+)?\s*")
_SERIAL_HINT = (
    "this looks like a date as a spreadsheet stores it (a number of days): format the column "
    "as dates in the spreadsheet before saving it as CSV"
)


#: A date written with slashes, day or month first: 05/10/2026 is 5 October in a Russian
#: spreadsheet and May 10 in an American one, so it is read neither way.
_SLASHED_DATE = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{2,4}(?:\D.*)?")
_SLASHED_HINT = (
    "day and month cannot be told apart in a date with slashes (05/10/2026 is 5 October or "
    "May 10): write it as 2026-10-05, 2026/10/05 or 05.10.2026"
)

#: A year of two digits (05.10.26), as a spreadsheet shows a date in its short format.
_SHORT_YEAR = re.compile(r"\s*\d{1,2}\.\d{1,2}\.\d{2}(?:\D.*)?")
_SHORT_YEAR_HINT = (
    "the year has two digits, as a spreadsheet shows a date in its short format: write it in "
    "full (05.10.2026), or format the column as dates with a four-digit year before saving"
)


#: Dates not read that are written in a known way, and what to do about each.
_DATE_HINTS = (
    (_SERIAL_DATE, _SERIAL_HINT),
    (_SLASHED_DATE, _SLASHED_HINT),
    (_SHORT_YEAR, _SHORT_YEAR_HINT),
)


def _date_hint(hint: str) -> Callable[[str], str]:
    """``hint``, or for a date written in a way of ``_DATE_HINTS``, what to do about it."""
    return lambda value: next(
        (told for pattern, told in _DATE_HINTS if pattern.fullmatch(value)), hint
    )


#: The earliest month a row may be dated in: before it, a year is mistyped (`0026`, `1926`).
EARLIEST_MONTH = "2000-01"


def today() -> dt.date:
    """The day the data is checked on (``clock.today``)."""
    return clock.today()


def _far_off(periods: pd.Series) -> tuple[np.ndarray, np.ndarray, str]:
    """Rows dated before ``EARLIEST_MONTH``, rows dated more than a year after today's month
    (a mention is dated when it was published: `2062` is `2026` mistyped), and that month.
    One such row would stretch a client's portal over every month between."""
    day = today()
    latest = f"{day.year + 1:04d}-{day.month:02d}"
    months = pd.Categorical(periods)  # a column of months holds few: compared once each
    names = np.asarray(months.categories.astype(str))
    early = np.isin(months.codes, np.flatnonzero(names < EARLIEST_MONTH))
    late = np.isin(months.codes, np.flatnonzero(names > latest))
    return early, late, latest


def _report_far_off(cells: _Cells, column: str, periods: pd.Series, hint: str) -> np.ndarray:
    """``_far_off`` rows reported as problems of ``column``; their mask."""
    early, late, latest = _far_off(periods)
    cells.report(
        column,
        early,
        lambda v: f"{quote(v)} is before {EARLIEST_MONTH[:4]}: is its year mistyped?",
        hint,
        ru=lambda v: f"{quote(v)} — раньше {EARLIEST_MONTH[:4]} года: нет ли опечатки в годе?",
    )
    cells.report(
        column,
        late,
        lambda v: (
            f"{quote(v)} is after {latest}, more than a year from today: is its year mistyped?"
        ),
        hint,
        ru=lambda v: (
            f"{quote(v)} — позже {latest}, больше чем через год от сегодня: нет ли опечатки в годе?"
        ),
    )
    return early | late


@dataclass(frozen=True)
class _Share:
    """Rows ``start:stop`` of ``rows``, the rows kept of files checked together, which
    ``frame`` (a file's own rows) was cut from; when a file's frame is replaced, its share no
    longer names it and is not used."""

    rows: pd.DataFrame
    start: int
    stop: int
    frame: pd.DataFrame


@dataclass
class FileResult:
    """What became of one CSV file: its typed rows, its ledger and its problems."""

    #: The file as its client's folder has it (`mentions.csv`, `mentions/2026-10.csv`).
    name: str
    path: Path
    present: bool = True
    frame: pd.DataFrame | None = None
    #: Every record read: its line, month and status.
    ledger: Ledger = field(default_factory=lambda: Ledger())
    #: Problems with individual rows: the rows are rejected, the file is still usable.
    row_problems: list[Problem] = field(default_factory=list)
    #: Problems that make the whole file unusable, and warnings about it.
    file_problems: list[Problem] = field(default_factory=list)
    #: Warnings about rows that are still used, or skipped as duplicates. Apart from the
    #: file's problems, which are asked for errors often: an export appended to itself has a
    #: warning for each of its rows.
    row_warnings: list[Problem] = field(default_factory=list)
    #: Makes ``rejected_rows`` when it is first read.
    rejected_from: Callable[[], RejectedRows] | None = field(
        default=None, repr=False, compare=False
    )
    #: One of several files of a kind (mentions/): counted in a month's data quality only
    #: once it has rows up to that month, so adding next month's file leaves earlier ones be.
    part: bool = False
    #: The keys of the links of ``frame``'s rows (``link_keys``), made while the file was
    #: checked; ``mark_repeats_across`` uses them instead of making them again, and lets go.
    link_keys: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: Where ``frame``'s rows lie in the rows kept of the files checked with this one.
    shared: _Share | None = field(default=None, repr=False, compare=False)
    #: The names in the file's header, each once (an optional column it lacks is still in
    #: ``frame``, empty).
    columns: list[str] = field(default_factory=list, repr=False, compare=False)
    #: The header's cells, as written, that name no column of the file's kind: not read
    #: (an export's `Аудитория`, say, which ``mention_columns`` may name as `reach`).
    ignored: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def usable(self) -> bool:
        return self.frame is not None and not any(p.is_error for p in self.file_problems)

    def let_go_of_rows(self) -> None:
        """Drop the rows kept (``frame``, and what was made with it); the ledger, problems and
        rejected records stay."""
        self.frame = self.link_keys = self.shared = None

    @functools.cached_property
    def rejected_rows(self) -> RejectedRows:
        """The rejected records as read, with their reasons, for ``rejected.csv`` and the
        reports. Made when first read: ``smrm validate`` never reads them."""
        return self.rejected_from() if self.rejected_from else RejectedRows.none()

    @property
    def rejected(self) -> list[dict[str, str]]:
        """``rejected_rows`` as a record each; see ``RejectedRows.records``."""
        return self.rejected_rows.records(self.name)

    def rejected_until(self, until: str) -> np.ndarray:
        """Positions in ``rejected_rows`` of the records of the months up to ``until`` (a
        month), and of those whose month is unknown: they could belong to any."""
        return np.flatnonzero(self._rejected_months <= until)

    @functools.cached_property
    def _rejected_months(self) -> np.ndarray:
        """The month of each of ``rejected_rows`` (``""`` when unknown), from the ledger."""
        lines = self.rejected_rows.lines
        if not len(lines):
            return np.zeros(0, dtype="U7")
        ledger = self.ledger
        order = np.argsort(ledger.lines, kind="stable")
        at = order[np.searchsorted(ledger.lines, lines, sorter=order)]
        # Code -1, a record of no known month, takes the last name: the empty one.
        names = np.array([*(str(month) for month in ledger.months), ""])
        return names[ledger.month_codes[at]]

    @property
    def problems(self) -> list[Problem]:
        return sorted(
            self.file_problems + self.row_problems + self.row_warnings,
            key=lambda p: (p.line or 0, p.column, p.message),
        )

    def accounting(self, until: str | None = None) -> dict[str, int]:
        """``read = used + duplicates + rejected``, over rows dated up to ``until`` (a month).

        A row whose month is unknown (its date did not parse) could belong to any month, so
        it is counted in every month.
        """
        months, cumulative, undated = self._counts_by_month
        position = len(months) if until is None else bisect.bisect_right(months, until)
        counts = undated + cumulative[position - 1] if position else undated
        used, dup, rej = (int(counts[_STATUS_CODES[s]]) for s in (USED, DUPLICATE, REJECTED))
        return {"read": used + dup + rej, "used": used, "duplicates": dup, "rejected": rej}

    def months_used(self) -> list[str]:
        """The months, in order, that a row used is dated in."""
        months, cumulative, _ = self._counts_by_month
        if not months:
            return []
        used = np.diff(cumulative[:, _STATUS_CODES[USED]], prepend=0)
        return [month for month, count in zip(months, used.tolist(), strict=True) if count]

    @functools.cached_property
    def _counts_by_month(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The months in order, running totals of each status (by ``_STATUS_CODES``) up to
        each, and the totals of rows with no month. Plain arrays: a month's report asks each
        file for its figures, and a year of daily files makes thousands of questions."""
        ledger = self.ledger
        codes = ledger.month_codes.astype(np.int64)
        status = ledger.statuses.astype(np.int64)
        dated = codes >= 0
        width = len(_STATUSES)
        # Counted on the codes: a million-row ledger needs no grouping of strings.
        cells = np.bincount(
            codes[dated] * width + status[dated], minlength=len(ledger.months) * width
        ).reshape(-1, width)
        names = [str(name) for name in ledger.months]
        order = sorted(range(len(names)), key=names.__getitem__)
        cumulative = np.cumsum(cells[order], axis=0)
        undated = np.bincount(status[~dated], minlength=width)
        return [names[i] for i in order], cumulative, undated


def data_quality(files: Mapping[str, FileResult], until: str) -> dict[str, dict[str, int]]:
    """Each file's ``read = used + duplicates + rejected`` over the rows up to a month."""
    counts = {name: result.accounting(until=until) for name, result in files.items()}
    return {
        name: figures for name, figures in counts.items() if figures["read"] or not files[name].part
    }


#: Rejected rows a month's method page lists at most. A broken export of 500,000 rows made
#: each month's page 74 MB (and its search index 45 MB): 1.4 GB for a year, and seven minutes.
#: rejected.csv lists them all.
REJECTED_SHOWN = 200


def rejected_shown(
    files: Iterable[FileResult], until: str, limit: int, ru: bool = False
) -> tuple[list[dict[str, str]], int]:
    """The first ``limit`` records rejected in the months up to ``until`` and of no known
    month, file by file and line by line (their reasons in Russian: ``ru``), and how many
    such records there are."""
    shown: list[dict[str, str]] = []
    total = 0
    for result in files:
        if not len(result.rejected_rows):
            continue
        due = result.rejected_until(until)
        total += len(due)
        if len(shown) < limit:
            shown.extend(result.rejected_rows.records(result.name, due[: limit - len(shown)], ru))
    return shown, total


_STATUSES = (USED, DUPLICATE, REJECTED)
_STATUS_CODES = {status: code for code, status in enumerate(_STATUSES)}


def _no_entries(dtype: type[np.generic]) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


@dataclass(frozen=True)
class Ledger:
    """What became of each record of a file: its line, its month (a code into ``months``,
    -1 when its date could not be read) and its status (a code into ``_STATUSES``).

    Plain arrays of codes: a string per row would cost more than reading the file, and a
    frame of them costs most of a millisecond to make, which a year of daily files repeats
    hundreds of times."""

    lines: np.ndarray = field(default_factory=lambda: _no_entries(np.int64))
    #: As small as the number of months allows (a byte a row for up to 127 months).
    month_codes: np.ndarray = field(default_factory=lambda: _no_entries(np.int8))
    months: Sequence[str] = ()
    statuses: np.ndarray = field(default_factory=lambda: _no_entries(np.int8))

    def records(self) -> list[dict[str, Any]]:
        """``line``, ``period`` (None when unknown) and ``status`` of each record."""
        return [
            {
                "line": line,
                "period": self.months[code] if code >= 0 else None,
                "status": _STATUSES[status],
            }
            for line, code, status in zip(
                self.lines.tolist(),
                self.month_codes.tolist(),
                self.statuses.tolist(),
                strict=True,
            )
        ]

    def with_status(self, lines: np.ndarray, status: str) -> Ledger:
        """The same records, those at ``lines`` given ``status``."""
        statuses = self.statuses.copy()
        statuses[np.isin(self.lines, lines)] = _STATUS_CODES[status]
        return Ledger(self.lines, self.month_codes, self.months, statuses)


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``frame[mask]`` column by column: several times faster than the frame-wide filter on
    text columns of a million rows. The frame is emptied as its columns are taken, so only
    one column is held twice at a time instead of the whole table. The columns taken are new,
    so the frame takes them as they are (``copy=False``) instead of gathering the numeric
    columns into one block: another copy of them."""
    runs = _kept_runs(mask)
    columns = {name: _taken(frame.pop(name), mask, runs) for name in list(frame.columns)}
    return pd.DataFrame(columns, copy=False)


def _kept_runs(mask: np.ndarray) -> list[tuple[int, int]] | None:
    """Where each run of rows kept starts and stops, when rows are left out in few places
    (at most one in a hundred rows, or 64): the duplicates of a large file. At a million rows
    with one in a hundred left out, slicing and filtering take as long (0.05 s); at one in a
    thousand, slicing a year of daily files took 0.03 s against 0.05-0.16 s filtered."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], mask, [False]]).astype(np.int8)))
    if len(edges) // 2 > max(64, len(mask) // 100):
        return None
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _taken(column: pd.Series, mask: np.ndarray, runs: list[tuple[int, int]] | None) -> Any:
    """The rows of ``mask``. A text column is sliced around the rows left out, given ``runs``:
    copying the texts of a million rows to leave out a thousand took most of a tenth of a
    second and doubled their memory."""
    if runs is None or not _is_arrow_text(column):
        return column.array[mask]
    array = pa.array(column)
    whole = array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])
    pieces = [piece for start, stop in runs for piece in whole.slice(start, stop - start).chunks]
    return pd.arrays.ArrowStringArray(pa.chunked_array(pieces, type=whole.type), dtype=column.dtype)


#: A report's messages in English, and the values and the function that say them in Russian.
_Said = tuple[list[str], list[str], Callable[[str], str]]


class _Reasons:
    """Why each rejected row of a table was rejected, kept as reported (positions, and the
    codes of their messages) and made a text per row only when a rejected record is made.
    The Russian is worded only when first asked for: only a Russian client's pages need it,
    for the few rows they list."""

    def __init__(self) -> None:
        self._reported: list[tuple[str, np.ndarray, np.ndarray, _Said]] = []

    def add(self, column: str, positions: np.ndarray, codes: np.ndarray, said: _Said) -> None:
        self._reported.append((column, positions, codes, said))

    def texts(self, positions: np.ndarray, ru: bool = False) -> list[str]:
        """The reasons of the rows at ``positions`` (in Russian: ``ru``), in the order
        reported, joined by ``; `` (empty for a row with none)."""
        at, ids, messages = self._by_row
        said = self._messages_ru if ru else messages
        first = np.searchsorted(at, positions, "left").tolist()
        after = np.searchsorted(at, positions, "right").tolist()
        return [
            said[ids[a]] if b == a + 1 else "; ".join(said[i] for i in ids[a:b])
            for a, b in zip(first, after, strict=True)
        ]

    @functools.cached_property
    def _by_row(self) -> tuple[np.ndarray, list[int], list[str]]:
        """The rows reported, sorted (the order reported kept within one), the message of
        each report of them, and the messages. Made once for the files checked together."""
        messages: list[str] = []
        rows, ids = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for column, at, codes, (texts, _, _) in self._reported:
            ids.append(codes.astype(np.int64) + len(messages))
            messages.extend(f"{column}: {text}" for text in texts)
            rows.append(at)
        order = np.argsort(np.concatenate(rows), kind="stable")
        return np.concatenate(rows)[order], np.concatenate(ids)[order].tolist(), messages

    @functools.cached_property
    def _messages_ru(self) -> list[str]:
        """``_by_row``'s messages in Russian, in the same order."""
        return [
            f"{column}: {ru(value)}"
            for column, _, _, (_, values, ru) in self._reported
            for value in values
        ]


class _Cells:
    """Collects per-cell problems of one table; a row with any error is rejected.

    The table may hold the rows of several files one after another: ``owners`` gives each
    row's file (its index in ``paths``), and a problem names the file its row came from.
    """

    def __init__(self, table: Table, paths: Sequence[str], owners: np.ndarray | None) -> None:
        self.table = table
        self.paths = list(paths)
        # Zeros the system gives lazily: a page of them costs memory only once read.
        self.owners = np.zeros(len(table.frame), np.int32) if owners is None else owners
        self.frame = table.frame
        self.bad = np.zeros(len(table.frame), dtype=bool)
        self.reasons = _Reasons()
        self.problems: list[Problem] = []
        #: Warnings about rows that are still used or skipped as duplicates.
        self.warnings: list[Problem] = []

    def path(self, position: int) -> str:
        """The file of the row at ``position``, as problems name it."""
        return self.paths[self.owners[position]]

    def report(
        self,
        column: str,
        mask: pd.Series | np.ndarray,
        message: Callable[[str], str],
        hint: Callable[[str], str] | str = "",
        *,
        ru: Callable[[str], str],
    ) -> None:
        """Rejects the rows of ``mask``: ``message`` of a cell's value says what is wrong with
        it, ``ru`` says it in Russian (a Russian client's method page lists the reasons)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        positions = np.flatnonzero(mask)
        cells = (
            take_rows(self.frame[column], positions).to_numpy(dtype=object)
            if column in self.frame
            else np.array([], dtype=object)
        )
        # Worded once per distinct value: a broken export repeats its wrong values.
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
        values = [str(value) for value in distinct]
        texts = [message(value) for value in values]
        hints = [hint(value) for value in values] if callable(hint) else [hint] * len(values)
        lines = self.frame[LINE].to_numpy()[positions].tolist()
        owners = self.owners[positions].tolist()
        written = self.table.written_in.get(column)
        names = [column] * len(positions) if written is None else written[positions].tolist()
        found: Iterable[tuple[int, int, str, int]] = zip(
            owners, lines, names, codes.tolist(), strict=True
        )
        if self.table.written_in:
            # A table kept wide gives each figure of a line a row of its own: a problem with
            # the line's month is the same for each of its figures, and is said once.
            found = dict.fromkeys(found)
        self.problems.extend(
            Problem(self.paths[owner], line, name, texts[code], hints[code])
            for owner, line, name, code in found
        )
        self.reasons.add(column, positions, codes, (texts, values, ru))


#: Rows checked together at most. Each check of a table costs milliseconds however few its
#: rows, so small files of one layout (an export a day) are checked as one table; a file
#: that fills a batch alone is checked alone, which bounds the memory a folder of them takes.
#: At 1M rows, 500,000 checked 365 daily files in 2.29–2.35 s and 12 monthly ones in
#: 1.49–1.67 s, against 2.56–2.91 s and 1.66–2.03 s in batches of 100,000 (peak 0.60–0.65 GB
#: against 0.58–0.60 GB); a million rows were no faster and took 0.69 GB.
BATCH_ROWS = 500_000


def read_mention_files(
    paths: Sequence[Path], client: Client | None, first: TableAhead | None = None
) -> list[FileResult]:
    """Mention files: one row per publication that mentions one tracked brand; each file gets
    its own rows, ledger and problems, however they were checked.

    Without a valid client.yml the files are still checked, except for their brand names.
    ``first``, when given, is the first path's read, already begun (``read_mentions_ahead``).
    """
    results: list[FileResult] = []
    batch: list[tuple[FileResult, Table]] = []
    rows = 0

    def parse(table: Table, cells: _Cells) -> tuple[pd.DataFrame, pd.Series]:
        return _mentions(table, cells, client)

    named = client.mention_columns if client is not None else {}
    reshape = functools.partial(named_as, named) if named else None
    for path, ahead in _reads_ahead(paths, first):
        result, table = _open(
            path,
            MENTION_REQUIRED,
            (*MENTION_OPTIONAL, MENTION_TIME),
            MENTION_REPEATED,
            ahead,
            reshape=reshape,
        )
        results.append(result)
        if table is None:
            continue
        if batch and not (
            _same_layout(batch[0][1], table) and rows + len(table.rows) <= BATCH_ROWS
        ):
            _check_together(batch, parse, MENTION_REQUIRED, MENTION_OPTIONAL)  # empties the batch
            rows = 0
        batch.append((result, table))
        rows += len(table.rows)
        del table
        # A full batch is checked before the next large file is read: only one large file's
        # text as read is held at a time (and at most ``_AHEAD_FILES`` small ones).
        if rows >= BATCH_ROWS:
            _check_together(batch, parse, MENTION_REQUIRED, MENTION_OPTIONAL)
            rows = 0
    if batch:
        _check_together(batch, parse, MENTION_REQUIRED, MENTION_OPTIONAL)
    return results


def named_as(names: Mapping[str, str], table: Table) -> Table:
    """The table with each column whose header cell ``names`` has (compared as headers are)
    called the column it is mapped to (client.yml's ``mention_columns``). A column the file
    has of that name already is left nameless, so not read: the mapping says which to read."""
    wanted = {normalise_header(cell): column for cell, column in names.items()}
    # The cells as written: `tweet_created` is read as `date` already, and may be mapped.
    given = {
        name: wanted[key]
        for cell, name in zip(table.written_header, table.header, strict=True)
        if (key := normalise_header(cell)) in wanted and wanted[key] != name
    }
    taken = set(given.values())
    unread = {name: "" for name in table.header if name in taken and name not in given}
    return table.renamed({**unread, **given}) if given else table


#: Small files are read ahead of the one being checked, on other threads: Arrow parses one
#: (outside Python's lock) while Python finds the next one's header, or checks a batch. At
#: most this many files ahead, each of at most ``_AHEAD_BYTES``: a larger file is read in its
#: turn, so that one large file's text as read is still the most held beyond the batch.
#: At 1M rows, 365 daily files were checked in 2.92–3.71 s against 3.93–4.18 s one file after
#: another, 12 monthly ones (18–21 MB) in 1.91–2.60 s against 1.96–2.49 s, peak 0.68 GB
#: against 0.62 GB (interleaved runs, on a slow day).
_AHEAD_FILES = 2
_AHEAD_BYTES = 1 << 26


def _reads_ahead(
    paths: Sequence[Path], first: TableAhead | None = None
) -> Iterator[tuple[Path, TableAhead | None]]:
    """Each path in its order, with its read when it was begun ahead (``first``, the first
    path's, begun by the caller; then the next small files', as each path is reached)."""
    ahead = {first.path: first} if first is not None else {}
    for index, path in enumerate(paths):
        for later in paths[index + 1 : index + 1 + _AHEAD_FILES]:
            if later not in ahead and _small(later):
                ahead[later] = read_mentions_ahead(later)
        yield path, ahead.pop(path, None)


def _small(path: Path) -> bool:
    try:
        return path.stat().st_size <= _AHEAD_BYTES
    except OSError:
        return False  # opened in its turn, which says what is wrong


def _same_layout(one: Table, other: Table) -> bool:
    """Whether two files' rows can be checked as one table: the same columns in the same
    order (each file's rejected rows are written out with its own columns), and numbers
    written alike."""
    return one.header == other.header and one.decimal_comma == other.decimal_comma


def read_accounts(path: Path, client: Client | None) -> FileResult:
    """accounts.csv: the client's official accounts, one row per month and platform."""
    return _read(path, ACCOUNT_REQUIRED, ACCOUNT_OPTIONAL, _accounts, reshape=dated_periods)


def read_outcomes(path: Path, client: Client | None) -> FileResult:
    """outcomes.csv: business results, one row per month and metric, or kept wide (a column
    per metric, or a column per month) and read as those rows."""
    return _read(
        path, OUTCOME_REQUIRED, (), _outcomes, reshape=lambda t: long_outcomes(dated_periods(t))
    )


def dated_periods(table: Table) -> Table:
    """A table of months whose month column is headed as a date (``Дата``, as a spreadsheet
    heads a column of first days of months) without a ``period`` column: that column is it."""
    if "period" in table.header or "date" not in table.header:
        return table
    return table.renamed({"date": "period"})


def long_outcomes(table: Table) -> Table:
    """A table of outcomes kept wide, as spreadsheets keep them, made long: one row per figure
    (a cell that is not empty), in the order of the lines and then of the columns.

    ``period;leads;revenue`` has a column per metric, ``metric;2026-09;2026-10`` a column per
    month; the header names the metric or the month of each column's figures. Each figure keeps
    its line, and a problem with it names the column it was written in. A column or a row of
    totals (``Итого``) is left out, with a warning. Any other table is returned as it is."""
    header = table.header
    if "value" in header or ("period" in header) == ("metric" in header):
        return table
    key, spread = ("period", "metric") if "period" in header else ("metric", "period")
    names = [header_cell(cell) for cell in table.raw_header]
    columns = [i for i, name in enumerate(header) if name != key]
    shown = display_path(table.path)
    totals = [i for i in columns if is_totals(names[i])]
    table.problems.extend(
        Problem(
            shown,
            _header_line(table),
            names[i],
            "a column of totals: passed over, the portal adds the months up itself",
            severity=Severity.WARNING,
        )
        for i in totals
    )
    columns = [i for i in columns if i not in totals and header[i]]  # nameless: ignored
    for i in columns:
        first = header.index(header[i])
        if first != i:  # the frame holds one of them: which is whose cannot be told
            raise LoadError(
                f"column {quote(names[i])} appears twice (columns {first + 1} and {i + 1})",
                "give each column of figures a name of its own",
                _header_line(table),
            )
    if not columns:
        return table
    frame = table.frame
    keys = frame[key].astype("str").fillna("")
    lines = frame[LINE].to_numpy()
    # A row of totals whose figures the reader did not take for totals (`Итого;55;1 000 ₽`).
    totals_rows = keys.map(is_totals).to_numpy(dtype=bool)
    table.problems.extend(
        totals_problem(shown, line, label)
        for line, label in zip(lines[totals_rows].tolist(), keys[totals_rows], strict=True)
    )
    parts = []
    for order, index in enumerate(columns):
        cells = _text(frame[header[index]])
        # A dash or n/a in a spreadsheet's grid is no figure, as an empty cell is.
        blank = cells.eq("") | _no_value(cells)
        filled = ~blank.to_numpy() & ~totals_rows
        parts.append(
            pd.DataFrame(
                {
                    key: keys[filled].to_numpy(dtype=object),
                    spread: names[index],
                    "value": cells[filled].to_numpy(dtype=object),
                    LINE: lines[filled],
                    "_order": order,
                }
            )
        )
    long = pd.concat(parts, ignore_index=True).sort_values([LINE, "_order"], kind="stable")
    written = np.array(names, dtype=object)[[columns[o] for o in long["_order"].tolist()]]
    rows = long.drop(columns="_order")[["period", "metric", "value", LINE]].reset_index(drop=True)
    # A month that is not one, of a column per month, is written in that column's header.
    named = ("value", "period") if spread == "period" else ("value",)
    return dataclasses.replace(
        table,
        header=["period", "metric", "value"],
        rows=rows,
        raw_rejected=[_long_record(row, key, table.delimiter) for row in table.raw_rejected],
        raw_header=["period", "metric", "value"],
        written_in=dict.fromkeys(named, written),
    )


def _long_record(cells: list[str], key: str, delimiter: str) -> list[str]:
    """A record of a wide table that could not be read (it has more or fewer fields than the
    header), as a long table's: its first cell and the others as written, so that the list of
    rejected records loses none of it."""
    first, rest = (cells[0], cells[1:]) if cells else ("", [])
    written = delimiter.join(rest)
    return [first, "", written] if key == "period" else ["", first, written]


def absent(name: str, path: Path) -> FileResult:
    """An optional file that is not there."""
    return FileResult(name, path, present=False)


Parser = Callable[[Table, _Cells], tuple[pd.DataFrame, pd.Series]]


def _read(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    parse: Parser,
    repeated: tuple[str, ...] = (),
    reshape: Callable[[Table], Table] | None = None,
) -> FileResult:
    result, table = _open(path, required, optional, repeated, reshape=reshape)
    if table is not None:
        batch = [(result, table)]
        del table  # the batch holds the only reference, so checking it can let the text go
        _check_together(batch, parse, required, optional)
    return result


def _open(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    repeated: tuple[str, ...],
    ahead: TableAhead | None = None,
    reshape: Callable[[Table], Table] | None = None,
) -> tuple[FileResult, Table | None]:
    """A file read (or its read begun ``ahead``), and ``reshape``d if given, its header
    checked: the table, or None when its rows need no checks (the file could not be read, or
    lacks a required column: every row is rejected)."""
    result = FileResult(path.name, path)
    shown = display_path(path)
    known = required + optional
    try:
        table = ahead.take() if ahead is not None else read_table(path, known, repeated)
        if reshape is not None:
            table = reshape(table)
    except LoadError as exc:
        result.file_problems.append(Problem(shown, exc.line, "", exc.message, exc.hint))
        return result, None
    header_line = _header_line(table)
    missing = [name for name in required if name not in table.header]
    for name in missing:
        hint = _unknown_hint(name, [h for h in table.header if h not in known])
        result.file_problems.append(
            Problem(shown, header_line, name, "required column is missing", hint)
        )
    result.ignored = list(
        dict.fromkeys(
            cell
            for cell, name in zip(table.written_header, table.header, strict=True)
            if cell and name not in known
        )
    )
    for name in dict.fromkeys(table.header):  # a name twice is warned of once
        # A near-miss of a missing required column is already reported with that column.
        if name in known or not name or any(did_you_mean(m, [name]) for m in missing):
            continue
        hint = did_you_mean(name, [k for k in optional if k not in table.header])
        if hint:
            result.file_problems.append(
                Problem(
                    shown,
                    header_line,
                    name,
                    "unknown column, ignored",
                    hint,
                    severity=Severity.WARNING,
                )
            )
    if missing:
        lines = np.array([*table.lines.tolist(), *table.rejected_lines], dtype=np.int64)
        result.ledger = Ledger(
            lines,
            np.full(len(lines), -1, dtype=np.int8),
            (),
            np.full(len(lines), _STATUS_CODES[REJECTED], dtype=np.int8),
        )
        return result, None
    if not table.rows_read:
        result.file_problems.append(
            Problem(shown, None, "", "no data rows, only a header", severity=Severity.WARNING)
        )
    return result, table


def _check_together(
    batch: list[tuple[FileResult, Table]],
    parse: Parser,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> None:
    """The rows of files of one layout checked as one table (an ``optional`` column the files
    lack is empty); each file's result gets its own rows, ledger, problems and rejected records.

    The batch is emptied: once the tables are the only copies of the text as read, their
    memory is given back before the rows kept are copied (at ten million rows the peak is
    1.8 GB lower)."""
    results = [result for result, _ in batch]
    tables = [table for _, table in batch]
    batch.clear()
    table = tables[0] if len(tables) == 1 else _joined(tables)
    sizes = [len(t.rows) for t in tables]
    # The tables' own frames are not needed any more; the joined table has their rows.
    details = [
        _Unread(display_path(t.path), t.header, t.problems, t.rejected_lines, t.raw_rejected)
        for t in tables
    ]
    del tables
    for name in optional:
        if name not in table.frame:
            table.frame[name] = pd.Series([""] * len(table.frame), dtype=object)
    bounds = np.cumsum([0, *sizes])
    # One file's rows need no owners' column (ten million rows would make it 80 MB).
    owners = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes) if len(sizes) > 1 else None
    cells = _Cells(table, [d.shown for d in details], owners)
    if table.nul:
        _report_damage(cells, required + optional, "\x00")
    if table.mended:
        _report_damage(cells, required + optional, "\ufffd")
    frame, periods = parse(table, cells)
    good = ~cells.bad
    statuses = np.where(good, _STATUS_CODES[USED], _STATUS_CODES[REJECTED]).astype(np.int8)
    used = good.copy()
    if "duplicate" in frame:
        duplicate = frame["duplicate"].to_numpy(dtype=bool) & good
        statuses[duplicate] = _STATUS_CODES[DUPLICATE]
        used &= ~duplicate
    problems = _by_owner(cells.problems, cells.paths)
    warnings = _by_owner(cells.warnings, cells.paths)
    months = pd.Categorical(periods)
    month_names = [str(name) for name in months.categories]  # shared by the files' ledgers
    lines = table.frame[LINE].to_numpy()
    for index, (result, own) in enumerate(zip(results, details, strict=True)):
        start, stop = bounds[index], bounds[index + 1]
        result.row_problems = own.problems + problems[index]
        result.columns = own.columns
        result.row_warnings = warnings[index]
        unread = len(own.rejected_lines)
        result.ledger = Ledger(
            np.concatenate([lines[start:stop], own.rejected_lines]).astype(np.int64),
            np.concatenate(
                [months.codes[start:stop], np.full(unread, -1, dtype=months.codes.dtype)]
            ),
            month_names,
            np.concatenate(
                [statuses[start:stop], np.full(unread, _STATUS_CODES[REJECTED], dtype=np.int8)]
            ),
        )
        bad = np.flatnonzero(cells.bad[start:stop]) + start
        # Nothing for a file without rejected rows: taking no rows still costs milliseconds,
        # which a year of daily files repeats. The rows themselves are taken now: the table is
        # let go below.
        if len(bad) or own.rejected_lines:
            taken = take_frame(table.frame[[*own.columns, LINE]], bad)
            result.rejected_from = functools.partial(
                _rejected_records, own, taken, bad, cells.reasons
            )
    kept = frame.drop(columns=["duplicate"], errors="ignore")
    # The text as read is no longer needed: let it go, and Arrow give the memory back, before
    # the rows kept are copied.
    del table, cells, frame
    pa.default_memory_pool().release_unused()
    # Filtering copies every column; a clean file of a million rows need not pay for it.
    kept = kept if used.all() else _rows(kept, used)
    keys = kept.pop(_LINK_KEY).to_numpy() if _LINK_KEY in kept else None
    if len(results) == 1:
        results[0].frame, results[0].link_keys = kept, keys
        return
    kept_bounds = np.cumsum([0, *(used[a:b].sum() for a, b in itertools.pairwise(bounds))])
    for result, (a, b) in zip(results, itertools.pairwise(kept_bounds), strict=True):
        result.frame = kept.iloc[a:b].reset_index(drop=True)
        result.shared = _Share(kept, int(a), int(b), result.frame)
        result.link_keys = keys[a:b] if keys is not None else None


@dataclass
class _Unread:
    """What a file's table says besides its rows: its path as problems name it, its columns,
    and the records that were not read as rows (with their problems)."""

    shown: str
    header: list[str]
    problems: list[Problem]
    rejected_lines: list[int]
    raw_rejected: list[list[str]]

    @property
    def columns(self) -> list[str]:
        """The header's named columns: those a rejected record has (a name twice, once)."""
        return list(dict.fromkeys(c for c in self.header if c))


def _joined(tables: Sequence[Table]) -> Table:
    """Tables of one layout as one, their rows in order (each row keeps its line)."""
    first = tables[0]
    parts = [t.rows for t in tables]
    arrow = [part for part in parts if isinstance(part, ArrowRows)]
    return Table(
        path=first.path,
        encoding=first.encoding,
        delimiter=first.delimiter,
        header=first.header,
        nul=any(t.nul for t in tables),
        mended=any(t.mended for t in tables),
        rows=(
            ArrowRows.join(arrow)
            if len(arrow) == len(parts)
            else concat_rows([t.frame for t in tables])
        ),
    )


#: Characters that no export writes, which a damaged one holds: what each is, and what to do.
_DAMAGE = {
    "\x00": (
        "a NUL character (a zero byte)",
        "export the file again, or delete the character in a text editor",
    ),
    # What bytes that are not UTF-8 were read as (``load._mended_utf8``).
    "\ufffd": (
        "bytes that are not UTF-8 (shown as \ufffd)",
        "save the file again as 'CSV UTF-8', or retype the value",
    ),
}
#: ``_DAMAGE``'s characters named in Russian.
_DAMAGE_RU = {
    "\x00": "символ NUL (нулевой байт)",
    "\ufffd": "байты не в UTF-8 (показаны как \ufffd)",
}


def _report_damage(cells: _Cells, columns: Iterable[str], character: str) -> None:
    """Rejects each row with ``character`` (one of ``_DAMAGE``) in a value it is read for
    (columns the tool ignores aside): the value is damaged, and the rest of it may be too.
    The file's other rows are still read."""
    what, hint = _DAMAGE[character]
    for column in columns:
        if column in cells.frame:
            cells.report(
                column,
                _holds(cells.frame[column], character),
                lambda v: (
                    f"holds {what} at character {v.index(character) + 1}:"
                    " the export is damaged here"
                ),
                hint,
                ru=lambda v: (
                    f"содержит {_DAMAGE_RU[character]} на {v.index(character) + 1}-м символе:"
                    " выгрузка здесь повреждена"
                ),
            )


def _holds(series: pd.Series, character: str) -> np.ndarray:
    """Which values of a text column hold ``character``."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories.to_series().astype("str")
        # Code -1 (a missing value) takes the last place: False.
        held = np.append(categories.str.contains(character, regex=False).to_numpy(bool), False)
        return held[series.cat.codes.to_numpy()]
    chunks = _string_chunks(series) if character == "\x00" else None
    if chunks is None:
        return true_mask(pc.match_substring(_arrow_text(series), character))
    # The zero bytes of each chunk, and the cells they fall in: a search of every cell costs
    # 0.1 s at a million texts, and a damaged file's NULs are few.
    held = np.zeros(len(series), dtype=bool)
    start = 0
    for chunk in chunks:
        offsets, data = string_buffers(chunk)
        first, end = offsets[0], offsets[-1]
        zeros = np.flatnonzero(data[first:end] == 0) + first
        held[start + np.searchsorted(offsets, zeros, side="right") - 1] = True
        start += len(chunk)
    return held


def _by_owner(problems: Iterable[Problem], paths: Sequence[str]) -> list[list[Problem]]:
    """Problems sorted out by the file they name, in the order of ``paths``."""
    index = {path: position for position, path in enumerate(paths)}
    owned: list[list[Problem]] = [[] for _ in paths]
    for problem in problems:
        owned[index[problem.path]].append(problem)
    return owned


def _header_line(table: Table) -> int:
    """The header's line: the first record's line less one when there are records."""
    lines = [*table.lines[:1].tolist(), *table.rejected_lines[:1]]
    return min(lines) - 1 if lines else 1


def _unknown_hint(name: str, candidates: list[str]) -> str:
    hint = did_you_mean(name, candidates)
    return hint or f"the header must name a '{name}' column (names are case-insensitive)"


@dataclass(frozen=True)
class RejectedRows:
    """A file's rejected records as read, column by column and in the order of their lines,
    with their reasons. Columns, not a record each: a broken export of a million rows made
    a million dicts (8 s and over a gigabyte), for a file that lists them and a report that
    shows two hundred."""

    lines: np.ndarray
    problems: list[str]
    #: The Russian of ``problems`` at the positions given, worded when asked for.
    problems_ru: Callable[[list[int]], list[str]]
    #: The header's named columns, each once.
    columns: list[str]
    #: Each column's text, a cell per record (empty where a record has no such cell), kept
    #: by Arrow: as Python strings, a million rejected rows of 13 columns took a gigabyte.
    cells: dict[str, pa.Array]
    #: How many of ``columns`` each record has: a row of too few fields has fewer.
    widths: np.ndarray

    @staticmethod
    def none() -> RejectedRows:
        return RejectedRows(np.zeros(0, np.int64), [], _none_said, [], {}, np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def filled_columns(self) -> list[str]:
        """The columns any record has."""
        return self.columns[: int(self.widths.max())] if len(self) else []

    def records(
        self, name: str, positions: Iterable[int] | None = None, ru: bool = False
    ) -> list[dict[str, str]]:
        """A dict per record (of all, or those at ``positions``): ``file``, ``line``,
        ``problems`` (see ``columns_at``; in Russian: ``ru``) and the cells it has."""
        at = np.arange(len(self)) if positions is None else np.asarray(positions, np.int64)
        fixed, cells = self._fixed_at(name, at, ru), self._cells_at(at)
        records = []
        for row, width in enumerate(self.widths[at].tolist()):
            record = {key: values[row] for key, values in fixed.items()}
            record.update((column, cells[column][row]) for column in self.columns[:width])
            records.append(record)
        return records

    def columns_at(self, name: str, at: np.ndarray) -> dict[str, list[str]]:
        """The records at ``at``, column by column as Python strings: ``file`` (``name``, the
        file as its client's folder has it, not a path of the agency's machine, which a
        client's site has no business showing), ``line``, ``problems``, then the cells (a
        column of the file's named like one of those three takes its place)."""
        return self._fixed_at(name, at) | self._cells_at(at)

    def _fixed_at(self, name: str, at: np.ndarray, ru: bool = False) -> dict[str, list[str]]:
        where = at.tolist()
        return {
            "file": [name] * len(at),
            "line": [str(line) for line in self.lines[at].tolist()],
            "problems": self.problems_ru(where) if ru else [self.problems[i] for i in where],
        }

    def _cells_at(self, at: np.ndarray) -> dict[str, list[str]]:
        taken = pa.array(at, pa.int64())
        return {column: self.cells[column].take(taken).to_pylist() for column in self.columns}


def _rejected_records(
    own: _Unread, taken: pd.DataFrame, positions: np.ndarray, reasons: _Reasons
) -> RejectedRows:
    """A file's rejected records as read: its rows ``taken`` from the table it was checked
    in, at ``positions`` there, with their reasons; and the records not read as rows."""
    columns = own.columns
    raw = own.raw_rejected
    lines = np.concatenate(
        [taken[LINE].to_numpy().astype(np.int64), np.array(own.rejected_lines, dtype=np.int64)]
    )
    by_line = {p.line: p for p in own.problems}
    said = [by_line.get(line) for line in own.rejected_lines]
    problems = [
        *reasons.texts(positions),
        *(f"row: {p.message if p else ''}" for p in said),
    ]
    # Where each record's reason is: a row checked at its position (>= 0), or a record not
    # read as a row, -1 - its place in ``said``.
    sources = np.concatenate([positions, -1 - np.arange(len(said), dtype=np.int64)])
    widths = np.array(
        [len(columns)] * len(taken) + [min(len(cells), len(columns)) for cells in raw],
        dtype=np.int64,
    )
    order = np.argsort(lines, kind="stable") if (np.diff(lines) < 0).any() else None
    cells = {}
    for index, column in enumerate(columns):
        read = pa.array(taken[column].astype("str")).cast(pa.large_string())
        unread = [row[index] if index < len(row) else "" for row in raw]
        text = pa.chunked_array(
            [
                *(read.chunks if isinstance(read, pa.ChunkedArray) else [read]),
                pa.array(unread, pa.large_string()),
            ],
            type=pa.large_string(),
        )
        cells[column] = (text if order is None else text.take(order)).combine_chunks()
    if order is not None:
        pick = order.tolist()
        lines, widths = lines[order], widths[order]
        problems = [problems[i] for i in pick]
        sources = sources[order]
    problems_ru = functools.partial(_problems_ru, reasons, said, sources)
    return RejectedRows(lines, problems, problems_ru, columns, cells, widths)


def _problems_ru(
    reasons: _Reasons, said: list[Problem | None], sources: np.ndarray, at: list[int]
) -> list[str]:
    """The reasons in Russian of the records at ``at`` (``_rejected_records``' ``sources``):
    worded for the records a Russian client's page lists, not for a broken export's every
    rejected row."""
    picked = sources[at]
    checked = iter(reasons.texts(picked[picked >= 0], ru=True))
    return [
        next(checked) if source >= 0 else f"строка: {_said_ru(said[-1 - source])}"
        for source in picked.tolist()
    ]


def _said_ru(problem: Problem | None) -> str:
    return (problem.message_ru or problem.message) if problem else ""


def _none_said(at: list[int]) -> list[str]:
    return []


# --------------------------------------------------------------------------------------------
# Column parsers: each takes a Series of raw text and returns values plus a mask of bad cells.


_SAMPLE = 10_000


def per_value(func: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """Apply a column-wise string function once per distinct value, then spread the results.

    Export columns repeat a few values (brands, sentiments, platforms, small counts) over
    millions of rows, and pandas string methods cost per row.
    """

    def apply(series: pd.Series) -> pd.Series:
        coded = _distinct(series)
        if coded is None:
            return func(series)
        codes, uniques = coded
        return _spread(func(uniques), codes, series)

    return apply


def _distinct(series: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """Each row's code and the distinct values; None when nearly every value is distinct."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        if (codes >= 0).all():
            categories = series.cat.categories
            return codes, pd.Series(categories.to_numpy(), dtype=categories.dtype)
        series = series.astype(series.cat.categories.dtype)
    # Sampled across the file: exports are sorted by time, so the first rows share dates.
    if len(series) > _SAMPLE:
        distinct, size = _sampled_distinct(series, max(1, len(series) // _SAMPLE))
        if distinct * 2 > size:
            return None  # dates, links, texts: mostly distinct, not worth grouping
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if not len(series) or len(uniques) * 2 > len(series):
        return None
    return codes, pd.Series(uniques, dtype=series.dtype)


def _sampled_distinct(series: pd.Series, step: int) -> tuple[int, int]:
    """How many distinct values (missing ones aside) every ``step``-th row holds, and how many
    rows that is."""
    sample = take_rows(series, np.arange(0, len(series), step))
    return int(sample.nunique()), len(sample)


def take_rows(series: pd.Series, positions: np.ndarray) -> pd.Series:
    """``series.iloc[positions]``, for positions in ascending order. Arrow takes rows from a
    column of many chunks by joining them first: a copy of the whole column, to take a few
    rows (at a million rows, the 40 MB of links to take 2,000 of them; the first such copy
    in a process took 85 ms). A text column's rows are taken from each chunk instead."""
    chunks = _string_chunks(series)
    if chunks is None or len(chunks) < 2:
        return series.iloc[positions]
    bounds = np.cumsum([0, *(len(chunk) for chunk in chunks)])
    cuts = np.searchsorted(positions, bounds)
    parts = [
        chunk.take(pa.array(positions[first:stop] - start))
        for chunk, start, first, stop in zip(chunks, bounds, cuts, cuts[1:], strict=False)
        if stop > first
    ]
    taken = pa.chunked_array(parts, type=chunks[0].type)
    return pd.Series(
        pd.arrays.ArrowStringArray(taken, dtype=series.dtype),
        index=series.index[positions],
        name=series.name,
    )


def take_frame(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """``frame.iloc[positions]`` (ascending), each column by ``take_rows``."""
    return pd.DataFrame(
        {name: take_rows(frame[name], positions) for name in frame.columns},
        index=frame.index[positions],
        copy=False,
    )


def _is_arrow_text(series: pd.Series) -> bool:
    """Text held by Arrow, which gives its chunks without a copy."""
    return isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"


def _spread(result: pd.Series, codes: np.ndarray, like: pd.Series) -> pd.Series:
    """The per-value ``result`` for every row. Text comes back as categories: copying a string
    per row costs more than everything done to the distinct values, and later steps (filters,
    groupings) are cheaper on codes too."""
    if pd.api.types.is_string_dtype(result.dtype) or pd.api.types.is_object_dtype(result.dtype):
        result_codes, categories = pd.factorize(result)
        values = pd.Categorical.from_codes(result_codes[codes], categories=categories)
        return pd.Series(values, index=like.index, name=like.name)
    return pd.Series(result.to_numpy()[codes], index=like.index, name=like.name)


def _arrow_text(series: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow strings (categories spelled out), in the chunks it is held in:
    joining them would copy the column (at a million dates, 24 MB)."""
    array = pa.array(series)
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    if pa.types.is_null(array.type):
        array = array.cast(pa.string())
    return array


@per_value
def _text(series: pd.Series) -> pd.Series:
    text = series.astype("str").fillna("")
    # Trimming copies the column; links and dates as exported have nothing to trim.
    return text.str.strip() if _may_need_trimming(text) else text


#: Bytes that may begin or end a cell with space around it: ASCII controls and space, and the
#: lead and trailing bytes of any other character (no-break and other Unicode spaces).
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[: ord(" ") + 1] = True
_MAY_BE_SPACE[0x80:] = True


def _may_need_trimming(text: pd.Series) -> bool:
    """False when no cell starts or ends with a byte that could belong to a space."""
    chunks = _string_chunks(text)
    if chunks is None:
        return True
    for chunk in chunks:
        offsets, data = string_buffers(chunk)
        starts, ends = offsets[:-1], offsets[1:]
        filled = np.greater(ends, starts)
        edges = np.concatenate([data[starts[filled]], data[ends[filled] - 1]])
        if _MAY_BE_SPACE[edges].any():
            return True
    return False


def _string_chunks(series: pd.Series) -> list[pa.Array] | None:
    """A text column's Arrow chunks, whose bytes can be read directly; None when the column is
    not held by Arrow (making it Arrow's would copy it) or a chunk holds a null or something
    other than strings."""
    if not _is_arrow_text(series):
        return None
    array = pa.array(series)
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    textual = all(
        (pa.types.is_large_string(c.type) or pa.types.is_string(c.type)) and not c.null_count
        for c in chunks
    )
    return chunks if textual else None


@per_value
def _fold(series: pd.Series) -> pd.Series:
    """Case-insensitive, ё-insensitive, single-spaced, and alike however a letter is composed
    (macOS writes `й` and `ё` as a letter and a combining mark) and whatever it holds that
    shows nothing (`VK` and `V\u200bK` are one platform): how names and words are compared."""
    return (
        _text(series)
        .str.normalize("NFC")
        .str.replace(UNSHOWN, "", regex=True)
        .str.casefold()
        .str.replace("ё", "е", regex=False)
        .str.replace(r"\s+", " ", regex=True)
    )


def _lookup(series: pd.Series, mapping: Mapping[str, object]) -> pd.Series:
    """``series.map(mapping)``, once per distinct value."""
    return per_value(lambda values: values.map(mapping))(series)


def month_keys(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` of each timestamp (missing for NaT), formatted once per month; ordered
    categories, so that the earliest and latest month of a column are its min and max."""
    stamps = dates.to_numpy(dtype="datetime64[ns]")
    known = ~np.isnat(stamps)
    codes = np.full(len(stamps), -1, dtype=np.int64)
    names: list[str] = []
    if known.any():
        # A day's month is looked up in a table of the days from the first to the last (at
        # most 213,000, the days a timestamp holds), not worked out per row: numpy's calendar
        # arithmetic costs tens of milliseconds a million rows.
        days = stamps[known].astype("datetime64[D]").astype(np.int64)
        first = int(days.min())
        calendar = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
        months = calendar.astype("datetime64[M]").astype(np.int64)[days - first]
        earliest = int(months.min())
        present = np.bincount(months - earliest) > 0
        codes[known] = (np.cumsum(present) - 1)[months - earliest]
        names = [
            str(month) for month in (np.flatnonzero(present) + earliest).astype("datetime64[M]")
        ]
    values = pd.Categorical.from_codes(codes, categories=names, ordered=True)
    return pd.Series(values, index=dates.index)


def fold(value: str) -> str:
    """``_fold`` for one string."""
    shown = re.sub(UNSHOWN, "", unicodedata.normalize("NFC", value))
    return re.sub(r"\s+", " ", shown.strip().casefold().replace("ё", "е"))


def parse_dates(series: pd.Series, timezone: str) -> tuple[pd.Series, pd.Series]:
    """Local (naive) timestamps in ``timezone``, and a mask of cells that are not dates.

    A time with an offset is converted to the client's zone; one without is already local.
    """
    text = _arrow_text(_text(series))
    fixed = _fixed_width_fields(text) or _unix_fields(text)
    if fixed is not None:
        filled, fields, zone = fixed
        values = stamped = _stamps(*fields)
        if zone is not None:  # else already local
            utc = pd.DatetimeIndex(stamped - zone.astype("timedelta64[m]"))
            stamped = utc.tz_localize("UTC").tz_convert(timezone).tz_localize(None)
            values = stamped = stamped.to_numpy().astype("datetime64[ns]")
        if not filled.all():
            values = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
            values[filled] = stamped
        stamps = pd.Series(values, index=series.index)
        return stamps, stamps.isna()
    dotted = _dotted_fields(text)
    if dotted is not None:  # no zone: already local
        stamps = pd.Series(_stamps(*dotted), index=series.index)
        return stamps, stamps.isna()
    slashed = _slashed_column(text)
    if slashed is not None:  # no zone: already local
        stamps = pd.Series(slashed, index=series.index)
        bad = stamps.isna()
        # The rest (empty, impossible, or all when the column does not tell the day from the
        # month) are read as dates with slashes already: only the other forms are tried.
        if bad.any():
            return _other_dates(series, stamps, bad, timezone, with_slashes=False)
        return stamps, bad
    parts = pc.extract_regex(text, _DATE_RE)
    year = _part(parts, "y", "y2", "y3")
    month = _part(parts, "m", "m2", "m3")
    day = _part(parts, "d", "d2", "d3")
    hour, minute, second = (np.nan_to_num(_part(parts, name)) for name in ("H", "M", "S"))
    stamps = pd.Series(_stamps(year, month, day, hour, minute, second), index=series.index)
    zones = pd.Series(pc.struct_field(parts, "tz").fill_null("").to_pandas(), index=series.index)
    offsets = _offsets(zones)
    with_offset = offsets.notna() & stamps.notna()
    if with_offset.any():
        utc = stamps[with_offset] - pd.to_timedelta(offsets[with_offset].astype(float), unit="m")
        local = utc.dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
        stamps[with_offset] = local.astype("datetime64[ns]")
    bad = stamps.isna()
    if bad.any():
        stamps, bad = _other_dates(series, stamps, bad, timezone)
    return stamps, bad


#: Dates as some exports write them, read by rewriting them as `YYYY-MM-DD HH:MM:SS±HH:MM`:
#: a day, a month's name and a year (`5 октября 2026 г., 14:30`, `5 October 2026`,
#: `Oct 5, 2026`); the year first with dots (`2026.10.05`); Twitter's (`Wed Oct 10 20:19:24
#: +0000 2018`); a time after a comma (`05.10.2026, 14:30`, as a browser writes a Russian
#: date); ISO 8601's basic form, digits alone (`20261005`, `20261005T143000Z`, as analytics
#: exports write a day); and Unix time (seconds or milliseconds since 1970 in UTC, 10 or 13
#: digits, as APIs and database dumps give it: a length no basic form has).
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
#: A time that may follow a date, after a space or a comma.
_AT_TIME = rf"(?:,?\s+(?P<time>{_CLOCK}))?"
_DAY_MONTH_NAME_RE = re.compile(
    r"(?P<d>\d{1,2})\s+(?P<name>[^\W\d_]+)\.?,?\s+(?P<y>\d{4})(?:\s*(?:г\.?|года?))?"
    r"(?:,?\s+(?:в\s+)?(?P<time>" + _CLOCK + "))?",
    re.IGNORECASE,
)
_MONTH_NAME_DAY_RE = re.compile(
    r"(?P<name>[^\W\d_]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})" + _AT_TIME, re.IGNORECASE
)
_TWITTER_RE = re.compile(
    r"[A-Za-z]{3}\s+(?P<name>[A-Za-z]{3})\s+(?P<d>\d{1,2})\s+(?P<time>\d{2}:\d{2}:\d{2})\s+"
    r"(?P<tz>[+-]\d{4})\s+(?P<y>\d{4})"
)
_YEAR_DOTS_RE = re.compile(r"(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})" + _AT_TIME)
_COMMA_TIME_RE = re.compile(r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4}),\s*(?P<time>" + _CLOCK + ")")
_UNIX_RE = re.compile(r"(?P<s>\d{10})(?P<ms>\d{3})?")
#: A time of 12 hours (`2:30 PM`, `12:05 a.m.`), as American exports write it.
_TWELVE_HOURS = re.compile(
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<half>[AaPp])\.?\s*[Mm]\.?"
)
#: Any of the forms with a time of 12 hours after it (`Oct 5, 2026 2:30 PM`): read with the
#: time made one of 24.
_AT_TWELVE_HOURS_RE = re.compile(rf"(?P<date>.+?),?\s+(?P<time>{_TWELVE_HOURS.pattern})")
_BASIC_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})"
    r"(?:[T\s]?(?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{4})?)?"
)


def _other_dates(
    series: pd.Series,
    stamps: pd.Series,
    bad: pd.Series,
    timezone: str,
    with_slashes: bool = True,
) -> tuple[pd.Series, pd.Series]:
    """``stamps`` and ``bad`` with the cells ``_as_iso`` can rewrite read as rewritten, and
    (if ``with_slashes``) those with slashes. Only the cells not read otherwise are
    tried, once per distinct value: a clean file pays nothing."""
    text = _text(series[bad]).astype(str)
    text = text[text.str.len() <= 40]  # none of the forms is longer: a shifted column's text
    stamps = stamps.copy()
    slashed = _slashed_dates(text) if with_slashes else None
    if slashed is not None:
        read = ~np.isnat(slashed)
        stamps.loc[text.index[read]] = slashed[read]
        text = text[~read]
    rewritten = per_value(lambda values: values.map(_as_iso))(text)
    found = rewritten.notna()
    if found.any():
        again, _ = parse_dates(rewritten[found].astype(str).reset_index(drop=True), timezone)
        stamps.loc[rewritten.index[found.to_numpy()]] = again.to_numpy()
    return stamps, stamps.isna()


#: A date with slashes and the year last, the day or the month first (`25/10/2026 14:30`,
#: `10/25/2026 2:30 PM`), for Arrow's regular expressions.
_SLASHED_RE = (
    r"^[\s\pZ]*(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"
    r"(?:(?:T|,?[\s\pZ]+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:[\s\pZ]*(?P<half>[AaPp])\.?[Mm]\.?)?)?[\s\pZ]*$"
)


def _slashed_dates(text: pd.Series) -> np.ndarray | None:
    """Timestamps of ``text``'s dates with slashes (NaT for other cells) when the column tells
    the day from the month: a date's first number is over 12 (`25/10/2026`: the day first, as
    Russian spreadsheets write) or its second is (`10/25/2026`: the month first, as American
    ones do, perhaps with a time of 12 hours, `2:30 PM`), and no date says otherwise. None when
    the column does not tell (`05/10/2026` alone, or both kinds): such dates are read neither
    way, and their hint says how to write them."""
    if not len(text):
        return None
    return _slashed_stamps(_slashed_fields(_arrow_text(text)))


def _slashed_stamps(fields: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """``_slashed_dates`` of a column's ``_slashed_fields``."""
    first, second, year, hour, minute, seconds, pm, am = fields
    order = _day_and_month(first, second)
    if order is None:
        return None
    day, month = order
    # 1 to 12 o'clock, 12 AM being midnight; 13:00 PM is no time (an hour past 23 makes NaT).
    twelve = np.where((hour >= 1) & (hour <= 12), hour % 12 + 12 * pm, 99)
    hour = np.where(pm | am, twelve, hour)
    return _stamps(year, month, day, hour, minute, seconds)


def _day_and_month(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The day and the month of a column's dates with slashes, of their ``first`` and
    ``second`` numbers: the day is the one over 12 somewhere (NaN is none); None when neither
    or both are."""
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first == month_first:
        return None
    return (first, second) if day_first else (second, first)


def _slashed_column(text: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """``_slashed_dates`` of a column whose every cell is empty or has slashes, all NaT when
    the column does not tell the day from the month; None for another column, which the usual
    forms' expression reads first. Such a column skips that expression, which would read none
    of its dates (at a million dates 1.1 s for nothing), and its fields are found in one pass
    over its bytes."""
    fields = _fields_of_shape(text, _SLASHED_SHAPE, "/")
    if fields is None:
        return None
    stamps = _slashed_stamps(fields)
    return np.full(len(text), np.datetime64("NaT"), "datetime64[ns]") if stamps is None else stamps


#: ``_SLASHED_RE`` without its groups: Arrow matches it several times as fast as it extracts
#: them (0.17 s against 1.7 s at a million dates), and the fields of a cell of this shape are
#: found in its bytes.
_SLASHED_SHAPE = re.sub(r"\?P<\w+>", "?:", _SLASHED_RE)


#: A day, a month and a year with dots and perhaps a time, whatever the widths of the day,
#: month and hour (`5.10.2026 9:30`, as a Russian spreadsheet writes `д.ММ.гггг ч:мм`): what
#: ``_DATE_RE`` reads of such a cell, without its groups.
_DOTTED_SHAPE = (
    r"^[\s\pZ]*\d{1,2}\.\d{1,2}\.\d{4}(?:(?:T|[\s\pZ]+)\d{1,2}:\d{2}(?::\d{2})?)?[\s\pZ]*$"
)


#: ``_UNIX_RE`` for Arrow's regular expressions.
_UNIX_SHAPE = r"^\d{10}(?:\d{3})?$"


def _unix_fields(
    text: pa.Array | pa.ChunkedArray,
) -> tuple[np.ndarray, tuple[np.ndarray, ...], np.ndarray] | None:
    """``_fixed_width_fields`` of a column whose every non-empty cell is a Unix time (10
    digits, or 13 whose milliseconds are dropped, as ``_as_iso`` reads them): the fields of
    each in UTC, and a zone of no offset. None for another column. API dumps write a million
    of them, where reading each as ``_as_iso`` does took 6 s; its first cell is looked at
    first, so that a column of another form pays nothing."""
    if not _first_of_shape(text, _UNIX_SHAPE):
        return None
    filled = true_mask(pc.greater(pc.binary_length(text), 0))
    if not (true_mask(pc.match_substring_regex(text, _UNIX_SHAPE)) == filled).all():
        return None  # a cell of another form
    cells = text if filled.all() else text.filter(pa.array(filled))
    seconds = pc.cast(pc.utf8_slice_codeunits(cells, 0, 10), pa.int64())
    moments = np.asarray(seconds.to_numpy(), dtype=np.int64).astype("datetime64[s]")
    years, months = moments.astype("datetime64[Y]"), moments.astype("datetime64[M]")
    days = moments.astype("datetime64[D]")
    of_day = (moments - days).astype(np.int64)
    fields = (
        years.astype(np.int64) + 1970,
        (months - years).astype(np.int64) + 1,
        (days - months).astype(np.int64) + 1,
        of_day // 3600,
        of_day // 60 % 60,
        of_day % 60,
    )
    return filled, fields, np.zeros(len(moments), np.int32)


def _dotted_fields(text: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, ...] | None:
    """Year, month, day, hour, minute and second of a column whose every cell is empty or
    of ``_DOTTED_SHAPE``, read from the bytes (at a million dates 0.3 s, where the regular
    expression takes 1.4 s); None for another column."""
    fields = _fields_of_shape(text, _DOTTED_SHAPE, ".")
    if fields is None:
        return None
    day, month, year, hour, minute, second = fields[:6]
    return year, month, day, hour, minute, second


def _fields_of_shape(
    text: pa.Array | pa.ChunkedArray, shape: str, separator: str
) -> tuple[np.ndarray, ...] | None:
    """``_separated_fields`` of a column whose every cell is empty or of ``shape``; None for
    another column. Its first cell is looked at first, so that a column of another form pays
    nothing."""
    if not _first_of_shape(text, shape):
        return None
    filled = true_mask(pc.greater(pc.binary_length(text), 0))
    fields = _separated_fields(text, shape, separator)
    if not (np.isnan(fields[0]) == ~filled).all():
        return None  # a cell of another form
    return fields


def _first_of_shape(text: pa.Array | pa.ChunkedArray, shape: str) -> bool:
    """Whether the column's first non-empty cell (of its first thousand) has ``shape``: a
    column of another form pays a look at one cell."""
    head = text.slice(0, 1000)
    filled = true_mask(pc.greater(pc.binary_length(head), 0))
    return bool(filled.any()) and bool(
        true_mask(pc.match_substring_regex(head, shape))[np.argmax(filled)]
    )


def _slashed_fields(text: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, ...]:
    """``_separated_fields`` of dates with slashes, of ``_SLASHED_RE``'s shape."""
    return _separated_fields(text, _SLASHED_SHAPE, "/")


def _separated_fields(
    text: pa.Array | pa.ChunkedArray, shape: str, separator: str
) -> tuple[np.ndarray, ...]:
    """Of each cell of ``shape``, its first and second number, year, hour, minute and second
    as floats (a date's NaN for a cell of another shape, a time's 0 for a cell without one),
    and whether its time is PM, and AM.

    Such a cell, trimmed, is ASCII: `a/b/yyyy` (with ``separator``), then perhaps `T` or a
    space (after a comma) and `H:MM[:SS]`, then perhaps `AM` or `p.m.`. So its separators are
    its only two, the digits before its first colon are the hour's, and a `P` anywhere in it
    says PM."""
    size = len(text)
    shaped = true_mask(pc.match_substring_regex(text, shape))
    fields = [np.full(size, np.nan if index < 3 else 0.0) for index in range(6)]
    halves = [np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)]
    if not shaped.any():
        return (*fields, *halves)
    cells = pc.utf8_trim_whitespace(pc.filter(text, pa.array(shaped)))
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    offsets, data = string_buffers(cells)
    starts, ends = offsets[:-1], offsets[1:]
    data = data[: ends[-1]]
    last = len(data) - 1

    def digits(at: np.ndarray, width: int = 1) -> np.ndarray:
        """The number written in the ``width`` bytes from each of ``at`` (past the end, the
        last byte: never read for a number, since the cell's shape has the digits)."""
        found = [data[np.minimum(at + i, last)].astype(np.int64) - ord("0") for i in range(width)]
        return sum(value * 10 ** (width - 1 - i) for i, value in enumerate(found))

    def places(*characters: str) -> np.ndarray:
        """Where the cells' bytes are one of ``characters``."""
        cut = data[starts[0] :]
        found = cut == ord(characters[0])
        for character in characters[1:]:
            found |= cut == ord(character)
        return np.flatnonzero(found) + starts[0]

    def rows_with(*characters: str) -> np.ndarray:
        """The cell (its position in ``cells``) of each byte that is one of ``characters``."""
        return np.searchsorted(offsets, places(*characters), side="right") - 1

    marks = places(separator)
    first_mark, second_mark = marks[0::2], marks[1::2]
    # One digit or two before each separator.
    a = np.where(first_mark - starts == 2, digits(starts, 2), digits(starts))
    two = second_mark - first_mark == 3
    b = np.where(two, digits(first_mark + 1, 2), digits(first_mark + 1))
    year = digits(second_mark + 1, 4)
    hour, minute, second = np.zeros(len(starts)), np.zeros(len(starts)), np.zeros(len(starts))
    colons = places(":")
    timed, first_colon, count = np.unique(
        np.searchsorted(offsets, colons, side="right") - 1, return_index=True, return_counts=True
    )
    if len(timed):
        colon = colons[first_colon]
        tens = digits(colon - 2)
        hour[timed] = np.where((tens >= 0) & (tens <= 9), tens * 10, 0) + digits(colon - 1)
        minute[timed] = digits(colon + 1, 2)
        with_seconds = count == 2
        second[timed[with_seconds]] = digits(colon[with_seconds] + 4, 2)
    pm, am = np.zeros(len(starts), dtype=bool), np.zeros(len(starts), dtype=bool)
    pm[rows_with("P", "p")] = True
    am[rows_with("A", "a")] = True
    for whole, part in zip(
        (*fields, *halves), (a, b, year, hour, minute, second, pm, am), strict=True
    ):
        whole[shaped] = part
    return (*fields, *halves)


def _as_iso(value: str) -> str | None:
    """``value`` rewritten as a date ``parse_dates`` reads, when it has one of the forms
    above; None otherwise."""
    value = value.strip()
    if found := _AT_TWELVE_HOURS_RE.fullmatch(value):
        time = _as_24_hours(found["time"])
        if time == found["time"]:  # `13:30 PM`
            return None
        return _as_iso(f"{found['date']} {time}") or f"{found['date']} {time}"
    if found := _COMMA_TIME_RE.fullmatch(value):
        return f"{found['date']} {found['time']}"
    if found := _YEAR_DOTS_RE.fullmatch(value):
        time = found["time"] or "00:00"
        return f"{found['y']}-{int(found['m']):02d}-{int(found['d']):02d} {time}"
    if found := _BASIC_RE.fullmatch(value):
        time = f"{found['H']}:{found['M']}:{found['S'] or '00'}" if found["H"] else "00:00"
        return f"{found['y']}-{found['m']}-{found['d']} {time}{found['tz'] or ''}"
    if found := _UNIX_RE.fullmatch(value):
        moment = dt.datetime.fromtimestamp(int(found["s"]), dt.UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S+00:00")
    for pattern in (_DAY_MONTH_NAME_RE, _MONTH_NAME_DAY_RE, _TWITTER_RE):
        if found := pattern.fullmatch(value):
            month = _month_names().get(fold(found["name"]).rstrip("."))
            if month is None:
                return None
            time = found["time"] or "00:00"
            zone = found.groupdict().get("tz") or ""
            return f"{found['y']}-{month:02d}-{int(found['d']):02d} {time}{zone}"
    return None


def _stamps(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    hour: np.ndarray,
    minute: np.ndarray,
    second: np.ndarray,
) -> np.ndarray:
    """Timestamps from their fields (NaN in a date's field makes NaT), NaT where the fields
    make no date: day 31 of a 30-day month, hour 24, a year pandas cannot hold."""
    with np.errstate(invalid="ignore"):
        valid = (year >= 1678) & (year <= 2261) & (month >= 1) & (month <= 12) & (day >= 1)
        valid &= (hour < 24) & (minute < 60) & (second < 60)
    every = bool(valid.all())
    # Months since January 1970, worked out in place: each new column of a million
    # timestamps is 8 MB of memory touched. Rows of no valid date get the earliest month.
    months = _whole(year if every else year[valid])
    months -= 1970
    months *= 12
    months += _whole(month if every else month[valid])
    months -= 1
    earliest, latest = (int(months.min()), int(months.max())) if len(months) else (0, 0)
    if not every:
        spread = np.full(len(year), earliest, dtype=np.int64)
        spread[valid] = months
        months = spread
    months -= earliest
    # The first day of each month from the earliest to the one after the latest, worked out
    # once per month: numpy's calendar arithmetic per row costs more than the rest together.
    starts = (
        np.arange(earliest, latest + 2)
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    valid &= day <= np.diff(starts)[months]  # a day the month has
    seconds = starts[months]
    seconds += _whole(day)
    seconds -= 1
    seconds *= 86400
    seconds += (hour * 3600 + minute * 60 + second).astype(np.int64)
    seconds *= 1_000_000_000
    values = seconds.view("datetime64[ns]")
    values[~valid] = np.datetime64("NaT")
    return values


def _whole(values: np.ndarray) -> np.ndarray:
    """A date's field as a new array of int64 (NaN, a field of no valid date, as 0)."""
    return (np.nan_to_num(values) if values.dtype.kind == "f" else values).astype(np.int64)


#: The date and time forms accepted, for Arrow's regular expressions (RE2), which run over
#: whole columns at once.
_DATE_RE = (
    r"(?i)^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})/(?P<m3>\d{1,2})/(?P<d3>\d{1,2}))"
    r"(?:(?:T|[\s\pZ]+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"[\s\pZ]*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$"
)


#: Forms that exports write with every field at a fixed place: (positions of day, month, year,
#: hour, minute, second or None) and the separators each form has, by position.
_Places = tuple[tuple[int, int] | None, ...]
_FIXED_FORMS: dict[int, list[tuple[_Places, dict[int, bytes]]]] = {
    10: [
        (((0, 2), (3, 5), (6, 10), None, None, None), {2: b".", 5: b"."}),
        (((8, 10), (5, 7), (0, 4), None, None, None), {4: b"-", 7: b"-"}),
        (((8, 10), (5, 7), (0, 4), None, None, None), {4: b"/", 7: b"/"}),
    ],
    16: [
        (
            ((0, 2), (3, 5), (6, 10), (11, 13), (14, 16), None),
            {2: b".", 5: b".", 10: b" T", 13: b":"},
        ),
        (
            ((8, 10), (5, 7), (0, 4), (11, 13), (14, 16), None),
            {4: b"-", 7: b"-", 10: b" T", 13: b":"},
        ),
        (
            ((8, 10), (5, 7), (0, 4), (11, 13), (14, 16), None),
            {4: b"/", 7: b"/", 10: b" T", 13: b":"},
        ),
    ],
    19: [
        (
            ((0, 2), (3, 5), (6, 10), (11, 13), (14, 16), (17, 19)),
            {2: b".", 5: b".", 10: b" T", 13: b":", 16: b":"},
        ),
        (
            ((8, 10), (5, 7), (0, 4), (11, 13), (14, 16), (17, 19)),
            {4: b"-", 7: b"-", 10: b" T", 13: b":", 16: b":"},
        ),
        (
            ((8, 10), (5, 7), (0, 4), (11, 13), (14, 16), (17, 19)),
            {4: b"/", 7: b"/", 10: b" T", 13: b":", 16: b":"},
        ),
    ],
}


#: Dates with slashes and the year last, with every field at a fixed place (`25/10/2026 14:30`,
#: `10/25/2026`): the places of the first number, the second, the year, hour, minute and
#: second. Which of the first two is the day, the column tells, as ``_slashed_dates`` says.
_FIXED_SLASHED_FORMS: dict[int, list[tuple[_Places, dict[int, bytes]]]] = {
    10: [(((0, 2), (3, 5), (6, 10), None, None, None), {2: b"/", 5: b"/"})],
    16: [
        (
            ((0, 2), (3, 5), (6, 10), (11, 13), (14, 16), None),
            {2: b"/", 5: b"/", 10: b" T", 13: b":"},
        )
    ],
    19: [
        (
            ((0, 2), (3, 5), (6, 10), (11, 13), (14, 16), (17, 19)),
            {2: b"/", 5: b"/", 10: b" T", 13: b":", 16: b":"},
        )
    ],
}


#: What may follow a fixed-width time, as APIs write it: a fraction of a second (after the
#: seconds only) and a zone (`…T14:05:00Z`, `….123Z`, `…+03:00`, `… -0800`). By place: `d` a
#: digit not read, `h` and `m` the zone's hours and minutes, `+` its sign, other characters a
#: separator (`Z` in either case, `.` or `,`).
_ZONE_SUFFIXES = (
    "Z",
    ".dddZ",
    ".ddddddZ",
    ".ddd",
    ".dddddd",
    "+hh:mm",
    "+hhmm",
    "+hh",
    " +hh:mm",
    " +hhmm",
    ".ddd+hh:mm",
    ".dddddd+hh:mm",
)
_SUFFIX_BYTES = {"Z": b"Zz", ".": b".,", "+": b"+-", ":": b":", " ": b" "}


def _fixed_width_fields(
    text: pa.Array | pa.ChunkedArray,
) -> tuple[np.ndarray, tuple[np.ndarray, ...], np.ndarray | None] | None:
    """The mask of non-empty cells, the year, month, day, hour, minute and second of each,
    and its zone's offset in minutes (None for a form without one), read straight from the
    bytes when every non-empty cell has the same fixed-width form (``31.10.2026 14:05``,
    ``2026-10-31T14:05:00``, ``2026-10-31T14:05:00.123Z``, ``10/25/2026 14:05``...), as
    monitoring exports, APIs and spreadsheets write them; None otherwise, and the regular
    expression reads the column. At a million rows this is about 10 to 20 times faster; the
    fields are small integers of the non-empty cells only, which at ten million rows saves a
    gigabyte of temporaries. The bytes are read chunk by chunk, where Arrow holds them."""
    if text.null_count or not len(text):
        return None
    lengths = np.asarray(pc.binary_length(text).to_numpy(zero_copy_only=False))
    filled = lengths > 0
    if not filled.any():
        return None
    width = int(lengths.max())
    if int(lengths[filled].min()) != width:
        return None
    suffixes = (
        [""]
        if width in _FIXED_FORMS
        else [
            suffix
            for suffix in _ZONE_SUFFIXES
            if width - len(suffix) in (16, 19) and ("d" not in suffix or width - len(suffix) == 19)
        ]
    )
    if not suffixes:
        return None
    cells = text if filled.all() else text.filter(pa.array(filled))
    grids = []
    for chunk in cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]:
        offsets, data = string_buffers(chunk)
        grids.append(data[offsets[0] : offsets[-1]].reshape(-1, width))
    for suffix in suffixes:
        base = width - len(suffix)
        zone = _zone(grids, base, suffix)
        if zone is False:
            continue
        form = _fixed_form([grid[:, :base] for grid in grids], base, slashed=not suffix)
        if form is None:
            return None
        places, slashed = form
        fields = []
        for place in places:
            parts = [_digits(grid, place) for grid in grids]
            if any(part is None for part in parts):
                return None
            fields.append(np.concatenate([np.zeros(0, np.int32), *parts]))
        day, month, year, hour, minute, second = fields
        if slashed:
            order = _day_and_month(day, month)
            if order is None:
                return None  # ``_slashed_column`` says so of every date
            day, month = order
        return filled, (year, month, day, hour, minute, second), zone
    return None


def _zone(grids: list[np.ndarray], base: int, suffix: str) -> np.ndarray | Literal[False] | None:
    """The offset in minutes that ``suffix`` (one of ``_ZONE_SUFFIXES``, or none) gives each
    row of ``grids``, whose time ends at ``base``; None for no zone, False if a row has not
    this suffix."""
    places: dict[str, list[int]] = {}
    for at, kind in enumerate(suffix, start=base):
        if kind in "dhm":
            if any(_digits(grid, (at, at + 1)) is None for grid in grids):
                return False
            places.setdefault(kind, []).append(at)
        elif not _all_of(grids, at, _SUFFIX_BYTES[kind]):
            return False
    if "+" not in suffix:
        return np.zeros(sum(len(g) for g in grids), np.int32) if "Z" in suffix else None
    sign_at = base + suffix.index("+")
    minutes = []
    for grid in grids:
        # Their digits were checked above.
        hours = _digits(grid, (places["h"][0], places["h"][-1] + 1))
        mins = _digits(grid, (places["m"][0], places["m"][-1] + 1)) if "m" in places else 0
        sign = np.where(grid[:, sign_at] == ord("-"), -1, 1)
        minutes.append((sign * (np.asarray(hours) * 60 + np.asarray(mins))).astype(np.int32))
    return np.concatenate([np.zeros(0, np.int32), *minutes])


def _digits(grid: np.ndarray, place: tuple[int, int] | None) -> np.ndarray | None:
    """The number each row of ``grid`` writes at ``place`` (0 for none: a missing time of
    day is midnight); None if a row has something other than digits there."""
    number = np.zeros(len(grid), dtype=np.int32)
    for at in range(*place) if place is not None else ():
        digit = grid[:, at] - np.uint8(ord("0"))  # wraps below '0': > 9 as well
        if (digit > 9).any():
            return None
        number = number * 10 + digit
    return number


def _fixed_form(grids: list[np.ndarray], width: int, slashed: bool) -> tuple[_Places, bool] | None:
    """The places of the form whose separators every row of every grid has, if one has, and
    whether it is a date with slashes and the year last (its first number the day or the
    month, as the column tells: ``_day_and_month``). Those are looked for only if
    ``slashed``: ``_SLASHED_RE`` reads them with no zone after."""
    forms = [(places, separators, False) for places, separators in _FIXED_FORMS[width]]
    if slashed:
        forms += [(places, marks, True) for places, marks in _FIXED_SLASHED_FORMS.get(width, [])]
    for places, separators, year_last in forms:
        if all(_all_of(grids, at, allowed) for at, allowed in separators.items()):
            return places, year_last
    return None


def _all_of(grids: list[np.ndarray], at: int, allowed: bytes) -> bool:
    """Whether every row of every grid has one of the ``allowed`` bytes at ``at``."""
    return all(
        np.logical_or.reduce([grid[:, at] == byte for byte in allowed]).all() for grid in grids
    )


def _part(parts: object, *names: str) -> np.ndarray:
    """The first non-empty of the named groups as floats (NaN where none matched)."""
    value = pc.struct_field(parts, names[0])
    for name in names[1:]:
        value = pc.if_else(pc.equal(value, ""), pc.struct_field(parts, name), value)
    value = pc.if_else(pc.equal(value, ""), pa.scalar(None, pa.string()), value)
    return np.asarray(pc.cast(value, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


@per_value
def _offsets(zones: pd.Series) -> pd.Series:
    return zones.map(lambda z: _offset_minutes(z) if z else np.nan).astype(float)


def _offset_minutes(text: str) -> float:
    if text.upper() in {"Z", "UTC", "GMT"}:
        return 0.0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return sign * (hours * 60 + minutes)


#: A month by its name and a year, as a table kept by hand writes it: `Октябрь 2026`,
#: `окт. 2026 г.`, `October 2026`, `Oct 2026`.
_NAMED_MONTH_RE = re.compile(
    r"^\s*(?P<name>[^\W\d_]+)\.?[\s\-]*(?P<y>\d{4})(?:\s*(?:г\.?|года?))?\s*$", re.IGNORECASE
)


@functools.cache
def _month_names() -> dict[str, int]:
    """Month numbers by name, folded: Russian and English, whole, abbreviated (as Babel's
    locale data has them, either grammatical case) and cut to three letters."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for locale in ("ru", "en"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    word = fold(name).rstrip(".")
                    names[word] = number
                    names[word[:3]] = number
    names["sept"] = 9  # British usage, which English locale data does not list
    return names


def _named_months(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Year (text) and month (float) of the cells that name a month (``_NAMED_MONTH_RE``)."""
    parts = text.str.extract(_NAMED_MONTH_RE)
    known = _month_names()
    month = parts["name"].map(lambda name: known.get(fold(name)) if isinstance(name, str) else None)
    month = pd.to_numeric(month, errors="coerce")
    return parts["y"].where(month.notna()), month


def parse_periods(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``YYYY-MM`` strings from ``YYYY-MM``, ``MM.YYYY`` (or with slashes), a month's name and
    year (``_NAMED_MONTH_RE``) or a full date (spreadsheets turn a month into a date when they
    re-save a file), and a mask of cells that are not months."""
    text = _text(series).astype("str")  # one cell per month and platform or metric: few
    parts = text.str.extract(_PERIOD_RE)
    year = parts["y"].fillna(parts["y2"])
    month = pd.to_numeric(parts["m"].fillna(parts["m2"]), errors="coerce")
    if year.isna().any():
        named_year, named_month = _named_months(text.where(year.isna(), ""))
        year = year.fillna(named_year)
        month = month.fillna(named_month)
    if year.isna().any():  # a full date, or no month at all
        dates, _ = parse_dates(text.where(year.isna(), ""), "UTC")
        year = year.fillna(dates.dt.year.astype("Int64").astype(str).where(dates.notna()))
        month = month.fillna(dates.dt.month.astype(float))
    ok = year.notna() & month.between(1, 12)
    periods = pd.Series(None, index=series.index, dtype=object)
    periods[ok] = (
        year[ok].astype(str) + "-" + month[ok].astype(int).astype(str).str.zfill(2)
    ).to_numpy()
    return periods, ~ok


def parse_numbers(series: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Floats (NaN for empty cells), a mask of non-numbers and a mask of empty cells."""
    return _plain_numbers(series) or _any_numbers(series, decimal_comma)


def _plain_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series] | None:
    """``parse_numbers`` of a column of bare digits and empty cells, as most counts are, read
    without cleaning every cell first; None for any other column."""
    text = _arrow_text(series)
    if len(text) == 0 or text.null_count:
        return None
    empty = pc.equal(text, "")
    # ASCII digits only: cells the general reader reads as they are, so both give the same.
    if not pc.all(pc.or_(pc.ascii_is_decimal(text), empty)).as_py():
        return None
    plain = true_mask(empty)
    return _as_floats(series.index, text, plain, ~plain)


def _any_numbers(series: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``parse_numbers`` of any column: spaces and thousands marks removed, decimal commas."""
    text = _arrow_text(_number_text(series))
    if decimal_comma:
        text = pc.replace_substring(text, ",", ".")
    else:
        grouped = pc.match_substring_regex(text, COMMA_GROUPS_RE)
        text = pc.if_else(grouped, pc.replace_substring(text, ",", ""), text)
    empty = true_mask(pc.equal(text, ""))
    return _as_floats(
        series.index, text, empty, true_mask(pc.match_substring_regex(text, NUMBER_RE))
    )


def _as_floats(
    index: pd.Index, text: pa.Array, empty: np.ndarray, is_number: np.ndarray
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The numbers' values, and masks of bad and empty cells (too large a number is bad)."""
    chosen = pc.if_else(pa.array(is_number), text, pa.scalar(None, text.type))
    values = np.array(pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    with np.errstate(invalid="ignore"):
        bad = ~empty & (~is_number | ~np.isfinite(values))
    values[bad] = np.nan
    return (
        pd.Series(values, index=index),
        pd.Series(bad, index=index),
        pd.Series(empty, index=index),
    )


@per_value
def _number_text(series: pd.Series) -> pd.Series:
    text = _text(series).str.replace(SPACES_RE, "", regex=True).str.replace(MINUS, "-")
    for mark, pattern in GROUPED_RE.items():
        grouped = text.str.match(pattern)
        if grouped.any():
            text = text.where(~grouped, text.str.replace(mark, "", regex=False))
    return text.mask(_no_value(text), "")


_Numbers = tuple[pd.Series, pd.Series, pd.Series]


def _counts(
    cells: _Cells,
    column: str,
    decimal_comma: bool,
    parsed: _Numbers | None = None,
) -> pd.Series:
    """A column of non-negative whole numbers, empty allowed; ``parsed`` is the column's
    ``parse_numbers`` when it was already read."""
    values, bad, empty = parsed or parse_numbers(cells.frame[column], decimal_comma)
    comma_hint = "" if decimal_comma else "this file is comma-separated, so write decimals with '.'"
    cells.report(
        column,
        bad,
        lambda v: f"expected a whole number ≥ 0, got {quote(v)}",
        lambda v: _ABBREVIATED_HINT if _ABBREVIATED_RE.match(v) else comma_hint if "," in v else "",
        ru=_not_a_count_ru,
    )
    wrong = ~bad & ~empty & ((values < 0) | (values != values.round()))
    cells.report(
        column,
        wrong,
        lambda v: f"expected a whole number ≥ 0, got {quote(v)}",
        lambda v: (
            _DECIMAL_COMMA_HINT if decimal_comma and re.match(COMMA_GROUPS_RE, v.strip()) else ""
        ),
        ru=_not_a_count_ru,
    )
    # Beyond 2**53 a count is no longer held exactly: the report would show another number.
    huge = ~bad & ~empty & ~wrong & (values > MAX_COUNT)
    cells.report(
        column,
        huge,
        lambda v: f"too large for a count, got {quote(v)}",
        _MAX_COUNT_HINT,
        ru=lambda v: f"слишком большое число для количества: {quote(v)}",
    )
    wrong |= huge
    return values.where(~wrong)


def _not_a_count_ru(value: str) -> str:
    return f"ожидалось целое число ≥ 0, а не {quote(value)}"


def _sentiment_hint(value: str) -> str:
    if fold(value) in _MIXED_WORDS:
        return (
            "the reports count three tonalities; give the row its tonality towards the brand: "
            "positive, neutral or negative"
        )
    return "also accepted: позитив/нейтрал/негатив, 1/0/-1"


def _no_number(value: str) -> str:
    if value.strip():
        return f"has no figure ({quote(value)}), a number is required"
    return "is empty, a number is required"


def _no_number_ru(value: str) -> str:
    if value.strip():
        return f"нет числа ({quote(value)}), а число обязательно"
    return "пусто, а число обязательно"


def _required_text(cells: _Cells, column: str) -> pd.Series:
    text = _text(cells.frame[column])
    cells.report(
        column,
        text.eq(""),
        lambda v: "is empty, a value is required",
        ru=lambda v: "пусто, а значение обязательно",
    )
    return text


def _choice(
    cells: _Cells, column: str, words: Mapping[str, str], default: str, allowed: tuple[str, ...]
) -> pd.Series:
    folded = _fold(cells.frame[column])
    values = _lookup(folded, {**words, "": default})
    cells.report(
        column,
        values.isna(),
        lambda v: f"expected {'/'.join(allowed)}, got {quote(v)}",
        lambda v: did_you_mean(fold(v), words),
        ru=lambda v: f"ожидалось {'/'.join(allowed)}, а не {quote(v)}",
    )
    return values


def brand_index(client: Client) -> dict[str, str]:
    """Every name and alias of every tracked brand, as compared, to its canonical name."""
    index: dict[str, str] = {}
    for brand in client.brands:
        for spelling in (brand.name, *brand.aliases):
            index.setdefault(brand_key(spelling), brand.name)
    return index


#: What dresses a brand's name up without making it another: quotes around it (`«Дубрава»`,
#: as Russian texts write a company's name), a trademark sign, and the sign of a hashtag or a
#: handle before it (`#Дубрава`, `@dubrava`), as monitoring tools name their queries.
_BRAND_DRESS = r"[®™©]|^[\s\"'«»“”„‘’#@]+|[\s\"'«»“”„‘’]+$"


def brand_key(value: str) -> str:
    """A brand's name as compared: folded, and undressed."""
    return re.sub(_BRAND_DRESS, "", fold(value))


@per_value
def _brand_keys(series: pd.Series) -> pd.Series:
    return _fold(series).str.replace(_BRAND_DRESS, "", regex=True)


@per_value
def platform_names(series: pd.Series) -> pd.Series:
    """Known platforms by their usual name; others as first written (compared ignoring case).

    Distinct values come in the order they first appear, so "first written" holds per value.
    """
    text = _text(series)
    folded = _platform_key(series)
    shown = text.str.replace(UNSHOWN, "", regex=True)
    first = shown.groupby(folded, sort=False).transform("first")
    return folded.map(PLATFORM_NAMES).fillna(first).where(text.ne(""), "")


#: What a site's address may have before its name: an export's `Источник` column writes
#: `https://vk.com/`, `www.instagram.com`, `m.vk.com` (the mobile site) or `vk.com` for one
#: platform.
_SITE_PREFIX = r"^(?:https?://)?(?:www\.|m\.)?"


@per_value
def _platform_key(series: pd.Series) -> pd.Series:
    """A platform's name as compared: folded, without a site's scheme, `www.` or final `/`,
    nor the asterisk with which Russian reports mark Meta's networks (`Instagram*`)."""
    folded = _fold(series).str.rstrip("* ").str.replace(_SITE_PREFIX, "", regex=True)
    return folded.str.rstrip("/")


def _brands(cells: _Cells, client: Client | None) -> pd.Series:
    """Canonical brand names; unknown spellings are errors (unchecked without a client.yml)."""
    folded = _brand_keys(cells.frame["brand"])
    cells.report(
        "brand",
        folded.eq(""),
        lambda v: "is empty, a brand is required",
        ru=lambda v: "пусто, а бренд обязателен",
    )
    if client is None:
        return _text(cells.frame["brand"])
    brand = _lookup(folded, brand_index(client))
    names = [s for b in client.brands for s in (b.name, *b.aliases)]
    cells.report(
        "brand",
        brand.isna() & folded.ne(""),
        lambda v: f"unknown brand {quote(v)}",
        lambda v: (
            did_you_mean(v.strip(), names) or "add it to brand.aliases or competitors in client.yml"
        ),
        ru=lambda v: f"неизвестный бренд {quote(v)}",
    )
    return brand


def _mentions(table: Table, cells: _Cells, client: Client | None) -> tuple[pd.DataFrame, pd.Series]:
    # Keying the links and reading the counts are NumPy and Arrow work, which runs outside
    # Python's lock: on a second thread they take no time from the checks of the other
    # columns. Only values are computed there; problems are reported here, in a fixed order.
    url, no_links = _no_link_said(*with_scheme(_text(table.frame["url"])))
    _warn_of_no_links(cells, url, no_links)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Whatever the brand: the brands are not known yet, and the rows this adds (one link
        # for two brands) are few and compared as text after.
        repeats = pool.submit(_keyed_links, url)
        numbers = {
            column: pool.submit(parse_numbers, table.frame[column], table.decimal_comma)
            for column in MENTION_COUNTS
        }
        return _check_mentions(table, cells, client, url, repeats, numbers)


def _check_mentions(
    table: Table,
    cells: _Cells,
    client: Client | None,
    url: pd.Series,
    repeats: Future[tuple[np.ndarray | None, np.ndarray]],
    numbers: Mapping[str, Future[_Numbers]],
) -> tuple[pd.DataFrame, pd.Series]:
    frame = table.frame
    timezone = client.timezone if client else "UTC"
    timed, beside = _with_times(frame)
    dates, bad_dates = parse_dates(frame["date"] if timed is None else timed, timezone)
    empty_dates = _empty_among(frame["date"], bad_dates)
    cells.report(
        "date",
        empty_dates,
        lambda v: "is empty, a date is required",
        DATE_HINT,
        ru=lambda v: "пусто, а дата обязательна",
    )
    bad_times = (
        _bad_times(frame, bad_dates & ~empty_dates, timezone)
        if timed is not None
        else np.zeros(len(frame), dtype=bool)
    )
    cells.report(
        "date",
        bad_dates & ~empty_dates & ~bad_times,
        lambda v: f"not a date: {quote(v)}",
        _date_hint(DATE_HINT),
        ru=lambda v: f"не дата: {quote(v)}",
    )
    cells.report(
        MENTION_TIME,
        bad_times,
        lambda v: f"not a time of day: {quote(v)}",
        TIME_HINT,
        ru=lambda v: f"не время суток: {quote(v)}",
    )
    _warn_of_unused_times(cells, frame, dates, beside)
    brand = _brands(cells, client)
    folded_sentiment = _fold(frame["sentiment"])
    sentiment = _lookup(folded_sentiment, _SENTIMENT_WORDS)
    cells.report(
        "sentiment",
        sentiment.isna(),
        lambda v: (
            "is empty, a sentiment is required"
            if not v.strip()
            else f"expected positive/neutral/negative, got {quote(v)}"
        ),
        _sentiment_hint,
        ru=lambda v: (
            "пусто, а тональность обязательна"
            if not v.strip()
            else f"ожидалось позитив/нейтрал/негатив, а не {quote(v)}"
        ),
    )
    kind = _choice(cells, "kind", _KIND_WORDS, client.default_kind if client else "post", KINDS)
    media_type = _choice(cells, "media_type", _MEDIA_WORDS, "online", MEDIA_TYPES)
    out = pd.DataFrame(
        {
            "line": frame[LINE],
            "date": dates,
            "period": month_keys(dates),
            "brand": brand,
            "sentiment": sentiment.fillna(0).astype("int8"),
            "kind": kind,
            "media_type": media_type.where(kind.eq("media")),
            "platform": platform_names(frame["platform"]),
            "url": url,
            "author": _text(frame["author"]),
            "text": frame["text"].astype("str").fillna(""),
        },
        copy=False,  # each column is new or shared copy-on-write: no need to gather blocks
    )
    # Counts the second thread has not begun are read here instead, from the last one back
    # while it works from the first: neither thread waits long for the other.
    parsed = {
        column: parse_numbers(frame[column], table.decimal_comma)
        if numbers[column].cancel()
        else numbers[column].result()
        for column in reversed(MENTION_COUNTS)
    }
    for column in MENTION_COUNTS:
        out[column] = _counts(cells, column, table.decimal_comma, parsed=parsed[column])
    keys, may_repeat = repeats.result()
    far = _report_far_off(
        cells, "date", out["period"], "a mention is dated when it was published: correct the year"
    )
    out["duplicate"] = _mark_duplicates(out, cells, may_repeat)
    if keys is not None:
        out[_LINK_KEY] = keys  # for repeats across files; taken out of the rows kept
    return out, out["period"].where(~bad_dates & ~far)


def _with_times(frame: pd.DataFrame) -> tuple[pd.Series | None, np.ndarray]:
    """The dates with the ``time`` column's time of day after them, where a date has none of
    its own (as exports that write the two apart do), None when no date needs one; and the
    rows whose time is beside a date that has (``_warn_of_unused_times``)."""
    if MENTION_TIME not in frame:
        return None, np.zeros(0, dtype=np.int64)
    date = _text(frame["date"]).astype("str")
    time = _day_time(_text(frame[MENTION_TIME])).astype("str")
    given = time.ne("").to_numpy(dtype=bool)
    own = date.str.contains(_OWN_TIME, regex=True).to_numpy(dtype=bool)
    beside = np.flatnonzero(given & own)
    apart = given & ~own
    if not apart.any():
        return None, beside
    return date.where(~apart, date + " " + time), beside


def _warn_of_unused_times(
    cells: _Cells, frame: pd.DataFrame, dates: pd.Series, beside: np.ndarray
) -> None:
    """One warning for each file's rows whose ``time`` is not used: their date has a time of
    its own, which is kept (``beside``, of ``_with_times``), and this one is another. The same
    time written in both (`05.10.2026 14:30` and `14:30`), or the date's own in the client's
    zone (a Unix time, `2026-10-05T11:30Z`), is no warning; nor is a date that is none."""
    rows = beside[dates.notna().to_numpy(dtype=bool)[beside]]
    if not len(rows):
        return
    time = _day_time(_text(take_rows(frame[MENTION_TIME], rows))).astype("str")
    hour, minute = _clock(time.reset_index(drop=True), "^")
    date = _text(take_rows(frame["date"], rows)).astype("str")
    written_hour, written_minute = _clock(date.reset_index(drop=True), "")
    stamps = dates.iloc[rows]
    local = (stamps.dt.hour.to_numpy() == hour) & (stamps.dt.minute.to_numpy() == minute)
    written = (written_hour == hour) & (written_minute == minute)
    _warn_once_a_file(
        cells,
        rows[~(local | written)],
        MENTION_TIME,
        lambda first: (
            f"not used: {quote(str(frame[MENTION_TIME].iloc[first]))}, the date has a time of "
            f"its own: {quote(str(frame['date'].iloc[first]))}"
        ),
        "times",
        "the date's own time is kept: clear the time column, or the time in the date",
    )


def _clock(text: pd.Series, anchor: str) -> tuple[np.ndarray, np.ndarray]:
    """The hour and minute of the first `H:MM` of each cell (from its start with ``anchor``
    `^`), as floats; NaN where there is none."""
    found = text.str.extract(anchor + r"(\d{1,2}):(\d{2})")
    return (
        pd.to_numeric(found[0]).to_numpy(dtype=float),
        pd.to_numeric(found[1]).to_numpy(dtype=float),
    )


#: A date that has a time of its own: with a colon, in Unix time, or in ISO 8601's basic form
#: with a time (`20261005T1430`).
_OWN_TIME = r":|^\d{10}(?:\d{3})?$|^(?:19|20)\d{6}[T\s]?\d{4}"


@per_value
def _day_time(time: pd.Series) -> pd.Series:
    """Times of 12 hours (`2:30 PM`, `12:05 a.m.`, as American exports write a time column)
    as times of 24 (`14:30`, `00:05`); any other as written."""
    return time.map(_as_24_hours).astype(time.dtype)


def _as_24_hours(value: str) -> str:
    found = _TWELVE_HOURS.fullmatch(value)
    if found is None or not 1 <= int(found["H"]) <= 12:
        return value  # `13:30 PM` is no time: it is said so as written
    hour = int(found["H"]) % 12 + (12 if found["half"] in "Pp" else 0)
    seconds = f":{found['S']}" if found["S"] else ""
    return f"{hour:02d}:{found['M']}{seconds}"


def _among(
    series: pd.Series, rows: pd.Series | np.ndarray, test: Callable[[pd.Series], pd.Series]
) -> np.ndarray:
    """``test`` of the cells of ``series`` in ``rows`` alone (False elsewhere): a few rows of
    a large column, where testing every cell would cost as much as the check itself."""
    positions = np.flatnonzero(np.asarray(rows, dtype=bool))
    found = np.zeros(len(series), dtype=bool)
    if len(positions):
        taken = take_rows(series, positions).reset_index(drop=True)
        found[positions] = test(taken).to_numpy(dtype=bool)
    return found


def _empty_among(series: pd.Series, rows: pd.Series) -> np.ndarray:
    """The empty cells of ``series``, looked for among ``rows`` alone: an empty date is never
    read as one, so a column of a million read dates need not be trimmed again to find none."""
    return _among(series, rows, lambda cells: _text(cells).eq(""))


def _bad_times(frame: pd.DataFrame, bad: pd.Series, timezone: str) -> np.ndarray:
    """Of the ``bad`` rows (their date and time together not a date), those whose date alone
    is one: the time is what is wrong."""
    return _among(frame["date"], bad, lambda dates: ~parse_dates(dates, timezone)[1])


def _mark_duplicates(out: pd.DataFrame, cells: _Cells, may_repeat: np.ndarray) -> pd.Series:
    """The same non-empty url and brand as an earlier valid row of the same file: keep the
    first, warn. Repeats across files are ``mark_repeats_across``'s, worded with both places.

    ``may_repeat`` are ``_may_repeat`` of ``out["url"]``.
    """
    # Only the rows whose link may repeat are compared as text: usually few of a large file,
    # where a table of every distinct link took a third of the file's check.
    candidates = may_repeat & ~cells.bad
    # Taken by position: a boolean mask over every row costs four times as much in pandas.
    rows = np.flatnonzero(candidates)
    keyed = take_frame(out[["url", "brand", "line"]], rows).assign(file=cells.owners[rows])
    key = ["url", "brand", "file"]
    keyed = keyed[keyed.duplicated(key, keep=False).to_numpy()]
    dup = keyed.duplicated(key, keep="first")
    firsts = keyed.groupby(key, sort=False)["line"].transform("first")
    # As plain ints: iterating a Series gives a NumPy scalar a row, and an export appended to
    # itself repeats every row.
    lines, owners = (keyed.loc[dup, name].to_numpy().tolist() for name in ("line", "file"))
    problems = [
        Problem(
            cells.paths[owner],
            line,
            "url",
            f"duplicate of line {first} (same url and brand); line {first} is kept",
            severity=Severity.WARNING,
        )
        for line, first, owner in zip(lines, firsts[dup].to_numpy().tolist(), owners, strict=True)
    ]
    cells.warnings.extend(problems)
    marks = pd.Series(False, index=out.index)
    marks[keyed.index[dup.to_numpy()]] = True
    return marks


def joined_rows(results: Sequence[FileResult], columns: list[str] | None = None) -> pd.DataFrame:
    """The rows kept of ``results`` (at least one, each with a frame) one after another, of
    ``columns`` or all. Files checked together are taken from the rows they were checked in,
    in one slice: joining a year of daily files again from their own frames took a tenth of a
    second, to make what was there before they were cut apart."""
    parts: list[pd.DataFrame | tuple[pd.DataFrame, int, int]] = []
    for result in results:
        share = result.shared if result.shared and result.shared.frame is result.frame else None
        last = parts[-1] if parts else None
        if share and isinstance(last, tuple) and last[0] is share.rows and last[2] == share.start:
            parts[-1] = (share.rows, last[1], share.stop)
        elif share:
            parts.append((share.rows, share.start, share.stop))
        else:
            assert result.frame is not None
            parts.append(result.frame)
    frames = [part if isinstance(part, pd.DataFrame) else _slice(*part) for part in parts]
    if columns is not None:
        frames = [frame[columns] for frame in frames]
    # A new frame even of one part: whoever adds a column to it adds none to a file's rows.
    return frames[0].copy(deep=False) if len(frames) == 1 else concat_rows(frames)


def _slice(frame: pd.DataFrame, start: int, stop: int) -> pd.DataFrame:
    if start == 0 and stop == len(frame):
        return frame
    return frame.iloc[start:stop].reset_index(drop=True)


def concat_rows(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The rows of several files' frames in order; a column of categories in every frame
    stays one (its categories joined), instead of becoming a string per row."""
    columns = {}
    # A frame's columns taken all at once: by name, each costs tens of microseconds, which a
    # year of daily files makes thousands of times.
    by_name = [dict(frame.items()) for frame in frames]
    for name in frames[0].columns:
        parts = [frame[name] for frame in by_name]
        if all(isinstance(part.dtype, pd.CategoricalDtype) for part in parts):
            parts = _same_categories_joined(parts)
            if all(part.cat.ordered for part in parts):
                # Months: ordered, so the joined categories must be in order too.
                order = sorted(set().union(*(part.cat.categories for part in parts)))
                parts = [part.cat.set_categories(order) for part in parts]
            columns[name] = pd.Series(union_categoricals([part.array for part in parts]))
        else:
            columns[name] = _joined_column(parts)
    return pd.DataFrame(columns, copy=False)


def _joined_column(parts: Sequence[pd.Series]) -> pd.Series:
    """Columns one after another, as ``pd.concat`` joins them. Columns of one type are joined
    by their arrays (the interface every pandas array has for this), five times as fast as
    ``pd.concat`` of 365 columns, which sets up an index for each."""
    if all(part.dtype == parts[0].dtype for part in parts):
        arrays = [part.array for part in parts]
        joined = type(arrays[0])._concat_same_type(arrays)
        return pd.Series(joined, dtype=parts[0].dtype, copy=False)  # no type guessed anew
    return pd.concat(parts, ignore_index=True)


def _same_categories_joined(parts: Sequence[pd.Series]) -> list[pd.Series]:
    """Runs of columns of categories with the same categories in the same order, each joined
    into one by its codes. The files checked together have the same categories, and joining
    categories takes a few milliseconds a column, which a year of daily files repeats."""
    runs: list[list[pd.Series]] = []
    for part in parts:
        if runs and _same_dtype(runs[-1][0].dtype, part.dtype):
            runs[-1].append(part)
        else:
            runs.append([part])
    return [
        run[0]
        if len(run) == 1
        else pd.Series(
            pd.Categorical.from_codes(
                np.concatenate([part.array.codes for part in run]), dtype=run[0].dtype
            )
        )
        for run in runs
    ]


def _same_dtype(first: pd.CategoricalDtype, second: pd.CategoricalDtype) -> bool:
    # Not ``==``: unordered categories compare equal in any order, but their codes differ.
    return first.ordered == second.ordered and first.categories.equals(second.categories)


def mark_repeats_across(results: Sequence[FileResult]) -> None:
    """A mention with the same non-empty url and brand as one kept from an earlier file (in
    the order given) is a duplicate too: left out of its file's rows, counted as a duplicate
    and reported as a warning naming both places. Each file has no repeats of its own left."""
    files = [r for r in results if r.usable and r.frame is not None and len(r.frame)]
    stored = [r.link_keys for r in files]
    for result in results:
        result.link_keys = None  # used here only
    if len(files) < 2:
        return  # the usual single file: nothing to compare, and no strings made per row
    joined = joined_rows(files, ["url", "brand", "line"])
    brand, url = _codes(joined["brand"]), joined["url"]
    # Only rows whose link and brand may repeat are compared as text: at ten million rows a
    # table of every distinct link would take seconds and a gigabyte and a half.
    kept = [k for k in stored if k is not None]
    may_repeat = _may_repeat(
        url, np.concatenate(kept) if len(kept) == len(stored) else link_keys(url), brand
    )
    keys = pd.DataFrame(
        {
            "url": url[may_repeat],
            "brand": brand[may_repeat],
            "file": np.repeat(
                np.arange(len(files)), [len(r.frame) for r in files if r.frame is not None]
            )[may_repeat],
            "line": joined["line"].to_numpy()[may_repeat],
        }
    )
    keys = keys[keys.duplicated(["url", "brand"], keep=False).to_numpy()]
    if keys.empty:
        return
    firsts = keys.groupby(["url", "brand"], sort=False)[["file", "line"]].transform("first")
    # Rows of one file repeat no key of their own, so a repeat lies in a later file.
    later = keys["file"].to_numpy() != firsts["file"].to_numpy()
    places = [display_path(r.path) for r in files]
    for index, result in enumerate(files):
        mine = later & (keys["file"].to_numpy() == index)
        _mark_repeats(
            result,
            keys["line"].to_numpy()[mine],
            [places[f] for f in firsts["file"].to_numpy()[mine]],
            firsts["line"].to_numpy()[mine],
        )


#: The column of ``_mentions``' frame that carries each row's link key to its file's result.
_LINK_KEY = "link key"


#: An address written without its scheme, as a hand-kept sheet or a copied address bar gives
#: it: a host name with a dot (Cyrillic domains too), an optional port, then a path or nothing.
#: For Arrow's regular expressions (RE2, where \w and \d are ASCII), so in Unicode's classes:
#: a letter, a number or `_` or `-` in a label, letters (or numbers not digits) at the end.
_BARE_ADDRESS = r"^(?:[\pL\pN_-]+\.)+[\pL\p{Nl}\p{No}]{2,}(?::\p{Nd}+)?(?:[/?#]|$)"


def with_scheme(url: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``vk.com/wall1_1`` as ``https://vk.com/wall1_1`` and ``//host/x`` as ``https://host/x``,
    and the rows whose text is neither empty nor begins with ``http`` after that.

    Such a link is the same publication as the one written in full: it becomes a link on the
    pages and is found as its duplicate. Anything else keeps its text (and is no link).
    """
    rows = np.flatnonzero(_not_http(url))
    if not len(rows):  # every link begins with http: what exports give
        return url, rows
    # In Arrow, not a row at a time: an export may write every link without its scheme.
    written = _arrow_text(take_rows(url, rows))
    double = true_mask(pc.starts_with(written, "//"))
    changed = double | true_mask(pc.match_substring_regex(written, _BARE_ADDRESS))
    if not changed.any():
        return url, rows
    kind = pa.large_string()
    schemes = pa.array(np.where(double, "https:", "https://")[changed], kind)
    bare = pc.filter(written, pa.array(changed)).cast(kind)
    fixed = pc.binary_join_element_wise(schemes, bare, pa.scalar("", kind))
    return _with_cells(url, rows[changed], fixed), rows[~changed]


def _with_cells(text: pd.Series, rows: np.ndarray, values: pa.Array | str) -> pd.Series:
    """``text`` with the cells at the positions ``rows`` set to ``values``, as plain text: a
    column that repeats its values comes as categories (``per_value``), which take no new
    value (a site's address on every row of a hand-kept sheet)."""
    whole = _arrow_text(text)
    if isinstance(whole, pa.ChunkedArray):
        whole = whole.combine_chunks()
    if isinstance(values, str):
        values = pa.array([values] * len(rows))
    mask = np.zeros(len(text), dtype=bool)
    mask[rows] = True
    kind = pa.large_string()
    out = pc.replace_with_mask(whole.cast(kind), pa.array(mask), values.cast(kind)).to_pandas()
    out.index = text.index
    return out


def safe_url(value: object) -> str | None:
    """The URL if it is http(s), else None: only such URLs become links."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in {"http", "https"} and parts.netloc:
        return text
    return None


def _no_link_said(url: pd.Series, rows: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """``url`` with a dash or `н/д` as an empty cell, and ``rows`` (those that do not begin
    with ``http``) without them: such a cell says there is no link, so two rows of one brand
    that have it are not one publication twice."""
    if not len(rows):
        return url, rows
    values = url.iloc[rows]
    short = (values.str.len() <= _NO_VALUE_LENGTH).to_numpy(dtype=bool)
    said = np.zeros(len(values), dtype=bool)
    said[short] = _no_value(values[short]).to_numpy(dtype=bool)
    if not said.any():
        return url, rows
    return _with_cells(url, rows[said], ""), rows[~said]


#: Lines named beside a file's first url that is no link, of the others.
_MORE_LINES = 3


def _warn_of_no_links(cells: _Cells, url: pd.Series, rows: np.ndarray) -> None:
    """One warning for each file's urls that are not web addresses (post ids, `javascript:`),
    of the ``rows`` that do not begin with ``http``: their rows are used, and the url is shown
    as text, not as a link. A column of ids would otherwise pass unnoticed; a line a row would
    flood."""
    if not len(rows):
        return
    values = url.iloc[rows]
    # Only a scheme in capitals (`HTTPS://`) makes a link of text that does not begin with
    # `http`: the rest are none without a look at each (a column of a million ids).
    links = values.str.lower().str.startswith("http").to_numpy(dtype=bool, copy=True)
    links[links] = values[links].map(safe_url).notna().to_numpy(dtype=bool)
    rows = rows[~links]
    _warn_once_a_file(
        cells,
        rows,
        "url",
        lambda first: f"not a web address: {quote(str(url.iloc[first]))}",
        "urls",
        "only an http(s) address becomes a link: this is shown as text",
    )


def _warn_once_a_file(
    cells: _Cells,
    rows: np.ndarray,
    column: str,
    first_said: Callable[[int], str],
    others: str,
    hint: str,
) -> None:
    """One warning for each file's ``rows`` (positions in ``cells``, in order) at its first:
    ``first_said`` of it, then how many more of the file's ``others`` and their first lines.
    A line a row would flood the output where a whole column is so."""
    if not len(rows):
        return
    lines = cells.frame[LINE].to_numpy()
    # The files' rows come one file after another: each file's are a run of ``rows``.
    owners = cells.owners[rows]
    for own in np.split(rows, np.flatnonzero(np.diff(owners)) + 1):
        owner = int(cells.owners[own[0]])
        first, later = own[0], lines[own[1:]].tolist()
        more = ""
        if later:
            shown = ", ".join(str(line) for line in later[:_MORE_LINES])
            if len(later) > _MORE_LINES:
                shown += ", …"
            lines_word = "line" if len(later) == 1 else "lines"
            more = f"; and {len(later)} more of this file's {others} ({lines_word} {shown})"
        cells.warnings.append(
            Problem(
                cells.paths[owner],
                int(lines[first]),
                column,
                first_said(int(first)) + more,
                hint,
                severity=Severity.WARNING,
            )
        )


def _not_http(url: pd.Series) -> np.ndarray:
    """Rows whose text is not empty and does not begin with ``http`` (in capitals, a row is
    looked at in Python too: a handful at most)."""
    chunks = _string_chunks(url)
    if chunks is None:
        return (url.ne("") & ~url.str.startswith("http")).to_numpy(dtype=bool)
    parts = [
        np.diff(string_buffers(chunk)[0]).astype(bool)
        & ~pc.starts_with(chunk, "http").to_numpy(zero_copy_only=False)
        for chunk in chunks
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _keyed_links(url: pd.Series) -> tuple[np.ndarray | None, np.ndarray]:
    """The links' keys (``link_keys``) and the rows whose link may repeat (``_may_repeat``)."""
    keys = link_keys(url)
    return keys, _may_repeat(url, keys)


def link_keys(url: pd.Series) -> np.ndarray | None:
    """Each link's key (``_link_keys``); None when the column is not Arrow's text."""
    chunks = _string_chunks(url)
    if chunks is None:
        return None
    return np.concatenate([np.zeros(0, np.uint64), *(_link_keys(chunk) for chunk in chunks)])


def _may_repeat(
    url: pd.Series, keys: np.ndarray | None, brand: np.ndarray | None = None
) -> np.ndarray:
    """Rows whose non-empty link (with the same brand, given brands) may be another row's
    too, by ``keys``, the links' ``link_keys`` (every non-empty link without them). Equal
    links have equal keys, so no repeat is left out; the rows found are compared exactly
    after."""
    filled = url.ne("").to_numpy()
    if keys is None:
        return filled
    if brand is not None:
        with np.errstate(over="ignore"):
            keys = keys ^ brand.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return pd.Series(keys).duplicated(keep=False).to_numpy() & filled


#: Rows keyed at a time, which bounds the temporaries at a few dozen bytes a row.
_KEY_BLOCK = 1 << 20
_KEY_BYTES = np.arange(8, dtype=np.int64)


def _link_keys(chunk: pa.Array) -> np.ndarray:
    """Each string's key, from its length, its last 8 bytes and 8 from its middle (bytes
    repeated in a string shorter than that); 0 for an empty string."""
    offsets, data = string_buffers(chunk)
    lengths = np.diff(offsets)
    key = np.zeros(len(chunk), dtype=np.uint64)
    # The 8 bytes that begin at each byte, as one number: a string's 8 bytes are one lookup,
    # not eight (at a million links 24 ms against 94 ms).
    words = (
        np.lib.stride_tricks.sliding_window_view(data, 8).view(np.uint64)[:, 0]
        if len(data) >= 8
        else np.zeros(0, np.uint64)
    )
    for at in range(0, len(chunk), _KEY_BLOCK):
        rows = np.flatnonzero(lengths[at : at + _KEY_BLOCK]) + at
        starts, ends = offsets[rows], offsets[rows + 1]
        middle = (starts + ends) // 2
        tail, mid = np.empty(len(rows), np.uint64), np.empty(len(rows), np.uint64)
        short = lengths[rows] < 8
        whole = ~short
        tail[whole], mid[whole] = words[ends[whole] - 8], words[middle[whole] - 4]
        if short.any():
            starts, ends = starts[short], ends[short]
            tail[short] = _clipped_words(data, ends - 8, starts, ends)
            mid[short] = _clipped_words(data, middle[short] - 4, starts, ends)
        with np.errstate(over="ignore"):
            key[rows] = (
                tail * np.uint64(0xC2B2AE3D27D4EB4F)
                ^ mid * np.uint64(0x165667B19E3779F9)
                ^ lengths[rows].astype(np.uint64)
            )
    return key


def _clipped_words(
    data: np.ndarray, first: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """The 8 bytes from each of ``first`` of strings shorter than that, as numbers: a byte
    before a string's start or past its end is its first or last byte again."""
    at = np.clip(first[:, None] + _KEY_BYTES, starts[:, None], ends[:, None] - 1)
    return data[at].view(np.uint64)[:, 0]


def _codes(column: pd.Series) -> np.ndarray:
    """One code per distinct value."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()
    return pd.factorize(column.astype("str"))[0]


def _mark_repeats(
    result: FileResult, lines: np.ndarray, places: list[str], firsts: np.ndarray
) -> None:
    if not len(lines):
        return
    shown = display_path(result.path)
    result.row_warnings.extend(
        Problem(
            shown,
            line,
            "url",
            f"duplicate of {place}:{first} (same url and brand); {place}:{first} is kept",
            severity=Severity.WARNING,
        )
        for line, place, first in zip(
            np.asarray(lines).tolist(), places, np.asarray(firsts).tolist(), strict=True
        )
    )
    assert result.frame is not None
    result.frame = _rows(result.frame, ~np.isin(result.frame["line"].to_numpy(), lines))
    result.ledger = result.ledger.with_status(np.asarray(lines), DUPLICATE)
    result.__dict__.pop("_counts_by_month", None)  # counted again from the ledger


def _accounts(table: Table, cells: _Cells) -> tuple[pd.DataFrame, pd.Series]:
    frame = table.frame
    periods = _period_column(cells, "period")
    _required_text(cells, "platform")
    out = pd.DataFrame(
        {"line": frame[LINE], "period": periods, "platform": platform_names(frame["platform"])}
    )
    for column in ACCOUNT_OPTIONAL:
        out[column] = _counts(cells, column, table.decimal_comma)
    out["duplicate"] = _repeated_keys(out, cells, ["period", "platform"], ACCOUNT_OPTIONAL)
    return out, periods


#: Units a table kept by hand writes beside an outcome's figure: a currency (as a spreadsheet
#: saves a cell formatted as money: `8 692 067,00 ₽`, `$1234.50`, `£950`), a percent, pieces. They
#: are read off the figure, by one name each, so that a metric's rows can be held to one unit.
_UNITS = {
    **dict.fromkeys(("₽", "руб", "руб.", "р.", "rub"), "RUB"),
    **dict.fromkeys(("$", "usd"), "USD"),
    **dict.fromkeys(("€", "eur"), "EUR"),
    **dict.fromkeys(("£", "gbp"), "GBP"),
    **dict.fromkeys(("₸", "тг", "тг.", "kzt"), "KZT"),
    **dict.fromkeys(("₴", "грн", "грн.", "uah"), "UAH"),
    "%": "%",
    **dict.fromkeys(("шт", "шт.", "pcs"), "pieces"),
}
#: The currencies' signs, which may come before the figure (`$1200`, `£950`).
_SIGNS = "".join(re.escape(sign) for sign in _UNITS if len(sign) == 1 and sign != "%")
#: A sign (not a word) may come before the figure, any unit after it: the longer spelling
#: first, so that `руб.` is not read as `руб` and a stray dot.
_UNIT_RE = re.compile(
    rf"(?P<before>[{_SIGNS}]?)\s*(?P<figure>.*?)\s*(?P<after>"
    + "|".join(map(re.escape, sorted(_UNITS, key=len, reverse=True)))
    + ")?",
    re.IGNORECASE | re.DOTALL,
)


def _without_units(text: pd.Series) -> pd.DataFrame:
    """Each cell's figure without a unit of ``_UNITS`` before or after it, and that unit's
    name ("" for none, or for a unit both before and after). One cell per month and metric:
    few, so read in Python."""

    def split(cell: str) -> tuple[str, str]:
        found = _UNIT_RE.fullmatch(cell.strip())
        assert found is not None  # the figure's group takes any text
        if not (found["before"] or found["after"]):
            return cell, ""
        if found["before"] and found["after"]:
            return cell, ""  # `$5 руб.`: not a figure, and rejected as written
        return found["figure"], _UNITS[(found["before"] or found["after"]).casefold()]

    parts = [split(cell) for cell in text.astype(str)]
    return pd.DataFrame(parts, columns=["figure", "unit"], index=text.index)


def _mixed_units(mix: str, value: str) -> str:
    return f"the metric's rows mix units ({mix}): {quote(value)}"


def _mixed_units_ru(mix: str, value: str) -> str:
    return f"в строках показателя разные единицы ({mix}): {quote(value)}"


def _outcomes(table: Table, cells: _Cells) -> tuple[pd.DataFrame, pd.Series]:
    frame = table.frame
    periods = _period_column(cells, "period")
    metric = _required_text(cells, "metric")
    figures = _without_units(_text(frame["value"]))
    values, bad, empty = parse_numbers(figures["figure"], table.decimal_comma)
    cells.report("value", empty, _no_number, ru=_no_number_ru)
    cells.report(
        "value",
        bad,
        lambda v: f"expected a number, got {quote(v)}",
        lambda v: (
            "this file is comma-separated, so write decimals with '.'"
            if "," in v and not table.decimal_comma
            else ""
        ),
        ru=lambda v: f"ожидалось число, а не {quote(v)}",
    )
    # Metric names are compared ignoring case; the first spelling is the one shown.
    key = metric.str.casefold()
    shown = metric.groupby(key, sort=False).transform("first")
    units = figures["unit"].where(~bad & ~empty, "")
    written = units != ""
    # A figure in roubles and one in dollars cannot be one metric's: those rows are rejected.
    for name, used in units[written].groupby(key[written]).unique().items():
        if len(used) > 1:
            mix = ", ".join(sorted(used))
            cells.report(
                "value",
                written & (key == name),
                functools.partial(_mixed_units, mix),
                "write a metric in one unit throughout (one currency, %, pieces), or give "
                "each unit a metric of its own (выручка ₽, выручка $)",
                ru=functools.partial(_mixed_units_ru, mix),
            )
    out = pd.DataFrame(
        {
            "line": frame[LINE],
            "period": periods,
            "metric": shown,
            "value": values,
            "unit": units.to_numpy(),
        }
    )
    out["duplicate"] = _repeated_keys(out, cells, ["period", "metric"], ("value",))
    return out, periods


def _period_column(cells: _Cells, column: str) -> pd.Series:
    periods, bad = parse_periods(cells.frame[column])
    empty = _text(cells.frame[column]).eq("")
    cells.report(
        column,
        empty,
        lambda v: "is empty, a month (YYYY-MM) is required",
        ru=lambda v: "пусто, а месяц (ГГГГ-ММ) обязателен",
    )
    cells.report(
        column,
        bad & ~empty,
        lambda v: f"expected a month as YYYY-MM, got {quote(v)}",
        _date_hint(""),
        ru=lambda v: f"ожидался месяц в виде ГГГГ-ММ, а не {quote(v)}",
    )
    far = _report_far_off(
        cells, column, periods, "correct the year of the month the figures are for"
    )
    return periods.where(~far)


def _repeated_keys(
    out: pd.DataFrame, cells: _Cells, keys: list[str], values: Iterable[str]
) -> pd.Series:
    """A second row for the same key: a duplicate when equal, an error when it disagrees."""
    valid = out[~cells.bad]
    repeated = valid.duplicated(keys, keep="first")
    marks = pd.Series(False, index=out.index)
    if not repeated.any():
        return marks
    first_line = valid.groupby(keys, sort=False)["line"].transform("first")
    # A repeat equal to the first row is harmless; one that disagrees cannot be resolved here.
    firsts = valid.drop_duplicates(keys, keep="first").set_index(keys)
    for index in valid.index[repeated.to_numpy()]:
        row = valid.loc[index]
        first = firsts.loc[tuple(row[k] for k in keys)]
        equal = all((pd.isna(row[c]) and pd.isna(first[c])) or row[c] == first[c] for c in values)
        key_text = ", ".join(f"{k} {row[k]}" for k in keys)
        if equal:
            marks[index] = True
            cells.warnings.append(
                Problem(
                    cells.path(index),
                    int(row["line"]),
                    keys[-1],
                    f"duplicate of line {int(first_line[index])} ({key_text}); "
                    f"line {int(first_line[index])} is kept",
                    severity=Severity.WARNING,
                )
            )
        else:
            mask = pd.Series(False, index=out.index)
            mask[index] = True
            at = int(first_line[index])
            message = f"a second row for {key_text} with other figures (first: line {at})"
            message_ru = f"вторая строка для {key_text} с другими цифрами (первая: строка {at})"
            cells.report(
                keys[-1],
                mask.to_numpy(),
                functools.partial(_constant, message),
                "keep one row per " + " and ".join(keys),
                ru=functools.partial(_constant, message_ru),
            )
    return marks


def _constant(text: str, _value: str) -> str:
    return text
