"""The Research panel: who is who on the buyer's side, and what the team has learnt.

The notes are read as text (`note_view`); `e` opens one note in an editor in
its place and ctrl+s saves just that note. While someone is typing, a reload
(after any other save, or another user's change) leaves the typing alone, so
nothing typed is lost to a refresh. The save is made against the version the
typing started on, so it is refused (saying whose change came first) rather
than silently replacing a newer text of the same note; a change to the
*other* notes cannot be replaced by saving this one, so it moves the base on.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import DataTable, Label, TextArea

from dealboard.domain.records import ResearchRecord, StakeholderRecord
from dealboard.ui.deal.note_view import NOTE_FIELDS, NoteField, NoteView
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.text import editable, plain_line

__all__ = ["NOTE_FIELDS", "NoteField", "ResearchPanel"]


class StakeholderTable(RecordTable):
    """The stakeholders; walking down past the last one goes on to the notes."""

    def action_cursor_down(self) -> None:
        """On the last row, go on to the first note (at once, so quick presses add up)."""
        if self.cursor_row >= self.row_count - 1:
            self.screen.focus_next()
            return
        super().action_cursor_down()


class ResearchPanel(VerticalScroll):
    """Stakeholders table and the research notes; keys live on the deal screen."""

    def __init__(self) -> None:
        super().__init__(id="research-panel")
        self.research = ResearchRecord()
        #: The notes as last loaded; the edited note differing from it has unsaved typing.
        self.loaded: dict[str, str] = {f.name: "" for f in NOTE_FIELDS}
        #: The notes' version the user's typing started from.
        self.base_version = 0
        #: The field open in the editor, if any.
        self.editing: str | None = None
        #: The edited note's text in `base_version`: a reload that still has it changed
        #: only other notes, which saving this one cannot replace.
        self.started_from = ""
        #: The note or table the user was last on, focused again when the tab comes back.
        self._last_focus: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Label("Stakeholders", classes="panel-heading")
        table: DataTable[object] = StakeholderTable(id="stakeholder-table", cursor_type="row")
        table.add_columns("Name", "Role", "Influence", "Stance")
        yield table
        for field in NOTE_FIELDS:
            yield NoteView(field)
        editor = TextArea(id="note-editor", soft_wrap=True)
        editor.display = False
        yield editor

    @property
    def stakeholders(self) -> DataTable[object]:
        return self.query_one("#stakeholder-table", DataTable)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#note-editor", TextArea)

    def note(self, name: str) -> NoteView:
        return self.query_one(f"#note-{name}", NoteView)

    def show(self, research: ResearchRecord) -> list[str]:
        """Show `research`; returns the labels of notes someone else changed under the user."""
        if self.editing is None:
            self.base_version = research.version
        self.research = research
        fill_table(
            self.stakeholders,
            [
                (
                    s.id,
                    (
                        plain_line(s.name),
                        plain_line(s.role),
                        plain_line(s.influence.value),
                        plain_line(s.stance.value),
                    ),
                )
                for s in research.stakeholders
            ],
        )
        clashes = []
        for field in NOTE_FIELDS:
            fresh = editable(getattr(research, field.name))
            self.note(field.name).show(fresh)
            if field.name == self.editing and self._follow(fresh, research.version):
                clashes.append(field.label.split(":")[0])
            self.loaded[field.name] = fresh
        return clashes

    def _follow(self, fresh: str, version: int) -> bool:
        """Bring the open editor up to a reload; True if it clashes with the typing."""
        editor, before = self.editor, self.loaded[self.editing or ""]
        typed = editor.text
        if typed == before and fresh != typed:
            editor.load_text(fresh)  # nothing typed yet: show the newer text
            typed = fresh
        if fresh in (self.started_from, typed):
            self.started_from, self.base_version = fresh, version
            return False
        return fresh != before

    # -- editing one note ---------------------------------------------------

    def selected_note(self) -> NoteView | None:
        """The note under the user's cursor (focused), when reading."""
        focused = self.screen.focused
        return focused if isinstance(focused, NoteView) and self.editing is None else None

    def start_editing(self, note: NoteView) -> None:
        """Open `note` in the editor, in its place, on the text as last loaded."""
        name = note.field.name
        self.editing, self.started_from = name, self.loaded[name]
        self.base_version = self.research.version
        editor = self.editor
        self.move_child(editor, after=note)
        editor.load_text(self.loaded[name])
        editor.display = True
        note.set_editing(True)
        editor.move_cursor(editor.document.end)
        self.screen.set_focus(editor, scroll_visible=False)
        self.call_after_refresh(self.scroll_to_widget, editor, animate=False)

    def finish_editing(self) -> None:
        """Back to reading: the editor closes and its note is selected again."""
        if self.editing is None:
            return
        note = self.note(self.editing)
        self.editing = None
        self.base_version = self.research.version
        self.editor.display = False
        note.set_editing(False)
        self.screen.set_focus(note)

    def saved(self, name: str, text: str) -> None:
        """`text` is stored: show it; close the editor unless more was typed meanwhile."""
        if self.editing != name:
            return
        if self.editor.text == text:
            self.note(name).show(text)
            self.finish_editing()
        else:
            self.loaded[name] = self.started_from = text

    def refused_at(self, current_version: int) -> None:
        """A save was refused: the next ctrl+s, made knowing why, saves over `current_version`."""
        self.base_version = current_version
        if self.editing is not None:
            self.started_from = self.loaded[self.editing]

    @property
    def is_dirty(self) -> bool:
        """Typing in the editor that is not saved."""
        return self.editing is not None and self.editor.text != self.loaded[self.editing]

    # -- moving around ------------------------------------------------------

    def focus_inside(self) -> None:
        """Focus where the user was in this panel: the editor, a note, or the table."""
        if self.editing is not None:
            self.editor.focus()
        elif self._last_focus is not None and self._last_focus.is_attached:
            self._last_focus.focus()
        else:
            self.stakeholders.focus()

    @on(DescendantFocus)
    def _remember(self, event: DescendantFocus) -> None:
        self._last_focus = event.widget

    def highlighted(self) -> StakeholderRecord | None:
        """The stakeholder under the table's cursor."""
        key = highlighted_key(self.stakeholders)
        return next((s for s in self.research.stakeholders if s.id == key), None)
