"""Drag and drop of cards, which Textual does not have: a ghost and a drop target.

The card list reports the pointer while a card is dragged; this module finds
the column and slot under the pointer, highlights them, and draws a ghost of
the card beside the pointer. Dropping goes through the same gate as `L`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.geometry import Offset
from textual.widgets import Static

from dealboard.domain.records import DealSummary, StageRecord
from dealboard.ui.board.card_list import CardList
from dealboard.ui.board.column import ClosedSummary, StageColumn
from dealboard.ui.text import fitted

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen

GHOST_WIDTH = 24


@dataclass(frozen=True)
class DropTarget:
    """Where a dropped card goes: a column, the slot shown (0 = top), and the cards around it.

    The card lands in front of `before` (the card under the slot) or just after
    `after` (the one above it), the cards the user saw there, so a drop on a
    filtered board lands where it was seen even with hidden cards in between.
    """

    stage: StageRecord
    #: None when the card is over the won/lost panel (closed cards hidden): it closes.
    column: StageColumn | None
    slot: int
    before: int | None
    after: int | None


def drop_target(screen: BoardScreen, at: Offset, deal: DealSummary) -> DropTarget | None:
    """The column and slot under the pointer, or None outside every column."""
    try:
        widget, _ = screen.get_widget_at(at.x, at.y)
    except Exception:
        return None
    node = widget
    while node is not None and not isinstance(node, StageColumn | ClosedSummary):
        node = node.parent
    if isinstance(node, ClosedSummary):
        outcome = node.stage_at(at.y - node.region.y)
        return DropTarget(outcome, None, 0, None, None) if outcome is not None else None
    if not isinstance(node, StageColumn) or not node.display:
        return None
    cards = node.cards
    slot = cards.slot_at(at.y)
    return DropTarget(
        node.stage,
        node,
        slot,
        before=_neighbour(cards, slot, deal.id, step=1),
        after=_neighbour(cards, slot - 1, deal.id, step=-1),
    )


def _neighbour(cards: CardList, index: int, dragged: int, step: int) -> int | None:
    """The first card from `index` on (down or up) that is not the dragged one."""
    card = cards.card_at(index)
    if card is not None and card.id == dragged:
        card = cards.card_at(index + step)
    return card.id if card is not None else None


class DragGhost(Static):
    """A copy of the dragged card that follows the pointer."""

    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__(id="drag-ghost")
        self.active = False
        self.deal: DealSummary | None = None

    def on_mount(self) -> None:
        self.display = False

    def follow(
        self, screen: BoardScreen, deal: DealSummary, at: Offset, target: DropTarget | None
    ) -> None:
        if not self.active:
            self.active = True
            self.deal = deal
            self.update(
                Text("\n").join(
                    [
                        fitted(deal.title, GHOST_WIDTH - 2, "bold"),
                        fitted(deal.account, GHOST_WIDTH - 2),
                    ]
                )
            )
            self.display = True
            for column in screen.columns:
                column.cards.dragged_id = deal.id
                column.cards.redraw()
        self.styles.offset = (at.x + 2, max(at.y - 1, 0))
        for column in screen.columns:
            hit = target is not None and target.column is column
            column.set_class(hit, "-drop-target")
            column.cards.drop_slot = target.slot if hit and target else None
        closing = target is not None and target.column is None
        screen.query_one(ClosedSummary).set_class(closing, "-drop-target")

    def finish(self, screen: BoardScreen) -> None:
        """Hide the ghost and every highlight."""
        self.active = False
        self.deal = None
        self.display = False
        for column in screen.columns:
            column.set_class(False, "-drop-target")
            column.cards.drop_slot = None
            column.cards.dragged_id = None
            column.cards.redraw()
        screen.query_one(ClosedSummary).set_class(False, "-drop-target")

    def cancel(self, screen: BoardScreen) -> bool:
        """Esc while dragging: the card stays where it was. True if a drag was cancelled."""
        if not self.active:
            return False
        for column in screen.columns:
            column.cards.cancel_drag()
        self.finish(screen)
        return True
