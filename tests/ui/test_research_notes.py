"""A rep reads a deal's research at 80×24, and edits one note at a time without losing typing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pilot_helpers import Host, after_a_change_elsewhere, settle
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import TabbedContent, TextArea

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.records import DealSummary
from dealboard.domain.research import ResearchFields
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.deal.form import DealForm
from dealboard.ui.deal.note_view import NOTE_FIELDS, NoteView
from dealboard.ui.deal.screen import DealScreen

KIOSKS = "Multi-site patient intake kiosks"  # maria's, four stakeholders, every note written
PRESS = "Predictive maintenance, press line 2"  # kenji's, three stakeholders
FLEET = "Fleet telematics rollout"  # no research yet


def deal_named(board: Board, start: str) -> DealSummary:
    return next(d for d in board.list_deals(include_closed=True) if d.title.startswith(start))


def open_deal(board: Board, start: str) -> Host:
    return Host(board, DealScreen(deal_named(board, start).id))


@pytest.fixture
def kenji(demo_board: Board) -> Iterator[Board]:
    """The same board as kenji (a rep) sees it: someone else, changing his own deal."""
    opened = Board(Database(demo_board.database.url), "kenji", demo_board.clock)
    yield opened
    opened.database.dispose()


def screen_text(screen: Screen[object]) -> str:
    """Every character the screen shows, line by line (footer and toasts included)."""
    strips = screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def selected(pilot: Pilot) -> str | None:
    focused = pilot.app.screen.focused
    return focused.field.name if isinstance(focused, NoteView) else None


async def select_note(pilot: Pilot, name: str, stakeholders: int) -> None:
    """Walk down with `j`: past the stakeholders' rows, then note by note."""
    steps = stakeholders + [f.name for f in NOTE_FIELDS].index(name)
    await pilot.press(*"j" * steps)
    await pilot.pause()
    assert selected(pilot) == name


def editor(pilot: Pilot) -> TextArea:
    return pilot.app.screen.query_one("#note-editor", TextArea)


