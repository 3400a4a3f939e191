"""`t` shows the focused deal's stage templates filled in; `y` and `Y` copy, whatever the clipboard.

The clipboard is the one seam swapped here: a `Copier` whose pyperclip is a
fake (working, or raising as on a server without a display) and whose
terminal does or does not take OSC 52. Everything else is the real app on a
real database.
"""

from __future__ import annotations

import pyperclip
from pilot_helpers import board_screen, seen, settle
from textual.pilot import Pilot
from textual.widgets import TextArea

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.pipeline_spec import parse_pipeline_toml
from dealboard.ui.app import DealboardApp
from dealboard.ui.clipboard import (
    SYSTEM_MESSAGE,
    TERMINAL_MESSAGE,
    Copier,
    CopyByHand,
)
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.templates.screen import TemplatesScreen

FLEET = "Fleet telematics rollout"  # the first Prospect card of the demo board
FLEET_ACCOUNT = "Harbor Freight Lines"


class FakePyperclip:
    """pyperclip as the test wants it: copying into a list, or failing like on a server."""

    def __init__(self, works: bool = True) -> None:
        self.works = works
        self.copied: list[str] = []

    def __call__(self, text: str) -> None:
        if not self.works:
            raise pyperclip.PyperclipException(
                "Pyperclip could not find a copy/paste mechanism for your system."
            )
        self.copied.append(text)


def app_with(
    board: Board,
    system: FakePyperclip,
    *,
    terminal: bool = True,
    environ: dict[str, str] | None = None,
    pipeline: str | None = None,
) -> tuple[DealboardApp, list[str]]:
    """The real app with its copier swapped; also the texts sent by OSC 52."""
    app = DealboardApp(board, pipeline=pipeline)
    app.copier = Copier(system, lambda _app: terminal, environ or {})
    sent: list[str] = []
    send = app.copy_to_clipboard

    def spy(text: str) -> None:
        sent.append(text)
        send(text)

    app.copy_to_clipboard = spy  # type: ignore[method-assign]
    return app, sent


def toasts(pilot: Pilot) -> list[str]:
    return [f"{n.title}: {n.message}" for n in pilot.app._notifications]


