"""Read models: what each screen shows, read in one read-only transaction that follows changes.

`Views` (reached as `Board.views`) has one read per screen; each returns a
`Live` holding the content and the change-log cursor the next read starts from.
"""

from __future__ import annotations

from dealboard.domain.views.board_view import (
    BoardRequest,
    BoardView,
    ColumnView,
    Located,
    Viewport,
    Window,
)
from dealboard.domain.views.live import Live
from dealboard.domain.views.report_set import ReportRequest, ReportSet
from dealboard.domain.views.service import Views

__all__ = [
    "BoardRequest",
    "BoardView",
    "ColumnView",
    "Live",
    "Located",
    "ReportRequest",
    "ReportSet",
    "Viewport",
    "Views",
    "Window",
]
