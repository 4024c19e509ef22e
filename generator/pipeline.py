"""The only place that knows the order of the stages: find clients, load, validate, aggregate."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .problems import Problem, Severity, did_you_mean, display_path, printable

if TYPE_CHECKING:
    import pandas as pd

    from .load import TableAhead
    from .schema import Agency, Client
    from .validate import FileResult, RejectedRows

# The stages' modules (pandas, pydantic and their kin) are loaded when first used, not with
# this one: ``check`` begins reading the first mention file before it loads them, and a large
# file is then read while they load (see ``read_ahead``).

#: A client folder's name, as its site's address has it.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MENTIONS, ACCOUNTS, OUTCOMES = "mentions.csv", "accounts.csv", "outcomes.csv"
#: A folder of more mention exports (one per month, say): a file of a year's mentions can be
#: larger than a git host takes (GitHub refuses files over 100 MB).
MENTIONS_DIR = "mentions"


def is_mention_file(name: str) -> bool:
    """Whether a client's file, by the name its figures are reported by, holds mentions."""
    return name == MENTIONS or name.startswith(f"{MENTIONS_DIR}/")


@dataclass
class ClientData:
    """Everything read for one client, with every problem found on the way."""

    slug: str
    folder: Path
    client: Client | None = None
    locale: str = "ru"
    config_problems: list[Problem] = field(default_factory=list)
    files: dict[str, FileResult] = field(default_factory=dict)
    #: Whether ``let_go_of_rows`` was called: the rows are then no longer there to read.
    rows_let_go: bool = False

    def let_go_of_rows(self) -> None:
        """Drop the rows kept of every file (the problems, ledgers and rejected records stay)."""
        for result in self.files.values():
            result.let_go_of_rows()
        self.__dict__.pop("mentions", None)
        self.rows_let_go = True

    @property
    def problems(self) -> list[Problem]:
        found = list(self.config_problems)
        for result in self.files.values():
            found.extend(result.problems)
        return found

    @property
    def fatal(self) -> list[Problem]:
        """Errors that stop this client whatever the mode: its files cannot be used at all."""
        found = [p for p in self.config_problems if p.is_error]
        for result in self.files.values():
            found.extend(p for p in result.file_problems if p.is_error)
        return found

    @property
    def row_errors(self) -> list[Problem]:
        return [p for r in self.files.values() for p in r.row_problems if p.is_error]

    def ok(self, lenient: bool) -> bool:
        """Whether reports may be made: no fatal error, and no bad row unless lenient."""
        return self.client is not None and not self.fatal and (lenient or not self.row_errors)

    def frame(self, name: str) -> pd.DataFrame | None:
        """A file's rows kept; for MENTIONS, those of every mention file together."""
        self._has_rows()
        if name == MENTIONS:
            return self.mentions
        result = self.files.get(name)
        return result.frame if result is not None and result.usable else None

    @property
    def mention_files(self) -> list[FileResult]:
        return [result for name, result in self.files.items() if is_mention_file(name)]

    @property
    def mention_frames(self) -> list[tuple[str, pd.DataFrame]]:
        """The rows kept of each usable mention file, by its name, in the order they are read."""
        self._has_rows()
        return [
            (name, result.frame)
            for name, result in self.files.items()
            if is_mention_file(name) and result.usable and result.frame is not None
        ]

    @functools.cached_property
    def mentions(self) -> pd.DataFrame | None:
        """The rows of ``mention_frames`` one after another."""
        from .validate import joined_rows

        self._has_rows()
        usable = [result for result in self.mention_files if result.usable]
        return joined_rows(usable) if usable else None

    def _has_rows(self) -> None:
        # Read after they were let go, the rows would look like a client without data.
        if self.rows_let_go:
            raise RuntimeError(f"{self.slug}: its rows were let go after it was read")

    @property
    def periods(self) -> list[str]:
        """Calendar months from the earliest to the latest in any file, gaps included. Read
        from each file's rows: the mention files' rows are not joined for it (a year of daily
        files would be, to ask whether a client has any month)."""
        frames = [frame for _, frame in self.mention_frames]
        frames += [self.frame(ACCOUNTS), self.frame(OUTCOMES)]
        months: list[str] = []
        for frame in frames:
            if frame is not None and len(frame):
                months.extend([frame["period"].min(), frame["period"].max()])
        if not months:
            return []
        import pandas as pd

        span = pd.period_range(min(months), max(months), freq="M")
        return [str(p) for p in span]

    @functools.cached_property
    def in_progress(self) -> str | None:
        """The newest month when it is not over yet where the client is (``clock.today``).
        Taken once: a month's fingerprint and its pages then agree on it, even for a build
        that runs past midnight at the month's end."""
        from .clock import today

        if self.client is None:
            return None
        return month_in_progress(self.periods, today(self.client.timezone))


