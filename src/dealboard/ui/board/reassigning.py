"""Marking cards (space or v) and reassigning them to another owner (`O`, managers only).

Marks live on the screen, not in the database: they are one manager's
selection for one action, and survive redraws and others' changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Select

from dealboard.domain.records import UserRecord
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.editor import EditorDialog, field_row
from dealboard.ui.text import choices, notify_plain
from dealboard.ui.worker import in_background
from dealboard.vocabulary import Role

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


class ReassignDialog(EditorDialog[object]):
    """Choose the new owner; dismisses with the save's result, or None if cancelled."""

    CSS_PATH = "../deal/dialogs.tcss"

    def __init__(self, count: int, people: list[UserRecord], save: Callable[[str], object]) -> None:
        super().__init__()
        self.count = count
        self.people = people
        self.save = save

    def heading(self) -> Text:
        what = "this deal" if self.count == 1 else f"these {self.count} deals"
        return Text(f"Reassign {what} to…", style="bold")

    def compose_fields(self) -> Iterable[Widget]:
        people = [(f"{p.display_name or p.name} ({p.name})", p.name) for p in self.people]
        yield field_row(
            "New owner",
            "owner",
            Select(choices(people), allow_blank=False, value=self.people[0].name, compact=True),
        )

    def on_mount(self) -> None:
        self.query_one("#field-owner").focus()

    def is_dirty(self) -> bool:
        return False

    def save_call(self) -> Callable[[], object]:
        owner, save = str(self.query_one("#field-owner", Select).value), self.save
        return lambda: save(owner)


def toggle_mark(screen: BoardScreen) -> None:
    """Space / v: mark the focused card, or unmark it."""
    deal = screen.focused_deal
    if deal is None:
        return
    screen.marked.symmetric_difference_update({deal.id})
    screen.redraw_cards()


def reassign(screen: BoardScreen) -> None:
    """`O`: give the marked cards (or the focused one) to another owner."""
    view = screen.view
    if view is None:
        return
    if view.me.role is not Role.MANAGER:
        screen.notify("Only a manager can reassign deals", severity="warning", markup=False)
        return
    focused = screen.focused_deal
    ids = sorted(screen.marked) or ([focused.id] if focused is not None else [])
    if not ids:
        screen.notify("Mark cards with space first", markup=False)
        return
    board = board_of(screen)

    def reassigned(count: object) -> None:
        notify_plain(screen, f"{count} of {len(ids)} reassigned")
        screen.marked.clear()
        screen.loader.refresh()

    def save(owner: str) -> int:
        return board.reassign(ids, owner)

    def ask(people: list[UserRecord]) -> None:
        screen.app.push_screen(
            ReassignDialog(len(ids), people, save),
            lambda result: reassigned(result) if result is not None else None,
        )

    in_background(screen, board.users, ask)
