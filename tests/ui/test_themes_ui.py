"""Themes as a user meets them: the palette's list, a choice remembered, the terminal's say."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pilot_helpers import board_screen, settle
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from dealboard.domain.board import Board
from dealboard.settings import read_settings, settings_path
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.column import StageColumn
from dealboard.ui.component_style import text_style
from dealboard.ui.themes import user_themes_folder

SHIPPED = {"dealboard-dark", "dealboard-light", "mono", "projector"}


async def palette_options(pilot: Pilot) -> list[str]:
    """The entries the open command palette lists right now."""
    for _ in range(20):  # the palette searches in the background
        await asyncio.sleep(0.05)
        await pilot.pause()
        options = pilot.app.screen.query_one(CommandList).options
        if options:
            return [str(option.prompt).split("\n")[0] for option in options]
    return []


async def pick_theme_in_palette(pilot: Pilot, typed: str) -> list[str]:
    """ctrl+p, "theme", enter, then type `typed` and enter: what a user does."""
    await pilot.press("ctrl+p")
    await pilot.press(*"theme")
    assert "Theme" in await palette_options(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    offered = await palette_options(pilot)  # every theme, before anything is typed
    await pilot.press(*typed)
    await palette_options(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return offered


async def test_the_palette_offers_only_dealboards_themes_and_the_choice_is_remembered(
    demo_board: Board,
) -> None:
    app = DealboardApp(demo_board)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "dealboard-dark"
        offered = await pick_theme_in_palette(pilot, "projector")
        assert set(offered) == SHIPPED
        assert app.theme == "projector"
        column = board_screen(pilot).query(StageColumn).first()
        assert column.styles.border_right[0] == "heavy"
    assert read_settings().theme == "projector"
    assert 'theme = "projector"' in settings_path().read_text()

    again = DealboardApp(demo_board)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert again.theme == "projector"


async def test_theme_from_the_command_line_is_for_this_run_only(demo_board: Board) -> None:
    app = DealboardApp(demo_board, theme="dealboard-light")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "dealboard-light"
    assert not settings_path().exists()
    later = DealboardApp(demo_board)
    async with later.run_test() as pilot:
        await settle(pilot)
        assert later.theme == "dealboard-dark"


@pytest.mark.parametrize(
    ("variable", "value"), [("NO_COLOR", "1"), ("TERM", "linux"), ("TERM", "xterm")]
)
async def test_a_terminal_without_colour_starts_in_mono(
    demo_board: Board, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.delenv("COLORTERM")
    if variable != "TERM":
        monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv(variable, value)
    app = DealboardApp(demo_board)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "mono"
        column = board_screen(pilot).query(StageColumn).first()
        assert column.cards.get_component_rich_style("card--selected").reverse


async def test_a_choice_made_on_a_16_colour_terminal_stays_there(
    demo_board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLORTERM")
    monkeypatch.setenv("TERM", "linux")
    app = DealboardApp(demo_board)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pick_theme_in_palette(pilot, "dealboard-light")
        assert app.theme == "dealboard-light"
    saved = read_settings()
    assert (saved.theme, saved.low_colour_theme) == (None, "dealboard-light")

    monkeypatch.setenv("COLORTERM", "truecolor")
    in_colour = DealboardApp(demo_board)
    async with in_colour.run_test() as pilot:
        await settle(pilot)
        assert in_colour.theme == "dealboard-dark"


def write_user_theme(name: str, text: str) -> Path:
    user_themes_folder().mkdir(parents=True, exist_ok=True)
    path = user_themes_folder() / f"{name}.toml"
    path.write_text(text)
    return path


async def test_a_bad_theme_file_is_one_notification_and_the_board_opens_as_usual(
    demo_board: Board,
) -> None:
    write_user_theme("mine", 'primary = "blu"\n')
    app = DealboardApp(demo_board)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "dealboard-dark"
        assert "mine" not in app.available_themes
        [note] = app._notifications
        reason = "primary: 'blu' is not a colour (did you mean 'blue'?)"
        assert note.message.endswith(f"themes/mine.toml: {reason}")
        assert note.severity == "warning"


async def test_a_saved_theme_whose_file_broke_falls_back_to_the_default(
    demo_board: Board,
) -> None:
    write_user_theme("mine", 'primary = "#0077BE"\n')
    settings_path().write_text('theme = "mine"\n')
    app = DealboardApp(demo_board)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "mine"
    write_user_theme("mine", 'primary = "#0077BE"\nbackground = 7\n')
    broken = DealboardApp(demo_board)
    async with broken.run_test() as pilot:
        await settle(pilot)
        assert broken.theme == "dealboard-dark"


async def test_a_users_file_named_like_a_shipped_theme_replaces_it(demo_board: Board) -> None:
    write_user_theme("projector", 'primary = "#FF00FF"\ndark = false\n')
    app = DealboardApp(demo_board, theme="projector")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.current_theme.primary == "#FF00FF"
        # a theme that sets none of the board's variables still gets them all
        assert app.theme_variables["column-rule"] == "vkey"
        assert app.theme_variables["focus-background"] == "#FF00FF66"


async def test_the_board_is_legible_in_the_light_theme(demo_board: Board) -> None:
    app = DealboardApp(demo_board, theme="dealboard-light")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        cards = board_screen(pilot).query(StageColumn).first().cards
        meta = text_style(cards, "card--meta")
        background = app.current_theme.surface
        assert meta.color is not None
        assert meta.color.triplet.hex.upper() != background.upper()
        # secondary text is darker than the white card under it
        assert sum(meta.color.triplet) < 3 * 160


def test_snapshot_board_in_the_projector_theme(demo_board: Board, snap_compare) -> None:
    app = DealboardApp(demo_board, theme="projector")
    assert snap_compare(app, terminal_size=(120, 36), run_before=settle)


def test_snapshot_board_in_the_mono_theme(demo_board: Board, snap_compare) -> None:
    app = DealboardApp(demo_board, theme="mono")
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


async def test_settings_that_cannot_be_read_or_written_are_reported_not_fatal(
    demo_board: Board,
) -> None:
    settings_path().mkdir(parents=True)  # a folder where the file should be
    app = DealboardApp(demo_board)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "dealboard-dark"
        app.theme = "projector"
        await settle(pilot)
        messages = [note.message for note in app._notifications]
        assert any("settings.toml: cannot be read" in m for m in messages)
        assert any(m.startswith("theme not saved to ") for m in messages)
        assert app.theme == "projector"
