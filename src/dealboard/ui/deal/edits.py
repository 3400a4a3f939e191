"""Every change the deal screen makes: a dialog collects it, a worker saves it, the deal reloads.

Dialogs save through the callables given here, so a refusal keeps the
dialog open with the user's typing; the quick changes (resolve, reopen,
remove) report a refusal as a notification.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.worker import Worker

from dealboard.domain.board import Board
from dealboard.domain.errors import Conflict, DealboardError
from dealboard.domain.records import (
    ActivityRecord,
    BantRecord,
    DealSummary,
    ObjectionRecord,
    PipelineRecord,
    StakeholderRecord,
)
from dealboard.domain.research import ResearchFields
from dealboard.ui.deal.activity_dialog import ActivityDialog, ActivityValues
from dealboard.ui.deal.bant import BantDialog, BantValues
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.deal.form import DealForm
from dealboard.ui.deal.objection_dialog import ObjectionDialog, ObjectionValues
from dealboard.ui.deal.research import ResearchPanel
from dealboard.ui.deal.stakeholder_dialog import StakeholderDialog, StakeholderValues
from dealboard.ui.deal.text_prompt import TextPrompt
from dealboard.ui.text import notify_plain, plain_line
from dealboard.ui.worker import in_background
from dealboard.vocabulary import ObjectionStatus

if TYPE_CHECKING:
    from dealboard.ui.deal.screen import DealScreen


class Base:
    """The version a dialog saves against; a refused save moves it on to the current one.

    So the first save after someone else's change is refused with their name,
    and a second save, made knowing that, goes through.
    """

    def __init__(self, record: ObjectionRecord | StakeholderRecord) -> None:
        self.version = record.version

    def guard(self, save: Callable[[int], object]) -> None:
        try:
            save(self.version)
        except Conflict as conflict:
            if conflict.current_version is not None:
                self.version = conflict.current_version
            raise


def changes(before: Any, after: Any) -> dict[str, Any]:
    """The fields of two value records that differ, as keyword arguments (None: unchanged)."""
    old, new = asdict(before), asdict(after)
    return {name: value for name, value in new.items() if value != old[name]}


class DealEdits:
    """The write side of one `DealScreen`."""

    def __init__(self, screen: DealScreen) -> None:
        self.screen = screen

    @property
    def board(self) -> Board:
        return board_of(self.screen)

    @property
    def deal_id(self) -> int:
        return self.screen.deal_id

    def _open(self, dialog: Any) -> None:
        self.screen.app.push_screen(dialog, self._closed)

    def _closed(self, result: object | None) -> None:
        if result is not None:
            self.screen.loader.refresh()

    def _write(
        self,
        call: Callable[[], object],
        message: str,
        refused: Callable[[DealboardError], None] | None = None,
    ) -> None:
        def written(_result: object) -> None:
            notify_plain(self.screen, message)
            self.screen.loader.refresh()

        in_background(self.screen, call, done=written, refused=refused)

    def _refused(self, error: DealboardError) -> None:
        """A quick change refused: say why (long enough to read who changed what)."""
        notify_plain(self.screen, str(error), title="Not done", severity="warning", timeout=12)
        self.screen.loader.refresh()

    # -- research ---------------------------------------------------------

    def save_research(self, panel: ResearchPanel, name: str, text: str) -> Worker[None]:
        """Save one note (field `name`) against the version its typing started from."""
        board, deal_id, fields = self.board, self.deal_id, ResearchFields(**{name: text})
        version = panel.base_version

        def written(_result: object) -> None:
            panel.saved(name, text)
            self.screen.refresh_bindings()
            notify_plain(self.screen, "Research note saved")
            self.screen.loader.refresh()

        def refused(error: DealboardError) -> None:
            if isinstance(error, Conflict) and error.current_version is not None:
                panel.refused_at(error.current_version)  # the next ctrl+s is deliberate
            notify_plain(self.screen, str(error), title="Not saved", severity="warning", timeout=12)

        return in_background(
            self.screen,
            lambda: board.save_research(deal_id, fields, version),
            done=written,
            refused=refused,
        )

    def add_stakeholder(self) -> None:
        board, deal_id = self.board, self.deal_id

        def save(values: StakeholderValues) -> int:
            return board.add_stakeholder(deal_id, **asdict(values))

        self._open(StakeholderDialog(None, save))

    def edit_stakeholder(self, stakeholder: StakeholderRecord) -> None:
        board, before, base = self.board, StakeholderValues.of(stakeholder), Base(stakeholder)

        def save(values: StakeholderValues) -> bool:
            base.guard(
                lambda v: board.edit_stakeholder(
                    stakeholder.id, **changes(before, values), expected_version=v
                )
            )
            return True

        self._open(StakeholderDialog(stakeholder, save))

    def remove_stakeholder(self, stakeholder: StakeholderRecord) -> None:
        board = self.board

        def remove() -> None:
            board.remove_stakeholder(stakeholder.id, expected_version=stakeholder.version)

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(remove, "Stakeholder removed", self._refused)

        name = plain_line(stakeholder.name)
        question = ConfirmDialog("Remove this stakeholder?", name, yes="Remove")
        self.screen.app.push_screen(question, answered)

    # -- objections -------------------------------------------------------

    def add_objection(self) -> None:
        board, deal_id = self.board, self.deal_id

        def save(values: ObjectionValues) -> int:
            return board.add_objection(deal_id, **asdict(values))

        self._open(ObjectionDialog(None, save))

    def edit_objection(self, objection: ObjectionRecord) -> None:
        board, before, base = self.board, ObjectionValues.of(objection), Base(objection)

        def save(values: ObjectionValues) -> bool:
            base.guard(
                lambda v: board.edit_objection(
                    objection.id, **changes(before, values), expected_version=v
                )
            )
            return True

        self._open(ObjectionDialog(objection, save))

    def answer_objection(self, objection: ObjectionRecord) -> None:
        board, base = self.board, Base(objection)

        def save(response: str) -> bool:
            base.guard(lambda v: board.answer_objection(objection.id, response, v))
            return True

        heading = Text("Answer: ", style="bold") + plain_line(objection.text)
        self._open(TextPrompt(heading, "Response", save, objection.response))

    def set_objection_status(self, objection: ObjectionRecord, status: ObjectionStatus) -> None:
        board = self.board

        def change() -> None:
            board.set_objection_status(objection.id, status.value, objection.version)

        self._write(change, f"Objection {status.value}", self._refused)

    # -- activity ---------------------------------------------------------

    def log_activity(self) -> None:
        board, deal_id = self.board, self.deal_id

        def save(values: ActivityValues) -> int:
            return board.add_activity(deal_id, **asdict(values))

        self._open(ActivityDialog(board.today(), save))

    def complete_activity(self, activity: ActivityRecord) -> None:
        board = self.board

        def save(outcome: str) -> bool:
            board.complete_activity(activity.id, outcome)
            return True

        heading = Text("Done: ", style="bold") + plain_line(activity.subject)
        self._open(TextPrompt(heading, "Outcome", save, activity.outcome))

    # -- qualification ----------------------------------------------------

    def answer_bant(self, answer: BantRecord) -> None:
        board, deal_id = self.board, self.deal_id

        def save(values: BantValues) -> object:
            return board.set_bant(deal_id, answer.item.value, values.state, values.note)

        self._open(BantDialog(answer, save))

    # -- the deal's own fields ------------------------------------------------

    def edit_deal(self, deal: DealSummary) -> None:
        board = self.board

        def loaded(pipeline: PipelineRecord) -> None:
            self._open(DealForm(deal, pipeline))

        in_background(self.screen, lambda: board.pipeline(deal.pipeline), done=loaded)
