"""CSV files the portal offers for download, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

# A cell starting with one of these is read by Excel or LibreOffice as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Text of a cell, with a leading apostrophe when a spreadsheet would run it as a formula,
    and a NUL character (of a rejected record as read), which no spreadsheet cell holds, as
    the replacement character U+FFFD.

    Numbers are written as numbers, so ``-3`` stays a number: only text is neutralised.
    """
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return ""
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value).replace("\x00", "\ufffd")
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_rows(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Header and rows as CSV, every cell neutralised."""
    writer = csv.writer(handle)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """UTF-8 with BOM, so Excel opens Cyrillic text correctly by double-click."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        write_rows(handle, header, rows)
