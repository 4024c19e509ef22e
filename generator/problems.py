"""Problems found in the agency's data, reported as ``path:line: column: message``."""

from __future__ import annotations

import difflib
import functools
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    ``line`` is the physical line in the file (header = line 1), or ``None`` when the problem
    concerns the whole file. ``column`` is the CSV column or the YAML key path.
    """

    path: str
    line: int | None
    column: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    #: The message in Russian, for a Russian client's pages, where a problem of a row is the
    #: reason it was rejected; empty where it is not shown there.
    message_ru: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def explained(self) -> str:
        """The message, with its hint after it if it has one."""
        # A hint can quote a file's header.
        return f"{self.message} (hint: {printable(self.hint)})" if self.hint else self.message

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where]
        # A column's name can come from a file's header.
        if self.column:
            parts.append(printable(self.column))
        parts.append(self.explained if self.is_error else f"warning: {self.explained}")
        return ": ".join(parts)


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it, and
    ``printable``."""
    return _display_path(path, os.getcwd())


# Kept: a year of daily files names each file a few times, and resolving a path and the
# working directory costs tens of microseconds each time.
@functools.lru_cache(maxsize=4096)
def _display_path(path: Path, cwd: str) -> str:
    try:
        return printable(str(path.resolve().relative_to(Path(cwd).resolve())))
    except ValueError:
        return printable(str(path))


#: Unicode categories of characters that are not seen but act: controls (line breaks, the
#: terminal's escape), format characters (direction overrides) and line separators.
_UNSEEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def printable(text: str) -> str:
    """``text`` with unseen characters written as Python escapes (``\\n``, ``\\x1b``,
    ``\\u202e``). File names come from the agency's repository: one with a line break could
    start a line of its own in a terminal or end the code block of a CI run's summary."""
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in _UNSEEN
        else char
        for char in text
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, or an empty string."""
    options = list(choices)
    close = difflib.get_close_matches(word.casefold(), [c.casefold() for c in options], 1, 0.6)
    if not close:
        return ""
    original = next(c for c in options if c.casefold() == close[0])
    return f"did you mean '{original}'?"


def quote(value: str, limit: int = 60) -> str:
    """A value quoted for a message, shortened so one bad cell cannot flood the terminal."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)


#: The most annotations of each kind (errors, warnings) GitHub Actions shows for a step.
ANNOTATIONS = 10


def github_annotations(problems: Iterable[Problem], most: int = ANNOTATIONS) -> list[str]:
    """The first ``most`` errors and the first ``most`` warnings as GitHub Actions' workflow
    commands, which a run shows as annotations on the files' lines (in the commit, and in a
    pull request's changed files): where an agency edits its data on GitHub, it sees there
    which cell to mend. The log lists every problem."""
    found: dict[Severity, list[str]] = {severity: [] for severity in Severity}
    for problem in problems:
        kept = found[problem.severity]
        if len(kept) < most:
            kept.append(_annotation(problem))
    return [line for severity in Severity for line in found[severity]]


def _annotation(problem: Problem) -> str:
    where = {"file": problem.path, "line": problem.line, "title": problem.column}
    properties = ",".join(
        f"{key}={printable(str(value)).translate(_PROPERTY)}"
        for key, value in where.items()
        if value
    )
    return f"::{problem.severity} {properties}::{printable(problem.explained).translate(_DATA)}"


#: What a workflow command's message, and its properties, write escaped: a percent sign
#: starts an escape, and a comma or colon ends a property. ``printable`` has already written
#: out each line break, which would end the command and could start another.
_DATA = str.maketrans({"%": "%25"})
_PROPERTY = str.maketrans({"%": "%25", ":": "%3A", ",": "%2C"})


def describe(value: object) -> str:
    """A value of the wrong kind, as a message names it: ``a list``, ``nothing``, ``'red'``."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def summary(problems: list[Problem]) -> str:
    """``N problems in M files``, counting errors; warnings are added when there are any."""
    errors = [p for p in problems if p.is_error]
    warnings = len(problems) - len(errors)
    files = len({p.path for p in errors})
    text = f"{counted(len(errors), 'problem')} in {counted(files, 'file')}"
    if warnings:
        text += f", {counted(warnings, 'warning')}"
    return text


def counted(n: int, word: str) -> str:
    """``1 month``, ``2 months``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