def month_in_progress(periods: Sequence[str], day: dt.date) -> str | None:
    """The newest of ``periods`` when ``day`` (the build's, in the client's time zone) falls
    within it: that month's data stop at the build, not at its end."""
    newest = periods[-1] if periods else None
    return newest if newest == f"{day.year:04d}-{day.month:02d}" else None


@dataclass
class Check:
    """The result of reading an agency's data folder."""

    data_dir: Path
    agency: Agency
    problems: list[Problem]
    clients: list[ClientData]
    #: Clients left unread because the caller knew them to be unchanged.
    skipped: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for c in self.clients for p in c.problems)]

    @property
    def files_checked(self) -> int:
        return 1 + sum(1 + sum(r.present for r in c.files.values()) for c in self.clients)


def check(
    data_dir: Path,
    slugs: Sequence[str] = (),
    skip: Callable[[str], bool] | None = None,
    *,
    each: Callable[[ClientData, Agency], None] | None = None,
    keep_rows: bool = True,
    content_dir: Path | None = None,
) -> Check:
    """Read and validate the agency's data: every client, or those named by ``slugs``.

    Clients for which ``skip`` says yes are not read; they are listed in ``skipped``.
    ``each`` is given every client as soon as it is read, before the next one is. Without
    ``keep_rows``, a client's rows are let go once it is read (and given to ``each``): the
    result keeps every problem, ledger and rejected record, but the process holds one
    client's rows at a time instead of the whole agency's (fifty clients of a few million
    mentions each would not fit in memory together). With ``content_dir``, each client's
    commentary is checked too (``check_commentary``), and so are the folders there that name
    no client (``commentary_without_client``).
    """
    found, discovery = discover(data_dir, slugs)
    skipped = [slug for slug in found if skip is not None and skip(slug)]
    read = [slug for slug in found if slug not in skipped]
    first = None
    if read:  # with every client skipped, only agency.yml is read: no checks to load
        with _collector_paused():
            first = read_ahead(data_dir / read[0])
            _load_stages()
    from .config import load_agency

    agency, problems = load_agency(data_dir)
    clients = []
    if content_dir is not None and not slugs:
        problems += commentary_without_client(content_dir, data_dir)
    for index, slug in enumerate(read):
        data = load_client(data_dir / slug, agency, first if index == 0 else None)
        if content_dir is not None:
            data.config_problems += check_commentary(content_dir, slug, data.periods)
        if each is not None:
            each(data, agency)
        if not keep_rows:
            data.let_go_of_rows()
        clients.append(data)
    return Check(data_dir, agency, problems + discovery, clients, skipped)


def read_ahead(folder: Path) -> TableAhead | None:
    """The read of a client's first mention file, begun on another thread (None when it has
    none): for ``load_client``. Only the reader is loaded for it, not the checks."""
    from .load import read_mentions_ahead

    path = mention_paths(folder)[0][1]
    if not path.is_file() or leads_out(folder, path):
        return None  # reported in its turn
    return read_mentions_ahead(path)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile. Importing the libraries makes some seventy
    thousand objects, all kept: the collector ran over a hundred times over them, for nothing,
    which at a million rows is processor time the read beside the imports then lacks."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@functools.cache
