"""`A` opens the agenda; enter jumps to the deal; it follows others' changes by itself."""

from __future__ import annotations

import pytest
from pilot_helpers import (
    after_a_change_elsewhere,
    app_opened_with,
    deal_titled,
    press_and_settle,
    seen,
    settle,
)
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.agenda.screen import AgendaScreen
from dealboard.ui.app import DealboardApp
from dealboard.ui.deal.screen import DealScreen


def _rows(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one("#agenda-table", DataTable)
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_agenda_lists_my_work_and_enter_opens_the_deal(board: Board, clock) -> None:
    board.add_deal(DealFields(title="Fleet", next_step="Call the CFO", next_step_due="-1d"))
    kiosks = board.add_deal(DealFields(title="Kiosks"))
    board.add_activity(kiosks, kind="meeting", subject="Demo [b]day[/b]", due="today")
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AgendaScreen)
        rows = _rows(pilot)
        assert rows[0].startswith("overdue") and "Fleet" in rows[0] and "Call the CFO" in rows[0]
        assert rows[1].startswith("today") and "Demo [b]day[/b]" in rows[1]
        assert "1 overdue, 1 today" in seen(pilot.app.screen.query_one("#agenda-title"))
        other = Board(Database(board.database.url), "rick", clock)
        other.add_deal(DealFields(title="Rick's own", next_step="x", next_step_due="today"))
        board.add_activity(kiosks, kind="call", subject="Call back", due="+2d")
        await after_a_change_elsewhere(pilot)  # no key: the agenda follows changes by itself
        assert len(_rows(pilot)) == 3 and "Call back" in _rows(pilot)[2]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        assert pilot.app.screen.deal_id == kiosks
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AgendaScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, AgendaScreen)
    other.database.dispose()
    assert deal_titled(board, "Kiosks").id == kiosks


def _footer(pilot) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Footer description → the key it names."""
    return {key.description: key.key for key in pilot.app.screen.query(FooterKey)}


def _shown_rows(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """The table's lines as the user reads them now, heading first."""
    lines = seen(pilot.app.screen.query_one("#agenda-table")).splitlines()
    return [line for line in lines if line.strip()]


def _rep_on(board: Board, clock) -> Board:  # type: ignore[no-untyped-def]
    """The demo board as arjun, a rep with eleven things to do."""
    return Board(Database(board.database.url), "arjun", clock)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_every_to_do_is_read_in_full_and_the_footer_offers_enter(
    demo_board: Board, clock, size: tuple[int, int]
) -> None:
    arjun = _rep_on(demo_board, clock)
    items = arjun.agenda()
    assert len(items) >= 10 and max(len(i.what) for i in items) >= 45  # the demo's long to-dos
    async with app_opened_with(arjun, "A", size) as pilot:
        assert isinstance(pilot.app.screen, AgendaScreen)
        lines = _shown_rows(pilot)
        assert len(lines) == len(items) + 1
        for item, line in zip(items, lines[1:], strict=True):
            assert item.what in line
        assert _footer(pilot)["Open deal"] == "enter"
        assert "Mine/team" in _footer(pilot)
        heading = lines[0].split()
        if size[0] >= 200:  # room for everything, in full
            assert heading == ["When", "Due", "Kind", "Deal", "Stage", "To", "do"]
            assert all(i.deal_title in line for i, line in zip(items, lines[1:], strict=True))
    arjun.database.dispose()


async def test_a_manager_sees_the_team_agenda_grouped_by_owner_a_rep_cannot(
    demo_board: Board, clock
) -> None:
    team = demo_board.agenda(team=True)
    owners = list(dict.fromkeys(i.owner_display_name for i in team))
    assert len(owners) >= 4 and len(team) > len(demo_board.agenda())
    async with app_opened_with(demo_board, "A", (80, 24)) as pilot:
        title = pilot.app.screen.query_one("#agenda-title")
        assert seen(title).strip().startswith("Agenda:")
        await press_and_settle(pilot, "t")
        assert seen(title).strip().startswith("Team agenda: ")
        assert f"{len(team)} in all" in seen(title)
        lines = _shown_rows(pilot)
        assert lines[0].split()[0] == "Who"
        for item, line in zip(team, lines[1:], strict=False):
            assert item.what in line  # the to-do in full, beside its owner's initials
        initials = [line.split()[0] for line in lines[1:] if not line.startswith("  ")]
        assert initials == ["AM", "KW", "LH"]  # each owner once, atop their rows, by name
        await press_and_settle(pilot, "G")
        assert team[-1].what in _shown_rows(pilot)[-1]
        await press_and_settle(pilot, "enter")
        assert isinstance(pilot.app.screen, DealScreen)
        assert pilot.app.screen.deal_id == team[-1].deal_id  # someone else's deal, opened
        await press_and_settle(pilot, "escape", "t")
        assert seen(title).strip().startswith("Agenda:")
        assert len(_rows(pilot)) == len(demo_board.agenda())

    arjun = _rep_on(demo_board, clock)
    async with app_opened_with(arjun, "A", (80, 24)) as pilot:
        before = _rows(pilot)
        await press_and_settle(pilot, "t")
        toasts = [str(n.message) for n in pilot.app._notifications]
        assert toasts == ["only a manager may see the team agenda; arjun is a rep"]
        assert seen(pilot.app.screen.query_one("#agenda-title")).strip().startswith("Agenda:")
        assert _rows(pilot) == before
    arjun.database.dispose()


async def test_at_200_columns_the_team_agenda_names_owners_in_full(demo_board: Board) -> None:
    team = demo_board.agenda(team=True)
    async with app_opened_with(demo_board, "A", (200, 60)) as pilot:
        await press_and_settle(pilot, "t")
        lines = _shown_rows(pilot)
        assert lines[0].split()[:2] == ["Owner", "When"] and "Stage" in lines[0]
        named = [line[:16].strip() for line in lines[1:] if line[:16].strip()]
        assert named == list(dict.fromkeys(i.owner_display_name for i in team))
        for item, line in zip(team, lines[1:], strict=True):
            assert item.what in line and item.stage in line
