"""What one `dealboard doctor` check found: shared by the checks of `health` and `health_files`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How a check came out; any FAIL makes `dealboard doctor` exit 1."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    """One check's outcome: a one-line explanation and, when not ok, how to fix it."""

    status: Status
    name: str
    detail: str
    fix: str = ""


def first_line(error: object) -> str:
    """The first line of an error's message (a driver's can run to many)."""
    message = str(error).strip()
    return message.splitlines()[0] if message else type(error).__name__