def _load_stages() -> None:
    """The stages' modules loaded, once. What they import (pandas and its kin: some seventy
    thousand objects) lives as long as the process: kept out of the collector's full passes,
    it is not walked again by each of them and at exit (at 1M rows 0.1–0.2 s of a 1.4 s run).
    """
    from . import config, metrics, validate  # noqa: F401

    gc.freeze()


def discover(data_dir: Path, slugs: Sequence[str] = ()) -> tuple[list[str], list[Problem]]:
    """Client folders in ``data_dir`` (folders starting with ``.`` or ``_`` are not clients)."""
    shown = display_path(data_dir)
    if not data_dir.is_dir():
        return [], [Problem(shown, None, "", "data folder not found", "pass --data DIR")]
    problems: list[Problem] = []
    folders = sorted(
        p.name for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    valid = []
    for name in folders:
        if SLUG_RE.match(name):
            valid.append(name)
        else:
            problems.append(
                Problem(
                    display_path(data_dir / name),
                    None,
                    "",
                    "a client folder name must be lowercase letters, digits and '-'",
                    f"rename it, e.g. to '{_suggest_slug(name)}'",
                )
            )
    if not slugs:
        if not valid and not problems:
            problems.append(Problem(shown, None, "", "no client folders found"))
        return valid, problems
    chosen = []
    for slug in slugs:
        if slug in valid:
            chosen.append(slug)
        else:
            problems.append(
                Problem(
                    display_path(data_dir / slug),
                    None,
                    "",
                    "no such client",
                    did_you_mean(slug, valid) or f"clients: {', '.join(valid) or 'none'}",
                )
            )
    return chosen, problems


def _suggest_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "client"


def load_client(folder: Path, agency: Agency, first: TableAhead | None = None) -> ClientData:
    """One client's client.yml and CSV files, validated; never raises on bad data.

    ``first`` is the client's ``read_ahead``, if begun."""
    from .config import client_locale, load_model
    from .schema import Client
    from .validate import (
        FileResult,
        absent,
        mark_repeats_across,
        read_accounts,
        read_mention_files,
        read_outcomes,
    )

    data = ClientData(folder.name, folder)
    if leads_out(folder, folder):  # another client's folder, say: nothing in it is its own
        data.config_problems = [_not_followed(folder, folder)]
        return data
    config = folder / "client.yml"
    refused = _link_problem(folder, config)
    if refused is not None:
        client, problems, doc = None, [refused], None
    else:
        client, problems, doc = load_model(config, Client)
    data.config_problems = problems
    # The CSV files are checked even when client.yml is broken: every problem at once.
    # The small files first: while the first mention file is still being read ahead, which
    # at a million rows outlasts loading the libraries by a few tenths of a second.
    others = {}
    for name, reader in ((ACCOUNTS, read_accounts), (OUTCOMES, read_outcomes)):
        path = folder / name
        refused = _link_problem(folder, path)
        if refused is not None:
            others[name] = FileResult(name, path, file_problems=[refused])
        elif not path.exists():
            others[name] = absent(name, path)
        else:
            others[name] = reader(path, client)
    paths = mention_paths(folder)
    out = {path: problem for _, path in paths if (problem := _link_problem(folder, path))}
    read = iter(read_mention_files([p for _, p in paths if p not in out], client, first))
    for name, path in paths:
        result = FileResult(name, path, file_problems=[out[path]]) if path in out else next(read)
        data.files[name] = result
        result.name = name  # as the client's folder has it: `mentions/2026-10.csv`
        result.part = name != MENTIONS
    if not paths[0][1].exists() and paths[0][1] not in out:  # no mention file at all
        missing = data.files[MENTIONS]
        missing.file_problems = [
            dataclasses.replace(p, hint=f"put the mentions in {MENTIONS} or in {MENTIONS_DIR}/")
            for p in missing.file_problems
        ]
    mark_repeats_across(data.mention_files)
    data.files.update(others)
    data.config_problems.extend(unread_files(folder))
    data.config_problems.extend(long_gap(folder, data.files.values()))
    if client is None:
        return data
    data.client = client
    data.locale = client_locale(client, agency)
    shown = display_path(folder / "client.yml")
    data.config_problems.extend(_check_brands(client, shown, doc))
    data.config_problems.extend(_check_goals(data, shown, doc))
    data.config_problems.extend(_check_logo(client, folder, shown, doc))
    data.config_problems.extend(_check_feedback(data, shown))
    return data


#: Months in a row without data, between months with data, that are more likely a year
#: mistyped in a few rows than a pause in the work: each is still a version of the portal.
LONG_GAP = 12


def long_gap(folder: Path, files: Iterable[FileResult]) -> list[Problem]:
    """A warning when a client's months with data are far apart: a year mistyped within the
    bounds the checks accept (`2016` for `2026`) gives the portal a version for every month
    between, each with nothing in it."""
    months = sorted({month for result in files for month in result.months_used()})
    number = [int(month[:4]) * 12 + int(month[5:7]) - 1 for month in months]
    gaps = [(later - earlier - 1, at) for at, (earlier, later) in enumerate(pairwise(number))]
    empty, at = max(gaps, default=(0, 0))
    if empty < LONG_GAP:
        return []
    before, after = months[: at + 1], months[at + 1 :]
    fewer = before if len(before) <= len(after) else after
    named = ", ".join(fewer[:3]) + (f" and {len(fewer) - 3} more" if len(fewer) > 3 else "")
    return [
        Problem(
            display_path(folder),
            None,
            "",
            f"no data in the {empty} months from {_month_of(number[at] + 1)} to "
            f"{_month_of(number[at + 1] - 1)}, and the portal has a version for each of them",
            f"if the rows of {named} are dated with a mistyped year, correct it",
            severity=Severity.WARNING,
        )
    ]


def _month_of(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


#: Files that hold a table or settings by their kind: one in a client's folder that is not
#: read is worth a word, since its figures would be missing from the reports unsaid.
_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
_DATA_FILES = (*_SPREADSHEETS, ".csv", ".tsv", ".txt", ".json", ".yml", ".yaml")


def unread_files(folder: Path) -> list[Problem]:
    """A warning for each data file beside a client's files that the portal does not read (a
    month's export saved beside mentions.csv, a spreadsheet not saved as CSV, client.yaml)."""
    read = {"client.yml", MENTIONS, ACCOUNTS, OUTCOMES}
    problems = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name in read or name.startswith((".", "_")) or not path.is_file():
            continue
        suffix = path.suffix.casefold()
        if suffix not in _DATA_FILES:
            continue
        if suffix in _SPREADSHEETS:
            hint = f"save it as CSV (UTF-8): {ACCOUNTS}, {OUTCOMES}, or mentions in {MENTIONS_DIR}/"
        elif suffix in (".yml", ".yaml"):
            hint = "a client's settings are read from client.yml only"
        elif name.casefold().startswith(("mention", "упоминан")):
            hint = f"move it into {MENTIONS_DIR}/, where every file is read as mentions"
        else:
            hint = (
                f"a client's folder is read as client.yml, {MENTIONS}, the files in "
                f"{MENTIONS_DIR}/, {ACCOUNTS} and {OUTCOMES}"
            )
        problems.append(
            Problem(
                display_path(path),
                None,
                "",
                "not read",
                hint,
                severity=Severity.WARNING,
            )
        )
    return problems


def _check_feedback(data: ClientData, shown: str) -> list[Problem]:
    """A warning when the brand is mentioned and neither the files nor client.yml say what
    kind the mentions are: each is then a post, as of an export of people's posts without a
    kind column, whose reports would show no tonality of feedback and no net sentiment."""
    assert data.client is not None
    if "default_kind" in data.client.model_fields_set or any(
        "kind" in result.columns for result in data.mention_files
    ):
        return []
    own = sum(
        int((frame["brand"] == data.client.brand.name).sum()) for _, frame in data.mention_frames
    )
    if not own:
        return []
    return [
        Problem(
            shown,
            None,
            "default_kind",
            (
                f"none of the {own:,} mentions of {data.client.brand.name} is"
                if own > 1
                else f"the one mention of {data.client.brand.name} is not"
            )
            + " a review or a comment: its reports will show no tonality of feedback and no "
            "net sentiment",
            "the mention files have no kind column: if they hold people's posts, as a "
            "monitoring export does, set `default_kind: comment` in client.yml",
            severity=Severity.WARNING,
        )
    ]


def mention_paths(folder: Path) -> list[tuple[str, Path]]:
    """mentions.csv, then every file under mentions/ by its path there (none whose name or
    folder starts with "." or "_"), each under the name its figures are reported by;
    mentions.csv, reported missing, when there are none."""
    mentions = folder / MENTIONS
    found = [(MENTIONS, mentions)] if mentions.exists() or mentions.is_symlink() else []
    more = folder / MENTIONS_DIR
    if more.is_symlink() and not more.exists():  # reported as what it is, not passed over
        found.append((f"{MENTIONS_DIR}/", more))
    if more.is_dir():
        inside = (path.relative_to(folder) for path in more.rglob("*") if not path.is_dir())
        found += [
            (name.as_posix(), folder / name)
            for name in sorted(inside, key=lambda name: name.parts)
            if not any(part.startswith((".", "_")) for part in name.parts)
        ]
    return found or [(MENTIONS, folder / MENTIONS)]


def _line(doc: Any, *loc: str | int) -> int | None:
    return doc.line_of(loc) if doc is not None else None


def _check_brands(client: Client, shown: str, doc: Any) -> list[Problem]:
    """A spelling shared by two brands would make a mention's brand ambiguous."""
    from .validate import brand_key

    owner: dict[str, str] = {}
    problems = []
    for index, brand in enumerate(client.brands):
        loc: tuple[str | int, ...] = ("brand",) if index == 0 else ("competitors", index - 1)
        for spelling in (brand.name, *brand.aliases):
            key = brand_key(spelling)
            if key in owner and owner[key] != brand.name:
                problems.append(
                    Problem(
                        shown,
                        _line(doc, *loc),
                        "brand" if index == 0 else f"competitors[{index - 1}]",
                        f"{spelling!r} also names {owner[key]!r}",
                        "each name and alias must belong to one brand",
                    )
                )
            owner.setdefault(key, brand.name)
    return problems


def _check_goals(data: ClientData, shown: str, doc: Any) -> list[Problem]:
    from .schema import BUILTIN_GOAL_METRICS

    assert data.client is not None
    outcomes = data.frame(OUTCOMES)
    known = {m.casefold() for m in outcomes["metric"].unique()} if outcomes is not None else set()
    choices = [
        *BUILTIN_GOAL_METRICS,
        *(outcomes["metric"].unique() if outcomes is not None else []),
    ]
    problems = []
    for index, goal in enumerate(data.client.goals):
        if goal.metric in BUILTIN_GOAL_METRICS or goal.metric.casefold() in known:
            continue
        problems.append(
            Problem(
                shown,
                _line(doc, "goals", index, "metric"),
                f"goals[{index}].metric",
                f"unknown metric {goal.metric!r}",
                did_you_mean(goal.metric, choices)
                or f"use one of {', '.join(BUILTIN_GOAL_METRICS)} or a metric of outcomes.csv",
            )
        )
    return problems


def _check_logo(client: Client, folder: Path, shown: str, doc: Any) -> list[Problem]:
    logo = client.branding.logo
    if logo is None:
        return []
    line = _line(doc, "branding", "logo")
    path = folder / logo
    if not path.is_file():
        return [Problem(shown, line, "branding.logo", f"file not found: {logo}")]
    if leads_out(folder, path):
        return [
            Problem(shown, line, "branding.logo", "the logo must not lead out of the client folder")
        ]
    return []


def leads_out(folder: Path, path: Path) -> bool:
    """Whether ``path`` in a client's ``folder`` is, or lies under, a symbolic link to
    somewhere outside it: to another client's data, say, which this client's portal would
    then show. A ``folder`` that is itself such a link (``data/acme -> globex``) holds
    nothing of its own: every path in it leads out."""
    return not path.resolve().is_relative_to(folder.parent.resolve() / folder.name)


def _link_problem(folder: Path, path: Path) -> Problem | None:
    """Why a client's file is not read, when it is a symbolic link that cannot be: one to a
    file that does not exist, or one that ``leads_out`` of its folder."""
    if dangling := _dangling(folder, path):
        return dangling
    return _not_followed(folder, path) if leads_out(folder, path) else None


def _named(folder: Path, path: Path) -> str:
    """``path`` in ``folder`` as the folder has it: ``display_path`` would name the file a
    link leads to."""
    shown = f"{display_path(folder.parent)}/{printable(folder.name)}"
    inside = path.relative_to(folder).as_posix()
    return shown if inside == "." else f"{shown}/{printable(inside)}"


def _dangling(folder: Path, path: Path, whose: str = "client folder") -> Problem | None:
    """The problem of a file in ``folder`` that is a symbolic link to nothing (a file moved or
    renamed, which would otherwise be taken for one the client does not have); None for
    any other."""
    if not path.is_symlink() or path.exists():
        return None
    return Problem(
        _named(folder, path),
        None,
        "",
        f"a symbolic link to {printable(os.readlink(path))}, which does not exist: not read",
        f"copy the file itself into the {whose}",
    )


def _not_followed(folder: Path, path: Path, whose: str = "client folder") -> Problem:
    """The problem of a file of the client's that ``leads_out`` of its ``folder``: not read."""
    if path == folder:  # the folder itself is the link
        return Problem(
            _named(folder, path),
            None,
            "",
            f"a symbolic link to another folder ({display_path(path.resolve())}): not read",
            "make it a folder of its own: a client's portal shows only what its own folder holds",
        )
    return Problem(
        _named(folder, path),
        None,
        "",
        f"a symbolic link that leads out of the {whose} "
        f"(to {display_path(path.resolve())}): not read",
        f"copy the file into the {whose}: a client's portal shows its own folder's data only",
    )


#: A month's commentary, as ``content/<client>/`` names it.
COMMENTARY_RE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])\.md")


