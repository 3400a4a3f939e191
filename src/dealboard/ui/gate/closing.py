"""Closing a deal: won asks for confirmation, lost asks for a reason and a note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dealboard.domain.money import format_money
from dealboard.domain.records import DealSummary
from dealboard.ui.text import plain_line
from dealboard.vocabulary import CHOOSABLE_LOSS_REASONS, LossReason

#: What each loss reason means, said the way a sales team says it.
REASON_LABELS = {
    LossReason.COMPETITOR: "Competitor — they bought from someone else",
    LossReason.NO_DECISION: "No decision — they did nothing",
    LossReason.PRICE: "Price",
    LossReason.TIMING: "Timing — not now",
    LossReason.NO_FIT: "No fit — we could not meet the need",
    LossReason.OTHER: "Other (say why in the note)",
}


class ConfirmWon(ModalScreen[bool]):
    """ "Mark this deal as won?" — closing is worth a second keypress."""

    CSS_PATH = "closing.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, won", id="won.yes"),
        Binding("n,escape", "answer(False)", "No", id="won.no"),
    ]

    def __init__(self, deal: DealSummary) -> None:
        super().__init__()
        self.deal = deal

    def compose(self) -> ComposeResult:
        with Vertical(classes="closing-dialog"):
            yield Static(Text("Mark as won?", style="bold"))
            yield Static(plain_line(self.deal.title))
            yield Static(Text(format_money(self.deal.value_minor, self.deal.currency)))
            with Horizontal(classes="closing-buttons"):
                yield Button("Won (y)", variant="success", id="won-yes")
                yield Button("Not yet (n)", id="won-no")

    def on_mount(self) -> None:
        self.query_one("#won-yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "won-yes")


class ReasonChoice(Static, can_focus=True):
    """One loss reason: `(•)` when chosen, `( )` otherwise — a shape, not only a colour."""

    ALLOW_SELECT = False
    BINDINGS = [Binding("space,enter", "choose", "Choose", id="lost.choose")]

    class Chosen(Message):
        """The user picked this reason."""

        def __init__(self, choice: ReasonChoice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, reason: LossReason) -> None:
        super().__init__()
        self.reason = reason
        self.chosen = False
        self._draw()

    def _draw(self) -> None:
        mark = "(•) " if self.chosen else "( ) "
        self.update(Text(mark, style="bold") + Text(REASON_LABELS[self.reason]))
        self.set_class(self.chosen, "-chosen")

    def set_chosen(self, chosen: bool) -> None:
        self.chosen = chosen
        self._draw()

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self))

    def on_click(self) -> None:
        self.focus()
        self.action_choose()


@dataclass(frozen=True)
class LossReport:
    """Why the deal was lost."""

    reason: LossReason
    note: str


class LostDialog(ModalScreen[LossReport | None]):
    """Pick the reason category (required) and add a note."""

    CSS_PATH = "closing.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="lost.cancel"),
        Binding("ctrl+s", "save", "Close as lost", id="lost.save"),
        Binding("down", "app.focus_next", "Next", show=False, id="lost.next"),
        Binding("up", "app.focus_previous", "Previous", show=False, id="lost.previous"),
    ]

    def __init__(self, deal: DealSummary) -> None:
        super().__init__()
        self.deal = deal

    def compose(self) -> ComposeResult:
        with Vertical(classes="closing-dialog"):
            yield Static(Text("Close as lost", style="bold"))
            yield Static(plain_line(self.deal.title))
            yield Label("Reason")
            with Vertical(id="lost-reason"):
                for reason in CHOOSABLE_LOSS_REASONS:
                    yield ReasonChoice(reason)
            yield Label("Note")
            yield Input(placeholder="what happened (optional)", id="lost-note")
            yield Static(id="lost-error")
            with Horizontal(classes="closing-buttons"):
                yield Button("Close as lost", variant="error", id="lost-save")
                yield Button("Cancel", id="lost-cancel")

    def on_mount(self) -> None:
        self.query(ReasonChoice).first().focus()

    @property
    def reason(self) -> LossReason | None:
        return next((c.reason for c in self.query(ReasonChoice) if c.chosen), None)

    @on(ReasonChoice.Chosen)
    def _chosen(self, event: ReasonChoice.Chosen) -> None:
        for choice in self.query(ReasonChoice):
            choice.set_chosen(choice is event.choice)
        self.query_one("#lost-error", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#lost-note")
    @on(Button.Pressed, "#lost-save")
    def action_save(self) -> None:
        reason = self.reason
        if reason is None:
            self.query_one("#lost-error", Static).update(
                Text("reason: choose one of the categories above", style="bold")
            )
            self.query(ReasonChoice).first().focus()
            return
        note = self.query_one("#lost-note", Input).value
        self.dismiss(LossReport(reason, note))

    @on(Button.Pressed, "#lost-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
