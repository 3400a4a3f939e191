"""`t` in stand-up mode: type this month's team goal, the target the forecast is held against.

What is typed is stored as the team's goal (`dealboard goal set team …`), so it lasts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from dealboard.domain.errors import InvalidInput
from dealboard.domain.goals import month_label
from dealboard.domain.standup_forecast import parse_target
from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import plain


class TargetPrompt(KeyedModal[str | None]):
    """One line: Enter keeps what was typed (empty clears the goal), Esc changes nothing."""

    CSS_PATH = "standup.tcss"
    BINDINGS = [
        # priority: the field's own enter is hidden from the footer; this one says what it does
        Binding("enter", "keep", "Keep", priority=True, id="standup.target.keep"),
        Binding("escape", "cancel", "Cancel", id="standup.target.cancel"),
    ]

    def __init__(self, currency: str, initial: str = "", month: str | None = None) -> None:
        super().__init__()
        self.currency = currency
        self.initial = initial
        #: The goal's month, `YYYY-MM` (None: this month).
        self.month = month

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="target-dialog"):
            month = month_label(self.month) if self.month else "this month"
            yield Static(Text(f"Team goal for {month}", style="bold"), id="target-title")
            yield Input(self.initial, placeholder=f"e.g. 250k (in {self.currency})", id="target")
            keep, cancel = (
                self.binding_key("standup.target.keep"),
                self.binding_key("standup.target.cancel"),
            )
            hint = f"{keep} stores it for the team · empty clears it · {cancel} cancels"
            yield Static(Text(hint), id="target-hint")
            problem = Static(id="target-problem")
            problem.display = False
            yield problem

    def on_mount(self) -> None:
        self.query_one("#target", Input).focus()

    def action_keep(self) -> None:
        typed = self.query_one("#target", Input).value
        try:
            parse_target(typed, self.currency)
        except InvalidInput as error:
            problem = self.query_one("#target-problem", Static)
            problem.update(plain(str(error)))
            problem.display = True
            return
        self.dismiss(typed)

    def action_cancel(self) -> None:
        self.dismiss(None)
