"""The BANT panel: Budget, Authority, Need, Timing — each unknown/no/partial/yes, with a note.

A `yes` here ticks the exit criteria tied to that question (the Qualify
stage's), which is why answering is done here and not by ticking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select

from dealboard.domain.records import BantRecord
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.editor import EditorDialog, field_row
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.text import editable, fitted, plain_line
from dealboard.vocabulary import BantItem, BantState

_QUESTIONS = {
    BantItem.BUDGET: "Budget: is money set aside, how much?",
    BantItem.AUTHORITY: "Authority: who decides and signs?",
    BantItem.NEED: "Need: what problem must be solved?",
    BantItem.TIMING: "Timing: by when must it be solved?",
}


class BantPanel(VerticalScroll):
    """One row per question; `e` or enter answers the highlighted one."""

    COMPONENT_CLASSES = {"bant-panel--yes", "bant-panel--no", "bant-panel--partial"}

    def __init__(self) -> None:
        super().__init__(id="bant-panel")
        self.answers: tuple[BantRecord, ...] = ()

    def compose(self) -> ComposeResult:
        yield Label("Qualification (BANT)", classes="panel-heading")
        table: DataTable[object] = RecordTable(id="bant-table", cursor_type="row")
        table.add_columns("Question", "Answer", "Note")
        yield table

    def show(self, answers: tuple[BantRecord, ...]) -> None:
        self.answers = answers
        width = max((self.size.width or self.app.size.width) - 58, 20)
        fill_table(
            self.query_one("#bant-table", DataTable),
            [
                (index, (Text(_QUESTIONS[a.item]), self._state(a.state), fitted(a.note, width)))
                for index, a in enumerate(answers)
            ],
        )

    def _state(self, state: BantState) -> Text:
        style = (
            text_style(self, f"bant-panel--{state.value}") if state is not BantState.UNKNOWN else ""
        )
        return Text(state.value, style=style)

    def highlighted(self) -> BantRecord | None:
        key = highlighted_key(self.query_one("#bant-table", DataTable))
        return self.answers[key] if key is not None and key < len(self.answers) else None


@dataclass(frozen=True)
class BantValues:
    """What the dialog collected."""

    state: str
    note: str


class BantDialog(EditorDialog[object]):
    """Answer one BANT question; dismisses with the save's result, or None if cancelled."""

    def __init__(self, answer: BantRecord, save: Callable[[BantValues], object]) -> None:
        super().__init__()
        self.answer = answer
        self.save = save
        self.initial = BantValues(answer.state.value, editable(answer.note))

    def heading(self) -> Text:
        return Text("Answer ", style="bold") + plain_line(_QUESTIONS[self.answer.item])

    def compose_fields(self) -> Iterable[Widget]:
        yield field_row(
            "Answer",
            "state",
            Select(
                [(s.value, s.value) for s in BantState],
                allow_blank=False,
                value=self.initial.state,
                compact=True,
            ),
        )
        yield field_row(
            "Note",
            "note",
            Input(self.initial.note, placeholder="what you learnt, from whom", compact=True),
        )

    def on_mount(self) -> None:
        self.query_one("#field-state").focus()

    def values(self) -> BantValues:
        return BantValues(
            str(self.query_one("#field-state", Select).value),
            self.query_one("#field-note", Input).value,
        )

    def is_dirty(self) -> bool:
        return self.values() != self.initial

    def save_call(self) -> Callable[[], object]:
        values, save = self.values(), self.save
        return lambda: save(values)
