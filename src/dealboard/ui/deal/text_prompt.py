"""One piece of text to save: the response to an objection, the outcome of an activity."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import TextArea

from dealboard.domain.errors import DealboardError
from dealboard.ui.deal.editor import EditorDialog, field_row
from dealboard.ui.text import editable


class TextPrompt(EditorDialog[object]):
    """Dismisses with the save's result, or None if cancelled; `save` runs in a worker."""

    def __init__(
        self,
        heading: Text,
        label: str,
        save: Callable[[str], object],
        initial: str = "",
    ) -> None:
        super().__init__()
        self._heading = heading
        self.label = label
        self.save = save
        self.initial = editable(initial)

    def heading(self) -> Text:
        return self._heading

    def compose_fields(self) -> Iterable[Widget]:
        yield field_row(self.label, "text", TextArea(self.initial, soft_wrap=True))

    def on_mount(self) -> None:
        self.query_one("#field-text").focus()

    def field_for(self, error: DealboardError) -> str | None:
        return "text"

    def value(self) -> str:
        return self.query_one("#field-text", TextArea).text

    def is_dirty(self) -> bool:
        return self.value() != self.initial

    def save_call(self) -> Callable[[], object]:
        text, save = self.value(), self.save
        return lambda: save(text)