def check_commentary(content_dir: Path, slug: str, periods: Sequence[str]) -> list[Problem]:
    """A client's commentary files, read as its build reads them, so that ``smrm validate``
    finds what would stop the build. Errors: a file that is not text, and a link out of
    ``content/<client>/`` (another client's commentary, which this client's portal would
    show). Warnings: a file that no month reads (a misnamed month), and a month before the
    data begin or after next month (``periods`` empty: not known, as when the data cannot be
    read). A month after the data's newest, up to next month, is commentary written ahead of
    its data, and passed over."""
    from .clock import today
    from .load import LoadError, read_commentary

    folder = content_dir / slug
    if not folder.is_dir():
        return []
    whose = "client's commentary folder"
    if leads_out(folder, folder):
        return [_not_followed(folder, folder, whose)]
    # Next month's commentary may be written before it begins; one further ahead is a year
    # mistyped (`2027-10` for `2026-10`), which would never be shown.
    day = today()
    ahead = _month_of(day.year * 12 + day.month)  # the month after today's
    problems = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")):
            continue
        shown = _named(folder, path)
        if dangling := _dangling(folder, path, whose):
            # A commentary left out leaves no figure out: a warning, where a data file's is
            # an error.
            problems.append(dataclasses.replace(dangling, severity=Severity.WARNING))
        elif not COMMENTARY_RE.fullmatch(path.name) or not path.is_file():
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    "not read",
                    f"a month's commentary is {display_path(folder)}/YYYY-MM.md "
                    f"({display_path(folder)}/2026-10.md); a name starting with _ or . is "
                    "left unread without a word",
                    severity=Severity.WARNING,
                )
            )
        elif leads_out(folder, path):
            problems.append(_not_followed(folder, path, whose))
        elif periods and path.stem < periods[0]:
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    f"no report for {path.stem}: the data begin in {periods[0]}, so this "
                    "commentary is not shown",
                    "check the month in the file's name",
                    severity=Severity.WARNING,
                )
            )
        elif periods and path.stem > ahead:
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    f"no report for {path.stem}: that month is still to come, and the data end "
                    f"in {periods[-1]}",
                    "check the year in the file's name",
                    severity=Severity.WARNING,
                )
            )
        else:
            try:
                read_commentary(path)
            except LoadError as exc:
                problems.append(Problem(shown, None, "", exc.message, exc.hint))
    return problems


