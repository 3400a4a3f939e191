"""The look of the board pinned as SVG snapshots (update with `pytest --snapshot-update`)."""

from __future__ import annotations

from pilot_helpers import after_a_change_elsewhere, settle
from textual.pilot import Pilot

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp


async def _loaded(pilot: Pilot) -> None:
    await settle(pilot)


def test_board_at_80_by_24(demo_board: Board, snap_compare) -> None:
    assert snap_compare(DealboardApp(demo_board), terminal_size=(80, 24), run_before=_loaded)


def test_board_at_160_by_48(demo_board: Board, snap_compare) -> None:
    assert snap_compare(DealboardApp(demo_board), terminal_size=(160, 48), run_before=_loaded)


def test_checklist_gate(demo_board: Board, snap_compare) -> None:
    async def open_gate(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "L")
        await settle(pilot)

    assert snap_compare(DealboardApp(demo_board), terminal_size=(80, 24), run_before=open_gate)


def test_deal_detail(demo_board: Board, snap_compare) -> None:
    async def open_deal(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("4", "enter")
        await settle(pilot)
        # Every screen has read the newest change (no late wake-up can refill the tables),
        # and the tables' headers are measured again before the picture.
        await after_a_change_elsewhere(pilot)
        pilot.app.screen.refresh(layout=True)
        await pilot.pause()

    assert snap_compare(DealboardApp(demo_board), terminal_size=(80, 24), run_before=open_deal)
