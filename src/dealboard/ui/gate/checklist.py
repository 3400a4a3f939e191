"""The checklist gate: the exit criteria a deal must meet before it moves on.

Each tick is saved the moment it is made, so work done is never lost even if
the move is cancelled. "Move" is enabled only when every item is ticked and
the target stage has room under a hard WIP limit; a manager may instead
override the gate by giving a reason.

The gate follows the deal while it is open (one `LiveLoader`, like every
screen): a colleague's ticks appear with their name, and if someone moves,
wins or loses the deal meanwhile the dialog says who did, and Move is off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from dealboard.domain.errors import DealboardError
from dealboard.domain.views.gate_view import GateView
from dealboard.domain.views.live import Live
from dealboard.ui.deal.common import board_of
from dealboard.ui.gate.criterion import (
    CriterionBox,
    GateItem,
    items_from_check,
    items_from_view,
)
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import plain_line
from dealboard.ui.worker import in_background

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ChecklistGate",
    "CriterionBox",
    "GateDecision",
    "GateItem",
    "items_from_check",
    "items_from_view",
]


@dataclass(frozen=True)
class GateDecision:
    """What the user chose: move (through the ticked gate) or override with a reason."""

    override: str | None = None


#: The verb a button label stands for, where lower-casing it does not read ("to won").
_VERBS = {"Won": "win"}


def _refusal(criterion: str, message: str) -> str:
    """The domain's refusal as one short line under a criterion the user can already see."""
    named = f"{criterion!r} "
    if message.startswith(named):
        return f"Not ticked: it {message.removeprefix(named)}"
    return f"Not saved: {message}"


