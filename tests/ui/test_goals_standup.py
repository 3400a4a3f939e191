"""Goals in stand-up mode: the forecast page shows each goal's attainment, and `t` stores the
team's goal for the month, so the next stand-up (another app, another day) still has it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pilot_helpers import app_opened_with, press_and_settle, seen
from textual.pilot import Pilot

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.money import Money


def _heading(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#standup-heading")).strip()


def _body(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#standup-body"))


def _labels(pilot: Pilot) -> list[str]:
    return [
        seen(tile.query_one(".standup-label")).strip()
        for tile in pilot.app.screen.query(".standup-tile")
        if tile.display
    ]


async def _to_forecast(pilot: Pilot) -> None:
    while not _heading(pilot).startswith("Forecast"):
        await pilot.press("space")


def _won(board: Board, clock: FixedClock, value: str, owner: str) -> None:
    """A deal of `owner` won on 2026-11-05; the clock is put back."""
    before = clock.now
    clock.now = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    deal_id = board.add_deal(DealFields(title=f"Won by {owner}", value=value, owner=owner))
    board.win(deal_id, override="signed")
    clock.now = before


async def test_the_forecast_page_shows_each_goal_and_how_much_of_it_is_won(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _won(board, clock, "$6k", "rick")
    board.set_goal("team", "12k")
    board.set_goal("Rick Rep", "4k")
    board.set_goal("maria", "10k")
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        await _to_forecast(pilot)
        assert _heading(pilot) == "Forecast · team goal $12k"
        assert "of team goal won" in _labels(pilot)
        body = _body(pilot)
        assert "Goals for November 2026" in body
        rows = {line.split()[0]: line.split() for line in body.splitlines() if line.strip()}
        assert rows["Team"][1:] == ["USD", "$12k", "$6k", "50%", "$6k"]
        assert rows["Rick"][2:] == ["USD", "$4k", "$6k", "150%", "met"]
        assert rows["maria"][1:] == ["USD", "$10k", "$0", "0%", "$10k"]


async def test_t_stores_the_team_goal_and_a_new_stand_up_still_has_it(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        await _to_forecast(pilot)
        assert "No team goal set: t sets this month's" in _body(pilot)
        await press_and_settle(pilot, "t")
        assert "Team goal for November 2026" in seen(pilot.app.screen.query_one("#target-title"))
        await pilot.press(*"90k")
        await press_and_settle(pilot, "enter")
        assert _heading(pilot) == "Forecast · team goal $90k"
        assert "Team" in _body(pilot) and "$90k" in _body(pilot)
    assert board.month_goals().team_goal().goal.amount == Money(9_000_000, "USD")
    assert board.log()[-1].entity == "goal" and board.log()[-1].user == "maria"

    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday's stand-up, a new app
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        await _to_forecast(pilot)
        assert _heading(pilot) == "Forecast · team goal $90k"
        await press_and_settle(pilot, "t")
        await press_and_settle(pilot, "ctrl+u")  # empty clears it
        await press_and_settle(pilot, "enter")
        assert _heading(pilot) == "Forecast"
    assert board.month_goals().team_goal() is None


async def test_a_rep_pressing_t_is_told_only_managers_set_the_goal(
    board: Board, rep_board: Board, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    board.set_goal("team", "50k")
    async with app_opened_with(rep_board, "S", (100, 30)) as pilot:
        await _to_forecast(pilot)
        await press_and_settle(pilot, "t")
        toasts = [str(n.message) for n in pilot.app._notifications]
        assert toasts == ["only a manager may set the team goal; rick is a rep"]
        assert not pilot.app.screen.query("#target-dialog")  # no prompt opened
        assert _heading(pilot) == "Forecast · team goal $50k"
    assert board.month_goals().team_goal().goal.amount == Money(5_000_000, "USD")
