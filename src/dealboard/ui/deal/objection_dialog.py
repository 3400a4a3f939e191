"""Logging or editing an objection: what the buyer said (or left unsaid) and our answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Checkbox, Select, TextArea

from dealboard.domain.records import ObjectionRecord
from dealboard.ui.deal.editor import EditorDialog, field_row
from dealboard.ui.text import editable
from dealboard.vocabulary import ObjectionCategory


@dataclass(frozen=True)
class ObjectionValues:
    """What the dialog collected, in the domain's words."""

    category: str
    hidden: bool
    text: str
    response: str

    @classmethod
    def of(cls, objection: ObjectionRecord | None) -> ObjectionValues:
        """The values an objection has now (a new one: an expressed product concern)."""
        if objection is None:
            return cls(ObjectionCategory.PRODUCT.value, False, "", "")
        text, response = editable(objection.text), editable(objection.response)
        return cls(objection.category.value, objection.hidden, text, response)


class ObjectionDialog(EditorDialog[object]):
    """Dismisses with the save's result, or None if cancelled; `save` runs in a worker."""

    def __init__(
        self,
        objection: ObjectionRecord | None,
        save: Callable[[ObjectionValues], object],
    ) -> None:
        super().__init__()
        self.objection = objection
        self.save = save
        self.initial = ObjectionValues.of(objection)

    def heading(self) -> Text:
        if self.objection is None:
            return Text("Log an objection", style="bold")
        return Text(f"Edit objection ({self.objection.status.value})", style="bold")

    def compose_fields(self) -> Iterable[Widget]:
        yield field_row(
            "Category",
            "category",
            Select(
                [(c.value, c.value) for c in ObjectionCategory],
                allow_blank=False,
                value=self.initial.category,
                compact=True,
            ),
        )
        yield field_row(
            "Hidden",
            "hidden",
            Checkbox("not said out loud: we sensed it", self.initial.hidden, compact=True),
        )
        yield field_row("Objection", "text", TextArea(self.initial.text, soft_wrap=True))
        yield field_row("Response", "response", TextArea(self.initial.response, soft_wrap=True))

    def on_mount(self) -> None:
        self.query_one("#field-text").focus()

    def values(self) -> ObjectionValues:
        return ObjectionValues(
            str(self.query_one("#field-category", Select).value),
            self.query_one("#field-hidden", Checkbox).value,
            self.query_one("#field-text", TextArea).text,
            self.query_one("#field-response", TextArea).text,
        )

    def is_dirty(self) -> bool:
        return self.values() != self.initial

    def save_call(self) -> Callable[[], object]:
        values, save = self.values(), self.save
        return lambda: save(values)
