"""Activity and history: the touches with the buyer, and every stage the deal went through.

Both lists come newest first from the domain, so the latest call and the
latest move are at the top.
"""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from dealboard.domain.activities import due_day
from dealboard.domain.records import ActivityRecord, TransitionRecord
from dealboard.ui.deal.common import day, when
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.text import fitted, plain, plain_line

#: Cells the fixed columns take (when, kind, status, by, padding); subject and outcome share
#: the rest.
_FIXED_WIDTH = 54


class ActivityPanel(VerticalScroll):
    """The activities table above the stage history table."""

    COMPONENT_CLASSES = {"activity-panel--late", "activity-panel--done"}

    def __init__(self) -> None:
        super().__init__(id="activity-panel")
        self.activities: tuple[ActivityRecord, ...] = ()

    def compose(self) -> ComposeResult:
        yield Label("Activities", id="activity-count", classes="panel-heading")
        activities: DataTable[object] = RecordTable(id="activity-table", cursor_type="row")
        activities.add_columns("When", "Kind", "Subject", "Status", "Outcome", "By")
        yield activities
        yield Static(id="activity-detail")
        yield Label("Stage history", classes="panel-heading")
        history: DataTable[object] = RecordTable(id="history-table", cursor_type="row")
        history.add_columns("When", "Move", "By", "Override reason")
        yield history

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#activity-table", DataTable)

    def show(
        self,
        activities: tuple[ActivityRecord, ...],
        history: tuple[TransitionRecord, ...],
        now: datetime,
    ) -> None:
        self.activities = activities
        free = max((self.size.width or self.app.size.width) - _FIXED_WIDTH, 24)
        widths = (free * 3 // 5, free - free * 3 // 5)
        fill_table(self.table, [(a.id, self._activity_cells(a, now, widths)) for a in activities])
        label = f"Activities ({len(activities)})" if activities else "Activities: none yet"
        self.query_one("#activity-count", Label).update(Text(label))
        fill_table(
            self.query_one("#history-table", DataTable),
            [(index, self._move_cells(move)) for index, move in enumerate(history)],
        )
        self._show_detail()

    @on(DataTable.RowHighlighted, "#activity-table")
    def _show_detail(self) -> None:
        """The whole subject and outcome of the highlighted activity (the table cuts them)."""
        activity = self.highlighted()
        detail = self.query_one("#activity-detail", Static)
        detail.display = activity is not None
        if activity is not None:
            outcome = plain(activity.outcome) if activity.outcome else Text("no outcome noted")
            detail.update(plain(activity.subject) + Text(" — ") + outcome)

    def _activity_cells(
        self, activity: ActivityRecord, now: datetime, widths: tuple[int, int]
    ) -> tuple[Text, ...]:
        if activity.done_at is not None:
            status = Text("done", self.get_component_rich_style("activity-panel--done"))
        elif activity.due_at is not None and due_day(activity.due_at) < now.astimezone().date():
            status = Text("overdue", self.get_component_rich_style("activity-panel--late"))
        else:
            status = Text("scheduled")
        shown = when(activity.done_at) if activity.done_at else day(_due(activity))
        return (
            Text(shown),
            plain_line(activity.kind.value),
            fitted(activity.subject, widths[0]),
            status,
            fitted(activity.outcome, widths[1]),
            plain_line(activity.user),
        )

    def _move_cells(self, move: TransitionRecord) -> tuple[Text, ...]:
        path = (
            f"{move.from_stage} → {move.to_stage}"
            if move.from_stage
            else f"created in {move.to_stage}"
        )
        return (
            Text(when(move.at)),
            plain_line(path),
            plain_line(move.user),
            fitted(move.override_reason or "", 40),
        )

    def highlighted(self) -> ActivityRecord | None:
        key = highlighted_key(self.table)
        return next((a for a in self.activities if a.id == key), None)


def _due(activity: ActivityRecord) -> date | None:
    """A scheduled activity's day (due dates are days, not instants)."""
    return due_day(activity.due_at) if activity.due_at else None
