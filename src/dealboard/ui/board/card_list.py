"""The cards of one stage, drawn line by line so a column of 10,000 deals stays instant.

A `ScrollView` on Textual's line API: only the visible rows are rendered, and
rendered cards are cached by deal version. The list knows nothing about the
database; it reports what the user did with the mouse as messages and the
board screen decides what happens.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dealboard.domain.records import DealSummary, StageRecord
from dealboard.ui.board.cards import CARD_HEIGHT, CardStyles, card_text
from dealboard.ui.component_style import text_style

#: Drawn cards kept per column; a screenful is ~15, so this covers scrolling back and forth.
MAX_CACHED_CARDS = 500


class CardList(ScrollView, can_focus=False):
    """Deal cards of one stage; the selected card is highlighted when its column has focus."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "card",
        "card--selected",
        "card--cursor",
        "card--title",
        "card--meta",
        "card--late",
        "card--objection",
        "card--stale",
        "card--done",
        "card--drop",
        "card--dragged",
        "card--flash",
        "card--empty",
    }
    DEFAULT_CSS = """
    CardList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        height: 1fr;
        min-height: 4;
        & > .card { background: $surface; }
        & > .card--selected { background: $card-selected-background; text-style: $focus-style; }
        & > .card--cursor { background: $primary 12%; }
        & > .card--title { text-style: bold; }
        & > .card--meta { color: $text-muted; }
        & > .card--late { color: $card-overdue; text-style: $late-style; }
        & > .card--objection { color: $card-objection; text-style: bold; }
        & > .card--stale { color: $warning; text-style: $stale-style; }
        & > .card--done { color: $success; }
        & > .card--drop { color: $accent; text-style: bold; }
        & > .card--dragged { color: $text-disabled; }
        & > .card--flash { background: $accent 40%; }
        & > .card--empty { color: $text-disabled; }
    }
    """

    #: Index of the selected card, or -1 when the column is empty.
    selected: reactive[int] = reactive(-1, always_update=True)
    #: True when this is the column the keyboard is in.
    active: reactive[bool] = reactive(False)
    #: Where a dragged card would land (a slot 0..len), or None.
    drop_slot: reactive[int | None] = reactive(None)

    class Pressed(Message):
        """A card was clicked (chain 2 = double-click)."""

        def __init__(self, card_list: CardList, index: int, chain: int) -> None:
            super().__init__()
            self.card_list = card_list
            self.index = index
            self.chain = chain

    class DragMoved(Message):
        """A card is being dragged; the pointer is at `screen_offset`."""

        def __init__(self, deal: DealSummary, screen_offset: Offset) -> None:
            super().__init__()
            self.deal = deal
            self.screen_offset = screen_offset

    class DragEnded(Message):
        """The mouse button was released while dragging a card."""

        def __init__(self, deal: DealSummary, screen_offset: Offset) -> None:
            super().__init__()
            self.deal = deal
            self.screen_offset = screen_offset

    def __init__(self, stage: StageRecord, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.deals: tuple[DealSummary, ...] = ()
        self.now = datetime.now(UTC)
        self.dragged_id: int | None = None
        #: Cards changed by someone else a moment ago.
        self.flash_ids: set[int] = set()
        #: Cards marked for a bulk action (the screen's set, shared).
        self.marked_ids: set[int] = set()
        self._cache: dict[tuple[int, int, int, str], list[Strip]] = {}
        self._press: tuple[int, Offset] | None = None
        self._dragging = False
        self._after_drag = False

    # -- data -------------------------------------------------------------

    def show(self, stage: StageRecord, deals: tuple[DealSummary, ...], now: datetime) -> None:
        """Replace the cards (after a load or a filter change)."""
        self.stage = stage
        self.deals = deals
        self.now = now
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(deals) * CARD_HEIGHT + 1)
        if self.selected >= len(deals):
            self.selected = len(deals) - 1
        self.refresh()

    @property
    def selected_deal(self) -> DealSummary | None:
        return self.deals[self.selected] if 0 <= self.selected < len(self.deals) else None

    def watch_selected(self) -> None:
        self.scroll_to_selected()
        self.refresh()

    def watch_active(self) -> None:
        self.refresh()

    def watch_drop_slot(self) -> None:
        self.refresh()

    def scroll_to_selected(self) -> None:
        if self.selected >= 0:
            top = self.selected * CARD_HEIGHT
            self.scroll_to_region(Region(0, top, 1, CARD_HEIGHT + 1), animate=False, immediate=True)

    def slot_at(self, screen_y: int) -> int:
        """The drop slot nearest a screen row: before card 0 … after the last card."""
        local = screen_y - self.content_region.y + round(self.scroll_offset.y)
        return max(0, min(len(self.deals), round(local / CARD_HEIGHT)))

    # -- drawing ----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        # Under everything the column's own colours: a blank cell left unstyled would
        # show the terminal's default background, black on many, whatever the theme.
        return self._line(y).apply_style(self.rich_style)

    def _line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + round(self.scroll_offset.y)
        index, row = divmod(line, CARD_HEIGHT)
        if not self.deals:
            if line == 1:
                text = " no deals" if self.stage.kind.value == "open" else " none yet"
                style = self.get_component_rich_style("card--empty")
                return Strip([Segment(text, style)]).adjust_cell_length(width)
            return Strip.blank(width)
        if row == 0:
            return self._gap_line(index, width)
        if index >= len(self.deals):
            return Strip.blank(width)
        return self._card_strips(index, width)[row - 1]

    def _gap_line(self, index: int, width: int) -> Strip:
        if self.drop_slot is not None and self.drop_slot == index:
            style = self.get_component_rich_style("card--drop")
            return Strip([Segment("━" * width, style)])
        return Strip.blank(width)

    def _card_strips(self, index: int, width: int) -> list[Strip]:
        deal = self.deals[index]
        look = self._look(index, deal)
        marked = deal.id in self.marked_ids
        key = (deal.id, deal.version, width, look, marked)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        background = self.get_component_rich_style(f"card--{look}" if look else "card")
        if look == "dragged":
            background = self.get_component_rich_style("card") + self.get_component_rich_style(
                "card--dragged"
            )
        marker = "◆" if marked else "▌" if look == "selected" else " "
        lines = card_text(deal, self.stage, self.now, width, self._styles(), marker)
        strips = []
        for text in lines:
            segments = list(text.render(self.app.console))
            strip = Strip(segments).adjust_cell_length(width)
            strips.append(strip.apply_style(background))
        if len(self._cache) > MAX_CACHED_CARDS:
            self._cache.clear()
        self._cache[key] = strips
        return strips

    def _look(self, index: int, deal: DealSummary) -> str:
        if deal.id == self.dragged_id:
            return "dragged"
        if index == self.selected:
            return "selected" if self.active else "cursor"
        if deal.id in self.flash_ids:
            return "flash"
        return ""

    def _styles(self) -> CardStyles:
        return CardStyles(
            body=Style(),
            title=text_style(self, "card--title"),
            meta=text_style(self, "card--meta"),
            late=text_style(self, "card--late"),
            objection=text_style(self, "card--objection"),
            stale=text_style(self, "card--stale"),
            done=text_style(self, "card--done"),
        )

    def notify_style_update(self) -> None:
        self._cache.clear()
        super().notify_style_update()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.deals) * CARD_HEIGHT + 1)

    # -- mouse ------------------------------------------------------------

    def _index_at(self, y: int) -> int | None:
        index, row = divmod(y + round(self.scroll_offset.y), CARD_HEIGHT)
        return index if row and index < len(self.deals) else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._index_at(event.y)
        if index is None or event.button not in (1, 0):
            return
        self._press = (index, event.screen_offset)
        self._dragging = False
        self.capture_mouse()  # a fast pointer may next be seen over another column

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._press is None:
            return
        index, start = self._press
        if not self._dragging:
            moved = event.screen_offset - start
            if abs(moved.x) < 2 and abs(moved.y) < 1:
                return
            self._dragging = True
        self.post_message(self.DragMoved(self.deals[index], event.screen_offset))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        if press is None:
            return
        self.release_mouse()
        if dragging:
            self._after_drag = True
            self.post_message(self.DragEnded(self.deals[press[0]], event.screen_offset))
            event.stop()

    def redraw(self) -> None:
        """Draw every card again (after the drag look of a card changed)."""
        self._cache.clear()
        self.refresh()

    def cancel_drag(self) -> None:
        """Forget a drag in progress (Esc, or the board reloaded under it)."""
        if self._press is not None:
            self.release_mouse()
        self._press, self._dragging = None, False

    def on_click(self, event: events.Click) -> None:
        if self._after_drag:  # the release that ended a drag is not a click
            self._after_drag = False
            return
        index = self._index_at(event.y)
        if index is not None:
            self.post_message(self.Pressed(self, index, event.chain))
