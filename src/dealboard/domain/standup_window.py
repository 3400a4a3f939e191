"""When "since the last stand-up" begins: midnight of the previous working day.

Its own module because the board filter (`changed:standup`) and the stand-up both need
it, and the stand-up's content module reads far more than a filter should import.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dealboard.domain.errors import InvalidInput
from dealboard.domain.history import parse_since

_MONDAY, _SATURDAY, _SUNDAY = 0, 5, 6


def previous_working_day(day: date) -> date:
    """Monday → Friday, Tuesday–Friday → the day before, Saturday and Sunday → Friday."""
    back = {_MONDAY: 3, _SUNDAY: 2}.get(day.weekday(), 1)
    return day - timedelta(days=back)


def since_window(
    now: datetime, since: str | None = None, tz: tzinfo | None = None
) -> tuple[datetime, datetime]:
    """The stand-up's `[start, now]` in UTC; `tz` is the user's zone (default: the system's)."""
    if since and since.strip():
        start = parse_since(since, now)
        if start >= now:
            raise InvalidInput("since", since, "the stand-up looks back: give a past day or time")
    else:
        local = now.astimezone(tz)
        day = previous_working_day(local.date())
        start = (
            datetime.combine(day, time.min, tzinfo=tz)
            if tz is not None
            else datetime.combine(day, time.min).astimezone()
        )
    return start.astimezone(UTC), now.astimezone(UTC)


def since_label(start: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """`since Friday`, `since yesterday`, `since 14:30`, or `since 2026-11-02` for longer."""
    local, today = start.astimezone(tz), now.astimezone(tz).date()
    days = (today - local.date()).days
    at = "" if local.time() == time.min else f" {local:%H:%M}"
    if days == 0:
        return f"since {local:%H:%M}" if at else "since midnight"
    if days == 1:
        return f"since yesterday{at}"
    if days < 7:
        return f"since {local:%A}{at}"
    return f"since {local.date().isoformat()}{at}"
