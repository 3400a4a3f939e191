"""Dates as a sales person types them: ISO dates, `today`, `tomorrow`, `+14d`, `+2w`."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dealboard.domain.errors import InvalidInput

ACCEPTED = "use a date like 2026-12-31, today, tomorrow, +14d or +2w"

_RELATIVE = re.compile(r"^(?P<sign>[+-])(?P<count>\d{1,4})(?P<unit>[dw])$")


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
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise InvalidInput(field, text, f"no such day; {ACCEPTED}") from exc
    raise InvalidInput(field, text, ACCEPTED)
