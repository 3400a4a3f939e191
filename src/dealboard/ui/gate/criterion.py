"""One tickable exit criterion in the checklist gate, and the plain record behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from dealboard.domain.gate import GateCheck
from dealboard.domain.views.gate_view import GateView
from dealboard.ui.text import plain_line

#: Marks a criterion that ticks itself from the deal's data (shape, not colour).
TIED_MARK = "↻"


@dataclass(frozen=True)
class GateItem:
    """One criterion as the dialog shows it."""

    stage: str
    text: str
    checked: bool
    #: What it ticks itself from (`ties.follows`): "" when only a hand ticks it.
    follows: str = ""
    #: The login of who ticked it, when known.
    by: str | None = None


def items_from_check(check: GateCheck) -> list[GateItem]:
    """Every criterion of every stage being left, ticked or not."""
    return [
        GateItem(s.name, c.text, c.checked, c.follows) for s in check.leaving for c in s.criteria
    ]


def items_from_view(view: GateView, stage: str) -> list[GateItem]:
    """The criteria of one stage, as the gate's live read sees them."""
    return [
        GateItem(t.stage, t.text, t.checked, t.follows, t.by)
        for t in view.ticks
        if t.stage == stage
    ]


class CriterionBox(Static, can_focus=True):
    """A tickable criterion: `[x]` or `[ ]`, its text, who ticked it, what it follows.

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

    def __init__(self, item: GateItem, me: str) -> None:
        super().__init__()
        self.item = item
        self.me = me
        self.value = item.checked
        self._draw()

    def _draw(self) -> None:
        line = Text("[x] " if self.value else "[ ] ", style="bold")
        line.append_text(plain_line(self.item.text))
        by = self.item.by
        if self.value and by and by.casefold() != self.me.casefold():
            line.append(" · ", "dim")
            line.append_text(plain_line(by, "dim"))
        if self.item.follows:
            line.append(f" {TIED_MARK} (follows {self.item.follows})", "dim")
        self.update(line)
        self.set_class(self.value, "-ticked")

    def set_value(self, value: bool, *, quietly: bool = False) -> None:
        self.value = value
        self._draw()
        if not quietly:
            self.post_message(self.Changed(self, value))

    def follow(self, checked: bool, by: str | None) -> None:
        """A tick read from the database (maybe a colleague's): shown, never written back."""
        self.item = replace(self.item, checked=checked, by=by)
        self.set_value(checked, quietly=True)

    def action_toggle(self) -> None:
        self.set_value(not self.value)

    def on_click(self) -> None:
        if self.disabled:
            return
        self.focus()
        self.action_toggle()
