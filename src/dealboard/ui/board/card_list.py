"""The cards of one stage, drawn line by line so a column of 100,000 deals stays instant.

A `ScrollView` on Textual's line API: only the visible rows are rendered, and
rendered cards are cached. The list holds a `ColumnView`: the column's count
(the scroll range) and the window of cards read so far. When the user scrolls
or moves the cursor near the edge of that window it posts `NeedsCards`, and
the screen's loader reads the next window; a row not read yet shows as a
placeholder for the moment that takes. The list knows nothing about the
database; it reports what the user did as messages and the board screen
decides what happens.
"""

from __future__ import annotations

from collections import OrderedDict
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
from dealboard.domain.views.board_view import ColumnView, Window
from dealboard.ui.board.cards import CARD_HEIGHT, CardStyles, card_text
from dealboard.ui.component_style import text_style

#: Drawn cards kept per column, the most recently shown: a screenful is ~12, so this covers
#: scrolling back and forth (each is four strips of a dozen objects apiece: more would only
#: keep the garbage collector busy).
MAX_CACHED_CARDS = 48
#: Cards above and below the screen that must be read before the user gets there.
PREFETCH = 10
#: Rows kept free under the cursor's card: a message pops up over the bottom of the
#: screen just as a card lands there, and must not hide the card the user just moved.
ROOM_FOR_MESSAGES = 4


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

    #: Place of the selected card in the column, or -1 when the column is empty.
    selected: reactive[int] = reactive(-1, always_update=True)
    #: True when this is the column the keyboard is in.
    active: reactive[bool] = reactive(False)
    #: Where a dragged card would land (a slot 0..len), or None.
    drop_slot: reactive[int | None] = reactive(None)

    class NeedsCards(Message):
        """The user looks at (or moves the cursor to) cards not read yet."""

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
        self.column = ColumnView(stage, 0, (), ())
        self.now = datetime.now(UTC)
        self.dragged_id: int | None = None
        #: Cards changed by someone else a moment ago.
        self.flash_ids: set[int] = set()
        #: Cards marked for a bulk action (the screen's set, shared).
        self.marked_ids: set[int] = set()
        self._cache: OrderedDict[tuple[DealSummary, int, str, bool], list[list[Segment]]] = (
            OrderedDict()
        )
        self._press: tuple[DealSummary, Offset] | None = None
        self._dragging = False
        self._after_drag = False
        self._asked_for_cards = False
        #: Styles from the CSS, kept until the theme changes (`notify_style_update`).
        self._base_style: Style | None = None
        self._card_styles: CardStyles | None = None
        self._backgrounds: dict[str, Style] = {}

    # -- data -------------------------------------------------------------

    def show(self, column: ColumnView, now: datetime) -> None:
        """Replace the cards (after a read: a change, a scroll, a filter).

        The same column as before is left as drawn; only whether cards are missing
        (a column just shown, scrolled meanwhile) is looked at again.
        """
        if column is self.column:
            self._asked_for_cards = False
            self._ask_for_cards_if_needed()
            return
        self.stage = column.stage
        self.column = column
        self.now = now
        self._asked_for_cards = False
        self._scroll_range(self._content_height())
        if self.selected >= column.count:
            self.selected = column.count - 1
        elif self.selected < 0 and column.count:
            self.selected = 0
        self.refresh()
        self._ask_for_cards_if_needed()

    def _scroll_range(self, height: int) -> None:
        """A new card count: a new scroll range, without laying out the whole screen.

        Textual lays out the screen on every change of a widget's virtual size, the
        most costly part of redrawing a move. Only when the scrollbar appears or goes
        is a layout needed; otherwise the range and the scrollbar's thumb are set here.
        """
        size = Size(self.size.width, height)
        if size == self.virtual_size:
            return
        window = self.scrollable_content_region.height
        if not window or (self.virtual_size.height > window) != (height > window):
            self.virtual_size = size
            return
        self.set_reactive(CardList.virtual_size, size)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = height
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        self.refresh()

    @property
    def deals(self) -> tuple[DealSummary, ...]:
        """The cards read so far (all of them on a board of ordinary size)."""
        return self.column.cards

    @property
    def count(self) -> int:
        """How many cards the column holds (through the filter), read or not."""
        return self.column.count

    @property
    def selected_deal(self) -> DealSummary | None:
        return self.column.card_at(self.selected)

    def card_at(self, index: int) -> DealSummary | None:
        return self.column.card_at(index)

    def select_deal(self, deal_id: int) -> bool:
        """Put the cursor on a card that has been read; False if it is not among them."""
        index = self.column.index_of(deal_id)
        if index is None:
            return False
        if index != self.selected:  # (setting it redraws the list, even to the same value)
            self.selected = index
        return True

    def watch_selected(self) -> None:
        self.scroll_to_selected()
        self.refresh()
        self._ask_for_cards_if_needed()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._ask_for_cards_if_needed()

    def needed(self) -> Window:
        """The cards on screen, the cursor's, and a few beyond: what must have been read."""
        height = self.size.height or self.app.size.height
        first = max(0, int(self.scroll_offset.y) // CARD_HEIGHT)
        last = (int(self.scroll_offset.y) + height) // CARD_HEIGHT
        if self.selected >= 0:
            first, last = min(first, self.selected), max(last, self.selected)
        start = max(0, first - PREFETCH)
        end = min(self.column.count, last + 1 + PREFETCH)
        return Window(start, max(end - start, 0))

    def lacks_cards(self) -> bool:
        return not self.column.covers(self.needed())

    def _ask_for_cards_if_needed(self) -> None:
        """Ask once per read for the cards the user is about to see."""
        if self.display and not self._asked_for_cards and self.lacks_cards():
            self._asked_for_cards = True
            self.post_message(self.NeedsCards())

    def watch_active(self) -> None:
        self.refresh()

    def watch_drop_slot(self) -> None:
        self.refresh()

    def _content_height(self) -> int:
        """Every card, the drop slot after the last, and the room kept for messages."""
        return self.column.count * CARD_HEIGHT + 1 + ROOM_FOR_MESSAGES

    def scroll_to_selected(self) -> None:
        if self.selected >= 0:
            top = self.selected * CARD_HEIGHT
            below = Region(0, top, 1, CARD_HEIGHT + 1 + ROOM_FOR_MESSAGES)
            self.scroll_to_region(below, animate=False, immediate=True)

    def slot_at(self, screen_y: int) -> int:
        """The drop slot nearest a screen row: before card 0 … after the last card."""
        local = screen_y - self.content_region.y + round(self.scroll_offset.y)
        return max(0, min(self.column.count, round(local / CARD_HEIGHT)))

    # -- drawing ----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + round(self.scroll_offset.y)
        index, row = divmod(line, CARD_HEIGHT)
        if not self.column.count:
            if line == 1:
                text = " no deals" if self.stage.kind.value == "open" else " none yet"
                return self._note(text, width)
            return self._on_column(Strip.blank(width))
        if row == 0:
            return self._gap_line(index, width)
        if index >= self.column.count:
            return self._on_column(Strip.blank(width))
        deal = self.column.card_at(index)
        if deal is None:  # not read yet: it is on its way
            self._ask_for_cards_if_needed()
            return self._note("  …" if row == 1 else "", width)
        return self._card_strips(index, deal, width)[row - 1]

    def _on_column(self, strip: Strip) -> Strip:
        """Under everything the column's own colours: a blank cell left unstyled would
        show the terminal's default background, black on many, whatever the theme."""
        return strip.apply_style(self._column_style())

    def _column_style(self) -> Style:
        """The column's own colours, worked out from the CSS once per theme, not per line."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def _note(self, text: str, width: int) -> Strip:
        style = self.get_component_rich_style("card--empty")
        return self._on_column(Strip([Segment(text, style)]).adjust_cell_length(width))

    def _gap_line(self, index: int, width: int) -> Strip:
        if self.drop_slot is not None and self.drop_slot == index:
            style = self.get_component_rich_style("card--drop")
            return self._on_column(Strip([Segment("━" * width, style)]))
        return self._on_column(Strip.blank(width))

    def _card_strips(self, index: int, deal: DealSummary, width: int) -> list[Strip]:
        """A card's four lines, drawn once per look and kept (the most recent few only).

        What is kept is the lines' segments, not `Strip`s: Textual caches every crop of
        a strip inside it, so kept strips would grow dozens of copies each while the
        screen redraws, for the garbage collector to walk through again and again.
        """
        look = self._look(index, deal)
        marked = deal.id in self.marked_ids
        # The deal record itself is the key: a card whose data did not change is not drawn
        # again after a read (its badges age with the clock's redraw, once a minute).
        key = (deal, width, look, marked)
        lines = self._cache.get(key)
        if lines is not None:
            self._cache.move_to_end(key)
        else:
            lines = self._draw_card(deal, look, marked, width)
            self._cache[key] = lines
            if len(self._cache) > MAX_CACHED_CARDS:
                self._cache.popitem(last=False)
        return [Strip(segments, width) for segments in lines]

    def _draw_card(
        self, deal: DealSummary, look: str, marked: bool, width: int
    ) -> list[list[Segment]]:
        """Segments straight from Rich (no `Strip`s: a board draws ~80 cards at a time)."""
        style = self._card_background(look)
        bar = "▌" if look == "selected" else " "
        # A mark takes the first line only: the cursor's bar still shows on the others.
        lines = card_text(
            deal, self.stage, self.now, width, self._styles(), bar, first="◆" if marked else bar
        )
        console = self.app.console
        return [
            list(
                Segment.apply_style(
                    Segment.adjust_line_length(list(text.render(console)), width), style
                )
            )
            for text in lines
        ]

    def _card_background(self, look: str) -> Style:
        """The column's colours under a card's own (for its look), from the CSS once."""
        style = self._backgrounds.get(look)
        if style is None:
            card = self.get_component_rich_style("card")
            if look == "dragged":
                own = card + self.get_component_rich_style("card--dragged")
            else:
                own = self.get_component_rich_style(f"card--{look}") if look else card
            style = self._backgrounds[look] = self._column_style() + own
        return style

    def _look(self, index: int, deal: DealSummary) -> str:
        if deal.id == self.dragged_id:
            return "dragged"
        if index == self.selected:
            return "selected" if self.active else "cursor"
        if deal.id in self.flash_ids:
            return "flash"
        return ""

    def _styles(self) -> CardStyles:
        if self._card_styles is None:
            self._card_styles = self._resolve_styles()
        return self._card_styles

    def _resolve_styles(self) -> CardStyles:
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
        self._base_style = None
        self._card_styles = None
        self._backgrounds = {}
        super().notify_style_update()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, self._content_height())
        self._ask_for_cards_if_needed()

    # -- mouse ------------------------------------------------------------

    def _index_at(self, y: int) -> int | None:
        index, row = divmod(y + round(self.scroll_offset.y), CARD_HEIGHT)
        return index if row and self.column.card_at(index) is not None else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._index_at(event.y)
        if index is None or event.button not in (1, 0):
            return
        deal = self.column.card_at(index)
        assert deal is not None
        # The deal itself, not its place: a live update may shift the cards under the pointer.
        self._press = (deal, event.screen_offset)
        self._dragging = False
        self.capture_mouse()  # a fast pointer may next be seen over another column

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._press is None:
            return
        deal, start = self._press
        if not self._dragging:
            moved = event.screen_offset - start
            if abs(moved.x) < 2 and abs(moved.y) < 1:
                return
            self._dragging = True
        self.post_message(self.DragMoved(deal, event.screen_offset))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        if press is None:
            return
        self.release_mouse()
        if dragging:
            self._after_drag = True
            self.post_message(self.DragEnded(press[0], event.screen_offset))
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
