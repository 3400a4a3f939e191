"""Instants as people read them: local time, to the minute, never raw ISO text.

The audit log keeps datetimes as ISO text (`2026-12-02T12:01:59.972362+00:00`)
so JSON and restores stay exact; everything a person reads goes through here so
the CLI log, the deal's History tab and undo/conflict messages agree.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

#: An ISO date *with* a time; plain dates (`2026-12-31`) are already readable.
_ISO_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def local_minute(at: datetime) -> str:
    """`2026-12-02 13:01` in the user's time zone (a naive instant is taken as UTC)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def when(at: datetime, now: datetime) -> str:
    """`14:32` today, `Nov 21 14:32` on another day, in the user's local time."""
    local, today = at.astimezone(), now.astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%b %d %H:%M")


def readable_value(value: str | None) -> str | None:
    """A logged value for reading: an ISO instant becomes local time, anything else is kept."""
    if value is None or not _ISO_INSTANT.match(value.strip()):
        return value
    try:
        return local_minute(datetime.fromisoformat(value.strip()))
    except ValueError:
        return value
