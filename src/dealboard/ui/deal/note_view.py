"""One research note as read: its question in bold and its text, never an editing box.

Notes are read far more often than written, so the Research tab shows them as
text that keys cannot change: `1`..`5`, `E` and the other deal keys keep their
meaning here, and `j`/`k` walk from note to note. The selected note is marked
without colour (a bar at its left edge and an underlined heading) and shows
its whole text; the others show their first lines, so several fit at 80×24.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from dealboard.ui.text import plain


@dataclass(frozen=True)
class NoteField:
    """One research note: its `ResearchFields` name and the question it answers."""

    name: str
    label: str


NOTE_FIELDS = (
    NoteField("interests", "Stakeholders' interests: what each of them wants"),
    NoteField("buying_process", "Buying process: how they buy, who signs"),
    NoteField("key_objectives", "Key objectives: what they must achieve"),
    NoteField("decision_timing", "Decision timing: when decisions are made"),
    NoteField("pain_points", "Pain points: what hurts today"),
    NoteField("free_text", "Notes"),
)


class NoteView(Static, can_focus=True):
    """A note to read; focused, it is the selected note that `e` edits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "step(1)", "Next note", show=False, id="deal.note.next"),
        Binding("up,k", "step(-1)", "Previous note", show=False, id="deal.note.previous"),
    ]

    def __init__(self, field: NoteField) -> None:
        super().__init__(id=f"note-{field.name}", classes="note")
        self.field = field
        #: The note's text as last loaded (control characters already made visible).
        self.text = ""
        #: True while the note is open in the editor below its heading.
        self.editing = False

    def on_mount(self) -> None:
        self._draw()

    def show(self, text: str) -> None:
        """Draw `text` (a reload or a save); nothing the user typed lives here."""
        if text != self.text:
            self.text = text
            self._draw()

    def set_editing(self, editing: bool) -> None:
        self.editing = editing
        self.set_class(editing, "-editing")
        self._draw()

    def on_focus(self) -> None:
        self._draw()

    def on_blur(self) -> None:
        self._draw()

    def action_step(self, by: int) -> None:
        """Select the next note (`by` 1) or the one before; up from the first leaves the notes.

        Focus moves at once, not after a refresh, so quick presses each move one note.
        """
        notes = list(self.parent.query_children(NoteView)) if self.parent else [self]
        at = notes.index(self) + by
        if at < 0:
            self.screen.focus_previous()
            if isinstance(self.parent, Widget):
                self.parent.scroll_home(animate=False)
        elif at < len(notes):
            self.screen.set_focus(notes[at])

    def _draw(self) -> None:
        selected = self.has_focus or self.editing
        heading = plain(self.field.label, "bold underline" if selected else "bold")
        if self.editing:
            heading.append("  editing: ctrl+s saves, esc cancels", style="dim")
            self.update(heading)
        elif not self.text.strip():
            heading.append("  — not written yet", style="dim")
            self.update(heading)
        else:
            self.update(Text.assemble(heading, "\n", plain(self.text)))
