"""Two people, two boards, one database: each sees the other's work, and neither overwrites it."""

from __future__ import annotations

import time

from pilot_helpers import board_screen, card_titles, seen, settle
from textual.pilot import Pilot
from textual.widgets import Input

from clock import FixedClock
from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.deal.form import DealForm

MOVED = "Lab results portal"  # in Qualify with every criterion ticked


async def _focus(pilot: Pilot, column: str, number: str, title: str) -> None:
    await pilot.press(number)
    for _ in card_titles(pilot, column)[: card_titles(pilot, column).index(title)]:
        await pilot.press("j")
    assert board_screen(pilot).focused_deal.title == title


async def _until(pilot: Pilot, seconds: float, seen_yet) -> float:  # type: ignore[no-untyped-def]
    """Wait (no key pressed) until `seen_yet()`; returns how long it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds and not seen_yet():
        await pilot.pause(0.02)
    return time.monotonic() - started


async def test_a_move_on_one_board_shows_on_the_other_within_a_second(
    demo_board: Board, clock: FixedClock
) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(Database(demo_board.database.url), "lena", clock)
    async with (
        DealboardApp(demo_board).run_test(size=(200, 60)) as maria_pilot,
        DealboardApp(lena).run_test(size=(200, 60)) as lena_pilot,
    ):
        await settle(maria_pilot)
        await settle(lena_pilot)
        maria_screen = board_screen(maria_pilot)
        flashed: list[frozenset[int]] = []
        show_flash = maria_screen.flash
        maria_screen.flash = lambda ids: flashed.append(ids) or show_flash(ids)  # type: ignore[method-assign]
        await _focus(lena_pilot, "Qualify", "2", MOVED)
        await lena_pilot.press("L")
        await settle(lena_pilot)
        assert MOVED in card_titles(lena_pilot, "Research")
        took = await _until(maria_pilot, 3, lambda: MOVED in card_titles(maria_pilot, "Research"))
        assert MOVED in card_titles(maria_pilot, "Research")
        assert took < 1.0, f"the other board took {took:.2f} s"
        moved_id = board_screen(lena_pilot).focused_deal.id
        assert any(moved_id in ids for ids in flashed)  # (it fades after 1.5 s)
    lena.database.dispose()


async def test_a_conflicting_edit_is_refused_with_who_and_the_text_is_kept(
    demo_board: Board, clock: FixedClock
) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(Database(demo_board.database.url), "lena", clock)
    async with (
        DealboardApp(demo_board).run_test(size=(120, 40)) as maria_pilot,
        DealboardApp(lena).run_test(size=(120, 40)) as lena_pilot,
    ):
        for pilot in (maria_pilot, lena_pilot):
            await settle(pilot)
            await _focus(pilot, "Qualify", "2", MOVED)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(pilot.app.screen, DealForm)
        for pilot, title in ((lena_pilot, "Lab portal v2"), (maria_pilot, "Lab portal, phase 1")):
            field = pilot.app.screen.query_one("#field-title", Input)
            field.focus()
            field.value = ""
            await pilot.press(*title)
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert not isinstance(lena_pilot.app.screen, DealForm)  # Lena saved first
        form = maria_pilot.app.screen
        assert isinstance(form, DealForm)
        told = " ".join(seen(form.query_one("#editor-problem")).split())
        assert "Lena Hoffmann changed deal" in told and "nothing was overwritten" in told
        assert form.query_one("#field-title", Input).value == "Lab portal, phase 1"
    titles = {d.title for d in demo_board.list_deals()}
    assert "Lab portal v2" in titles and "Lab portal, phase 1" not in titles
    lena.database.dispose()


def _messages(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_u_undoes_my_move_and_shift_u_redoes_it_but_not_over_a_colleague(
    demo_board: Board, clock: FixedClock
) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(Database(demo_board.database.url), "lena", clock)
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await _focus(pilot, "Qualify", "2", MOVED)
        await pilot.press("L")
        await settle(pilot)
        assert MOVED in card_titles(pilot, "Research")
        await pilot.press("u")
        await settle(pilot)
        assert MOVED in card_titles(pilot, "Qualify")
        assert any("stage Research → Qualify" in m for m in _messages(pilot))
        await pilot.press("U")
        await settle(pilot)
        assert MOVED in card_titles(pilot, "Research")
        moved = next(d for d in demo_board.list_deals() if d.title == MOVED)
        lena.add_stakeholder(moved.id, name="Dana Lee")  # a colleague works on it
        await pilot.press("u")
        await settle(pilot)
        assert MOVED in card_titles(pilot, "Research")
        assert any("Lena Hoffmann changed deal" in m for m in _messages(pilot))
    lena.database.dispose()
