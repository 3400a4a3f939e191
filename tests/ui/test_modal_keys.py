"""A rep in a dialog reads the dialog's keys, and a form that refuses says why where they look."""

from __future__ import annotations

from pilot_helpers import Host, open_with, seen, settle
from test_deal_form import new_deal_form, type_into
from test_keymap import write_keymap
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.pipeline_picker import PipelinePicker
from dealboard.ui.deal.activity_dialog import ActivityDialog
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.deal.form import DealForm
from dealboard.ui.gate.closing import ConfirmWon, LostDialog
from dealboard.ui.standup.target import TargetPrompt


def bottom_line(screen: Screen[object]) -> str:
    """The last line the terminal shows while `screen` is on top."""
    strips = screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[-1])


def footer_keys(screen: Screen[object]) -> dict[str, str]:
    """Description → key as the dialog's own footer shows them."""
    return {key.description: key.key_display for key in screen.query(FooterKey)}


def buttons(screen: Screen[object]) -> dict[str | None, str]:
    return {button.id: str(button.label) for button in screen.query(Button)}


def in_view(pilot: Pilot, widget: Widget) -> bool:
    """The widget is drawn whole, on the screen, not scrolled away inside its dialog."""
    whole = Region(0, 0, *pilot.app.size)
    shown = widget.screen.find_widget(widget).region
    return widget.display and whole.contains_region(shown) and shown.height > 0


