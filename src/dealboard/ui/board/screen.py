"""The board: stage columns side by side, walked with the keyboard or the mouse.

The screen holds the loaded pipeline and deals as plain domain records and
the cursor (which column, which card). Loading and every change run in
background workers; when their answer arrives the columns are redrawn and the
cursor is put back on the same deal, so focus survives every refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from dealboard.domain.badges import deal_badges
from dealboard.domain.cadence import no_reply_advice
from dealboard.domain.changes import ChangeFeed, ChangeSet
from dealboard.domain.columns import Column, board_columns
from dealboard.domain.filters import DealFilter
from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord, UserRecord
from dealboard.ui.board import copying, reassigning, service_levels
from dealboard.ui.board.card_list import CardList
from dealboard.ui.board.column import ClosedSummary, StageColumn
from dealboard.ui.board.drag import DragGhost, drop_target
from dealboard.ui.board.moving import MoveFlow
from dealboard.ui.palette import binding_commands
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import plain_line
from dealboard.ui.undoing import undo_or_redo
from dealboard.ui.worker import in_background

#: Narrowest a column gets before the board scrolls sideways instead.
MIN_COLUMN_WIDTH = 26
#: How long a card changed by someone else stays highlighted.
FLASH_SECONDS = 1.5


@dataclass
class Loaded:
    """One load of the board, as the worker hands it over."""

    pipelines: list[PipelineRecord]
    pipeline: PipelineRecord
    deals: list[DealSummary]
    me: UserRecord
    today: date
    #: When the load was read: SLA badges count minutes (a lead waiting for its first touch).
    now: datetime
    columns: list[Column] = field(default_factory=list)

    @cached_property
    def stage_by_id(self) -> dict[int, StageRecord]:
        return {stage.id: stage for stage in self.pipeline.stages}


class ColumnsStrip(HorizontalScroll, can_focus=False):
    """The row of columns; it scrolls sideways but never takes the arrow keys from the board."""


def _binding(key: str, action: str, description: str, show: bool = False, **kw) -> Binding:
    return Binding(key, action, description, show=show, id=f"board.{action.split('(')[0]}", **kw)


class BoardScreen(Screen[None]):
    """Columns of deal cards for one pipeline."""

    CSS_PATH = ["board.tcss", "../spinner.tcss"]
    #: How often the badges are worked out again against the clock.
    badge_refresh_seconds = 60.0
    AUTO_FOCUS = ""
    BINDINGS = [
        _binding("left,h", "column(-1)", "Previous column"),
        _binding("right,l", "column(1)", "Next column"),
        _binding("up,k", "card(-1)", "Previous card"),
        _binding("down,j", "card(1)", "Next card"),
        _binding("g,home", "card_edge(0)", "First card"),
        _binding("G,end", "card_edge(1)", "Last card"),
        _binding("enter", "open", "Open deal"),
        _binding("L,shift+right", "move(1)", "Move on", show=True, key_display="L"),
        _binding("H,shift+left", "move(-1)", "Move back", key_display="H"),
        _binding("J,shift+down", "reorder(1)", "Move down in column"),
        _binding("K,shift+up", "reorder(-1)", "Move up in column"),
        _binding("c", "checklist", "Checklist", show=True),
        _binding("n", "new", "New", show=True),
        _binding("e", "edit", "Edit"),
        _binding("w", "win", "Won", show=True),
        _binding("x", "lose", "Lost", show=True),
        _binding("slash", "filter", "Filter", show=True, key_display="/"),
        _binding("escape", "escape", "Clear filter / cancel"),
        _binding("p", "pipeline", "Switch pipeline"),
        _binding("o", "toggle_closed", "Show won/lost cards (outcomes)"),
        _binding("z", "zoom", "Zoom column"),
        _binding("r", "reload", "Reload"),
        _binding("a", "log_activity", "Log a touch (call, email, meeting…)"),
        _binding("A", "agenda", "Agenda: what to do next"),
        _binding("t", "templates", "Stage templates (call scripts, emails)"),
        _binding("y", "copy_template", "Copy the stage template, filled in"),
        _binding("Y", "copy_summary", "Copy a Markdown summary of the deal"),
        _binding("M", "service_levels", "Manager view: SLAs per owner"),
        _binding("S", "standup", "Stand-up mode: full screen, paged, for the projector"),
        _binding("R", "reports", "Reports: funnel, stages, velocity, forecast, losses…"),
        _binding("space,v", "toggle_mark", "Mark / unmark the card", key_display="space"),
        _binding("O", "reassign", "Reassign marked cards (managers)"),
        _binding("u", "undo", "Undo my last change"),
        _binding("U", "redo", "Redo what I undid"),
        *[_binding(str(n), f"jump({n - 1})", "Jump to column 1–9") for n in range(1, 10)],
    ]

    def __init__(self, pipeline: str | None = None) -> None:
        super().__init__()
        self.pipeline_name = pipeline
        self.loaded: Loaded | None = None
        self.filter = DealFilter()
        self.filter_text = ""
        self.show_closed = False
        self.zoomed = False
        self.focus_index = 0
        self.selected_ids: dict[int, int] = {}
        #: Counts loads, so only the newest one is shown.
        self.generation = 0
        self.moves = MoveFlow(self)
        self._looking = False
        self._look_again = False
        self._full_load_pending = False
        #: Cards marked for reassigning, by deal id.
        self.marked: set[int] = set()

    # -- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="board-title")
        with Horizontal(id="board-body"):
            yield ColumnsStrip(id="columns")
            yield ClosedSummary(id="closed-summary")
        yield Input(
            placeholder="filter: words, @owner, #tag — Enter keeps, Esc clears", id="filter"
        )
        yield Footer()
        yield DragGhost()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.feed = ChangeFeed(self.app.board)  # type: ignore[attr-defined]
        self.reload()
        self.set_interval(self.badge_refresh_seconds, self._age_badges)

    def _age_badges(self) -> None:
        """Time passes without any commit: a lead's minutes run out, a step falls due.

        Only the clock is read again (no query): the badges are worked out from the
        loaded deals, so this costs one redraw a minute.
        """
        if self.loaded is None:
            return
        board = self.app.board  # type: ignore[attr-defined]
        self.loaded.now, self.loaded.today = board.now(), board.today()
        self._redraw()

    # -- live -------------------------------------------------------------

    def database_changed(self, full_reload: bool) -> None:
        """Someone committed: find out what, flash their cards, redraw (one look at a time)."""
        if self.loaded is None:  # the first load is still coming and will include it
            return
        if full_reload:
            self.reload()
        if self._looking:
            self._look_again = True
            return
        self._looking = True

        def look() -> ChangeSet | None:
            try:
                return self.feed.poll()
            except Exception:  # a lost connection: the next change or reconnect reloads
                return None

        in_background(self, look, self._changes_seen, group="board-poll")

    def _changes_seen(self, changes: ChangeSet | None) -> None:
        self._looking = False
        if changes is not None and changes.any:
            if changes.by_others:
                self.flash(changes.deal_ids)
            if changes.layout or not changes.deal_ids or self._full_load_pending:
                self.reload()
            else:
                self._refresh_cards(changes.deal_ids)
        if self._look_again:
            self._look_again = False
            self.database_changed(False)

    def _refresh_cards(self, deal_ids: frozenset[int]) -> None:
        """Re-read only the cards that changed in place (an edit, a tick), not the board."""
        board = self.app.board  # type: ignore[attr-defined]
        generation = self.generation

        def arrived(fresh: list[DealSummary]) -> None:
            if generation != self.generation or self.loaded is None:
                return  # a full load has been asked for since; it decides
            shown = self.loaded.pipeline.name
            kept = [d for d in self.loaded.deals if d.id not in deal_ids]
            self.loaded.deals = kept + [d for d in fresh if d.pipeline == shown]
            self._redraw()

        in_background(self, lambda: board.deals_by_id(deal_ids), arrived, group="board-load")

    def flash(self, deal_ids: frozenset[int]) -> None:
        """Highlight cards someone else just changed, for a moment."""
        for column in self.query(StageColumn):
            column.cards.flash_ids = set(deal_ids)
            column.cards.redraw()

        def fade() -> None:
            for column in self.query(StageColumn):
                column.cards.flash_ids = set()
                column.cards.redraw()

        self.set_timer(FLASH_SECONDS, fade)

    def on_screen_resume(self) -> None:
        if self.loaded is not None:
            self.reload()

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        """Fetch the pipeline and its deals in the background, then redraw."""
        board = self.app.board  # type: ignore[attr-defined]
        wanted = self.pipeline_name
        self.generation += 1
        generation = self.generation
        self._full_load_pending = True

        feed = self.feed

        def fetch() -> Loaded:
            if not feed.started:
                feed.start()  # before the load: a change made meanwhile is still news
            pipeline = board.pipeline(wanted)
            return Loaded(
                pipelines=board.pipelines(),
                pipeline=pipeline,
                deals=board.list_deals(pipeline=pipeline.name, include_closed=True),
                me=board.whoami(),
                today=board.today(),
                now=board.now(),
            )

        async def arrived(loaded: Loaded) -> None:
            if generation == self.generation:  # an older load finishing late is stale
                self._full_load_pending = False
                await self._loaded(loaded)

        in_background(self, fetch, arrived, group="board-load")

    async def _loaded(self, loaded: Loaded) -> None:
        first = self.loaded is None or self.loaded.pipeline.stages != loaded.pipeline.stages
        self.loaded = loaded
        self.pipeline_name = loaded.pipeline.name
        if first:
            await self._build_columns(loaded.pipeline)
        self._redraw()

    async def _build_columns(self, pipeline: PipelineRecord) -> None:
        holder = self.query_one("#columns", ColumnsStrip)
        await holder.remove_children()
        numbered = [s for s in pipeline.stages if s.kind.value == "open"]
        widgets = [
            StageColumn(stage, numbered.index(stage) + 1 if stage in numbered else None)
            for stage in pipeline.stages
        ]
        await holder.mount_all(widgets)
        self.focus_index = 0

    def _passes_filter(self, deal: DealSummary) -> bool:
        """The filter, with the deal's badges worked out only when a badge word asks."""
        assert self.loaded is not None
        if not self.filter.badges:
            return self.filter.matches(deal)
        stage = self.loaded.stage_by_id.get(deal.stage_id)
        if stage is None:
            return False
        names = frozenset(b.name for b in deal_badges(deal, stage, self.loaded.now))
        return self.filter.matches(deal, names)

    def _redraw(self) -> None:
        """Put the loaded deals (through the filter) into the columns; keep the cursor."""
        if self.loaded is None:
            return
        visible = [d for d in self.loaded.deals if self._passes_filter(d)]
        self.loaded.columns = board_columns(self.loaded.pipeline, visible)
        by_stage = {c.stage.id: c for c in self.loaded.columns}
        for widget in self.query(StageColumn):
            column = by_stage.get(widget.stage.id)
            if column is None:
                continue
            widget.display = self._column_shown(widget)
            widget.cards.marked_ids = self.marked
            widget.show(column, self.loaded.now)
            wanted = self.selected_ids.get(column.stage.id)
            ids = [d.id for d in column.deals]
            index = ids.index(wanted) if wanted in ids else min(widget.cards.selected, len(ids) - 1)
            widget.cards.selected = max(index, 0) if ids else -1
        self._fit_columns()
        self._update_summary()
        self._update_title()
        self._set_focus(min(self.focus_index, len(self.visible_columns()) - 1), remember=False)

    def _column_shown(self, widget: StageColumn) -> bool:
        columns = self.visible_columns()
        if widget not in columns:
            return False
        if self.zoomed:
            return widget is columns[min(self.focus_index, len(columns) - 1)]
        return True

    def visible_columns(self) -> list[StageColumn]:
        """The columns the cursor can visit, left to right (won/lost only when shown)."""
        return [
            c for c in self.query(StageColumn) if c.stage.kind.value == "open" or self.show_closed
        ]

    def _fit_columns(self) -> None:
        """As many whole columns as fit side by side; the rest are a sideways scroll away."""
        columns = [c for c in self.query(StageColumn) if c.display]
        if not columns:
            return
        summary = self.query_one(ClosedSummary)
        summary.display = not self.show_closed and not self.zoomed
        available = self.size.width - (summary.outer_size.width if summary.display else 0)
        fitting = max(1, min(len(columns), available // MIN_COLUMN_WIDTH))
        width = max(MIN_COLUMN_WIDTH, available // fitting)
        for column in columns:
            column.styles.width = width

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit_columns)

    def _update_summary(self) -> None:
        assert self.loaded is not None
        won = next((c for c in self.loaded.columns if c.stage.kind.value == "won"), None)
        lost = next((c for c in self.loaded.columns if c.stage.kind.value == "lost"), None)
        self.query_one(ClosedSummary).show(won, lost, self.show_closed)

    def _update_title(self) -> None:
        assert self.loaded is not None
        me = self.loaded.me
        title = Text.assemble(
            plain_line(self.loaded.pipeline.title, "bold"),
            "  ",
            plain_line(f"{me.display_name or me.name} ({me.role})", "italic"),
        )
        if self.filter_text:
            title.append("   filter: ", "bold")
            title.append_text(plain_line(self.filter_text))
            shown = sum(len(c.deals) for c in self.loaded.columns if c.is_open)
            title.append(f"  ({shown} match)")
        if len(self.loaded.pipelines) > 1:
            title.append(f"   p: {len(self.loaded.pipelines)} pipelines", "italic")
        if self.marked:
            title.append(f"   {len(self.marked)} marked (O reassigns, esc clears)", "bold")
        self.query_one("#board-title", Static).update(title)

    # -- cursor -----------------------------------------------------------

    @property
    def focused_column(self) -> StageColumn | None:
        columns = self.visible_columns()
        return columns[self.focus_index] if 0 <= self.focus_index < len(columns) else None

    @property
    def focused_deal(self) -> DealSummary | None:
        column = self.focused_column
        return column.cards.selected_deal if column is not None else None

    def _set_focus(self, index: int, *, remember: bool = True) -> None:
        columns = self.visible_columns()
        if not columns:
            return
        self.focus_index = max(0, min(index, len(columns) - 1))
        for position, column in enumerate(columns):
            active = position == self.focus_index
            column.cards.active = active
            column.set_class(active, "-focused")
        focused = columns[self.focus_index]
        if focused.display:
            self.query_one("#columns", ColumnsStrip).scroll_to_widget(
                focused, animate=False, immediate=True
            )
        if remember:  # a redraw must not forget which deal the user was on
            self._remember()

    def _remember(self) -> None:
        column = self.focused_column
        deal = self.focused_deal
        if column is not None and deal is not None:
            self.selected_ids[column.stage.id] = deal.id

    def select(self, stage_id: int, deal_id: int) -> None:
        """Put the cursor on a deal (used after moves so focus follows the card)."""
        self.selected_ids[stage_id] = deal_id
        for index, column in enumerate(self.visible_columns()):
            if column.stage.id == stage_id:
                self.focus_index = index

    def action_column(self, step: int) -> None:
        self._set_focus(self.focus_index + step)
        if self.zoomed:
            self._redraw()

    def action_jump(self, index: int) -> None:
        if index < len(self.visible_columns()):
            self.action_column(index - self.focus_index)

    def action_card(self, step: int) -> None:
        column = self.focused_column
        if column is None or not column.cards.deals:
            return
        cards = column.cards
        cards.selected = max(0, min(cards.selected + step, len(cards.deals) - 1))
        self._remember()

    def action_card_edge(self, last: int) -> None:
        column = self.focused_column
        if column is not None and column.cards.deals:
            column.cards.selected = len(column.cards.deals) - 1 if last else 0
            self._remember()

    # -- views ------------------------------------------------------------

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self._redraw()

    def action_zoom(self) -> None:
        self.zoomed = not self.zoomed
        self._redraw()

    def action_reload(self) -> None:
        self.reload()

    def action_log_activity(self) -> None:
        """Log a call, email, meeting, social touch or note, and say what comes next."""
        deal = self.focused_deal
        if deal is None:
            return
        from dealboard.ui.deal.activity_dialog import ActivityDialog, ActivityValues

        board = self.app.board  # type: ignore[attr-defined]

        def save(values: ActivityValues) -> DealSummary:
            board.add_activity(deal.id, **asdict(values))
            return board.deals_by_id([deal.id])[0]

        def logged(result: object | None) -> None:
            if not isinstance(result, DealSummary):
                return
            stage = self.loaded.stage_by_id.get(result.stage_id) if self.loaded else None
            advice = no_reply_advice(result, stage) if stage is not None else None
            if advice is None:
                self.notify(f"Logged on {deal.title}", markup=False)
            else:
                self.notify(
                    f"{deal.title}: {advice} — press x", severity="warning", markup=False
                )
            self.reload()

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
        """Redraw the cards (marks changed) without reloading anything."""
        for column in self.query(StageColumn):
            column.cards.marked_ids = self.marked
            column.cards.redraw()
        if self.loaded is not None:
            self._update_title()

    def show_filter(self, text: str) -> None:
        """Filter as if `text` were typed after `/` (the box stays open: it says why cards went)."""
        box = self.query_one("#filter", Input)
        box.value = text
        box.display = True
        self.filter_text = text.strip()
        self.filter = DealFilter.parse(self.filter_text)
        self.set_focus(None)
        self._redraw()

    def action_service_levels(self) -> None:
        service_levels.open_sla(self)

    def action_standup(self) -> None:
        from dealboard.ui.standup.opening import open_standup

        open_standup(self)

    def action_reports(self) -> None:
        from dealboard.ui.reports.screen import ReportsScreen

        pipeline = self.loaded.pipeline.name if self.loaded else self.pipeline_name
        self.app.push_screen(ReportsScreen(pipeline))

    def action_agenda(self) -> None:
        from dealboard.ui.agenda.screen import AgendaScreen

        self.app.push_screen(AgendaScreen())

    def action_undo(self) -> None:
        undo_or_redo(self, redo=False)

    def action_redo(self) -> None:
        undo_or_redo(self, redo=True)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.value = self.filter_text
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.filter = DealFilter.parse(self.filter_text)
        self._redraw()

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
            self.filter_text = ""
            self.filter = DealFilter()
            self.set_focus(None)
            self._redraw()
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

        if self.loaded is None:
            return

        def chosen(name: str | None) -> None:
            if name and name != self.pipeline_name:
                self.pipeline_name = name
                self.selected_ids.clear()
                self.reload()

        self.app.push_screen(PipelinePicker(self.loaded.pipelines, self.pipeline_name), chosen)

    # -- deals ------------------------------------------------------------

    def action_open(self) -> None:
        deal = self.focused_deal
        if deal is not None:
            from dealboard.ui.deal.screen import DealScreen

            self.app.push_screen(DealScreen(deal.id))

    def action_new(self) -> None:
        if self.loaded is None:
            return
        from dealboard.ui.deal.form import DealForm

        column = self.focused_column
        stage = column.stage if column is not None and column.stage.kind.value == "open" else None
        self.app.push_screen(DealForm(None, self.loaded.pipeline, stage), self._saved)

    def action_edit(self) -> None:
        deal = self.focused_deal
        if deal is None or self.loaded is None:
            return
        from dealboard.ui.deal.form import DealForm

        self.app.push_screen(DealForm(deal, self.loaded.pipeline), self._saved)

    def _saved(self, deal_id: int | None) -> None:
        if deal_id is not None:
            self._follow = deal_id
        self.reload()

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
            self.moves.drop(message.deal, target.stage, target.position)

    # -- command palette ---------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every board key as a named command (the palette lists the whole board)."""
        return binding_commands(self, listed=lambda b: not b.action.startswith("jump"))
