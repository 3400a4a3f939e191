"""A rep who prefers other keys writes a keymap.toml, and the board follows it."""

from __future__ import annotations

from pilot_helpers import board_screen, deal_titled, seen, settle
from textual.widgets._footer import FooterKey

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.deal.objection_dialog import ObjectionDialog
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.deal.stakeholder_dialog import StakeholderDialog
from dealboard.ui.keymap import keymap_path

TOKYO = "東京 office expansion 🚀"  # Prospect, its checklist 3/3 ticked


def write_keymap(text: str) -> None:
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def keymap_messages(app: DealboardApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Keymap"]


async def test_a_remapped_move_on_moves_the_card_and_the_old_key_does_not(
    demo_board: Board,
) -> None:
    write_keymap('"board.move-on" = "ctrl+l"\n')
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "L")
        await settle(pilot)
        assert deal_titled(demo_board, TOKYO).stage == "Prospect"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert deal_titled(demo_board, TOKYO).stage == "Qualify"
        assert not keymap_messages(pilot.app)


async def test_help_footer_and_palette_show_the_new_key(demo_board: Board) -> None:
    write_keymap('"board.move-on" = "ctrl+l"\n')
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = {key.description: key.key_display for key in pilot.app.screen.query(FooterKey)}
        assert footer["Move on"] == "^l"
        commands = {c.title: c.help for c in board_screen(pilot).palette_commands()}
        assert commands["Move on"] == "key: ^l"
        await pilot.press("question_mark")
        await pilot.pause()
        keys = seen(pilot.app.screen.query_one("#help-keys"))
        move_on = next(line for line in keys.splitlines() if "Move on" in line)
        assert move_on.split() == ["^l", "Move", "on", "board.move-on"]


async def test_a_bad_keymap_is_named_in_a_message_and_the_defaults_work(
    demo_board: Board,
) -> None:
    write_keymap('"board.move-on" = "ctrl+l"\n"board.fly" = "f"\n"deal.nope" = "n"\n')
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [message] = keymap_messages(pilot.app)
        assert "keymap.toml" in message and "board.fly, deal.nope" in message
        assert "default keys" in message
        await pilot.press("j", "j", "j", "ctrl+l")
        await settle(pilot)
        assert deal_titled(demo_board, TOKYO).stage == "Prospect"
        await pilot.press("L")
        await settle(pilot)
        assert deal_titled(demo_board, TOKYO).stage == "Qualify"


async def test_a_keymap_that_is_not_toml_or_not_keys_never_stops_the_board(
    demo_board: Board,
) -> None:
    for text, words in (
        ('"board.move-on" = ctrl+l\n', "cannot be read"),
        ('"board.move-on" = 3\n', "board.move-on: must be keys in quotes"),
        ("[board]\nmove-on = [1]\n", "board.move-on: must be keys in quotes"),
    ):
        write_keymap(text)
        async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            [message] = keymap_messages(pilot.app)
            assert words in message, message
            assert isinstance(pilot.app.screen, BoardScreen)


async def test_two_keys_of_one_action_are_remapped_on_their_own(demo_board: Board) -> None:
    write_keymap('"board.jump-2" = "f2"\nboard.column-next = "ctrl+n"\n')  # unquoted works too
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        names = [column.stage.name for column in screen.visible_columns()]
        await pilot.press("2")
        assert screen.focused_column.stage.name == names[0]
        await pilot.press("f2")
        assert screen.focused_column.stage.name == names[1]
        await pilot.press("3")
        assert screen.focused_column.stage.name == names[2]
        await pilot.press("h")  # column-previous kept its keys
        assert screen.focused_column.stage.name == names[1]
        await pilot.press("l")
        assert screen.focused_column.stage.name == names[1]
        await pilot.press("ctrl+n")
        assert screen.focused_column.stage.name == names[2]


async def test_moving_one_panel_key_keeps_the_same_key_on_the_other_panels(
    demo_board: Board,
) -> None:
    write_keymap('"deal.objection.add" = "ctrl+o"\n')
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        await pilot.press("a")  # Research: still adds a stakeholder
        await pilot.pause()
        assert isinstance(pilot.app.screen, StakeholderDialog)
        await pilot.press("escape")
        await pilot.press("2", "a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DealScreen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ObjectionDialog)
