"""The checklist gate: the exit criteria a deal must meet before it moves on.

Each tick is saved the moment it is made, so work done is never lost even if
the move is cancelled. "Move" is enabled only when every item is ticked; a
manager may instead override the gate by giving a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dealboard.domain.gate import GateCheck
from dealboard.domain.records import ChecklistItem
from dealboard.ui.text import notify_plain, plain_line
from dealboard.ui.worker import in_background


@dataclass(frozen=True)
class GateItem:
    """One criterion as the dialog shows it."""

    stage: str
    text: str
    checked: bool


@dataclass(frozen=True)
class GateDecision:
    """What the user chose: move (through the ticked gate) or override with a reason."""

    override: str | None = None


def items_from_check(check: GateCheck) -> list[GateItem]:
    """Every criterion of every stage being left, ticked or not."""
    return [GateItem(s.name, c.text, c.checked) for s in check.leaving for c in s.criteria]


def items_from_checklist(checklist: tuple[ChecklistItem, ...], stage: str) -> list[GateItem]:
    """The criteria of one stage, from a deal's detail."""
    return [GateItem(i.stage, i.text, i.checked) for i in checklist if i.stage == stage]


#: The verb a button label stands for, where lower-casing it does not read ("to won").
_VERBS = {"Won": "win"}


class CriterionBox(Static, can_focus=True):
    """A tickable criterion: `[x]` or `[ ]` then its text, shown literally.

    Drawn as text rather than Textual's Checkbox so that ticked and unticked
    differ in shape, not only in colour (projectors, NO_COLOR terminals).
    """

    ALLOW_SELECT = False
    BINDINGS = [Binding("space,enter,x", "toggle", "Tick", id="gate.tick")]

    class Changed(Message):
        """The user ticked or unticked the criterion."""

        def __init__(self, box: CriterionBox, value: bool) -> None:
            super().__init__()
            self.box = box
            self.value = value

    def __init__(self, item: GateItem) -> None:
        super().__init__()
        self.item = item
        self.value = item.checked
        self._draw()

    def _draw(self) -> None:
        mark = Text("[x] " if self.value else "[ ] ", style="bold")
        self.update(mark + plain_line(self.item.text))
        self.set_class(self.value, "-ticked")

    def set_value(self, value: bool, *, quietly: bool = False) -> None:
        self.value = value
        self._draw()
        if not quietly:
            self.post_message(self.Changed(self, value))

    def action_toggle(self) -> None:
        self.set_value(not self.value)

    def on_click(self) -> None:
        self.focus()
        self.action_toggle()


class ChecklistGate(ModalScreen[GateDecision | None]):
    """Tick exit criteria, then move; Esc cancels and the card stays where it is."""

    CSS_PATH = "checklist.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="gate.cancel"),
        Binding("ctrl+s,ctrl+enter", "move", "Move", id="gate.move"),
        Binding("down,j", "app.focus_next", "Next", show=False, id="gate.next"),
        Binding("up,k", "app.focus_previous", "Previous", show=False, id="gate.previous"),
    ]

    def __init__(
        self,
        deal_id: int,
        title: str,
        items: list[GateItem],
        *,
        note: str = "",
        action: str | None = "Move",
        may_override: bool = False,
    ) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.heading = title
        self.items = items
        self.note = note
        self.action_label = action
        self.may_override = may_override
        self.ticked = {(i.stage, i.text): i.checked for i in items}

    def compose(self) -> ComposeResult:
        with Vertical(id="gate"):
            yield Static(plain_line(self.heading, "bold"), id="gate-title")
            if self.note:
                yield Static(plain_line(self.note), id="gate-note")
            with VerticalScroll(id="gate-items"):
                stage = None
                for item in self.items:
                    if item.stage != stage:
                        stage = item.stage
                        yield Label(plain_line(stage, "bold"), classes="gate-stage")
                    yield CriterionBox(item)
            yield Static(id="gate-status")
            yield Input(placeholder="override reason (recorded)", id="gate-reason")
            with Horizontal(id="gate-buttons"):
                if self.action_label:
                    yield Button(self.action_label, variant="primary", id="gate-move")
                if self.may_override and self.action_label:
                    yield Button("Override (reason)", variant="warning", id="gate-override")
                yield Button("Cancel" if self.action_label else "Close", id="gate-cancel")

    def on_mount(self) -> None:
        self.query_one("#gate-reason", Input).display = False
        boxes = list(self.query(CriterionBox))
        first_open = next((b for b in boxes if not b.value), boxes[0] if boxes else None)
        if first_open is not None:
            first_open.focus()
        self._update()

    @property
    def complete(self) -> bool:
        return all(self.ticked.values())

    def _update(self) -> None:
        done = sum(self.ticked.values())
        status = Text(f"{done}/{len(self.ticked)} done")
        if self.action_label and not self.complete:
            verb = _VERBS.get(self.action_label, self.action_label.lower())
            status.append(f" — tick every item to {verb}", "italic")
        self.query_one("#gate-status", Static).update(status)
        if self.action_label:
            self.query_one("#gate-move", Button).disabled = not self.complete

    @on(CriterionBox.Changed)
    def _ticked(self, event: CriterionBox.Changed) -> None:
        box = event.box
        item, checked = box.item, event.value
        if self.ticked[(item.stage, item.text)] == checked:
            return
        self.ticked[(item.stage, item.text)] = checked
        self._update()
        board = self.app.board  # type: ignore[attr-defined]

        def refused(error: Exception) -> None:
            self.ticked[(item.stage, item.text)] = not checked
            box.set_value(not checked, quietly=True)
            self._update()
            notify_plain(self, str(error), title="Not saved", severity="warning")

        in_background(
            self,
            lambda: board.set_check(self.deal_id, item.text, stage=item.stage, checked=checked),
            refused=refused,
            group="gate-ticks",
        )

    @on(Button.Pressed, "#gate-move")
    def action_move(self) -> None:
        if self.action_label and self.complete:
            self._finish(GateDecision())

    @on(Button.Pressed, "#gate-override")
    def _ask_reason(self) -> None:
        reason = self.query_one("#gate-reason", Input)
        if reason.display and reason.value.strip():
            self._finish(GateDecision(override=reason.value.strip()))
            return
        reason.display = True
        reason.focus()
        self.query_one("#gate-status", Static).update(
            Text("Give the reason for overriding, then Enter", style="italic")
        )

    @on(Input.Submitted, "#gate-reason")
    def _reason_given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._finish(GateDecision(override=event.value.strip()))

    @on(Button.Pressed, "#gate-cancel")
    def action_cancel(self) -> None:
        self._finish(None)

    def _finish(self, decision: GateDecision | None) -> None:
        """Leave only once every tick has been written, so the board reloads what was saved."""

        pending = [w for w in self.app.workers if w.group == "gate-ticks" and not w.is_finished]
        if not pending:
            self.dismiss(decision)
            return

        async def close() -> None:
            for worker in pending:
                await worker.wait()
            self.dismiss(decision)

        self.run_worker(close(), group="gate-close", exclusive=True)
