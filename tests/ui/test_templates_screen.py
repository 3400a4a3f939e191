"""`t` shows the focused deal's stage templates filled in; `y` and `Y` copy, whatever the clipboard.

The clipboard is the one seam swapped here: a `Copier` whose pyperclip is a
fake (working, or raising as on a server without a display) and whose
terminal does or does not take OSC 52. Everything else is the real app on a
real database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pyperclip
from pilot_helpers import (
    after_a_change_elsewhere,
    board_screen,
    open_with,
    press_and_settle,
    seen,
    settle,
)
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
from test_pipelines import MINIMAL as NO_TEMPLATES  # a pipeline whose stages have no templates

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


@asynccontextmanager
async def copying(
    board: Board,
    *,
    works: bool = True,
    terminal: bool = True,
    environ: dict[str, str] | None = None,
    pipeline: str | None = None,
    size: tuple[int, int] = (80, 24),
) -> AsyncIterator[tuple[Pilot, FakePyperclip, list[str]]]:
    """The real app under Pilot with its copier swapped: its pilot, the fake pyperclip (working
    or not), and the texts sent by OSC 52."""
    system = FakePyperclip(works)
    app = DealboardApp(board, pipeline=pipeline)
    app.copier = Copier(system, lambda _app: terminal, environ or {})
    sent: list[str] = []
    send = app.copy_to_clipboard

    def spy(text: str) -> None:
        sent.append(text)
        send(text)

    app.copy_to_clipboard = spy  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        yield pilot, system, sent


def toasts(pilot: Pilot) -> list[str]:
    return [f"{n.title}: {n.message}" for n in pilot.app._notifications]


def preview(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#tpl-text"))


def preview_words(pilot: Pilot) -> str:
    """The preview as one line: line breaks and runs of spaces folded to single spaces."""
    return " ".join(preview(pilot).split())


def status(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#tpl-status"))


async def open_templates(pilot: Pilot) -> TemplatesScreen:
    await open_with(pilot, "t")
    screen = pilot.app.screen
    assert isinstance(screen, TemplatesScreen)
    return screen


async def test_t_shows_the_stage_templates_filled_in_and_y_copies_the_one_shown(
    demo_board: Board,
) -> None:
    async with copying(demo_board) as (pilot, system, sent):
        screen = await open_templates(pilot)
        assert screen.found is not None and screen.found.deal.title == FLEET
        title = seen(screen.query_one("#tpl-title"))
        assert title.startswith(f"Prospect templates for {FLEET}")
        options = seen(screen.query_one("#tpl-list"))
        assert "First call" in options and "call script" in options and "Intro email" in options
        assert f"First call with Dana Whitfield at {FLEET_ACCOUNT}." in preview_words(pilot)
        assert "Every field filled in" in status(pilot)
        await pilot.press("j")
        assert preview_words(pilot).startswith(
            f"Subject: {FLEET_ACCOUNT} and {FLEET}: how we would work together Hi Dana,"
        )
        await press_and_settle(pilot, "y")
        assert len(system.copied) == 1 and sent == []
        assert system.copied[0].startswith(f"Subject: {FLEET_ACCOUNT} and {FLEET}: how")
        assert "\n\nHi Dana,\n\n" in system.copied[0]
        assert f"Copied: Intro email: {SYSTEM_MESSAGE}" in toasts(pilot)
        await press_and_settle(pilot, "k", "enter")
        assert system.copied[1].startswith("First call with Dana Whitfield")
        await press_and_settle(pilot, "escape")
        assert pilot.app.screen is board_screen(pilot)


async def test_without_a_system_clipboard_the_text_goes_by_osc_52(demo_board: Board) -> None:
    async with copying(demo_board, works=False) as (pilot, system, sent):
        await open_templates(pilot)
        await press_and_settle(pilot, "y")
        assert system.copied == []
        assert len(sent) == 1 and sent[0].startswith("First call with Dana Whitfield")
        assert pilot.app.clipboard == sent[0]  # what Textual keeps of an OSC 52 copy
        assert f"Sent: First call: {TERMINAL_MESSAGE}" in toasts(pilot)
        assert not any("pyperclip" in t for t in toasts(pilot))


async def test_over_ssh_osc_52_goes_first(demo_board: Board) -> None:
    ssh = {"SSH_CONNECTION": "10.0.0.2 5 10.0.0.1 22"}
    async with copying(demo_board, environ=ssh) as (pilot, system, sent):
        await settle(pilot)
        await press_and_settle(pilot, "y")
        assert system.copied == [] and len(sent) == 1
        assert any("OSC 52" in t for t in toasts(pilot))


async def test_with_no_way_to_copy_the_text_is_shown_to_select(demo_board: Board) -> None:
    async with copying(demo_board, works=False, terminal=False) as (pilot, system, sent):
        await open_templates(pilot)
        await press_and_settle(pilot, "y")
        by_hand = pilot.app.screen
        assert isinstance(by_hand, CopyByHand)
        area = by_hand.query_one("#copy-text", TextArea)
        assert area.read_only and area.text.startswith("First call with Dana Whitfield")
        assert area.selected_text == area.text
        assert area.cursor_location == (0, 0) and area.scroll_offset.y == 0
        reason = " ".join(seen(by_hand.query_one("#copy-reason")).split())
        assert "Could not copy" in reason and "pyperclip" in reason and "OSC 52" in reason
        assert sent == [] and system.copied == []
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, TemplatesScreen)


async def test_dealboard_clipboard_off_always_shows_the_text(demo_board: Board) -> None:
    off = {"DEALBOARD_CLIPBOARD": "off"}
    async with copying(demo_board, environ=off) as (pilot, system, sent):
        await settle(pilot)
        await press_and_settle(pilot, "Y")
        assert isinstance(pilot.app.screen, CopyByHand)
        assert "switched off" in seen(pilot.app.screen.query_one("#copy-reason"))
        assert pilot.app.screen.query_one(TextArea).text.startswith(f"**{FLEET}**")
        assert system.copied == [] and sent == []


async def test_y_and_shift_y_on_the_board_copy_the_first_template_and_the_summary(
    demo_board: Board,
) -> None:
    async with copying(demo_board) as (pilot, system, _sent):
        await settle(pilot)
        await press_and_settle(pilot, "y")
        await press_and_settle(pilot, "l", "Y")
        second = board_screen(pilot).focused_deal
    assert system.copied[0].startswith("First call with Dana Whitfield")
    assert system.copied[1].startswith(f"**{second.title}** (#{second.id})\n\n- Account: ")
    assert "- Stage: Qualify, " in system.copied[1]


async def test_missing_fields_are_highlighted_named_and_followed_live(board: Board, clock) -> None:
    deal_id = board.add_deal(DealFields(title="[bold]Kiosks[/bold]", account="Acme"))
    async with copying(board) as (pilot, system, _sent):
        screen = await open_templates(pilot)
        assert "[bold]Kiosks[/bold]" in seen(screen.query_one("#tpl-title"))
        assert "First call with {contact} at Acme." in preview_words(pilot)
        assert "fields missing: contact, contact first, next step, next step due" in status(pilot)
        await press_and_settle(pilot, "y")
        assert "{contact}" in system.copied[0]
        assert any("fields missing: contact" in t for t in toasts(pilot))
        board.add_user("rick", "Rick", "manager")  # he may change maria's deal
        other = Board(Database(board.database.url), "rick", clock)
        other.edit_deal(deal_id, DealFields(contact="Dana Whitfield"))
        await after_a_change_elsewhere(pilot)  # the screen follows the deal by itself
        assert "First call with Dana Whitfield at Acme." in preview_words(pilot)
        assert "fields missing: next step, next step due" in status(pilot)
    other.database.dispose()


async def test_a_stage_without_templates_says_so_and_how_to_add_them(board: Board) -> None:
    board.import_pipeline(parse_pipeline_toml(NO_TEMPLATES))
    board.add_deal(DealFields(title="Quiet one"), pipeline="tiny")
    async with copying(board, pipeline="tiny") as (pilot, system, sent):
        await settle(pilot)
        await press_and_settle(pilot, "y")
        assert any("No templates for stage Talk" in t for t in toasts(pilot))
        await open_templates(pilot)
        shown = preview(pilot)
        assert "No templates for stage Talk." in shown and "[[stages.templates]]" in shown
        await press_and_settle(pilot, "y")
    assert system.copied == [] and sent == []


async def test_the_deal_screen_has_the_same_keys(demo_board: Board) -> None:
    async with copying(demo_board) as (pilot, system, _sent):
        await open_with(pilot, "enter")
        assert isinstance(pilot.app.screen, DealScreen)
        await press_and_settle(pilot, "Y", "y")
        await press_and_settle(pilot, "t")
        assert isinstance(pilot.app.screen, TemplatesScreen)
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, DealScreen)
    assert system.copied[0].startswith(f"**{FLEET}**")
    assert system.copied[1].startswith("First call with Dana Whitfield")


async def test_the_screen_uses_a_wide_terminal(demo_board: Board) -> None:
    async with copying(demo_board, size=(200, 60)) as (pilot, _system, _sent):
        screen = await open_templates(pilot)
        await pilot.press("j")
        body = screen.query_one("#tpl-preview")
        assert body.size.width > 90 and body.size.height > 30
        assert "Best regards," in preview(pilot)
