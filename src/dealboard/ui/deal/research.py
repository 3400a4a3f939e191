"""The Research panel: who is who on the buyer's side, and what the team has learnt.

The notes are edited in place and saved together with ctrl+s. While someone
is typing, a reload (after any other save, or another user's change) leaves
the fields they changed alone, so nothing typed is lost to a refresh; the
save is made against the version they started typing on, so it is refused
(saying whose change came first) rather than silently replacing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, TextArea

from dealboard.domain.records import ResearchRecord, StakeholderRecord
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.text import editable, plain_line


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


class ResearchPanel(VerticalScroll):
    """Stakeholders table and the research notes; keys live on the deal screen."""

    def __init__(self) -> None:
        super().__init__(id="research-panel")
        self.research = ResearchRecord()
        #: The notes as last loaded; a field differing from it has unsaved typing.
        self.loaded: dict[str, str] = {f.name: "" for f in NOTE_FIELDS}
        #: The notes' version the user's typing started from.
        self.base_version = 0

    def compose(self) -> ComposeResult:
        yield Label("Stakeholders", classes="panel-heading")
        table: DataTable[object] = RecordTable(id="stakeholder-table", cursor_type="row")
        table.add_columns("Name", "Role", "Influence", "Stance")
        yield table
        for field in NOTE_FIELDS:
            yield Label(field.label, classes="panel-heading")
            yield TextArea(id=f"note-{field.name}", soft_wrap=True, classes="note")

    @property
    def stakeholders(self) -> DataTable[object]:
        return self.query_one("#stakeholder-table", DataTable)

    def show(self, research: ResearchRecord) -> list[str]:
        """Show `research`; returns the labels of notes someone else changed under the user."""
        if not self.is_dirty:
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
            area = self.query_one(f"#note-{field.name}", TextArea)
            fresh = editable(getattr(research, field.name))
            typed, before = area.text, self.loaded[field.name]
            if typed == before:
                if fresh != typed:
                    area.load_text(fresh)
            elif fresh not in (before, typed):
                clashes.append(field.label.split(":")[0])
            self.loaded[field.name] = fresh
        return clashes

    def changed_notes(self) -> dict[str, str]:
        """The notes the user changed since they were loaded, by field name."""
        return {
            field.name: area.text
            for field in NOTE_FIELDS
            if (area := self.query_one(f"#note-{field.name}", TextArea)).text
            != self.loaded[field.name]
        }

    @property
    def is_dirty(self) -> bool:
        return bool(self.changed_notes())

    def highlighted(self) -> StakeholderRecord | None:
        """The stakeholder under the table's cursor."""
        key = highlighted_key(self.stakeholders)
        return next((s for s in self.research.stakeholders if s.id == key), None)
