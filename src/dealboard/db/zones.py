"""The user's time zone as both engines can use it: a tz database name, and local dates.

A report buckets instants by the user's calendar (a deal closed at 00:30 on
1 July in Los Angeles is a July deal), and each instant needs its *own* UTC
offset: summer and winter differ. PostgreSQL knows the tz database, so it is
given the zone's name (`AT TIME ZONE 'America/Los_Angeles'`), never the
server's zone. SQLite knows none, so every SQLite connection gets
`dealboard_local_date(instant, zone)`, which converts in Python with
`zoneinfo`; a NULL zone means the process's local time, as `astimezone()`
reads it everywhere else in the app.
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: SQL function on every SQLite connection: the local `YYYY-MM-DD` of an instant.
SQLITE_LOCAL_DATE_FUNCTION = "dealboard_local_date"
#: A tz database key as PostgreSQL and `zoneinfo` spell it (also keeps SQL literals safe).
_ZONE_KEY = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")
#: Where the system's zone is read from when `TZ` is not set.
_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")


def local_zone_name() -> str | None:
    """The tz database name of the user's zone (`Europe/Berlin`), or None when unknown.

    `TZ` first (what the process's local time follows), then the system's
    `/etc/localtime` link or `/etc/timezone`. A `TZ` that is no tz database
    name (a POSIX rule like `EST5EDT4`) gives None: the caller then falls back
    to the current UTC offset.
    """
    raw = os.environ.get("TZ")
    if raw is not None:
        return _known(raw.removeprefix(":").strip() or "UTC")
    try:
        target = str(_LOCALTIME.resolve(strict=True))
    except OSError:
        target = ""
    if "/zoneinfo/" in target:
        return _known(target.split("/zoneinfo/", 1)[1])
    try:
        return _known(_TIMEZONE_FILE.read_text(encoding="utf-8").strip())
    except OSError:
        return None


def _known(name: str) -> str | None:
    """`name` when it is a tz database key `zoneinfo` can load, else None."""
    name = name.removeprefix("posix/").removeprefix("right/")
    if not _ZONE_KEY.fullmatch(name):
        return None
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


#: Per zone and UTC day (`2017-07-01`): the local date before and from the UTC time of
#: local midnight (`07:00:00` in Los Angeles in summer), or None on a day the clocks change.
#: Reports read many instants of the same days: a lookup and a string comparison cost
#: a third of converting each instant with `zoneinfo`.
_DAYS: dict[object, dict[str, tuple[str, str, str] | None]] = {}
#: Days remembered per zone before the memo starts again (a few MB at most).
_MEMO_LIMIT = 100_000
_DAY = timedelta(days=1) - timedelta(microseconds=1)


def local_date_text(instant: str | None, zone: str | None) -> str | None:
    """What `dealboard_local_date(instant, zone)` returns on SQLite.

    SQLite keeps instants as UTC text (`2017-07-01 07:30:00.000000`); NULL stays
    NULL. Each instant is converted with its own offset (summer or winter); on
    a day the clocks change, instant by instant. Called once per row: kept lean.
    """
    if instant is None:
        return None
    key = zone or (time.tzname, time.timezone, time.altzone)
    days = _DAYS.get(key)
    if days is None or len(days) > _MEMO_LIMIT:
        days = _DAYS[key] = {}
    day = instant[:10]
    split = days.get(day, False)
    if split is False:
        split = days[day] = _split_day(day, zone)
    if split is None or instant[19:20] not in ("", "."):  # a clock change, or not naive UTC
        return _local_date(datetime.fromisoformat(instant), zone)
    return split[2] if instant[11:19] >= split[1] else split[0]


def _split_day(day: str, zone: str | None) -> tuple[str, str, str] | None:
    """A UTC day's local dates and the UTC time between them, if one offset holds all day."""
    try:
        start = datetime.fromisoformat(day)
    except ValueError:
        return None
    first, last = _local(start, zone), _local(start + _DAY, zone)
    offset = first.utcoffset()
    if offset is None or offset != last.utcoffset():
        return None
    seconds = int(-offset.total_seconds()) % 86_400
    midnight = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return first.date().isoformat(), midnight, last.date().isoformat()


def _local(moment: datetime, zone: str | None) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(_zone(zone)) if zone else aware.astimezone()


def _local_date(moment: datetime, zone: str | None) -> str:
    return _local(moment, zone).date().isoformat()


def sql_literal(zone: str) -> str:
    """`zone` as a SQL string literal; only tz database keys are accepted."""
    if not _ZONE_KEY.fullmatch(zone):
        raise ValueError(f"not a time zone name: {zone!r}")
    return "'" + zone + "'"
