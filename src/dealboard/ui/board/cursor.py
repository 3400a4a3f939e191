"""Where the keyboard is on the board: which column, and which card in each column.

A card is remembered by its deal id, not its place, so a redraw after anyone's
change puts the cursor back on the same deal wherever it moved in its column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dealboard.domain.records import DealSummary
from dealboard.ui.board.column import StageColumn


@dataclass
class BoardCursor:
    """The focused column (among those the cursor can visit) and each column's chosen deal."""

    column: int = 0
    #: The deal the cursor is on in each column, by stage id.
    deal_by_stage: dict[int, int] = field(default_factory=dict)
    #: A deal the cursor should land on once a read has found it (a new card, a moved one).
    follow: int | None = None

    def remember(self, column: StageColumn) -> None:
        """Note the deal under the cursor of `column` (if it has been read)."""
        deal = column.cards.selected_deal
        if deal is not None:
            self.deal_by_stage[column.stage.id] = deal.id

    def restore(self, column: StageColumn) -> None:
        """After a redraw: back on the remembered deal if it is still among the cards read."""
        wanted = self.deal_by_stage.get(column.stage.id)
        if wanted is not None:
            column.cards.select_deal(wanted)

    def land(self, columns: list[StageColumn], stage_id: int, deal: DealSummary | int) -> None:
        """Put the cursor on `deal` in the column of `stage_id`."""
        deal_id = deal if isinstance(deal, int) else deal.id
        self.deal_by_stage[stage_id] = deal_id
        for index, column in enumerate(columns):
            if column.stage.id == stage_id:
                self.column = index

    def forget(self) -> None:
        """Another pipeline: nothing remembered applies."""
        self.deal_by_stage.clear()
        self.column = 0
        self.follow = None
