"""Dates as a sales person types them: `2026-12-31`, `today`, `+14d`, `+2w`, `fri`, `next mon`.

A bare weekday means the next such day *after* today, so `fri` typed on a
Friday is next Friday: nobody types a weekday name to mean today. `next fri`
is the Friday of the following week (Monday to Sunday), as people say it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dealboard.domain.errors import InvalidInput

ACCEPTED = "use a date like 2026-12-31, today, tomorrow, +14d, +2w, fri or next mon"

_RELATIVE = re.compile(r"^(?P<sign>[+-])(?P<count>\d{1,4})(?P<unit>[dw])$")
_WEEKDAY = re.compile(r"^(?P<next>next\s+)?(?P<name>[a-z]+)$")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS: dict[str, int] = {
    **{name: index for index, name in enumerate(_DAY_NAMES)},
    **{name[:3]: index for index, name in enumerate(_DAY_NAMES)},
}
"""Full and three-letter day names to `date.weekday()` numbers."""


def parse_date(text: str, today: date, field: str = "date") -> date:
    """Resolve `text` against `today` (passed in, so rules and tests share one clock)."""
    raw = text.strip().lower()
    if raw == "today":
        return today
    if raw == "tomorrow":
        return today + timedelta(days=1)
    if raw == "yesterday":
        return today - timedelta(days=1)
    relative = _RELATIVE.match(raw)
    if relative:
        days = int(relative["count"]) * (7 if relative["unit"] == "w" else 1)
        return today + timedelta(days=days if relative["sign"] == "+" else -days)
    weekday = _WEEKDAY.match(raw)
    if weekday and weekday["name"] in WEEKDAYS:
        return weekday_date(WEEKDAYS[weekday["name"]], today, following_week=bool(weekday["next"]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise InvalidInput(field, text, f"no such day; {ACCEPTED}") from exc
    raise InvalidInput(field, text, ACCEPTED)


def weekday_date(weekday: int, today: date, following_week: bool = False) -> date:
    """The day named by `weekday` (0 = Monday): the next one after today, or in next week."""
    if following_week:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)
