"""What the Reports screen asks for, and the one background read that answers it.

Every report is read at once (a few grouped queries each), so switching
between them is instant; the read runs again whenever anyone commits a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dealboard.domain.board import Board
from dealboard.domain.records import PipelineRecord, UserRecord
from dealboard.domain.reports import REPORTS, Report

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


@dataclass(frozen=True)
class LoadedReports:
    """Every report for one request, and what the screen's choices are made from."""

    request: ReportRequest
    pipeline: PipelineRecord
    reports: dict[str, Report]
    pipelines: list[PipelineRecord]
    people: list[UserRecord]


def read_reports(board: Board, request: ReportRequest) -> LoadedReports:
    """Run every report of `REPORTS` for `request` (called in a worker thread)."""
    since = window_since(request.window, board.today())
    reports = {
        name: board.report(name, pipeline=request.pipeline, since=since, owner=request.owner)
        for name in REPORTS
    }
    pipeline = reports["funnel"].scope.pipeline
    people = sorted(board.users(), key=lambda user: user.name.casefold())
    return LoadedReports(request, pipeline, reports, board.pipelines(), people)