class ChecklistGate(KeyedModal[GateDecision | None]):
    """Tick exit criteria, then move; Esc cancels and the card stays where it is."""

    CSS_PATH = "checklist.tcss"
    BINDINGS = [
        Binding("ctrl+s,ctrl+enter", "move", "Move", id="gate.move"),
        Binding("o", "override", "Override", id="gate.override"),
        Binding("escape", "cancel", "Cancel", id="gate.cancel"),
        Binding("down,j", "app.focus_next", "Next", show=False, id="gate.next"),
        Binding("up,k", "app.focus_previous", "Previous", show=False, id="gate.previous"),
    ]

    def __init__(
        self,
        deal_id: int,
        title: str,
        items: list[GateItem],
        *,
        stage_id: int,
        note: str = "",
        action: str | None = "Move",
        may_override: bool = False,
        first: Live[GateView] | None = None,
        full: str = "",
    ) -> None:
        """`stage_id` is the deal's stage as the user saw it: leaving it ends the gate's use.

        `full` is why the target stage refuses the deal (a hard WIP limit), or "".
        """
        super().__init__()
        self.full = full
        self.deal_id = deal_id
        self.stage_id = stage_id
        self.heading = title
        self.items = items
        self.note = note
        self.action_label = action
        self.may_override = may_override
        self.ticked = {(i.stage, i.text): i.checked for i in items}
        #: Who moved the deal away while the gate was open, as one line (None: nobody).
        self.moved_away: str | None = None
        #: Whether this user's own ticks were saved here (not a colleague's, followed live).
        self.ticked_here = False
        self._writing: set[tuple[str, str]] = set()
        self._first = first
        self.loader: LiveLoader[GateView] = LiveLoader(
            self, self._read, self._arrived, what="checklist"
        )
        # The footer says what the keys do in this gate: Move or Won; Cancel or Close.
        said = {"gate.move": action or "Move", "gate.cancel": "Cancel" if action else "Close"}
        own = self._bindings.key_to_bindings  # a copy, but its lists are the class's
        for key, bindings in own.items():
            own[key] = [
                replace(b, description=said.get(b.id or "", b.description)) for b in bindings
            ]

    def compose_dialog(self) -> ComposeResult:
        me = board_of(self).user_name
        with Vertical(id="gate"):
            yield Static(plain_line(self.heading, "bold"), id="gate-title")
            if self.note:
                yield Static(plain_line(self.note), id="gate-note")
            if self.full:
                yield Static(plain_line(f"⚠ {self.full}", "bold"), id="gate-full")
            with VerticalScroll(id="gate-items"):
                stage = None
                for item in self.items:
                    if item.stage != stage:
                        stage = item.stage
                        yield Label(plain_line(stage, "bold"), classes="gate-stage")
                    yield CriterionBox(item, me)
            yield Static(id="gate-status")
            yield Static(id="gate-said")
            yield Input(placeholder="override reason (recorded)", id="gate-reason", compact=True)
            with Horizontal(id="gate-buttons"):
                if self.action_label:
                    yield Button(self.action_label, variant="primary", id="gate-move", compact=True)
                if self.may_override and self.action_label:
                    yield Button("Override", variant="warning", id="gate-override", compact=True)
                yield Button(
                    "Cancel" if self.action_label else "Close", id="gate-cancel", compact=True
                )

    def on_mount(self) -> None:
        self.query_one("#gate-reason", Input).display = False
        self.query_one("#gate-said", Static).display = False
        self._label_buttons()
        boxes = list(self.query(CriterionBox))
        first_open = next((b for b in boxes if not b.value), boxes[0] if boxes else None)
        if first_open is not None:
            first_open.focus()
        self._update()
        self.loader.start(self._first)

    def on_unmount(self) -> None:
        self.loader.stop()

    def _label_buttons(self) -> None:
        """Each button names the key that presses it, as the keymap has it now."""
        for button_id, binding_id in (
            ("#gate-move", "gate.move"),
            ("#gate-override", "gate.override"),
            ("#gate-cancel", "gate.cancel"),
        ):
            for button in self.query(button_id).results(Button):
                button.label = self.key_label(str(button.label), binding_id)

    # -- following the deal ---------------------------------------------------

    def _read(self, previous: Live[GateView] | None) -> Callable[[], Live[GateView]]:
        board, deal_id = board_of(self), self.deal_id
        return lambda: board.views.gate(deal_id, previous)

    def _arrived(self, live: Live[GateView]) -> None:
        view = live.content
        if view.stage_id != self.stage_id:
            self._gone(view)
            return
        for box in self.query(CriterionBox):
            key = (box.item.stage, box.item.text)
            tick = view.tick(*key)
            if tick is None or key in self._writing:
                continue
            if (tick.checked, tick.by) != (box.value, box.item.by):
                box.follow(tick.checked, tick.by)
                self.ticked[key] = tick.checked
        self._update()

    def _gone(self, view: GateView) -> None:
        """Someone moved, won or lost the deal: nothing is left to do here; say who."""
        if self.moved_away is None:
            board = board_of(self)
            if view.last_move is not None:
                said = view.last_move.said(board.user_name, board.now())
            else:
                said = f"It is in {view.stage} now"
            self.moved_away = said
            for box in self.query(CriterionBox):
                box.disabled = True
            self.query_one("#gate-reason", Input).display = False
            self.query_one("#gate-cancel", Button).focus()
        self._say(f"{self.moved_away} — nothing to do here", "bold")
        self._update()

    def _say(self, line: str, style: str = "") -> None:
        said = self.query_one("#gate-said", Static)
        said.update(plain_line(line, style))
        said.display = bool(line)

    # -- ticking and deciding -------------------------------------------------

    @property
    def complete(self) -> bool:
        return all(self.ticked.values())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Move and Override show in the footer only where they exist; dim when not possible."""
        if action == "move":
            if not self.action_label:
                return False
            return None if self.moved_away or not self.complete or self.full else True
        if action == "override":
            if not (self.may_override and self.action_label):
                return False
            return None if self.moved_away else True
        return True

    def _update(self) -> None:
        done = sum(self.ticked.values())
        status = Text(f"{done}/{len(self.ticked)} done" if self.ticked else "")
        hint = self._hint()
        if hint:
            status.append((" — " if self.ticked else "") + hint, "italic")
        self.query_one("#gate-status", Static).update(status)
        if self.action_label:
            self.query_one("#gate-move", Button).disabled = bool(
                self.moved_away or not self.complete or self.full
            )
        for override in self.query("#gate-override").results(Button):
            override.disabled = bool(self.moved_away)
        self.refresh_bindings()

    def _hint(self) -> str:
        """What stands between the user and the move, if anything."""
        if not self.action_label or self.moved_away:
            return ""
        if self.full:
            if self.may_override:
                return "the stage is full: override with a reason to move it in"
            return "the stage is full: only a manager can move a deal in"
        if not self.complete:
            return f"tick every item to {_VERBS.get(self.action_label, self.action_label.lower())}"
        return ""

    @on(CriterionBox.Changed)
    def _ticked(self, event: CriterionBox.Changed) -> None:
        box = event.box
        item, checked = box.item, event.value
        key = (item.stage, item.text)
        if self.ticked[key] == checked:
            return
        self.ticked[key] = checked
        self._writing.add(key)
        self._say("")
        self._update()
        board = board_of(self)

        def saved(_: object) -> None:
            self._writing.discard(key)
            self.ticked_here = True
            self.loader.refresh()

        def refused(error: DealboardError) -> None:
            self._writing.discard(key)
            self.ticked[key] = not checked
            box.set_value(not checked, quietly=True)
            self._update()
            self._say(_refusal(item.text, str(error)))
            self.loader.refresh()

        in_background(
            self,
            lambda: board.set_check(self.deal_id, item.text, stage=item.stage, checked=checked),
            saved,
            refused=refused,
            group="gate-ticks",
        )

    @on(Button.Pressed, "#gate-move")
    def action_move(self) -> None:
        if self.action_label and self.complete and not self.moved_away and not self.full:
            self._finish(GateDecision())

    @on(Button.Pressed, "#gate-override")
    def action_override(self) -> None:
        if not (self.may_override and self.action_label) or self.moved_away:
            return
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
        if event.value.strip() and not self.moved_away:
            self._finish(GateDecision(override=event.value.strip()))

    @on(Button.Pressed, "#gate-cancel")
    def action_cancel(self) -> None:
        self._finish(None)

    def _finish(self, decision: GateDecision | None) -> None:
        """Leave only once every tick has been written, so the board reloads what was saved."""

        self.loader.stop()
        pending = [w for w in self.app.workers if w.group == "gate-ticks" and not w.is_finished]
        if not pending:
            self.dismiss(decision)
            return

        async def close() -> None:
            for worker in pending:
                await worker.wait()
            self.dismiss(decision)

        self.run_worker(close(), group="gate-close", exclusive=True)
