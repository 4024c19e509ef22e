"""How a figure may be written: the forms mentions.csv, accounts.csv, outcomes.csv and a goal's
target in client.yml all accept. Patterns and Python's own ``re`` only, so that client.yml can
be read without the libraries the checks of the CSV files need."""

from __future__ import annotations

import math
import re

NUMBER_RE = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
#: Thousands separators that are never a decimal point: spaces of every width, and the
#: apostrophe of Swiss spreadsheets.
SPACES_RE = r"[\s\u00a0\u202f\u2009']"
#: Thousands grouped by commas or dots, as a spreadsheet in an English or a German locale
#: writes a formatted figure into a CSV (Google Sheets writes every cell as it is shown). Only
#: groupings no decimal point could make are read this way: `1,234.5` (a comma before the
#: point), `1,234,567` and `1.234.567` (two marks), `1.234,5` (a dot before the comma). One
#: comma (`1,234`) groups thousands only where a comma cannot be the decimal point: in a
#: comma-separated file (``COMMA_GROUPS_RE``).
GROUPED_RE = {
    ",": r"^[+-]?\d{1,3}(?:,\d{3})+\.\d*$|^[+-]?\d{1,3}(?:,\d{3}){2,}$",
    ".": r"^[+-]?\d{1,3}(?:\.\d{3})+,\d*$|^[+-]?\d{1,3}(?:\.\d{3}){2,}$",
}
COMMA_GROUPS_RE = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
#: The minus sign (U+2212) that typeset figures use, the reports' own among them.
MINUS = "\u2212"


def read_figure(text: str, decimal_comma: bool = True) -> float | None:
    """One figure as the CSV files' reader reads a cell of a file whose decimal point may
    (``decimal_comma``) or may not be a comma; None for anything else (empty included)."""
    text = re.sub(SPACES_RE, "", text).replace(MINUS, "-")
    for mark, pattern in GROUPED_RE.items():
        if re.match(pattern, text, re.ASCII):
            text = text.replace(mark, "")
    if decimal_comma:
        text = text.replace(",", ".")
    elif re.match(COMMA_GROUPS_RE, text, re.ASCII):
        text = text.replace(",", "")
    # ASCII digits only, as the files' reader (Arrow's RE2) takes them: Python's own \d and
    # float() would take any script's digits.
    if not re.match(NUMBER_RE, text, re.ASCII):
        return None
    value = float(text)
    return value if math.isfinite(value) else None