def preview(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#tpl-text"))


def status(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#tpl-status"))


async def open_templates(pilot: Pilot) -> TemplatesScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TemplatesScreen)
    return screen


async def test_t_shows_the_stage_templates_filled_in_and_y_copies_the_one_shown(
    demo_board: Board,
) -> None:
    system = FakePyperclip()
    app, sent = app_with(demo_board, system)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_templates(pilot)
        assert screen.found is not None and screen.found.deal.title == FLEET
        title = seen(screen.query_one("#tpl-title"))
        assert title.startswith(f"Prospect templates for {FLEET}")
        options = seen(screen.query_one("#tpl-list"))
        assert "First call" in options and "call script" in options and "Intro email" in options
        assert f"First call with Dana Whitfield at {FLEET_ACCOUNT}." in " ".join(
            preview(pilot).split()
        )
        assert "Every field filled in" in status(pilot)
        await pilot.press("j")
        assert " ".join(preview(pilot).split()).startswith(
            f"Subject: {FLEET_ACCOUNT} and {FLEET}: how we would work together Hi Dana,"
        )
        await pilot.press("y")
        await settle(pilot)
        assert len(system.copied) == 1 and sent == []
        assert system.copied[0].startswith(f"Subject: {FLEET_ACCOUNT} and {FLEET}: how")
        assert "\n\nHi Dana,\n\n" in system.copied[0]
        assert f"Copied: Intro email: {SYSTEM_MESSAGE}" in toasts(pilot)
        await pilot.press("k", "enter")
        await settle(pilot)
        assert system.copied[1].startswith("First call with Dana Whitfield")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is board_screen(pilot)


async def test_without_a_system_clipboard_the_text_goes_by_osc_52(demo_board: Board) -> None:
    system = FakePyperclip(works=False)
    app, sent = app_with(demo_board, system)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_templates(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert system.copied == []
        assert len(sent) == 1 and sent[0].startswith("First call with Dana Whitfield")
        assert pilot.app.clipboard == sent[0]  # what Textual keeps of an OSC 52 copy
        assert f"Sent: First call: {TERMINAL_MESSAGE}" in toasts(pilot)
        assert not any("pyperclip" in t for t in toasts(pilot))


async def test_over_ssh_osc_52_goes_first(demo_board: Board) -> None:
    system = FakePyperclip()
    app, sent = app_with(demo_board, system, environ={"SSH_CONNECTION": "10.0.0.2 5 10.0.0.1 22"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert system.copied == [] and len(sent) == 1
        assert any("OSC 52" in t for t in toasts(pilot))


async def test_with_no_way_to_copy_the_text_is_shown_to_select(demo_board: Board) -> None:
    system = FakePyperclip(works=False)
    app, sent = app_with(demo_board, system, terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_templates(pilot)
        await pilot.press("y")
        await settle(pilot)
        by_hand = pilot.app.screen
        assert isinstance(by_hand, CopyByHand)
        area = by_hand.query_one("#copy-text", TextArea)
        assert area.read_only and area.text.startswith("First call with Dana Whitfield")
        assert area.selected_text == area.text
        assert area.cursor_location == (0, 0) and area.scroll_offset.y == 0
        reason = " ".join(seen(by_hand.query_one("#copy-reason")).split())
        assert "Could not copy" in reason and "pyperclip" in reason and "OSC 52" in reason
        assert sent == [] and system.copied == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TemplatesScreen)


async def test_dealboard_clipboard_off_always_shows_the_text(demo_board: Board) -> None:
    system = FakePyperclip()
    app, sent = app_with(demo_board, system, environ={"DEALBOARD_CLIPBOARD": "off"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("Y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CopyByHand)
        assert "switched off" in seen(pilot.app.screen.query_one("#copy-reason"))
        assert pilot.app.screen.query_one(TextArea).text.startswith(f"**{FLEET}**")
        assert system.copied == [] and sent == []


async def test_y_and_shift_y_on_the_board_copy_the_first_template_and_the_summary(
    demo_board: Board,
) -> None:
    system = FakePyperclip()
    app, _sent = app_with(demo_board, system)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("l", "Y")
        await settle(pilot)
        second = board_screen(pilot).focused_deal
    assert system.copied[0].startswith("First call with Dana Whitfield")
    assert system.copied[1].startswith(f"**{second.title}** (#{second.id})\n\n- Account: ")
    assert "- Stage: Qualify, " in system.copied[1]


async def test_missing_fields_are_highlighted_named_and_followed_live(board: Board, clock) -> None:
    deal_id = board.add_deal(DealFields(title="[bold]Kiosks[/bold]", account="Acme"))
    system = FakePyperclip()
    app, _sent = app_with(board, system)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_templates(pilot)
        assert "[bold]Kiosks[/bold]" in seen(screen.query_one("#tpl-title"))
        shown = preview(pilot)
        assert "First call with {contact} at Acme." in " ".join(shown.split())
        assert "fields missing: contact, contact first, next step, next step due" in status(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "{contact}" in system.copied[0]
        assert any("fields missing: contact" in t for t in toasts(pilot))
        other = Board(Database(board.database.url), "rick", clock)
        other.edit_deal(deal_id, DealFields(contact="Dana Whitfield"))
        await pilot.pause(1.0)  # no key: the screen follows the deal by itself
        await settle(pilot)
        assert "First call with Dana Whitfield at Acme." in " ".join(preview(pilot).split())
        assert "fields missing: next step, next step due" in status(pilot)
    other.database.dispose()


NO_TEMPLATES = """
name = "tiny"
title = "Tiny"
[[stages]]
name = "Talk"
kind = "open"
probability = 50
criteria = ["Talked"]
[[stages]]
name = "Won"
kind = "won"
[[stages]]
name = "Lost"
kind = "lost"
"""


async def test_a_stage_without_templates_says_so_and_how_to_add_them(board: Board) -> None:
    board.import_pipeline(parse_pipeline_toml(NO_TEMPLATES))
    board.add_deal(DealFields(title="Quiet one"), pipeline="tiny")
    system = FakePyperclip()
    app, sent = app_with(board, system, pipeline="tiny")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any("No templates for stage Talk" in t for t in toasts(pilot))
        await open_templates(pilot)
        shown = preview(pilot)
        assert "No templates for stage Talk." in shown and "[[stages.templates]]" in shown
        await pilot.press("y")
        await settle(pilot)
    assert system.copied == [] and sent == []


async def test_the_deal_screen_has_the_same_keys(demo_board: Board) -> None:
    system = FakePyperclip()
    app, _sent = app_with(demo_board, system)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        await pilot.press("Y", "y")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TemplatesScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
    assert system.copied[0].startswith(f"**{FLEET}**")
    assert system.copied[1].startswith("First call with Dana Whitfield")


async def test_the_screen_uses_a_wide_terminal(demo_board: Board) -> None:
    app, _sent = app_with(demo_board, FakePyperclip())
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await open_templates(pilot)
        await pilot.press("j")
        body = screen.query_one("#tpl-preview")
        assert body.size.width > 90 and body.size.height > 30
        assert "Best regards," in preview(pilot)
