"""`M` opens the SLA screen: a row per owner with the right numbers, live; Esc closes."""

from __future__ import annotations

import pytest
from pilot_helpers import (
    after_a_change_elsewhere,
    app_opened_with,
    board_screen,
    open_with,
    press_and_settle,
    seen,
    shown_text,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits
from textual.widgets._footer import FooterKey

from clock import FixedClock
from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.sla.screen import SlaScreen


def _rows(pilot: Pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one("#sla-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _digits(pilot: Pilot, name: str) -> str:
    return str(pilot.app.screen.query_one(f"#digits-{name}", Digits).value)


@pytest.fixture
def waiting(board: Board, clock: FixedClock) -> int:
    """Maria answers her lead in 3 minutes; Rick's lead (its id) waits untouched."""
    board.add_user("rick", "[b]Rick[/b]")
    mine = board.add_deal(DealFields(title="Clinic", next_step="Demo", next_step_due="+2d"))
    waiting = board.add_deal(DealFields(title="Kiosks", owner="rick"))
    clock.advance(minutes=3)
    board.add_activity(mine, kind="call", subject="Hello", done=True)
    clock.advance(hours=1)
    return waiting


async def _press_on_ricks_row(pilot: Pilot, key: str) -> BoardScreen:
    """Press `key` on Rick's row of the SLA screen: the board it hands over to."""
    await press_and_settle(pilot, "down", key)
    screen = board_screen(pilot)
    assert pilot.app.screen is screen
    return screen


async def test_m_shows_each_owner_and_the_team_then_esc_goes_back(
    board: Board, clock: FixedClock, waiting: int
) -> None:
    async with app_opened_with(board, "M", (80, 24)) as pilot:
        assert isinstance(pilot.app.screen, SlaScreen)
        assert _rows(pilot) == [
            ["maria", "1", "3m 00s", "100% (1/1)", "0", "0", "0"],
            ["[b]Rick[/b]", "1", "—", "0% (0/1)", "1", "0", "1"],
            ["Team", "2", "3m 00s", "50% (1/2)", "1", "0", "1"],
        ]
        assert (_digits(pilot, "in-time"), _digits(pilot, "breaches")) == ("50", "1")
        title = seen(pilot.app.screen.query_one("#sla-title"))
        assert "Seven-step sales process · leads of the last 30 days" in title
        assert "first touch within 5 min" in seen(pilot.app.screen.query_one("#sla-rules"))
        other = Board(Database(board.database.url), "rick", clock)
        other.add_activity(waiting, kind="email", subject="Sorry, late", done=True)
        await after_a_change_elsewhere(pilot)
        assert _rows(pilot)[1] == ["[b]Rick[/b]", "1", "1h 03m", "0% (0/1)", "0", "0", "1"]
        assert _digits(pilot, "breaches") == "0"
        await press_and_settle(pilot, "w")
        assert "leads of the last 7 days" in seen(pilot.app.screen.query_one("#sla-title"))
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, BoardScreen)
    other.database.dispose()


async def test_enter_on_an_owner_filters_the_board_to_their_breaches(
    board: Board, waiting: int
) -> None:
    async with app_opened_with(board, "M", (120, 30)) as pilot:
        offered = {key.description: key.key for key in pilot.app.screen.query(FooterKey)}
        assert offered["Show their breaches on the board"] == "enter"
        screen = await _press_on_ricks_row(pilot, "enter")
        assert screen.filter_text == "@rick breach"
        shown = [d.id for c in screen.visible_columns() for d in c.cards.deals]
        assert shown == [waiting]
        assert "⚠ no touch 1h" in shown_text(pilot, "Prospect")


async def test_the_sla_table_walks_like_the_board_and_shows_its_row_without_colour(
    board: Board, waiting: int
) -> None:
    async with app_opened_with(board, "M", (80, 24)) as pilot:
        table = pilot.app.screen.query_one("#sla-table", DataTable)
        await press_and_settle(pilot, "j")
        assert table.cursor_row == 1
        await press_and_settle(pilot, "G")
        assert table.cursor_row == 2
        await press_and_settle(pilot, "k", "k")
        assert table.cursor_row == 0
        await press_and_settle(pilot, "j", "g")
        assert table.cursor_row == 0
        cursor = table.get_component_rich_style("datatable--cursor")
        assert cursor.bold and cursor.underline  # seen on a projector or with NO_COLOR
        screen = await _press_on_ricks_row(pilot, "enter")  # `down` and `j` are the same
        assert screen.filter_text == "@rick breach"


def test_the_sla_screen_on_the_demo_board_at_80_by_24(demo_board: Board, snap_compare) -> None:
    assert snap_compare(
        DealboardApp(demo_board),
        terminal_size=(80, 24),
        run_before=lambda pilot: open_with(pilot, "M"),
    )


async def test_m_on_an_owner_marks_their_breached_cards_for_reassigning(
    board: Board, waiting: int
) -> None:
    board.add_deal(DealFields(title="Rick's fresh lead", owner="rick"))
    async with app_opened_with(board, "M", (120, 30)) as pilot:
        screen = await _press_on_ricks_row(pilot, "m")
        assert screen.marked == {waiting}
        assert "1 marked (O reassigns" in seen(screen.query_one("#board-title"))
        toasts = [str(n.message) for n in screen.app._notifications]
        assert "1 card marked: O reassigns it, esc clears the mark" in toasts


@pytest.mark.usefixtures("waiting")
async def test_muted_zeros_stay_readable_on_the_light_theme(board: Board) -> None:
    async with app_opened_with(board, "M", (120, 36), theme="dealboard-light") as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, SlaScreen)
        zero = screen._style("sla--zero").color
        background = screen.query_one("#sla-table", DataTable).rich_style.bgcolor
        assert zero is not None and background is not None
        assert zero.get_truecolor() != background.get_truecolor()
        assert sum(zero.get_truecolor()) < 3 * 200  # muted dark grey, not white
