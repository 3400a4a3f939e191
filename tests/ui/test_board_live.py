"""The board while others work: drags carry their deal, drops land where seen, loads never lock."""

from __future__ import annotations

import sqlite3

import pytest
from pilot_helpers import (
    board_screen,
    card_titles,
    column_named,
    deal_titled,
    settle,
    wait_until,
)
from sqlalchemy import text

from clock import FixedClock
from dealboard.db.database import Database
from dealboard.db.engine import build_engine
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.cards import CARD_HEIGHT
from dealboard.ui.board.drag import DragGhost
from dealboard.ui.deal.form import DealForm

#: In Qualify on the demo board, with every criterion ticked: it moves to Research at once.
READY = "Lab results portal"


def _middle_of_card(index: int) -> tuple[int, int]:
    """An offset inside card `index` of a column's list (row 0 of each card is the gap)."""
    return (3, CARD_HEIGHT * index + 2)


def _focused_title(pilot) -> str | None:  # type: ignore[no-untyped-def]
    deal = board_screen(pilot).focused_deal
    return deal.title if deal is not None else None


async def _drag_ready_over_research(pilot) -> None:  # type: ignore[no-untyped-def]
    """Press on the ready Qualify card and drag it over Research (not dropped yet)."""
    qualify = column_named(pilot, "Qualify").cards
    index = card_titles(pilot, "Qualify").index(READY)
    await pilot.mouse_down(qualify, offset=_middle_of_card(index))
    await pilot.hover(column_named(pilot, "Research").cards, offset=(5, 6))


def _slot(index: int) -> tuple[int, int]:
    """An offset on the gap above card `index`: dropping there puts a card in front of it."""
    return (5, CARD_HEIGHT * index)


async def test_a_drag_carries_its_deal_when_a_live_update_shifts_the_cards(
    demo_board: Board, clock: FixedClock
) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(demo_board.database, "lena", clock)
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        research = column_named(pilot, "Research").cards
        await _drag_ready_over_research(pilot)
        # Meanwhile a colleague puts a new card at the top of Qualify: every card shifts down.
        newcomer = lena.add_deal(DealFields(title="Pushed in on top"), stage="Qualify")
        lena.reorder(newcomer, 0)
        await wait_until(pilot, lambda: card_titles(pilot, "Qualify")[0] == "Pushed in on top")
        await pilot.mouse_up(research, offset=(5, 6))
        await settle(pilot)
    assert deal_titled(demo_board, READY).stage == "Research"
    assert deal_titled(demo_board, "Pushed in on top").stage == "Qualify"


async def test_a_drop_under_a_filter_lands_between_the_cards_the_user_saw(board: Board) -> None:
    for title in ("hidden a", "hidden b", "hidden c", "keep one", "keep three", "keep five"):
        board.add_deal(DealFields(title=title))
    async with DealboardApp(board).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board_screen(pilot).show_filter("keep")
        await wait_until(pilot, lambda: card_titles(pilot, "Prospect")[0] == "keep one")
        cards = column_named(pilot, "Prospect").cards
        await pilot.mouse_down(cards, offset=_middle_of_card(2))  # keep five
        await pilot.hover(cards, offset=_slot(1))
        await pilot.mouse_up(cards, offset=_slot(1))  # between keep one and keep three
        await wait_until(pilot, lambda: card_titles(pilot, "Prospect")[1] == "keep five")
        assert card_titles(pilot, "Prospect") == ["keep one", "keep five", "keep three"]
    in_column = [d.title for d in board.list_deals(stage="Prospect")]
    assert in_column == ["hidden a", "hidden b", "hidden c", "keep one", "keep five", "keep three"]


async def test_j_under_a_filter_passes_exactly_one_visible_card(board: Board) -> None:
    for title in ("keep one", "hidden a", "hidden b", "keep two", "hidden c"):
        board.add_deal(DealFields(title=title))
    async with DealboardApp(board).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board_screen(pilot).show_filter("keep")
        await wait_until(pilot, lambda: card_titles(pilot, "Prospect") == ["keep one", "keep two"])
        await pilot.press("J")
        await wait_until(pilot, lambda: card_titles(pilot, "Prospect") == ["keep two", "keep one"])
        assert board_screen(pilot).focused_deal.title == "keep one"
    in_column = [d.title for d in board.list_deals(stage="Prospect")]
    assert in_column == ["hidden a", "hidden b", "keep two", "keep one", "hidden c"]


