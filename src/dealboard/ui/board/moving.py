"""Moving deals from the board: keys, drops, the checklist gate, won and lost.

Keys (`H`/`L`, `J`/`K`, `w`, `x`) and mouse drops arrive here and take the
same path: ask the gate (in the background), show the checklist when it says
no (open criteria, or a stage full under a hard WIP limit), then move. The
domain checks the gate again when it moves, so the dialog is a convenience,
never the guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealboard.domain.cadence import SUGGESTED_REASON, no_reply_advice
from dealboard.domain.errors import DealboardError, GateClosed
from dealboard.domain.gate import GateCheck
from dealboard.domain.gate_preview import preview_move
from dealboard.domain.ordering import Spot
from dealboard.domain.records import DealSummary, MoveResult, StageRecord
from dealboard.domain.views.gate_view import GateView
from dealboard.domain.views.live import Live
from dealboard.ui.board.drag import DropTarget
from dealboard.ui.deal.common import board_of
from dealboard.ui.gate.checklist import (
    ChecklistGate,
    GateDecision,
    items_from_check,
    items_from_view,
)
from dealboard.ui.gate.closing import ConfirmWon, LossReport, LostDialog
from dealboard.ui.text import notify_plain
from dealboard.ui.worker import in_background
from dealboard.vocabulary import LossReason, Role, StageKind

if TYPE_CHECKING:
    from dealboard.domain.board import Board
    from dealboard.ui.board.screen import BoardScreen


class MoveFlow:
    """The board screen's moves; it owns no state but the screen it serves."""

    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen

    @property
    def board(self) -> Board:
        return board_of(self.screen)

    @property
    def is_manager(self) -> bool:
        view = self.screen.view
        return view is not None and view.me.role is Role.MANAGER

    def _stages(self) -> tuple[StageRecord, ...]:
        view = self.screen.view
        return view.pipeline.stages if view is not None else ()

    def _stage_of(self, deal: DealSummary) -> StageRecord | None:
        view = self.screen.view
        return view.stage(deal.stage_id) if view is not None else None

    def _refresh(self) -> None:
        """After a write (or ticks saved in a dialog): the board reads what changed."""
        self.screen.loader.refresh()

    def _refused(self, error: DealboardError) -> None:
        """A move refused (someone moved the deal first, say): one line, then the board looks."""
        notify_plain(self.screen, str(error), title="Not moved", severity="warning")
        self._refresh()

    def _closed(self, deal: DealSummary, gate: ChecklistGate) -> bool:
        """After a gate closes: if someone moved the deal meanwhile, say who (never "you")."""
        if gate.moved_away is None:
            return False
        notify_plain(self.screen, f"{deal.title}: {gate.moved_away}", severity="information")
        self._refresh()
        return True

    def _open_deal(self) -> DealSummary | None:
        deal = self.screen.focused_deal
        if deal is None:
            return None
        if deal.stage_kind is not StageKind.OPEN:
            self.screen.notify(
                "this deal is closed; move it to an open stage (drag it, or H) to reopen it",
                severity="information",
            )
        return deal

    # -- keys -------------------------------------------------------------

    def step(self, step: int) -> None:
        """`L`/`H`: the next or previous open stage."""
        deal = self.screen.focused_deal
        if deal is None:
            return
        open_stages = [s for s in self._stages() if s.kind is StageKind.OPEN]
        if deal.stage_kind is not StageKind.OPEN:
            if step < 0 and open_stages:
                self._move(deal, open_stages[-1], None, None)
            return
        index = next(i for i, s in enumerate(open_stages) if s.id == deal.stage_id)
        target = index + step
        if target < 0:
            self.screen.notify("already in the first stage", severity="information")
        elif target >= len(open_stages):
            self.screen.notify("last stage: press w to mark it won", severity="information")
        else:
            self.attempt(deal, open_stages[target], None)

    def reorder(self, step: int) -> None:
        """`J`/`K`: past the next card shown below, or in front of the one shown above.

        By the neighbour the user sees, so under a filter the card passes exactly
        one visible card, whatever hidden cards sit between them.
        """
        column = self.screen.focused_column
        deal = self.screen.focused_deal
        if column is None or deal is None or deal.stage_kind is not StageKind.OPEN:
            return
        neighbour = column.cards.card_at(column.cards.selected + step)
        if neighbour is None:
            return
        if step > 0:
            self._reorder(deal, after=neighbour.id)
        else:
            self._reorder(deal, before=neighbour.id)

    def checklist(self) -> None:
        """`c`: tick the current stage's criteria without moving."""
        deal = self._open_deal()
        if deal is None or deal.stage_kind is not StageKind.OPEN:
            return

        def show(live: Live[GateView]) -> None:
            items = items_from_view(live.content, deal.stage)
            if not items:
                notify_plain(
                    self.screen, f"{deal.stage} has no exit criteria", severity="information"
                )
                return
            gate = ChecklistGate(
                deal.id,
                f"{deal.stage} checklist — {deal.title}",
                items,
                stage_id=deal.stage_id,
                action=None,
                first=live,
            )

            def closed(_: GateDecision | None) -> None:
                if not self._closed(deal, gate):
                    self._refresh()

            self.screen.app.push_screen(gate, closed)

        board = self.board
        in_background(self.screen, lambda: board.views.gate(deal.id, None), show)

    def win(self) -> None:
        deal = self._open_deal()
        if deal is None or deal.stage_kind is not StageKind.OPEN:
            return
        won = next((s for s in self._stages() if s.kind is StageKind.WON), None)
        if won is not None:
            self.attempt(deal, won, None)

    def lose(self) -> None:
        deal = self._open_deal()
        if deal is not None and deal.stage_kind is StageKind.OPEN:
            self._ask_loss(deal)

    # -- mouse ------------------------------------------------------------

    def drop(self, deal: DealSummary, target: DropTarget) -> None:
        """A card dropped on a column: reorder, move through the gate, or close."""
        spot = Spot(before=target.before, after=target.after)
        if target.stage.id == deal.stage_id:
            if deal.stage_kind is StageKind.OPEN:
                self._reorder(deal, before=spot.before, after=spot.after)
            return
        if target.stage.kind is StageKind.LOST:
            self._ask_loss(deal)
            return
        self.attempt(deal, target.stage, spot)

    def _ask_loss(self, deal: DealSummary) -> None:
        def report(loss: LossReport | None) -> None:
            if loss is not None:
                in_background(
                    self.screen,
                    lambda: self.board.lose(deal.id, loss.reason.value, loss.note),
                    lambda result: self._moved(deal, result.to_stage),
                )

        self.screen.app.push_screen(LostDialog(deal, self._loss_suggestion(deal)), report)

    def _loss_suggestion(self, deal: DealSummary) -> tuple[LossReason, str] | None:
        """`No decision`, preselected, when the stage's attempts ran out without a reply."""
        stage = self._stage_of(deal)
        advice = no_reply_advice(deal, stage) if stage is not None else None
        return (SUGGESTED_REASON, advice) if advice is not None else None

    # -- the gate -----------------------------------------------------------

    def attempt(self, deal: DealSummary, target: StageRecord, spot: Spot | None) -> None:
        """Move at once if the gate lets it through, else show the checklist first.

        To an open stage the move is simply tried (one round trip when the criteria
        are done, as they usually are); only a closed gate is then asked what is
        open. Winning asks first, since it wants a confirmation either way.
        """
        if target.kind is StageKind.WON:
            in_background(
                self.screen,
                lambda: preview_move(self.board, deal.id, target.name),
                lambda check: self._answered(deal, target, check, spot),
            )
            return
        board, where = self.board, spot or Spot()

        def move_or_ask() -> MoveResult | GateCheck:
            try:
                return board.move(
                    deal.id,
                    target.name,
                    before=where.before,
                    after=where.after,
                    from_stage=deal.stage,
                )
            except GateClosed:
                return preview_move(board, deal.id, target.name)

        def done(outcome: MoveResult | GateCheck) -> None:
            if isinstance(outcome, MoveResult):
                self._moved(deal, outcome.to_stage)
            else:
                self._answered(deal, target, outcome, spot)

        in_background(self.screen, move_or_ask, done, refused=self._refused)

    def _answered(
        self, deal: DealSummary, target: StageRecord, check: GateCheck, spot: Spot | None
    ) -> None:
        if check.allowed:  # ticked by someone meanwhile
            self._after_gate(deal, target, None, spot)
        else:
            self._show_gate(deal, target, check, spot)

    def _show_gate(
        self, deal: DealSummary, target: StageRecord, check: GateCheck, spot: Spot | None
    ) -> None:
        note = ""
        if check.skipped:
            names = ", ".join(s.name for s in check.skipped)
            note = f"This move skips {names}: their criteria must be done too."
        verb = "Won" if target.kind is StageKind.WON else "Move"
        gate = ChecklistGate(
            deal.id,
            f"{deal.title}: {deal.stage} → {target.name}",
            items_from_check(check),
            stage_id=deal.stage_id,
            note=note,
            action=verb,
            may_override=self.is_manager,
            full=check.full.reason if check.full is not None else "",
        )

        def decided(decision: GateDecision | None) -> None:
            if self._closed(deal, gate):
                return
            if decision is None:
                said = f"not moved: {gate.full}" if gate.full else "move cancelled"
                if gate.ticked_here:
                    said += "; your ticks are saved"
                notify_plain(self.screen, said, severity="information")
                self._refresh()
                return
            self._after_gate(deal, target, decision.override, spot)

        self.screen.app.push_screen(gate, decided)

    def _after_gate(
        self, deal: DealSummary, target: StageRecord, override: str | None, spot: Spot | None
    ) -> None:
        if target.kind is not StageKind.WON:
            self._move(deal, target, override, spot)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                in_background(
                    self.screen,
                    lambda: self.board.win(deal.id, override=override, from_stage=deal.stage),
                    lambda result: self._moved(deal, result.to_stage),
                    refused=self._refused,
                )
            else:
                self._refresh()

        self.screen.app.push_screen(ConfirmWon(deal), confirmed)

    def _move(
        self, deal: DealSummary, target: StageRecord, override: str | None, spot: Spot | None
    ) -> None:
        spot = spot or Spot()
        in_background(
            self.screen,
            lambda: self.board.move(
                deal.id,
                target.name,
                override=override,
                before=spot.before,
                after=spot.after,
                from_stage=deal.stage,
            ),
            lambda result: self._moved(deal, result.to_stage),
            refused=self._refused,
        )

    def _reorder(
        self, deal: DealSummary, *, before: int | None = None, after: int | None = None
    ) -> None:
        in_background(
            self.screen,
            lambda: self.board.reorder(deal.id, before=before, after=after),
            lambda _: self._moved(deal, deal.stage),
        )

    def _moved(self, deal: DealSummary, stage_name: str) -> None:
        """Follow the card to where it went, so the cursor stays on it."""
        if stage_name != deal.stage:
            notify_plain(self.screen, f"{deal.title} → {stage_name}")
        self.screen.follow_deal(deal.id)
