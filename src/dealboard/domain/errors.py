"""The ways an operation can be refused, each mapped to one exit code by the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


class DealboardError(Exception):
    """Base of every refusal; its message is one line a user can act on."""


class InvalidInput(DealboardError):
    """A value the user gave cannot be used: names the field, the value and what is accepted."""

    def __init__(self, field: str, value: object, accepted: str) -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        shown = _short(value)
        super().__init__(f"{field}: {shown} is not accepted; {accepted}")


class NotFound(DealboardError):
    """The thing named does not exist (a deal id, a stage, a user)."""

    def __init__(self, field: str, value: object, hint: str = "") -> None:
        self.field = field
        self.value = value
        message = f"{field}: no {field} {_short(value)}"
        super().__init__(f"{message}; {hint}" if hint else message)


class RuleViolation(DealboardError):
    """The sales process forbids this (the gate, permissions); lists what is missing."""

    def __init__(self, message: str, unmet: Sequence[str] = ()) -> None:
        self.unmet = tuple(unmet)
        detail = "; ".join(self.unmet)
        super().__init__(f"{message}: {detail}" if detail else message)


class GateClosed(RuleViolation):
    """The stage's exit criteria (or a skipped stage's) are open: the move needs them ticked
    or a manager's override. A front end answers it by showing the checklist."""


class Conflict(DealboardError):
    """Someone else changed the record first; nothing was overwritten.

    `by`/`at` name the latest change when it is known; `current_version` is the
    version a second, deliberate save should be made against.
    """

    def __init__(
        self,
        message: str,
        *,
        by: str | None = None,
        at: datetime | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.by = by
        self.at = at
        self.current_version = current_version


class Busy(DealboardError):
    """The database stayed locked by other writers after every retry; nothing was saved."""


def _short(value: object, limit: int = 60) -> str:
    """The offending value, quoted, shortened and with control characters made visible."""
    text = value if isinstance(value, str) else str(value)
    visible = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    if len(visible) > limit:
        visible = visible[: limit - 1] + "…"
    return repr(visible) if isinstance(value, str) else visible