async def test_a_card_moved_away_mid_drag_cancels_the_drag_and_says_so(
    demo_board: Board, clock: FixedClock
) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(demo_board.database, "lena", clock)
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        research = column_named(pilot, "Research").cards
        dragged = deal_titled(demo_board, READY)
        await _drag_ready_over_research(pilot)
        ghost = board_screen(pilot).query_one(DragGhost)
        assert ghost.active
        lena.move(dragged.id, "Prospect")  # moving back needs no gate
        await wait_until(pilot, lambda: READY in card_titles(pilot, "Prospect"))
        assert not ghost.active
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any(f"{READY} was moved by someone else" in m for m in messages), messages
        await pilot.mouse_up(research, offset=(5, 6))
        await settle(pilot)
    assert deal_titled(demo_board, READY).stage == "Prospect"


async def test_n_puts_the_cursor_on_the_new_card_even_far_down_a_long_column(board: Board) -> None:
    for number in range(120):
        board.add_deal(DealFields(title=f"Lead {number:03}"))
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        assert screen.focused_deal.title == "Lead 000"
        assert len(column_named(pilot, "Prospect").cards.deals) < 120  # a window, not all
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealForm)
        await pilot.press(*"Brand new lead")
        await pilot.press("ctrl+s")
        said: set[str] = set()  # toasts seen while waiting: a loaded machine may outlast one

        def arrived() -> bool:
            said.update(str(n.message) for n in pilot.app._notifications)
            return _focused_title(pilot) == "Brand new lead"

        await wait_until(pilot, arrived)
        said.update(str(n.message) for n in pilot.app._notifications)
        cards = column_named(pilot, "Prospect").cards
        assert cards.selected == 120 and cards.count == 121
        assert "Brand new lead" in "\n".join(
            cards.render_line(y).text for y in range(cards.size.height)
        )
        new_id = screen.focused_deal.id
        assert f"Deal #{new_id} added" in said
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: (
                "Reloaded: 121 open deals" in [str(n.message) for n in pilot.app._notifications]
            ),
            what="the reload's word",
        )


async def test_scrolling_a_long_column_reads_the_cards_it_comes_to(board: Board) -> None:
    for number in range(300):
        board.add_deal(DealFields(title=f"Lead {number:03}"))
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        cards = column_named(pilot, "Prospect").cards
        assert cards.count == 300 and len(cards.deals) < 100
        await pilot.press("G")
        await wait_until(pilot, lambda: _focused_title(pilot) == "Lead 299")
        for _ in range(30):
            await pilot.press("k")
        await settle(pilot)
        assert board_screen(pilot).focused_deal.title == "Lead 269"
        header = str(column_named(pilot, "Prospect").query_one("ColumnHeader").render())
        assert "Prospect 300" in header


async def test_the_board_opens_while_another_process_holds_the_write_lock(
    demo_board: Board,
) -> None:
    url = demo_board.database.url
    if demo_board.database.is_sqlite:
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a colleague's long import, say
        release = holder.rollback
    else:
        engine = build_engine(url)
        connection = engine.connect()
        connection.execute(text("LOCK TABLE users, deals IN EXCLUSIVE MODE"))
        release = connection.rollback
    try:
        opened = Board(Database(url), demo_board.actor_name, demo_board.clock)
        async with DealboardApp(opened).run_test(size=(200, 60)) as pilot:
            await wait_until(pilot, lambda: READY in card_titles(pilot, "Qualify"), timeout=3)
            assert not [n for n in pilot.app._notifications if "Not done" in str(n.title)]
        opened.database.dispose()
    finally:
        release()
        if not demo_board.database.is_sqlite:
            connection.close()
            engine.dispose()


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_column_headers_count_every_deal_not_just_the_cards_read(
    board: Board, size: tuple[int, int]
) -> None:
    for number in range(150):
        board.add_deal(DealFields(title=f"Lead {number:03}", value="1k"))
    async with DealboardApp(board).run_test(size=size) as pilot:
        await settle(pilot)
        column = column_named(pilot, "Prospect")
        header = str(column.query_one("ColumnHeader").render())
        assert "Prospect 150" in header and "$150k" in header
        assert len(column.cards.deals) < 150
