"""How wide each column of a printed table is: what you type is never cut, prose gives way.

A login, an id or an amount cut to `richard.hendric…` cannot be typed back
or trusted, so those columns grow to their longest cell. On a terminal the
table then fits its width by narrowing the prose columns (titles, accounts)
first; into a pipe or a file it keeps its full width, so scripts see whole
values whatever terminal started them.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Mapping, Sequence

#: Cells between two columns.
GAP = 2


def cell_width(text: str) -> int:
    """Terminal columns a string takes: wide East Asian characters and emoji take two."""
    return sum(
        2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
        for c in text
    )


def terminal_columns() -> int | None:
    """The terminal's width (COLUMNS wins, as the shell sets it), or None when not a terminal."""
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is None or not isatty():
        return None
    return shutil.get_terminal_size().columns


def grown_to_fit(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int], whole: set[int]
) -> list[int]:
    """`widths`, with each column in `whole` widened to its longest cell and header.

    With zero widths and every column in `whole`, this is each column's content width.
    """
    grown = list(widths)
    for index in whole:
        longest = max((cell_width(row[index]) for row in [headers, *rows]), default=0)
        grown[index] = max(grown[index], longest)
    return grown


def shrunk_to(
    widths: Sequence[int], limit: int | None, phases: Sequence[Mapping[int, int]]
) -> list[int]:
    """Narrow columns until the table fits `limit`, one phase (index → least width) at a time.

    Within a phase the widest column gives a cell first, so a long title and a
    long account share the cut. Columns no phase names never shrink, and a
    table that cannot fit stays as narrow as the phases allow.
    """
    fitted = list(widths)
    if limit is None:
        return fitted
    excess = sum(fitted) + GAP * (len(fitted) - 1) - limit
    for narrowest in phases:
        while excess > 0:
            room = [i for i in narrowest if fitted[i] > narrowest[i]]
            if not room:
                break
            widest = max(room, key=lambda i: fitted[i])
            fitted[widest] -= 1
            excess -= 1
    return fitted
