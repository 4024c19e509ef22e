"""CSV files the portal offers for download, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

# A cell starting with one of these is read by Excel or LibreOffice as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_BREAK = re.compile("\n[" + re.escape("".join(_FORMULA_START)) + "]")


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


def neutralise_texts(values: Sequence[str]) -> list[str]:
    """``neutralise`` of each text of a column, without a call per cell: a broken export's
    rejected.csv has millions of them. The column is searched as one string, its texts each
    after a line break, for a line break followed by a formula's first character; one found
    where a text begins marks that text (one inside a text is not its beginning)."""
    joined = "\n" + "\n".join(values)
    out = list(values)
    if "\x00" in joined:
        out = [value.replace("\x00", "\ufffd") for value in out]
    found = np.array([match.start() for match in _FORMULA_AFTER_BREAK.finditer(joined)])
    if len(found):
        breaks = np.cumsum([0, *(len(value) + 1 for value in values)])
        # A match is never at the end, so ``at`` is always the place of a text.
        at = np.searchsorted(breaks, found)
        for index in at[breaks[at] == found].tolist():
            out[index] = "'" + out[index]
    return out


def write_text_columns(
    path: Path, header: Sequence[str], parts: Iterable[Sequence[Sequence[str]]]
) -> None:
    """A CSV file of text given column by column: each part is a column of text per name in
    ``header``, of equal lengths; the parts' rows are written one after another, every cell
    neutralised. UTF-8 with a byte-order mark, so Excel opens Cyrillic text correctly by
    double-click."""
    # The mark utf-8-sig would write, written by hand: that codec encodes in Python, a call
    # per row.
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle)
        writer.writerow(neutralise_texts(header))
        for columns in parts:
            writer.writerows(zip(*(neutralise_texts(column) for column in columns), strict=True))