def commentary_without_client(content_dir: Path, data_dir: Path) -> list[Problem]:
    """A warning for each folder in ``content_dir`` that names no client folder in
    ``data_dir`` (a slug mistyped, or a client renamed): its commentary would never be shown.
    None when no folder there names a client, unless its name is close to one's."""
    if not content_dir.is_dir() or not data_dir.is_dir():
        return []
    clients = sorted(p.name for p in data_dir.iterdir() if p.is_dir())
    folders = [
        folder.name
        for folder in sorted(content_dir.iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "_"))
    ]
    # Content that names none of the clients is another agency's (the demo's, beside data
    # kept elsewhere): only a name close to a client's is then taken for a mistyped one.
    ours = any(name in clients for name in folders)
    problems = []
    for name in folders:
        meant = did_you_mean(name, clients)
        if name not in clients and (ours or meant):
            problems.append(
                Problem(
                    display_path(content_dir / name),
                    None,
                    "",
                    f"no client {name!r} in {display_path(data_dir)}: its commentary is not shown",
                    meant or "name the folder as the client's folder in the data is named",
                    severity=Severity.WARNING,
                )
            )
    return problems


# --------------------------------------------------------------------------------------------
# Metrics


def compute_metrics(data: ClientData) -> dict[str, dict[str, Any]]:
    """metrics.json content for every report period of one client, by period."""
    from . import metrics as metrics_mod

    assert data.client is not None
    mentions = data.frame(MENTIONS)
    assert mentions is not None
    return metrics_mod.monthly(
        data.client,
        data.slug,
        data.periods,
        mentions,
        data.frame(ACCOUNTS),
        data.frame(OUTCOMES),
        {name: r for name, r in data.files.items() if r.present},
        in_progress=data.in_progress,
    )