def toasts(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_several_notes_are_read_at_80_by_24(demo_board: Board) -> None:
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(pilot.app.screen)
        headings = [f.label for f in NOTE_FIELDS if f.label in shown]
        assert len(headings) >= 3, shown
        assert "RFP run by procurement" in shown
        assert not isinstance(pilot.app.screen.focused, TextArea)
    async with open_deal(demo_board, FLEET).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "not written yet" in screen_text(pilot.app.screen)


async def test_keys_typed_while_reading_never_change_a_note(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    before = demo_board.deal(deal.id).research
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_note(pilot, "buying_process", stakeholders=4)
        await pilot.press("5")  # the BANT tab, as on every tab
        assert pilot.app.screen.query_one(TabbedContent).active == "bant"
        await pilot.press("1")
        assert pilot.app.screen.query_one(TabbedContent).active == "research"
        assert selected(pilot) == "buying_process"  # back where the user was
        await pilot.press("E")  # edits the deal, as on every tab
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        await pilot.press("x", "7", "q")  # q: back, since nothing is being typed
        await settle(pilot)
        assert not isinstance(pilot.app.screen, DealScreen)
    assert demo_board.deal(deal.id).research == before


async def test_e_edits_the_selected_note_and_ctrl_s_saves_only_it(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    before = demo_board.deal(deal.id).research
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "e Edit" in screen_text(pilot.app.screen)  # the stakeholder under the cursor
        await select_note(pilot, "pain_points", stakeholders=4)
        assert "e Edit note" in screen_text(pilot.app.screen)
        await pilot.press("e")
        await pilot.pause()
        assert pilot.app.screen.focused is editor(pilot)
        footer = screen_text(pilot.app.screen).splitlines()[-1]
        assert "Save note" in footer and "Cancel" in footer and "Back" not in footer
        await pilot.press(*" Paper forms, 5E.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not editor(pilot).display
        assert selected(pilot) == "pain_points"
        note = pilot.app.screen.query_one("#note-pain_points", NoteView)
        assert note.text.endswith(" Paper forms, 5E.")
    after = demo_board.deal(deal.id).research
    assert after.pain_points == before.pain_points + " Paper forms, 5E."
    assert after.buying_process == before.buying_process


async def test_escape_while_editing_asks_before_throwing_typing_away(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    before = demo_board.deal(deal.id).research
    host = open_deal(demo_board, KIOSKS)
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_note(pilot, "free_text", stakeholders=4)
        await pilot.press("enter", *" half a thought", "escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DealScreen)
        assert editor(pilot).text.endswith(" half a thought")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DealScreen)
        assert not editor(pilot).display and selected(pilot) == "free_text"
        await pilot.press("e", "escape")  # nothing typed: closes without a question
        await pilot.pause()
        assert isinstance(pilot.app.screen, DealScreen) and not editor(pilot).display
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DealScreen | ConfirmDialog)
    assert host.results == [None]
    assert demo_board.deal(deal.id).research == before


async def test_a_change_to_another_note_while_editing_keeps_the_typing(
    demo_board: Board, kenji: Board
) -> None:
    deal = deal_named(demo_board, PRESS)
    version = demo_board.deal(deal.id).research.version
    async with open_deal(demo_board, PRESS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_note(pilot, "interests", stakeholders=3)
        await pilot.press("e", *" Typing")
        kenji.save_research(deal.id, ResearchFields(pain_points="Kenji's news"), version)
        await after_a_change_elsewhere(pilot)
        assert editor(pilot).text.endswith(" Typing")
        assert "Kenji's news" in str(pilot.app.screen.query_one("#note-pain_points").render())
        await pilot.press("ctrl+s")  # replaces nothing newer: saved at once
        await settle(pilot)
        assert not editor(pilot).display
    research = demo_board.deal(deal.id).research
    assert research.interests.endswith(" Typing")
    assert research.pain_points == "Kenji's news"


async def test_a_change_to_the_same_note_is_never_replaced_unseen(
    demo_board: Board, kenji: Board
) -> None:
    deal = deal_named(demo_board, PRESS)
    version = demo_board.deal(deal.id).research.version
    async with open_deal(demo_board, PRESS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_note(pilot, "interests", stakeholders=3)
        await pilot.press("e", *" Mine")
        kenji.save_research(deal.id, ResearchFields(interests="Kenji's view"), version)
        await after_a_change_elsewhere(pilot)
        assert editor(pilot).text.endswith(" Mine")
        assert any("while you were typing" in t for t in toasts(pilot))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(
            "Kenji Watanabe changed the research notes (interests)" in t for t in toasts(pilot)
        )
        assert demo_board.deal(deal.id).research.interests == "Kenji's view"
        assert editor(pilot).display and editor(pilot).text.endswith(" Mine")
        await pilot.press("ctrl+s")  # told whose change it was: this save is deliberate
        await settle(pilot)
        assert not editor(pilot).display
    assert demo_board.deal(deal.id).research.interests.endswith(" Mine")


async def test_a_change_while_reading_just_shows_up(demo_board: Board, kenji: Board) -> None:
    deal = deal_named(demo_board, PRESS)
    version = demo_board.deal(deal.id).research.version
    async with open_deal(demo_board, PRESS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select_note(pilot, "interests", stakeholders=3)
        kenji.save_research(deal.id, ResearchFields(interests="Kenji's view"), version)
        await after_a_change_elsewhere(pilot)
        assert "Kenji's view" in screen_text(pilot.app.screen)
        assert selected(pilot) == "interests"


def test_a_selected_note_at_80_by_24(demo_board: Board, snap_compare) -> None:
    async def select(pilot: Pilot) -> None:
        await settle(pilot)
        await after_a_change_elsewhere(pilot)
        await select_note(pilot, "buying_process", stakeholders=4)
        pilot.app.screen.refresh(layout=True)
        await pilot.pause()

    host = open_deal(demo_board, KIOSKS)
    assert snap_compare(host, terminal_size=(80, 24), run_before=select)
