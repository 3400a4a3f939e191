"""The board uses its space: whole columns, nothing important cut, the rest counted."""

from __future__ import annotations

import re

import pytest
from pilot_helpers import board_screen, press_and_settle, seen, settle

from dealboard.domain.board import Board
from dealboard.domain.money import format_compact
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.cards import account_and_owner
from dealboard.ui.board.column import ClosedSummary
from dealboard.ui.board.screen import ColumnsStrip

SIZES = [(80, 24), (120, 36), (200, 60)]
#: An amount as a column or the panel shows it: a symbol or code, digits, a unit.
MONEY = re.compile(r"^(?:[$€£¥]|[A-Z]{3} )-?[\d.,]+[kMB]?$")


def _amounts(line: str) -> list[str]:
    """The amounts of a totals line (`$234.8k + £180k`, `wtd … · 5%` without its frame)."""
    core = line.strip().removeprefix("wtd ").split(" · ")[0]
    return [part.strip() for part in core.split(" + ")] if core else []


@pytest.mark.parametrize("size", SIZES)
async def test_whole_columns_only_and_the_off_screen_stages_are_counted(
    demo_board: Board, size: tuple[int, int]
) -> None:
    async with DealboardApp(demo_board).run_test(size=size) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        strip = screen.query_one(ColumnsStrip)
        open_columns = [c for c in screen.visible_columns() if c.display]
        width = open_columns[0].outer_size.width
        shown = strip.size.width // width
        assert strip.size.width == shown * width  # no sliver of a column
        assert shown < len(open_columns) or size[0] >= 200
        for _ in open_columns:
            assert strip.scroll_x % width == 0
            first = int(strip.scroll_x // width)
            left, right = first, len(open_columns) - first - shown
            title = seen(screen.query_one("#board-title"))
            assert (f"◂ {left} stage" in title) == (left > 0)
            assert (f"{right} stage" in title and "▸" in title) == (right > 0)
            await press_and_settle(pilot, "l")


@pytest.mark.parametrize("size", SIZES)
async def test_owners_and_money_totals_are_never_cut(
    demo_board: Board, size: tuple[int, int]
) -> None:
    async with DealboardApp(demo_board).run_test(size=size) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        for column in screen.visible_columns():
            lines = seen(column.header).splitlines()
            for line in lines[1:]:
                assert all(MONEY.match(amount) for amount in _amounts(line)), line
            cards = seen(column.cards)
            for deal in column.cards.deals[:3]:
                assert f"· {deal.owner}" in cards  # the login whole, after a cut account
        summary = seen(pilot.app.screen.query_one(ClosedSummary)).splitlines()
        amounts = [line for line in summary if line.strip() and line.strip()[0] in "$€£¥"]
        assert amounts and all(MONEY.match(a) for line in amounts for a in _amounts(line)), summary


def test_a_total_too_long_for_its_space_is_rounded_not_cut() -> None:
    assert format_compact(66_770_000, "USD") == "$667.7k"
    assert format_compact(66_770_000, "USD", 3) == "$668k"
    assert format_compact(99_970_000, "USD", 3) == "$1M"
    assert format_compact(123_456_789_012, "USD", 3) == "$1.23B"


def test_a_narrow_card_cuts_the_account_then_shortens_the_owner_to_initials() -> None:
    roomy = account_and_owner("Harbor Freight Lines", "arjun", 24).plain
    assert roomy.startswith("Harbor Freight") and roomy.endswith("… · arjun")
    assert len(roomy) == 24
    assert account_and_owner("Acme", "richard.hendricks", 18).plain == "Acme · rh"
    assert account_and_owner("Acme", "arjun", 4).plain == "a"
