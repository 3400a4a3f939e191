"""What is wrong with a file, said precisely enough to fix it: file, line, column and reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dealboard.domain.errors import DealboardError, InvalidInput

#: Problems a real import prints before it stops (a dry run prints them all).
SHOWN_PROBLEMS = 20
#: Rows shown in full for one column's problems; the rest are counted with their lines.
EXAMPLES = 3
#: Line numbers listed for one column's problems.
LINES_SHOWN = 8


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


def grouped(problems: Sequence[Problem]) -> list[str]:
    """Every problem in one report: file-wide ones first, then rows grouped by column.

    Problems without a line (a missing column, a bad option, unknown stages)
    are one line each and name the flag that fixes them. Up to `EXAMPLES`
    problems in one column are shown as they are; more are summed up in one
    line with their first row numbers and the flag that leaves the column
    out, followed by a few examples with different messages.
    """
    lines = [str(p) for p in problems if p.line is None]
    columns: dict[str | None, list[Problem]] = {}
    for problem in problems:
        if problem.line is not None:
            columns.setdefault(problem.column, []).append(problem)
    for column, found in columns.items():
        if len(found) <= EXAMPLES:
            lines.extend(str(p) for p in found)
            continue
        numbers = sorted({p.line for p in found if p.line is not None})
        shown = ", ".join(str(n) for n in numbers[:LINES_SHOWN])
        more = f" and {len(numbers) - LINES_SHOWN} more" if len(numbers) > LINES_SHOWN else ""
        where = f'column "{column}": ' if column else ""
        fix = (
            f"correct them in the file, or leave the column out with --map '{column}=skip'"
            if column
            else "correct them in the file"
        )
        lines.append(
            f"{found[0].file}: {where}{len(found):,} rows refused (lines {shown}{more}); {fix}"
        )
        examples: dict[str, Problem] = {}
        for problem in found:
            key = problem.message.split(";", 1)[-1]
            examples.setdefault(key, problem)
            if len(examples) == EXAMPLES:
                break
        lines.extend(f"  {p}" for p in examples.values())
    return lines
