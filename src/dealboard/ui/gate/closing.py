"""Closing a deal: won asks for confirmation, lost asks for a reason and a note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from dealboard.domain.money import format_money
from dealboard.domain.records import DealSummary
from dealboard.ui.modal import KeyedModal
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


class ConfirmWon(KeyedModal[bool]):
    """ "Mark this deal as won?" — closing is worth a second keypress."""

    CSS_PATH = "closing.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, won", id="won.yes"),
        Binding("n,escape", "answer(False)", "No", id="won.no"),
    ]

    def __init__(self, deal: DealSummary, suggestion: tuple[LossReason, str] | None = None) -> None:
        super().__init__()
        self.deal = deal
        self.suggestion = suggestion

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="closing-dialog"):
            yield Static(Text("Mark as won?", style="bold"))
            yield Static(plain_line(self.deal.title))
            yield Static(plain_line(format_money(self.deal.value_minor, self.deal.currency)))
            with Horizontal(classes="closing-buttons"):
                yield self.key_button("Won", "won.yes", variant="success", id="won-yes")
                yield self.key_button("Not yet", "won.no", id="won-no")

    def on_mount(self) -> None:
        self.query_one("#won-yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "won-yes")


class ReasonList(Static, can_focus=True):
    """The loss reasons, one focus stop: ↑/↓ move, space/enter or 1–6 choose, Tab leaves.

    The chosen reason reads `(•)` and the others `( )` — a shape, not only a colour.
    """

    ALLOW_SELECT = False
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous reason", show=False, id="lost.reason-previous"),
        Binding("down,j", "cursor(1)", "Next reason", show=False, id="lost.reason-next"),
        Binding("space,enter", "choose", "Choose reason", id="lost.reason-choose"),
        *[
            Binding(
                str(n), f"choose({n - 1})", f"Choose reason {n}", show=False, id=f"lost.reason-{n}"
            )
            for n in range(1, len(CHOOSABLE_LOSS_REASONS) + 1)
        ],
    ]

    def __init__(self, suggested: LossReason | None = None) -> None:
        super().__init__(id="lost-reason")
        self.chosen: LossReason | None = suggested
        self.cursor = CHOOSABLE_LOSS_REASONS.index(suggested) if suggested else 0

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        lines = []
        for index, reason in enumerate(CHOOSABLE_LOSS_REASONS):
            mark = "(•)" if reason is self.chosen else "( )"
            pointer = "›" if index == self.cursor and self.has_focus else " "
            line = Text(f"{pointer}{index + 1} {mark} ", style="bold")
            line.append(REASON_LABELS[reason], "bold" if reason is self.chosen else "")
            lines.append(line)
        self.update(Text("\n").join(lines))

    def on_focus(self) -> None:
        self._draw()

    def on_blur(self) -> None:
        self._draw()

    def action_cursor(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(CHOOSABLE_LOSS_REASONS)
        self._draw()

    def action_choose(self, index: int | None = None) -> None:
        if index is not None:
            self.cursor = index
        self.chosen = CHOOSABLE_LOSS_REASONS[self.cursor]
        self._draw()
        self.post_message(self.Chosen())

    def on_click(self, event: events.Click) -> None:
        if 0 <= event.y < len(CHOOSABLE_LOSS_REASONS):
            self.focus()
            self.action_choose(event.y)

    class Chosen(Message):
        """A reason was chosen."""


@dataclass(frozen=True)
class LossReport:
    """Why the deal was lost."""

    reason: LossReason
    note: str


class LostDialog(KeyedModal[LossReport | None]):
    """Pick the reason category (required) and add a note.

    `suggestion` preselects a reason and says why (the cadence ran out: "no
    decision"); the rep can still choose another.
    """

    CSS_PATH = "closing.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Close as lost", id="lost.save"),
        Binding("escape", "cancel", "Cancel", id="lost.cancel"),
    ]

    def __init__(self, deal: DealSummary, suggestion: tuple[LossReason, str] | None = None) -> None:
        super().__init__()
        self.deal = deal
        self.suggestion = suggestion

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="closing-dialog"):
            yield Static(Text("Close as lost", style="bold"))
            yield Static(plain_line(self.deal.title))
            if self.suggestion is not None:
                yield Static(plain_line(self.suggestion[1]), id="lost-suggestion")
            yield Label("Reason")
            yield ReasonList(self.suggestion[0] if self.suggestion else None)
            yield Label("Note")
            yield Input(placeholder="what happened (optional)", id="lost-note")
            yield Static(id="lost-error")
            with Horizontal(classes="closing-buttons"):
                yield self.key_button("Close as lost", "lost.save", variant="error", id="lost-save")
                yield self.key_button("Cancel", "lost.cancel", id="lost-cancel")

    def on_mount(self) -> None:
        self.query_one(ReasonList).focus()

    @property
    def reason(self) -> LossReason | None:
        return self.query_one(ReasonList).chosen

    @on(ReasonList.Chosen)
    def _chosen(self) -> None:
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
            self.query_one(ReasonList).focus()
            return
        note = self.query_one("#lost-note", Input).value
        self.dismiss(LossReport(reason, note))

    @on(Button.Pressed, "#lost-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
