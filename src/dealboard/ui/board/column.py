"""A stage column: a header with the stage's sums above its list of cards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from dealboard.domain.columns import join_money
from dealboard.domain.records import StageRecord
from dealboard.domain.views.board_view import ColumnView
from dealboard.ui.board.card_list import CardList
from dealboard.ui.text import fitted


class ColumnHeader(Static):
    """Stage name, deal count (against its WIP limit), total and probability-weighted value."""

    ALLOW_SELECT = False

    def show(self, column: ColumnView, number: int | None, width: int) -> None:
        stage = column.stage
        inner = max(width - 2, 4)
        prefix = f"{number} " if number is not None and number <= 9 else ""
        # The name gives way to the count: a WIP limit's `⚠ 15/15` is the news.
        shown = column.count_text(max(inner - 12, 0))
        name = fitted(f"{prefix}{stage.name}", max(inner - max(4, len(shown) + 1), 3), "bold")
        count = Text(f" {shown}", style="bold")
        line1 = Text.assemble(name, count)
        line2 = fitted(column.totals_text(inner), inner)
        if column.is_open:
            # The money is never cut: the probability, then "wtd", give way first.
            weighted = column.weighted_text(inner - 4)
            choices = (f"wtd {weighted} · {stage.probability}%", f"wtd {weighted}", weighted)
            line3 = fitted(next((c for c in choices if len(c) <= inner), weighted), inner)
        else:
            line3 = Text("closed", style="italic")
        # Its size is set in CSS: new text needs no layout of the screen (the costly part).
        self.update(Text("\n").join([line1, line2, line3]), layout=False)


class StageColumn(Vertical):
    """One stage of the board; the screen feeds it the stage's `ColumnView`."""

    ALLOW_SELECT = False

    def __init__(self, stage: StageRecord, number: int | None) -> None:
        super().__init__(id=f"stage-{stage.id}", classes=f"stage-{stage.kind.value}")
        self.stage = stage
        self.number = number
        self.column: ColumnView | None = None
        # Made here, not found later: a key or a timer may reach a column still being mounted.
        self.header = ColumnHeader()
        self.cards = CardList(stage)

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.cards

    def show(self, column: ColumnView, now: datetime) -> None:
        """Draw the column's sums and cards, unless this very column is on screen already.

        A read hands back the same `ColumnView` for every column no change touched,
        so a move redraws two columns, not the board (the clock ages badges apart).
        """
        if column is not self.column:
            self.column = column
            self.stage = column.stage
            self.header.show(column, self.number, self.size.width or 28)
            load = column.load
            self.set_class(load is not None and load.full, "-wip-full")
            self.set_class(load is not None and load.full and load.limit.hard, "-wip-hard")
        self.cards.show(column, now)

    def on_resize(self) -> None:
        if self.column is not None:
            self.header.show(self.column, self.number, self.size.width)


#: Cells inside the won/lost panel (its width, 18 in board.tcss, less its padding).
SUMMARY_INNER = 16


class ClosedSummary(Static):
    """Won and lost at a glance, at the right edge of the board."""

    ALLOW_SELECT = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The outcomes shown, and the line each one's block starts on.
        self.stages: list[StageRecord] = []
        self._first_lines: list[int] = []

    def stage_at(self, y: int) -> StageRecord | None:
        """The outcome drawn on line `y` of the panel: a card dropped there closes as it."""
        found = [
            stage for stage, first in zip(self.stages, self._first_lines, strict=True) if y >= first
        ]
        return found[-1] if found and y >= 0 else None

    def first_line_of(self, kind: str) -> int:
        """Where the won or lost block starts (for tests that drop a card on it)."""
        return next(
            first
            for stage, first in zip(self.stages, self._first_lines, strict=True)
            if stage.kind.value == kind
        )

    def show(self, won: ColumnView | None, lost: ColumnView | None, showing_cards: bool) -> None:
        parts: list[Text] = []
        self.stages, self._first_lines = [], []
        for column in (won, lost):
            if column is None:
                continue
            self.stages.append(column.stage)
            self._first_lines.append(len(parts))
            parts.append(fitted(column.stage.name, SUMMARY_INNER, "bold"))
            parts.append(Text(f"{column.count} deals"))
            total = column.totals_text(SUMMARY_INNER)
            if len(total) <= SUMMARY_INNER:
                parts.append(Text(total))
            else:  # one currency a line rather than a cut total
                parts.extend(Text(join_money([money], SUMMARY_INNER)) for money in column.totals)
            parts.append(Text(""))
        hint = "o hide cards" if showing_cards else "o show cards"
        parts.append(Text(hint, style="italic"))
        self.update(Text("\n").join(parts), layout=False)
