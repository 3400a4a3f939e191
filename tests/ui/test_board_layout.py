"""The board uses its space: whole columns, nothing important cut, the rest counted."""

from __future__ import annotations

import re

import pytest
from pilot_helpers import (
    board_screen,
    column_named,
    press_and_settle,
    seen,
    settle,
    wait_until,
)
from textual.geometry import Region
from textual.widgets._toast import Toast

from dealboard.domain.board import Board
from dealboard.domain.money import format_compact
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.cards import CARD_HEIGHT, account_and_owner
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


async def test_the_message_after_a_move_leaves_the_moved_card_in_sight_at_80_by_24(
    demo_board: Board,
) -> None:
    """The toast pops up over the bottom right, just where a card moved into column 2 lands."""
    deal = next(d for d in demo_board.list_deals() if d.stage == "Prospect")
    for item in demo_board.deal(deal.id).checklist:
        if item.stage == "Prospect" and not item.checked:
            demo_board.set_check(deal.id, item.text, stage=item.stage)
    async with DealboardApp(demo_board).run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        screen.follow_deal(deal.id)
        await press_and_settle(pilot, "L")

        def toasts() -> list[Toast]:
            return list(pilot.app.screen.query(Toast))

        await wait_until(
            pilot, lambda: any(deal.title in str(t.render()) for t in toasts()), what="toast"
        )
        cards = column_named(pilot, "Qualify").cards
        assert cards.selected_deal is not None and cards.selected_deal.id == deal.id
        top = cards.content_region.y + cards.selected * CARD_HEIGHT + 1 - round(cards.scroll_y)
        card = Region(cards.content_region.x, top, cards.content_region.width, CARD_HEIGHT - 1)
        assert cards.content_region.contains_region(card), "the moved card is scrolled into view"
        for toast in toasts():
            assert not card.overlaps(toast.region), (card, toast.region)