async def test_the_lost_dialog_shows_its_keys_not_the_boards(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await open_with(pilot, "x")
        screen = pilot.app.screen
        assert isinstance(screen, LostDialog)
        bottom = bottom_line(screen)
        assert "Close as lost" in bottom and "Cancel" in bottom
        assert "New" not in bottom and "Checklist" not in bottom  # the board's, behind
        assert footer_keys(screen)["Close as lost"] == "^s"
        assert buttons(screen) == {
            "lost-save": "Close as lost (ctrl+s)",
            "lost-cancel": "Cancel (esc)",
        }
        for button in screen.query(Button):
            assert in_view(pilot, button)


async def test_the_deal_form_footer_names_save_and_cancel(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await open_with(pilot, "n")
        screen = pilot.app.screen
        assert isinstance(screen, DealForm)
        assert footer_keys(screen) == {"Save": "^s", "Cancel": "esc"}
        assert "New" not in bottom_line(screen)
        assert buttons(screen) == {"editor-save": "Save (ctrl+s)", "editor-cancel": "Cancel (esc)"}


async def test_a_remapped_key_is_the_one_the_button_names(demo_board: Board) -> None:
    write_keymap('"lost.save" = "ctrl+d"\n')
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await open_with(pilot, "x")
        screen = pilot.app.screen
        assert isinstance(screen, LostDialog)
        assert buttons(screen)["lost-save"] == "Close as lost (ctrl+d)"
        assert footer_keys(screen)["Close as lost"] == "^d"


async def test_small_dialogs_name_their_keys(board: Board) -> None:
    board.add_deal(DealFields(title="Kiosks", value="12k"))
    [deal] = board.list_deals()
    cases: list[tuple[Screen[object], dict[str | None, str], dict[str, str]]] = [
        (
            ConfirmDialog("Discard changes?", yes="Discard"),
            {"confirm-yes": "Discard (y)", "confirm-no": "No (n)"},
            {"Yes": "y", "No": "n"},
        ),
        (
            ConfirmWon(deal),
            {"won-yes": "Won (y)", "won-no": "Not yet (n)"},
            {"Yes, won": "y", "No": "n"},
        ),
        (PipelinePicker([board.pipeline()], None), {}, {"Switch": "⏎", "Cancel": "esc"}),
        (TargetPrompt("USD"), {}, {"Keep": "⏎", "Cancel": "esc"}),
    ]
    for dialog, labels, keys in cases:
        async with Host(board, dialog).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = pilot.app.screen
            assert buttons(screen) == labels
            assert footer_keys(screen) == keys


async def test_enter_still_switches_the_pipeline_and_keeps_the_target(board: Board) -> None:
    host = Host(board, PipelinePicker([board.pipeline()], None))
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    assert host.results == [board.pipeline().name]
    host = Host(board, TargetPrompt("USD"))
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "enter")  # not an amount: the prompt stays and says so
        await settle(pilot)
        assert isinstance(pilot.app.screen, TargetPrompt)
        pilot.app.screen.query_one("#target").value = "250k"
        await pilot.press("enter")
        await settle(pilot)
    assert host.results == ["250k"]


async def test_the_first_problem_below_the_fold_is_focused_and_named_at_80x24(
    board: Board,
) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Fleet renewal")
        await type_into(pilot, "close_date", "next year")
        await type_into(pilot, "next_step_due", "someday")
        pilot.app.screen.query_one("#field-title").focus()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.focused is screen.query_one("#field-close_date")
        assert in_view(pilot, screen.query_one("#field-close_date"))
        assert in_view(pilot, screen.query_one("#problem-close_date"))
        summary = screen.query_one("#editor-problem", Static)
        assert in_view(pilot, summary)
        assert seen(summary).startswith("close date: 'next year' is not accepted")
        count = screen.query_one("#editor-problem-count", Static)
        assert in_view(pilot, count) and seen(count) == "(1 of 2 problems)"
        assert summary.region.height == 1  # one line: the buttons keep their place
        assert in_view(pilot, screen.query_one("#editor-save"))
    assert board.list_deals() == []


async def test_a_bad_value_and_close_date_put_the_value_first(board: Board) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Fleet renewal")
        await type_into(pilot, "close_date", "next year")
        await type_into(pilot, "value", "12.5q")
        await type_into(pilot, "title", "Fleet renewal, phase 2")  # focus away from both
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.focused is screen.query_one("#field-value")
        assert in_view(pilot, screen.query_one("#problem-value"))
        summary = screen.query_one("#editor-problem", Static)
        assert in_view(pilot, summary) and "value: '12.5q'" in seen(summary)
        assert seen(screen.query_one("#editor-problem-count", Static)) == "(1 of 2 problems)"


async def test_a_refusal_by_the_domain_is_named_beside_the_buttons(board: Board) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Parking sensors")
        await type_into(pilot, "owner", "nobody")
        pilot.app.screen.query_one("#field-title").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.focused is screen.query_one("#field-owner")
        assert in_view(pilot, screen.query_one("#problem-owner"))
        summary = screen.query_one("#editor-problem", Static)
        assert in_view(pilot, summary) and "nobody" in seen(summary)
    assert board.list_deals() == []


async def test_fixing_the_named_field_clears_the_line_beside_the_buttons(board: Board) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Fleet renewal")
        await type_into(pilot, "value", "12.5q")
        await pilot.press("ctrl+s")
        await settle(pilot)
        line = pilot.app.screen.query_one("#editor-problem-line")
        assert line.display
        await type_into(pilot, "value", "12.5k")
        assert not line.display


async def test_the_activity_dialog_points_at_its_first_bad_date(board: Board) -> None:
    saved: list[object] = []
    dialog = ActivityDialog(board.today(), saved.append)
    async with Host(board, dialog).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert footer_keys(screen) == {"Save": "^s", "Cancel": "esc"}
        await type_into(pilot, "next_step_due", "whenever")
        await type_into(pilot, "due", "someday")
        await type_into(pilot, "subject", "Intro call")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.focused is screen.query_one("#field-due")
        assert in_view(pilot, screen.query_one("#problem-due"))
        summary = screen.query_one("#editor-problem", Static)
        assert in_view(pilot, summary) and "due: 'someday'" in seen(summary)
        assert seen(screen.query_one("#editor-problem-count", Static)) == "(1 of 2 problems)"
    assert saved == []


async def test_the_lost_dialog_says_a_reason_is_missing_beside_its_buttons(
    demo_board: Board,
) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await open_with(pilot, "x")
        screen = pilot.app.screen
        assert isinstance(screen, LostDialog)
        screen.query_one("#lost-note").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.focused is screen.query_one("#lost-reason")
        error = screen.query_one("#lost-error", Static)
        assert in_view(pilot, error) and "reason" in seen(error)
        assert in_view(pilot, screen.query_one("#lost-save"))
