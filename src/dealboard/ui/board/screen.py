"""The board: stage columns side by side, walked with the keyboard or the mouse.

The screen shows a `BoardView` read by its `LiveLoader`: per column the sums of
every deal and a window of cards around where the user looks. Scrolling reads
more cards, a change anywhere re-reads only the columns it touched, and the
cursor stays on the same deal through every redraw (`BoardCursor`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from dealboard.domain.cadence import no_reply_advice
from dealboard.domain.filters import DealFilter
from dealboard.domain.records import DealSummary, PipelineRecord
from dealboard.domain.saved_views import BUILT_IN, ViewRecord
from dealboard.domain.views import BoardRequest, BoardView, Live, Viewport
from dealboard.ui.board import copying, reassigning, service_levels, views_picker
from dealboard.ui.board.card_list import CardList
from dealboard.ui.board.column import ClosedSummary, StageColumn
from dealboard.ui.board.cursor import BoardCursor
from dealboard.ui.board.drag import DragGhost, drop_target
from dealboard.ui.board.moving import MoveFlow
from dealboard.ui.board.views_picker import SavedViewsProvider
from dealboard.ui.deal.common import board_of
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.palette import binding_commands
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import editable, notify_plain, plain_line
from dealboard.ui.undoing import undo_or_redo

#: A column's width when there is room: most deal titles whole, an account beside its
#: owner, a column's totals without abbreviating them. Extra width makes columns wider.
COLUMN_WIDTH = 34
#: Narrowest a column gets, so that even an 80-column terminal shows two stages.
MIN_COLUMN_WIDTH = 28
#: How long a card changed by someone else stays highlighted.
FLASH_SECONDS = 1.5


class ColumnsStrip(HorizontalScroll, can_focus=False):
    """The row of columns; it scrolls sideways but never takes the arrow keys from the board."""


def _binding(
    name: str, key: str, action: str, description: str, show: bool = False, **kw: object
) -> Binding:
    """A board key whose id (`board.<name>`) is its name in a user's keymap.

    The name is given, not derived from the action: `move(1)` and `move(-1)`
    are two keys a user may remap separately.
    """
    return Binding(key, action, description, show=show, id=f"board.{name}", **kw)  # type: ignore[arg-type]


class BoardScreen(Screen[None]):
    """Columns of deal cards for one pipeline."""

    CSS_PATH = ["board.tcss", "../spinner.tcss"]
    #: The palette's "View: …" commands, beside every key's (`palette_commands`).
    COMMANDS = {SavedViewsProvider}
    #: How often the badges are worked out again against the clock.
    badge_refresh_seconds = 60.0
    AUTO_FOCUS = ""
    BINDINGS = [
        _binding("column-previous", "left,h", "column(-1)", "Previous column"),
        _binding("column-next", "right,l", "column(1)", "Next column"),
        _binding("card-previous", "up,k", "card(-1)", "Previous card"),
        _binding("card-next", "down,j", "card(1)", "Next card"),
        _binding("card-first", "g,home", "card_edge(0)", "First card"),
        _binding("card-last", "G,end", "card_edge(1)", "Last card"),
        _binding("open", "enter", "open", "Open deal"),
        _binding("move-on", "L,shift+right", "move(1)", "Move on", show=True, key_display="L"),
        _binding("move-back", "H,shift+left", "move(-1)", "Move back", key_display="H"),
        _binding("card-down", "J,shift+down", "reorder(1)", "Move down in column"),
        _binding("card-up", "K,shift+up", "reorder(-1)", "Move up in column"),
        _binding("checklist", "c", "checklist", "Checklist", show=True),
        _binding("new", "n", "new", "New", show=True),
        _binding("edit", "e", "edit", "Edit"),
        _binding("won", "w", "win", "Won", show=True),
        _binding("lost", "x", "lose", "Lost", show=True),
        _binding("filter", "slash", "filter", "Filter", show=True, key_display="/"),
        _binding("escape", "escape", "escape", "Clear filter / cancel"),
        _binding("pipeline", "p", "pipeline", "Switch pipeline"),
        _binding("outcomes", "o", "toggle_closed", "Show won/lost cards (outcomes)"),
        _binding("zoom", "z", "zoom", "Zoom column"),
        _binding("reload", "r", "reload", "Reload"),
        _binding("log-activity", "a", "log_activity", "Log a touch (call, email, meeting…)"),
        _binding("agenda", "A", "agenda", "Agenda: what to do next"),
        _binding("templates", "t", "templates", "Stage templates (call scripts, emails)"),
        _binding("copy-template", "y", "copy_template", "Copy the stage template, filled in"),
        _binding("copy-summary", "Y", "copy_summary", "Copy a Markdown summary of the deal"),
        _binding("service-levels", "M", "service_levels", "Manager view: SLAs per owner"),
        _binding("standup", "S", "standup", "Stand-up mode: full screen, paged, for the projector"),
        _binding("reports", "R", "reports", "Reports: funnel, stages, velocity, forecast, losses…"),
        _binding("mark", "space,v", "toggle_mark", "Mark / unmark the card", key_display="space"),
        _binding("reassign", "O", "reassign", "Reassign marked cards (managers)"),
        _binding("undo", "u", "undo", "Undo my last change"),
        _binding("redo", "U", "redo", "Redo what I undid"),
        _binding(
            "repeat-deal", "N", "repeat_deal", "New deal for this customer (upsell, renewal…)"
        ),
        _binding(
            "save-view", "s,ctrl+s", "save_view", "Save the filter as a view", key_display="s"
        ),
        _binding("views", "V", "views", "Views: mine, changed since the stand-up, saved ones"),
        _binding("account", "C", "account", "Customer: the account's deals, lineage, last touch"),
        *[
            _binding(f"jump-{n}", str(n), f"jump({n - 1})", f"Jump to column {n}")
            for n in range(1, 10)
        ],
    ]

    def __init__(self, pipeline: str | None = None, first: Live[BoardView] | None = None) -> None:
        """`first`: the board read as the process started, drawn as soon as the screen is up."""
        super().__init__()
        self.first = first
        self.request = first.content.request if first is not None else BoardRequest(pipeline)
        self.filter_text = ""
        self.show_closed = False
        self.zoomed = False
        self.cursor = BoardCursor()
        self.moves = MoveFlow(self)
        #: The stage columns, left to right (kept: querying the DOM for them costs a
        #: millisecond a time, on every key).
        self.columns: list[StageColumn] = []
        #: Cards marked for reassigning, by deal id.
        self.marked: set[int] = set()
        #: Whole columns side by side, their width, and the leftmost one on screen.
        self._fitting, self._column_width, self._first_shown = 1, MIN_COLUMN_WIDTH, 0
        #: `r` was pressed: the next read on screen says so.
        self._announce_reload = False
        self.loader: LiveLoader[BoardView] = LiveLoader(self, self._read, self._show, what="Board")
        #: The built-in views and the user's own (`V`, the palette), read once the board is up.
        self.named_views: list[ViewRecord] = list(BUILT_IN)

    # -- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="board-title")
        with Horizontal(id="board-body"):
            yield ColumnsStrip(id="columns")
            yield ClosedSummary(id="closed-summary")
        yield Input(
            placeholder="filter: words, @owner, #tag — Enter keeps, ctrl+s saves, Esc clears",
            id="filter",
        )
        yield Footer()
        yield DragGhost()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.loader.start(self.first)
        self.first = None
        self.set_interval(self.badge_refresh_seconds, self._age_badges)
        views_picker.load_views(self)

    def on_unmount(self) -> None:
        self.loader.stop()

    @property
    def view(self) -> BoardView | None:
        """What the board shows now (None until the first read arrives)."""
        return self.loader.live.content if self.loader.live is not None else None

    def _age_badges(self) -> None:
        """Time passes without any commit: a lead's minutes run out, a step falls due.

        Only the clock is read again, and the cards redrawn; a filter on badges
        (`/breach`) is asked again, since which cards it keeps moves with time.
        """
        now = board_of(self).now()
        for column in self.columns:
            column.cards.now = now
            column.cards.redraw()
        if self.request.filter.badges or self.request.filter.changed:
            self.loader.reload()

    # -- reading ------------------------------------------------------------

    def _read(self, previous: Live[BoardView] | None) -> Callable[[], Live[BoardView]]:
        board, request, viewport = board_of(self), self.request, self._viewport()
        return lambda: board.views.board_view(request, viewport, previous)

    def _viewport(self) -> Viewport:
        """The cards each shown column needs now, and the deal the cursor should land on."""
        needs = {c.stage.id: c.cards.needed() for c in self.columns if c.display}
        return Viewport(needs, self.cursor.follow)

    def on_card_list_needs_cards(self, message: CardList.NeedsCards) -> None:
        message.stop()
        self.loader.refresh()

    def on_screen_resume(self) -> None:
        self.loader.refresh()

    class Shown(Message):
        """The board is on screen for the first time."""

    async def _show(self, live: Live[BoardView]) -> None:
        view = live.content
        if not self._stages_shown():
            self.post_message(self.Shown())
        if self._stages_shown() != view.pipeline.stages:
            await self._build_columns(view.pipeline)
        self._redraw()
        self._follow_to(view)
        shown = live.changes.by_others
        if shown:
            self.flash(shown)
        self._cancel_drag_if_gone(view)
        if self._announce_reload:
            self._announce_reload = False
            open_deals = sum(c.count for c in view.columns if c.is_open)
            notify_plain(self, f"Reloaded: {open_deals} open deals", timeout=2)

    def _stages_shown(self) -> tuple[object, ...]:
        return tuple(c.stage for c in self.columns)

    def _follow_to(self, view: BoardView) -> None:
        """Land on the followed deal once a read looked for it (a new card, a card moved)."""
        follow = self.cursor.follow
        if follow is None or view.followed != follow:
            return
        self.cursor.follow = None
        located = view.located
        if located is None:
            self.notify("The deal is saved; the filter or pipeline shown hides it", markup=False)
            return
        self.cursor.land(self.visible_columns(), located.stage_id, located.deal_id)
        for column in self.columns:
            if column.stage.id == located.stage_id:
                column.cards.selected = located.index
        if self.zoomed:  # the zoomed column is the cursor's
            self._redraw()
        else:
            self._set_focus(self.cursor.column, remember=False)

    async def _build_columns(self, pipeline: PipelineRecord) -> None:
        holder = self.query_one("#columns", ColumnsStrip)
        self.columns = []
        await holder.remove_children()
        numbered = [s for s in pipeline.stages if s.kind.value == "open"]
        widgets = [
            StageColumn(stage, numbered.index(stage) + 1 if stage in numbered else None)
            for stage in pipeline.stages
        ]
        await holder.mount_all(widgets)
        self.columns = widgets
        self.cursor.column = 0

    def _redraw(self) -> None:
        """Put the view's columns on screen; keep the cursor on the same deals."""
        view = self.view
        if view is None:
            return
        visible = self.visible_columns()
        zoomed = visible[min(self.cursor.column, len(visible) - 1)] if visible else None
        for widget in self.columns:
            column = view.column(widget.stage.id)
            if column is None:
                continue
            widget.display = widget in visible and (not self.zoomed or widget is zoomed)
            widget.cards.marked_ids = self.marked
            widget.show(column, view.now)
            self.cursor.restore(widget)
        self._fit_columns()
        self._update_summary()
        self._update_title()
        self._set_focus(min(self.cursor.column, len(visible) - 1), remember=False)

    def _cancel_drag_if_gone(self, view: BoardView) -> None:
        """Someone else moved or closed the card being dragged: the drag ends, and says why."""
        ghost = self.query_one(DragGhost)
        deal = ghost.deal
        if deal is None:
            return
        column = view.column(deal.stage_id)
        if column is not None and column.index_of(deal.id) is not None:
            return
        ghost.cancel(self)
        notify_plain(
            self,
            f"{deal.title} was moved by someone else; the drag is cancelled",
            severity="warning",
        )

    def visible_columns(self) -> list[StageColumn]:
        """The columns the cursor can visit, left to right (won/lost only when shown).

        Under a filter, a stage with no matching deal is left out: the screen
        is for the deals asked for (`L`/`H` still move through every stage).
        """
        columns = [c for c in self.columns if c.stage.kind.value == "open" or self.show_closed]
        view = self.view
        if not self.filter_text or view is None:
            return columns
        matching = [c for c in columns if (found := view.column(c.stage.id)) and found.count]
        return matching or columns

    def _fit_columns(self) -> None:
        """As many whole columns as fit side by side; the rest are a sideways scroll away."""
        columns = [c for c in self.columns if c.display]
        if not columns:
            return
        summary = self.query_one(ClosedSummary)
        summary.display = not self.show_closed and not self.zoomed
        available = self.size.width - (summary.outer_size.width if summary.display else 0)
        fitting = max(available // COLUMN_WIDTH, min(2, available // MIN_COLUMN_WIDTH), 1)
        fitting = min(len(columns), fitting)
        width = max(available // fitting, 1)
        self._column_width, self._fitting = width, fitting
        for column in columns:
            if column.styles.width is None or column.styles.width.value != width:
                column.styles.width = width  # (a new width lays the whole screen out again)
        strip = self.query_one("#columns", ColumnsStrip)
        if strip.styles.width is None or strip.styles.width.value != fitting * width:
            strip.styles.width = fitting * width  # whole columns only, never a sliver
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        """Scroll by whole columns so the cursor's column is on screen, and say what is not."""
        visible = [c for c in self.visible_columns() if c.display]
        fitting = min(self._fitting, len(visible)) or 1
        first = min(max(self._first_shown, self.cursor.column - fitting + 1), self.cursor.column)
        self._first_shown = max(0, min(first, len(visible) - fitting))
        self.query_one("#columns", ColumnsStrip).scroll_to(
            x=self._first_shown * self._column_width, animate=False, immediate=True
        )
        self._update_title()

    def _offscreen(self) -> Text:
        """`◂ 2 stages · 3 stages ▸`: how many columns lie beyond each edge of the screen."""
        visible = [c for c in self.visible_columns() if c.display]
        left = self._first_shown
        right = max(len(visible) - left - min(self._fitting, len(visible)), 0)
        parts = []
        if left:
            parts.append(f"◂ {left} stage{'s' if left > 1 else ''}")
        if right:
            parts.append(f"{right} stage{'s' if right > 1 else ''} ▸")
        return Text(f"  {' · '.join(parts)}" if parts else "", style="bold")

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit_columns)

    def _update_summary(self) -> None:
        view = self.view
        assert view is not None
        won = next((c for c in view.columns if c.stage.kind.value == "won"), None)
        lost = next((c for c in view.columns if c.stage.kind.value == "lost"), None)
        self.query_one(ClosedSummary).show(won, lost, self.show_closed)

    def _update_title(self) -> None:
        view = self.view
        if view is None:
            return
        me, board = view.me, board_of(self)
        who = f"{me.display_name or me.name} ({me.role})"
        if board.acting_for is not None:  # a manager working for a teammate (`--as`)
            who = f"{board.actor_name} as {who}"
        title = Text.assemble(
            plain_line(view.pipeline.title, "bold"),
            self._offscreen(),  # before the rest: a narrow title must not lose it
            "  ",
            plain_line(who, "italic"),
        )
        if self.filter_text:
            title.append("   filter: ", "bold")
            title.append_text(plain_line(self.filter_text))
            title.append(f"  ({view.matching} {'match' if view.matching == 1 else 'matches'})")
        if len(view.pipelines) > 1:
            title.append(f"   p: {len(view.pipelines)} pipelines", "italic")
        if self.marked:
            title.append(f"   {len(self.marked)} marked (O reassigns, esc clears)", "bold")
        self.query_one("#board-title", Static).update(title, layout=False)

    def flash(self, deal_ids: Iterable[int]) -> None:
        """Highlight cards someone else just changed, for a moment."""
        flashed = set(deal_ids)
        for column in self.columns:
            column.cards.flash_ids = flashed
            column.cards.redraw()

        def fade() -> None:
            for column in self.columns:
                column.cards.flash_ids = set()
                column.cards.redraw()

        self.set_timer(FLASH_SECONDS, fade)

    # -- cursor -----------------------------------------------------------

    @property
    def focused_column(self) -> StageColumn | None:
        columns = self.visible_columns()
        index = self.cursor.column
        return columns[index] if 0 <= index < len(columns) else None

    @property
    def focused_deal(self) -> DealSummary | None:
        column = self.focused_column
        return column.cards.selected_deal if column is not None else None

    def _set_focus(self, index: int, *, remember: bool = True) -> None:
        columns = self.visible_columns()
        if not columns:
            return
        self.cursor.column = max(0, min(index, len(columns) - 1))
        for position, column in enumerate(columns):
            active = position == self.cursor.column
            column.cards.active = active
            column.set_class(active, "-focused")
        focused = columns[self.cursor.column]
        if focused.display:
            self._scroll_to_cursor()
        if remember:  # a redraw must not forget which deal the user was on
            self.cursor.remember(focused)

    def follow_deal(self, deal_id: int) -> None:
        """Once the next read has found `deal_id`, the cursor goes to it."""
        self.cursor.follow = deal_id
        self.loader.refresh()

    def action_column(self, step: int) -> None:
        self._set_focus(self.cursor.column + step)
        if self.zoomed:
            self._redraw()

    def action_jump(self, index: int) -> None:
        if index < len(self.visible_columns()):
            self.action_column(index - self.cursor.column)

    def action_card(self, step: int) -> None:
        column = self.focused_column
        if column is None or not column.cards.count:
            return
        cards = column.cards
        cards.selected = max(0, min(cards.selected + step, cards.count - 1))
        self.cursor.remember(column)

    def action_card_edge(self, last: int) -> None:
        column = self.focused_column
        if column is not None and column.cards.count:
            column.cards.selected = column.cards.count - 1 if last else 0
            self.cursor.remember(column)

    # -- views ------------------------------------------------------------

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self._redraw()

    def action_zoom(self) -> None:
        self.zoomed = not self.zoomed
        self._redraw()

    def action_reload(self) -> None:
        self._announce_reload = True  # said once the new read is on screen
        self.loader.reload()

    def action_log_activity(self) -> None:
        """Log a call, email, meeting, social touch or note, and say what comes next."""
        deal = self.focused_deal
        if deal is None:
            return
        from dealboard.ui.deal.activity_dialog import ActivityDialog, ActivityValues

        board = board_of(self)

        def save(values: ActivityValues) -> DealSummary:
            board.add_activity(deal.id, **asdict(values))
            return board.deals_by_id([deal.id])[0]

        def logged(result: object | None) -> None:
            if not isinstance(result, DealSummary):
                return
            stage = self.view.stage(result.stage_id) if self.view else None
            advice = no_reply_advice(result, stage) if stage is not None else None
            if advice is None:
                notify_plain(self, f"Logged on {deal.title}")
            else:
                notify_plain(self, f"{deal.title}: {advice} — press x", severity="warning")
            self.loader.refresh()

        self.app.push_screen(ActivityDialog(board.today(), save), logged)

    def action_templates(self) -> None:
        copying.open_templates(self)

    def action_copy_template(self) -> None:
        copying.copy_template(self)

    def action_copy_summary(self) -> None:
        copying.copy_summary(self)

    def action_toggle_mark(self) -> None:
        reassigning.toggle_mark(self)

    def action_reassign(self) -> None:
        reassigning.reassign(self)

    def redraw_cards(self) -> None:
        """Redraw the cards (marks changed) without reading anything."""
        for column in self.columns:
            column.cards.marked_ids = self.marked
            column.cards.redraw()
        self._update_title()

    def show_filter(self, text: str) -> None:
        """Filter as if `text` were typed after `/` (the box stays open: it says why cards went)."""
        box = self.query_one("#filter", Input)
        with box.prevent(Input.Changed):  # the box shows a login safely; the filter keeps it
            box.value = editable(text)
        box.display = True
        self._filter_by(text)
        self.set_focus(None)

    def _filter_by(self, text: str) -> None:
        """Ask for the board through a new filter (the sums and cards come from SQL)."""
        self.filter_text = text.strip()
        wanted = DealFilter.parse(self.filter_text)
        if wanted != self.request.filter:
            self.request = replace(self.request, filter=wanted)
            self.loader.reload()
        self._update_title()

    def action_service_levels(self) -> None:
        service_levels.open_sla(self)

    def action_standup(self) -> None:
        from dealboard.ui.standup.opening import open_standup

        open_standup(self)

    def action_reports(self) -> None:
        from dealboard.ui.reports.screen import ReportsScreen

        self.app.push_screen(ReportsScreen(self.pipeline_name))

    @property
    def pipeline_name(self) -> str | None:
        """The pipeline shown (or asked for, before the first read)."""
        return self.view.pipeline.name if self.view is not None else self.request.pipeline

    def action_agenda(self) -> None:
        from dealboard.ui.agenda.screen import AgendaScreen

        self.app.push_screen(AgendaScreen())

    def action_account(self) -> None:
        """The focused card's account: every deal of the customer, across pipelines."""
        deal = self.focused_deal
        if deal is None:
            return
        if not deal.account:
            notify_plain(self, "This deal has no account: e edits it to give it one")
            return
        from dealboard.ui.account.screen import AccountScreen

        self.app.push_screen(AccountScreen(deal_id=deal.id))

    def action_undo(self) -> None:
        undo_or_redo(self, redo=False, then=self.loader.refresh)

    def action_redo(self) -> None:
        undo_or_redo(self, redo=True, then=self.loader.refresh)

    def action_save_view(self) -> None:
        views_picker.save_current(self)

    def action_views(self) -> None:
        views_picker.open_views(self)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        if box.value != editable(self.filter_text):
            box.value = editable(self.filter_text)
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter_by(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_kept(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = bool(self.filter_text)
        self.set_focus(None)

    def action_escape(self) -> None:
        if self.query_one(DragGhost).cancel(self):
            return
        box = self.query_one("#filter", Input)
        if self.marked and not box.display:
            self.marked.clear()
            self.redraw_cards()
        elif self.filter_text or box.display:
            box.value = ""
            box.display = False
            self._filter_by("")
            self.set_focus(None)
        elif self.zoomed:
            self.action_zoom()

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus and event.key in ("escape", "down", "up"):
            event.stop()
            if event.key == "escape":
                self.action_escape()
            else:
                self.set_focus(None)

    def action_pipeline(self) -> None:
        from dealboard.ui.board.pipeline_picker import PipelinePicker

        view = self.view
        if view is None:
            return

        def chosen(name: str | None) -> None:
            if name and name != view.pipeline.name:
                self.request = replace(self.request, pipeline=name)
                self.cursor.forget()
                self.loader.reload()

        self.app.push_screen(PipelinePicker(list(view.pipelines), view.pipeline.name), chosen)

    # -- deals ------------------------------------------------------------

    def action_open(self) -> None:
        deal = self.focused_deal
        if deal is not None:
            from dealboard.ui.deal.screen import DealScreen

            self.app.push_screen(DealScreen(deal.id))

    def action_new(self) -> None:
        if self.view is None:
            return
        from dealboard.ui.deal.form import DealForm

        column = self.focused_column
        stage = column.stage if column is not None and column.stage.kind.value == "open" else None
        self.app.push_screen(DealForm(None, self.view.pipeline, stage), self._added)

    def _added(self, deal_id: int | None) -> None:
        """A new deal: said, and the cursor goes to its card."""
        if deal_id is not None:
            notify_plain(self, f"Deal #{deal_id} added", timeout=2)
        self._saved(deal_id)

    def action_edit(self) -> None:
        deal = self.focused_deal
        if deal is None or self.view is None:
            return
        from dealboard.ui.deal.form import DealForm

        self.app.push_screen(DealForm(deal, self.view.pipeline), self._saved)

    def _saved(self, deal_id: int | None) -> None:
        """A new or edited deal: the cursor goes to its card."""
        if deal_id is not None:
            self.follow_deal(deal_id)

    def action_move(self, step: int) -> None:
        self.moves.step(step)

    def action_reorder(self, step: int) -> None:
        self.moves.reorder(step)

    def action_checklist(self) -> None:
        self.moves.checklist()

    def action_win(self) -> None:
        self.moves.win()

    def action_lose(self) -> None:
        self.moves.lose()

    def action_repeat_deal(self) -> None:
        """From a won or follow-up deal, the customer's next deal; the cursor goes to it."""
        deal, view = self.focused_deal, self.view
        if deal is None or view is None:
            return
        from dealboard.ui.deal.repeat_dialog import start_repeat

        start_repeat(self, deal, view.pipeline.stages, lambda new: self.follow_deal(new.id))

    # -- mouse ------------------------------------------------------------

    def on_card_list_pressed(self, message: CardList.Pressed) -> None:
        for index, column in enumerate(self.visible_columns()):
            if column.cards is message.card_list:
                message.card_list.selected = message.index
                self._set_focus(index)
        if message.chain >= 2:
            self.action_open()

    def on_card_list_drag_moved(self, message: CardList.DragMoved) -> None:
        target = drop_target(self, message.screen_offset, message.deal)
        self.query_one(DragGhost).follow(self, message.deal, message.screen_offset, target)

    def on_card_list_drag_ended(self, message: CardList.DragEnded) -> None:
        ghost = self.query_one(DragGhost)
        target = drop_target(self, message.screen_offset, message.deal) if ghost.active else None
        ghost.finish(self)
        if target is not None:
            self.moves.drop(message.deal, target)

    # -- command palette ---------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every board key as a named command (the palette lists the whole board)."""
        return binding_commands(self, listed=lambda b: not b.action.startswith("jump"))
