"""What is wrong with a file, said precisely enough to fix it: file, line, column and reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dealboard.domain.errors import DealboardError, InvalidInput

#: Problems a real import prints before it stops (a dry run prints them all).
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported as it is."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        column = f'column "{self.column}": ' if self.column else ""
        return f"{where}: {column}{self.message}"


def reason(error: InvalidInput) -> str:
    """A domain refusal without its field name: the column says which field it is."""
    message = str(error)
    return message.split(": ", 1)[1] if ": " in message else message


class ImportRefused(DealboardError):
    """The file was not imported, and nothing was written; `problems` says why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else "nothing to import"
        more = f" (and {count - 1} more problems)" if count > 1 else ""
        super().__init__(first + more)

    def lines(self, limit: int | None = SHOWN_PROBLEMS) -> list[str]:
        """One line per problem, the first `limit` of them, then how many were left out."""
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            lines.append(
                f"… and {len(self.problems) - len(shown)} more problems (--dry-run lists every one)"
            )
        return lines
