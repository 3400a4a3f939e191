"""A yes/no question asked before something that cannot be undone."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import plain


class ConfirmDialog(KeyedModal[bool]):
    """Answers True only on an explicit yes: throwing away typing or removing a record."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="deal.confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="deal.confirm.no"),
    ]

    def __init__(self, question: str, detail: Text | None = None, *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="confirm-dialog"):
            yield Static(plain(self.question, "bold"), classes="confirm-question")
            if self.detail is not None:
                yield Static(self.detail, classes="confirm-detail")
            with Horizontal(classes="dialog-buttons"):
                yield self.key_button(
                    self.yes, "deal.confirm.yes", variant="warning", id="confirm-yes"
                )
                yield self.key_button("No", "deal.confirm.no", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
