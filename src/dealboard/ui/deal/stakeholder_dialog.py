"""Adding or editing a stakeholder: a person on the buyer's side and where they stand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Select

from dealboard.domain.records import StakeholderRecord
from dealboard.ui.deal.editor import EditorDialog, field_row
from dealboard.ui.text import editable, plain_line
from dealboard.vocabulary import Influence, Stance


@dataclass(frozen=True)
class StakeholderValues:
    """What the dialog collected, in the domain's words."""

    name: str
    role: str
    influence: str
    stance: str

    @classmethod
    def of(cls, stakeholder: StakeholderRecord | None) -> StakeholderValues:
        """The values a stakeholder has now (a new one: medium influence, neutral)."""
        if stakeholder is None:
            return cls("", "", Influence.MEDIUM.value, Stance.NEUTRAL.value)
        person = stakeholder
        return cls(
            editable(person.name),
            editable(person.role),
            person.influence.value,
            person.stance.value,
        )


class StakeholderDialog(EditorDialog[object]):
    """Dismisses with the save's result, or None if cancelled; `save` runs in a worker."""

    def __init__(
        self,
        stakeholder: StakeholderRecord | None,
        save: Callable[[StakeholderValues], object],
    ) -> None:
        super().__init__()
        self.stakeholder = stakeholder
        self.save = save
        self.initial = StakeholderValues.of(stakeholder)

    def heading(self) -> Text:
        if self.stakeholder is None:
            return Text("Add a stakeholder", style="bold")
        return Text("Edit stakeholder ", style="bold") + plain_line(self.stakeholder.name)

    def compose_fields(self) -> Iterable[Widget]:
        yield field_row("Name", "name", Input(self.initial.name, placeholder="who", compact=True))
        yield field_row(
            "Role",
            "role",
            Input(self.initial.role, placeholder="CFO, IT lead, end user…", compact=True),
        )
        yield field_row(
            "Influence",
            "influence",
            Select(
                [(i.value, i.value) for i in Influence],
                allow_blank=False,
                value=self.initial.influence,
                compact=True,
            ),
        )
        yield field_row(
            "Stance",
            "stance",
            Select(
                [(s.value, s.value) for s in Stance],
                allow_blank=False,
                value=self.initial.stance,
                compact=True,
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def values(self) -> StakeholderValues:
        return StakeholderValues(
            self.query_one("#field-name", Input).value,
            self.query_one("#field-role", Input).value,
            str(self.query_one("#field-influence", Select).value),
            str(self.query_one("#field-stance", Select).value),
        )

    def is_dirty(self) -> bool:
        return self.values() != self.initial

    def save_call(self) -> Callable[[], object]:
        values, save = self.values(), self.save
        return lambda: save(values)
