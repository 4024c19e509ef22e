"""The day a build takes place on, in a client's time zone.

``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) sets it: a build
rerun with the same value gives the same sites whatever the clock says, and a portal can be
built as it would have been on another day.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

#: The variable that fixes the build's moment.
EPOCH_ENV = "SOURCE_DATE_EPOCH"


class ClockError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set to something that is not a moment."""


def now() -> dt.datetime:
    """The build's moment, in UTC."""
    value = os.environ.get(EPOCH_ENV, "").strip()
    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ClockError(
            f"{EPOCH_ENV}={value!r} is not a whole number of seconds since 1970-01-01"
        ) from None


def today(timezone: str | None = None) -> dt.date:
    """The build's day where ``timezone`` is (the machine's own zone when None)."""
    moment = now()
    return (moment.astimezone(ZoneInfo(timezone)) if timezone else moment.astimezone()).date()
