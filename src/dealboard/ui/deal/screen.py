"""One deal up close: a summary, and its research, objections and activity as panels.

The screen only reads, through its `LiveLoader` (again whenever anyone changes
this deal, so other people's work shows up); every change goes through `DealEdits`.
Keys act on the panel in view: `a` adds a stakeholder, an objection or an
activity depending on which panel is open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Container
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, TabbedContent, TabPane
from textual.worker import Worker

from dealboard.domain.errors import DealboardError, NotFound
from dealboard.domain.records import DealDetail
from dealboard.domain.views import Live
from dealboard.ui.deal.activity import ActivityPanel
from dealboard.ui.deal.bant import BantPanel
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.deal.edits import DealEdits
from dealboard.ui.deal.history import HistoryPanel
from dealboard.ui.deal.keys import DEAL_BINDINGS, PANEL_OF, TABLE_OF
from dealboard.ui.deal.objections import ObjectionPanel, open_count
from dealboard.ui.deal.research import ResearchPanel
from dealboard.ui.deal.summary import DealHeader
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.palette import binding_commands
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.templates import actions as templates
from dealboard.ui.text import notify_plain, plain, plain_line
from dealboard.ui.undoing import undo_or_redo
from dealboard.vocabulary import ObjectionStatus

#: From this many columns the summary sits beside the panels instead of above them.
WIDE_COLUMNS = 120


class DealScreen(Screen[None]):
    """The detail of deal `deal_id`; Esc or q goes back to where it was opened from."""

    CSS_PATH = ["screen.tcss", "../spinner.tcss"]
    BINDINGS = DEAL_BINDINGS

    def __init__(self, deal_id: int) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.detail: DealDetail | None = None
        self.edits = DealEdits(self)
        #: The note save under way, if any.
        self._saving: Worker[None] | None = None
        self.loader: LiveLoader[DealDetail] = LiveLoader(
            self, self._read, self._arrived, what="Deal", refused=self._unreadable
        )

    def compose(self) -> ComposeResult:
        with Container(id="deal-body"):
            yield DealHeader(plain(f"Loading deal #{self.deal_id}…"), id="deal-summary")
            with TabbedContent(id="deal-panels", initial="research"):
                with TabPane("1 Research", id="research"):
                    yield ResearchPanel()
                with TabPane("2 Objections", id="objections"):
                    yield ObjectionPanel()
                with TabPane("3 Activity", id="activity"):
                    yield ActivityPanel()
                with TabPane("4 History", id="history"):
                    yield HistoryPanel()
                with TabPane("5 BANT", id="bant"):
                    yield BantPanel()
        yield Footer()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE_COLUMNS, "-wide")
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    # -- loading ------------------------------------------------------------

    def _read(self, previous: Live[DealDetail] | None) -> Callable[[], Live[DealDetail]]:
        """The deal with everything about it; read again whenever anyone changes it."""
        board, deal_id = board_of(self), self.deal_id
        return lambda: board.views.deal(deal_id, previous)

    def _arrived(self, live: Live[DealDetail]) -> None:
        self.show(live.content)

    def _unreadable(self, error: DealboardError) -> None:
        notify_plain(self, str(error), title="Deal not shown", severity="warning")
        if isinstance(error, NotFound) and self.is_current:
            self.dismiss(None)

    def show(self, detail: DealDetail) -> None:
        """Draw `detail` in the summary and every panel, keeping cursors and typing."""
        self.detail = detail
        board = board_of(self)
        self._draw_header()
        clashes = self.query_one(ResearchPanel).show(detail.research)
        if clashes:
            notify_plain(
                self,
                f"Someone else changed {', '.join(clashes)} while you were typing; "
                "your text is kept, and ctrl+s shows whose change it was before "
                "anything is replaced.",
                severity="warning",
            )
        self.query_one(ObjectionPanel).show(detail.objections)
        self.query_one(ActivityPanel).show(detail.activities, detail.history, board.now())
        self.query_one(HistoryPanel).show(detail.audit)
        self.query_one(BantPanel).show(detail.bant)
        tabs = self.query_one(TabbedContent)
        still_open = open_count(detail.objections)
        tabs.get_tab("objections").label = plain_line(
            f"2 Objections ({still_open} open)" if still_open else "2 Objections"
        )
        self.refresh_bindings()

    def _draw_header(self) -> None:
        if self.detail is not None:
            wide = self.has_class("-wide")
            self.query_one(DealHeader).show(self.detail, board_of(self).today(), wide=wide)

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE_COLUMNS
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            self._draw_header()
        if self.detail is not None:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """Cut the tables' text to the new width."""
        if self.detail is not None:
            detail = self.detail
            self.query_one(ObjectionPanel).show(detail.objections)
            self.query_one(ActivityPanel).show(
                detail.activities, detail.history, board_of(self).now()
            )

    # -- panels -------------------------------------------------------------

    @property
    def active_panel(self) -> str:
        return self.query_one(TabbedContent).active

    def action_panel(self, panel: str) -> None:
        self.query_one(TabbedContent).active = panel
        self._focus_panel(panel)

    @on(TabbedContent.TabActivated)
    def _panel_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            self._focus_panel(event.pane.id)

    def _focus_panel(self, panel: str) -> None:
        if panel == "research":
            self.query_one(ResearchPanel).focus_inside()
        else:
            self.query_one(TABLE_OF[panel], DataTable).focus()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    async def _row_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click on the highlighted row) edits the record under the cursor."""
        action = {
            "stakeholder-table": "edit_stakeholder",
            "objection-table": "edit_objection",
            "activity-table": "complete_activity",
            "bant-table": "answer_bant",
        }.get(event.data_table.id or "")
        if action is not None and self.check_action(action, ()):
            await self.run_action(action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Panel keys show and work only on their own panel, row keys only with a row."""
        if action in ("save_research", "cancel_note", "back", "edit_note"):
            return self._note_state(action)
        if action == "edit_deal":
            return self.detail is not None
        panel = PANEL_OF.get(action)
        if panel is None:
            return True
        if self.detail is None or self.active_panel != panel:
            return False
        if action.startswith("add_") or action == "log_activity":
            return True
        return self._row_state(action)

    def _note_state(self, action: str) -> bool:
        """While a note is open, ctrl+s and esc are about it; reading, `e` opens the chosen one."""
        research = self.query_one(ResearchPanel)
        if action == "edit_note":
            return self.active_panel == "research" and research.selected_note() is not None
        return (research.editing is None) == (action == "back")

    def _row_state(self, action: str) -> bool | None:
        """Hidden without a row; shown but dimmed when the row is not one the action fits."""
        if action == "answer_bant":
            return self.query_one(BantPanel).highlighted() is not None
        if action.endswith("stakeholder"):
            research = self.query_one(ResearchPanel)
            if research.selected_note() is not None:
                return False  # `e` on a note edits the note
            return research.highlighted() is not None
        if action.endswith("objection"):
            objection = self.query_one(ObjectionPanel).highlighted()
            if objection is None:
                return False
            if action == "resolve_objection":
                return objection.status is not ObjectionStatus.RESOLVED or None
            if action == "reopen_objection":
                return objection.status is not ObjectionStatus.OPEN or None
            return True
        activity = self.query_one(ActivityPanel).highlighted()
        if activity is None:
            return False
        return activity.done_at is None or None

    # -- going back ---------------------------------------------------------

    def action_back(self) -> None:
        if not self.query_one(ResearchPanel).is_dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        detail = plain("Your research note is not saved (ctrl+s saves it).")
        self.app.push_screen(ConfirmDialog("Discard changes?", detail, yes="Discard"), answered)

    def action_reload(self) -> None:
        self.loader.reload()

    def action_answer_bant(self) -> None:
        answer = self.query_one(BantPanel).highlighted()
        if answer is not None:
            self.edits.answer_bant(answer)

    def action_undo(self) -> None:
        undo_or_redo(self, redo=False, then=self.loader.refresh)

    def action_redo(self) -> None:
        undo_or_redo(self, redo=True, then=self.loader.refresh)

    def action_account(self) -> None:
        """The deal's account: every deal of the customer, across pipelines."""
        if self.detail is not None and not self.detail.summary.account:
            notify_plain(self, "This deal has no account: E edits it to give it one")
            return
        from dealboard.ui.account.screen import AccountScreen

        self.app.push_screen(AccountScreen(deal_id=self.deal_id))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every key that works here right now, by name, for the command palette."""
        return binding_commands(self, listed=lambda b: bool(self.check_action(b.action, ())))

    # -- changes --------------------------------------------------------------

    def action_edit_note(self) -> None:
        panel = self.query_one(ResearchPanel)
        if (note := panel.selected_note()) is not None:
            panel.start_editing(note)
            self.refresh_bindings()

    def action_save_research(self) -> None:
        """Save the note open in the editor; with nothing typed, just close it."""
        panel = self.query_one(ResearchPanel)
        if panel.editing is None or (self._saving is not None and self._saving.is_running):
            return  # a second ctrl+s must not race the first (it would be refused as stale)
        if not panel.is_dirty:
            panel.finish_editing()
            self.refresh_bindings()
            return
        self._saving = self.edits.save_research(panel, panel.editing, panel.editor.text)

    def action_cancel_note(self) -> None:
        """Close the editor; typed text is thrown away only on an explicit yes."""
        panel = self.query_one(ResearchPanel)

        def answered(discard: bool | None) -> None:
            if discard:
                panel.finish_editing()
                self.refresh_bindings()

        if not panel.is_dirty:
            answered(True)
            return
        detail = plain("Your typing in this note is not saved.")
        self.app.push_screen(ConfirmDialog("Discard changes?", detail, yes="Discard"), answered)

    def action_add_stakeholder(self) -> None:
        self.edits.add_stakeholder()

    def action_edit_stakeholder(self) -> None:
        if (stakeholder := self.query_one(ResearchPanel).highlighted()) is not None:
            self.edits.edit_stakeholder(stakeholder)

    def action_remove_stakeholder(self) -> None:
        if (stakeholder := self.query_one(ResearchPanel).highlighted()) is not None:
            self.edits.remove_stakeholder(stakeholder)

    def action_add_objection(self) -> None:
        self.edits.add_objection()

    def action_edit_objection(self) -> None:
        if (objection := self.query_one(ObjectionPanel).highlighted()) is not None:
            self.edits.edit_objection(objection)

    def action_answer_objection(self) -> None:
        if (objection := self.query_one(ObjectionPanel).highlighted()) is not None:
            self.edits.answer_objection(objection)

    def action_resolve_objection(self) -> None:
        if (objection := self.query_one(ObjectionPanel).highlighted()) is not None:
            self.edits.set_objection_status(objection, ObjectionStatus.RESOLVED)

    def action_reopen_objection(self) -> None:
        if (objection := self.query_one(ObjectionPanel).highlighted()) is not None:
            self.edits.set_objection_status(objection, ObjectionStatus.OPEN)

    def action_log_activity(self) -> None:
        self.edits.log_activity()

    def action_complete_activity(self) -> None:
        if (activity := self.query_one(ActivityPanel).highlighted()) is not None:
            self.edits.complete_activity(activity)

    def action_edit_deal(self) -> None:
        if self.detail is not None:
            self.edits.edit_deal(self.detail.summary)

    # -- templates and copying ------------------------------------------------

    def action_templates(self) -> None:
        templates.open_templates(self, self.deal_id)

    def action_copy_template(self) -> None:
        templates.copy_first_template(self, self.deal_id)

    def action_copy_summary(self) -> None:
        templates.copy_summary(self, self.deal_id)

    # -- repeat business ------------------------------------------------------

    def action_repeat_deal(self) -> None:
        """The customer's next deal, started from this one; it opens once it exists."""
        if self.detail is None:
            return
        from dealboard.ui.deal.repeat_dialog import start_repeat_from_detail

        start_repeat_from_detail(self, self.detail.summary)
