"""Saved views as a rep meets them: `/` a filter, save it by name, find it again after a
restart from `V` and from the palette; the stand-up's "mine" and "changed" keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pilot_helpers import board_screen, card_titles, press_and_settle, seen, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from clock import FixedClock
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.views_picker import SaveViewPrompt, ViewsPicker
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.standup.screen import StandupScreen

SIZE = (80, 24)
REP = "rick"


def _deals(board: Board) -> None:
    board.add_user(REP, "Rick Rep", "rep")
    board.add_deal(DealFields(title="Clinic pilot", add_tags=("q4",)))
    board.add_deal(DealFields(title="Clinic fleet", owner=REP))
    board.add_deal(DealFields(title="Harbour"))


def listed(pilot: Pilot) -> str:
    """The lines of the views list, as drawn (each one line)."""
    options = pilot.app.screen.query_one(OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def _filter(pilot: Pilot, text: str) -> None:
    await press_and_settle(pilot, "slash", *text)


async def test_save_a_filter_then_open_it_after_a_restart_from_v_and_the_palette(
    board: Board, clock: FixedClock
) -> None:
    _deals(board)
    async with DealboardApp(board).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _filter(pilot, "clinic")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SaveViewPrompt))
        await press_and_settle(pilot, *"my clinics", "enter")
        assert board.find_view("my clinics").query == "clinic"
        assert [v.name for v in board_screen(pilot).named_views][-1] == "my clinics"

    again = open_board(board.database.url, "maria", clock)  # a new app on the same board
    try:
        async with DealboardApp(again).run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert card_titles(pilot, "Prospect") == ["Clinic pilot", "Clinic fleet", "Harbour"]
            await press_and_settle(pilot, "V")
            picker = pilot.app.screen
            assert isinstance(picker, ViewsPicker)
            lines = listed(pilot)
            assert "mine  @me" in lines and "changed since the last stand-up" in lines
            assert "my clinics  clinic" in lines
            await press_and_settle(pilot, "j", "j", "enter")
            screen = board_screen(pilot)
            assert pilot.app.screen is screen and screen.filter_text == "clinic"
            assert screen.query_one("#filter", Input).value == "clinic"
            assert card_titles(pilot, "Prospect") == ["Clinic pilot", "Clinic fleet"]

            await press_and_settle(pilot, "escape")
            assert card_titles(pilot, "Prospect") == ["Clinic pilot", "Clinic fleet", "Harbour"]
            await press_and_settle(pilot, "ctrl+p", *"view: my cli")
            await press_and_settle(pilot, "enter")
            assert screen.filter_text == "clinic"
            assert card_titles(pilot, "Prospect") == ["Clinic pilot", "Clinic fleet"]

            await press_and_settle(pilot, "V", "enter")  # the first: mine
            assert screen.filter_text == "@me"
            assert card_titles(pilot, "Prospect") == ["Clinic pilot", "Harbour"]
    finally:
        again.database.dispose()


async def test_saving_over_a_name_asks_first_and_deleting_asks_too(board: Board) -> None:
    _deals(board)
    board.save_view("clinics", "clinic")
    async with DealboardApp(board).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _filter(pilot, "#q4")
        await press_and_settle(pilot, "enter", "s")  # enter keeps the filter; s saves it
        await press_and_settle(pilot, *"Clinics", "enter")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await press_and_settle(pilot, "n")
        assert board.find_view("clinics").query == "clinic"
        await press_and_settle(pilot, "s", *"Clinics", "enter", "y")
        assert board.find_view("clinics").query == "#q4"

        await press_and_settle(pilot, "V", "d")  # on a built-in view: it stays
        assert isinstance(pilot.app.screen, ViewsPicker)
        await press_and_settle(pilot, "G", "d")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await press_and_settle(pilot, "y")
        assert [v.name for v in board.list_views() if not v.built_in] == []
        assert "Clinics" not in listed(pilot)
        await press_and_settle(pilot, "escape")
        assert [v.name for v in board_screen(pilot).named_views if not v.built_in] == []


async def test_a_bad_name_is_said_in_the_prompt_and_hostile_names_stay_text(
    board: Board,
) -> None:
    _deals(board)
    hostile = "[@click=app.quit]boom [b]x[/b]"
    board.save_view(hostile, "harbour")
    async with DealboardApp(board).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "s")  # nothing to save yet: said, no prompt
        assert not isinstance(pilot.app.screen, SaveViewPrompt)
        await _filter(pilot, "harbour")
        await press_and_settle(pilot, "ctrl+s", *"mine", "enter")
        prompt = pilot.app.screen
        assert isinstance(prompt, SaveViewPrompt)
        assert "a built-in view has that name" in seen(prompt.query_one("#view-problem"))
        await press_and_settle(pilot, "escape", "escape", "V")
        assert hostile in listed(pilot)
        await press_and_settle(pilot, "G", "enter")
        assert pilot.app.is_running and board_screen(pilot).filter_text == "harbour"
        await press_and_settle(pilot, "ctrl+p", *"boom")
        assert pilot.app.is_running
        await press_and_settle(pilot, "enter")
        assert pilot.app.is_running and board_screen(pilot).filter_text == "harbour"


async def test_the_standup_opens_the_board_through_mine_or_changed_since(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    clock.now = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # Thursday
    board.add_user(REP, "Rick Rep", "rep")
    board.add_deal(DealFields(title="Thursday's"))
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # Friday
    board.add_deal(DealFields(title="Friday's", owner=REP))
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday's stand-up
    async with DealboardApp(board).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "S")
        assert isinstance(pilot.app.screen, StandupScreen)
        await press_and_settle(pilot, "c")
        screen = board_screen(pilot)
        assert pilot.app.screen is screen and screen.filter_text == "changed:standup"
        assert card_titles(pilot, "Prospect") == ["Friday's"]
        await press_and_settle(pilot, "S", "m")
        assert screen.filter_text == "@me"
        assert card_titles(pilot, "Prospect") == ["Thursday's"]
