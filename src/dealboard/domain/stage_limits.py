"""Work-in-progress limits as a pipeline file writes them: `wip = 15` or a table.

`wip = 15` is soft (the column's header warns at the limit); `wip = { max = 15,
hard = true }` refuses a move into a full stage through the gate, which a
manager may override with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dealboard.domain.errors import InvalidInput

_WIP_KEYS = {"max", "hard"}
#: Far beyond any real column; a limit is a number a team can see on one screen.
MAX_WIP = 10_000


@dataclass(frozen=True)
class WipLimit:
    """At most `max` open deals in the stage; `hard` refuses the move that would exceed it."""

    max: int
    hard: bool = False

    def to_toml(self) -> str:
        """The value as a pipeline file writes it (the short form when soft)."""
        if not self.hard:
            return str(self.max)
        return f"{{ max = {self.max}, hard = true }}"


def parse_wip(raw: Any, key: str) -> WipLimit:
    """`15` or `{ max = 15, hard = true }`; anything else is refused naming `key`."""
    if isinstance(raw, dict):
        for name in raw:
            if name not in _WIP_KEYS:
                raise InvalidInput(f"{key}.{name}", name, "unknown key; allowed: hard, max")
        if "max" not in raw:
            raise InvalidInput(f"{key}.max", "missing", "give the most open deals the stage holds")
        hard = raw.get("hard", False)
        if not isinstance(hard, bool):
            raise InvalidInput(f"{key}.hard", hard, "must be true or false")
        return WipLimit(_limit(raw["max"], f"{key}.max"), hard)
    return WipLimit(_limit(raw, key))


def _limit(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WIP:
        raise InvalidInput(key, value, f"give a whole number of deals from 1 to {MAX_WIP:,}")
    return value


def wip_columns(limit: WipLimit | None) -> dict[str, object]:
    """The stage's `wip_max`/`wip_hard` columns for a limit (or none)."""
    return {"wip_max": limit.max if limit else None, "wip_hard": bool(limit and limit.hard)}


def wip_of(wip_max: int | None, wip_hard: bool) -> WipLimit | None:
    """The limit a stage's columns hold, or None."""
    return WipLimit(wip_max, wip_hard) if wip_max is not None else None
