"""Parsing a word typed by a user into one of the closed vocabularies."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from dealboard.domain.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: str, field: str) -> E:
    """Case-insensitive; a bad word names the field and lists every accepted one."""
    wanted = value.strip().casefold()
    for member in kind:
        if member.value.casefold() == wanted:
            return member
    raise InvalidInput(field, value, "use one of " + ", ".join(m.value for m in kind))