def write_metrics(data: ClientData, out_dir: Path) -> list[Path]:
    """``<out>/<slug>/<period>/metrics.json`` for every period; returns the files written."""
    written = []
    for period, content in compute_metrics(data).items():
        target = out_dir / data.slug / period / "metrics.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_json(content), encoding="utf-8")
        written.append(target)
    return written


#: Rejected records written to rejected.csv at a time.
_REJECTED_BLOCK = 50_000


def write_rejected(data: ClientData, out_dir: Path) -> Path | None:
    """``<out>/<slug>/rejected.csv``: rows left out under --lenient, with their reasons."""
    import numpy as np

    from .csvout import write_text_columns

    files = [(name, r.rejected_rows) for name, r in data.files.items() if len(r.rejected_rows)]
    target = out_dir / data.slug / "rejected.csv"
    if not files:
        target.unlink(missing_ok=True)
        return None
    columns = ["file", "line", "problems"]
    for _, rows in files:
        columns.extend(c for c in rows.filled_columns if c not in columns)

    def parts(name: str, rows: RejectedRows) -> Iterator[list[Sequence[str]]]:
        # So many rows at a time as Python strings: all of a broken export's would take
        # a gigabyte.
        for start in range(0, len(rows), _REJECTED_BLOCK):
            at = np.arange(start, min(start + _REJECTED_BLOCK, len(rows)))
            given = rows.columns_at(name, at)
            yield [given.get(c) or [""] * len(at) for c in columns]

    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_columns(target, columns, (p for name, rows in files for p in parts(name, rows)))
    return target


def dump_json(content: Any) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
