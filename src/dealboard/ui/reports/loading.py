"""What the Reports screen asks for: a pipeline, a window as the screen names it, an owner.

Every report is read at once (`Views.reports`, a few grouped queries each, all
in one read-only transaction), so switching between them is instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dealboard.domain.views import ReportRequest as Reports

#: The windows `w` steps through, by key, with what the title says; the first is where it opens.
WINDOWS = {"all": "all time", "90d": "last 90 days", "year": "this year"}
#: The windows said inside a sentence: "deals created in the last 90 days".
WINDOW_PHRASES = {"all": "at any time", "90d": "in the last 90 days", "year": "this year"}


def window_since(window: str, today: date) -> str | None:
    """The `since` a window stands for, as `Board.report` takes it; None is unbounded."""
    if window == "90d":
        return "90d"
    if window == "year":
        return f"{today.year}-01-01"
    return None


@dataclass(frozen=True)
class ReportRequest:
    """Which reports: the pipeline (None: the first), the window's key, one owner or everyone."""

    pipeline: str | None
    window: str = "all"
    owner: str | None = None

    def asked(self, today: date) -> Reports:
        """The domain's request for these choices (the window as a `since`)."""
        return Reports(self.pipeline, window_since(self.window, today), self.owner)
