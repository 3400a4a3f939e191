"""`S` opens stand-up mode: full screen, paged with space and arrows, live; Esc goes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from pilot_helpers import (
    after_a_change_elsewhere,
    app_opened_with,
    board_screen,
    open_with,
    press_and_settle,
    seen,
    settle,
)
from test_hostile_text import screen_text
from textual.pilot import Pilot
from textual.widgets import Digits, Footer, Header, Input

from clock import FixedClock
from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.clipboard import Copier
from dealboard.ui.standup.app import StandupApp
from dealboard.ui.standup.screen import StandupScreen
from helpers import tick_all
from test_standup import _week


def _heading(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#standup-heading")).strip()


def _page_number(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#standup-page-number")).split()[0]


def _body(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#standup-body"))


def _tiles(pilot: Pilot) -> list[tuple[str, str]]:
    """The large numbers shown, with their labels."""
    return [
        (str(tile.query_one(Digits).value), seen(tile.query_one(".standup-label")).strip())
        for tile in pilot.app.screen.query(".standup-tile")
        if tile.display
    ]


@pytest.fixture
def week(
    board: Board,
    rep_board: Board,
    clock: FixedClock,
    zone: Callable[[str], None],
) -> dict[str, int]:
    """The week of `_week` on a calendar in UTC, ending on Monday morning; the deals' ids."""
    zone("UTC")
    return _week(board, rep_board, clock)


@pytest.mark.usefixtures("week")
async def test_s_opens_the_standup_full_screen_and_space_and_arrows_turn_the_pages(
    board: Board,
) -> None:
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, StandupScreen)
        assert not screen.query(Footer) and not screen.query(Header)  # no chrome
        assert _page_number(pilot) == "1/5"  # since, attention, forecast, maria, rick
        assert _heading(pilot) == "Since Friday"
        assert _tiles(pilot) == [("1", "moved"), ("1", "new"), ("1", "won"), ("1", "lost")]
        body = _body(pilot)
        assert "maria   1 moved · 1 lost" in body
        assert "moved  Mover  ·  Prospect → Qualify" in body
        assert "won    Winner  ·  $48k" in body
        await pilot.press("space")
        assert (_page_number(pilot), _heading(pilot)) == ("2/5", "Needs attention")
        assert _tiles(pilot) == [("3", "SLA breaches"), ("0", "gone quiet")]
        assert "⚠ no touch 4d  Before" in _body(pilot)
        await pilot.press("right")
        assert _heading(pilot) == "Forecast"
        assert "No team goal set: t sets this month's" in _body(pilot)
        await pilot.press("l")
        assert (_page_number(pilot), _heading(pilot)) == ("4/5", "maria")
        assert "late 3d: Send the deck" in _body(pilot)
        await pilot.press("space", "space")
        assert (_page_number(pilot), _heading(pilot)) == ("5/5", "Rick Rep")  # stays on the last
        await pilot.press("left", "h")
        assert _heading(pilot) == "Forecast"
        await pilot.press("question_mark")  # no footer: the keys are listed by ?
        keys = seen(pilot.app.screen.query_one("#help-keys"))
        assert "space → l pgdn  Next page" in keys
        assert "Set this month's team goal (managers)" in keys
        await pilot.press("escape")
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, BoardScreen)
        await press_and_settle(pilot, "S")
        assert isinstance(pilot.app.screen, StandupScreen)
        await pilot.press("S")  # S toggles
        assert isinstance(pilot.app.screen, BoardScreen)


async def test_a_change_made_elsewhere_shows_up_on_the_same_page(
    board: Board, clock: FixedClock, week: dict[str, int]
) -> None:
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        await pilot.press("space")
        assert _tiles(pilot)[0] == ("3", "SLA breaches")
        other = Board(Database(board.database.url), "maria", clock)
        other.add_activity(week["Before"], kind="call", subject="Caught up", done=True)
        await after_a_change_elsewhere(pilot)
        assert _heading(pilot) == "Needs attention"
        assert _tiles(pilot)[0] == ("2", "SLA breaches")
        assert "Before" not in _body(pilot)
        other.lose(week["Mover"], "timing")
        await after_a_change_elsewhere(pilot)
        await pilot.press("left")
        assert _tiles(pilot)[3] == ("2", "lost")
        board_titles = [
            d.title for c in board_screen(pilot).visible_columns() for d in c.cards.deals
        ]
        assert "Mover" not in board_titles  # the board underneath refreshed too
    other.database.dispose()


@pytest.mark.usefixtures("week")
async def test_t_sets_the_team_goal_and_the_forecast_is_held_against_it(
    board: Board,
) -> None:
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        await pilot.press("space", "space", "t")
        await pilot.press(*"lots", "enter")
        assert "target: 'lots' is not accepted" in seen(
            pilot.app.screen.query_one("#target-problem")
        )
        pilot.app.screen.query_one(Input).value = "100k"
        await press_and_settle(pilot, "enter")
        assert _heading(pilot) == "Forecast · team goal $100k"
        assert _tiles(pilot) == [
            ("$49k", "November"),
            ("48%", "of team goal won"),
            ("49%", "of target in November"),
            ("$250", "December"),
        ]
        await press_and_settle(pilot, "escape", "S", "space", "space")  # the goal holds
        assert _heading(pilot) == "Forecast · team goal $100k"


@pytest.mark.usefixtures("week")
async def test_dealboard_standup_opens_straight_into_standup_mode_and_y_copies_markdown(
    board: Board,
) -> None:
    app = StandupApp(board, since="2026-11-19", target="EUR 5k")
    copied: list[str] = []
    app.copier = Copier(copied.append, lambda _app: False, {})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, StandupScreen)
        assert _heading(pilot) == "Since Thursday"
        await press_and_settle(pilot, "y")  # the same stand-up, as Markdown for the team's chat
        assert copied[0].startswith("## Stand-up · All pipelines · since Thursday\n")
        assert "### Forecast (monthly target €5k)" in copied[0]
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, BoardScreen)


def _friday_at_the_demo(board: Board, clock: FixedClock) -> None:
    """Friday afternoon on the demo board: a move, a win, a loss and a new lead; then Monday."""
    first = {}
    for deal in board.list_deals():
        first.setdefault(deal.stage, deal.id)
    board.move(first["Qualify"], "Research", override="stakeholders met at the fair")
    board.win(first["Close"], override="signed on the phone")
    board.lose(first["Pitch"], "competitor", "chose the incumbent")
    board.add_deal(DealFields(title="Kiosks for 9 libraries", value="26k", owner="lena"))
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.usefixtures("demo_in_utc")
def test_standup_page_one_on_the_projector_at_120_by_36(
    demo_board: Board, clock: FixedClock, snap_compare
) -> None:
    _friday_at_the_demo(demo_board, clock)
    assert snap_compare(
        DealboardApp(demo_board),
        terminal_size=(120, 36),
        run_before=lambda pilot: open_with(pilot, "S", theme="projector"),
    )


@pytest.mark.usefixtures("demo_in_utc")
def test_standup_forecast_on_the_projector_at_80_by_24(demo_board: Board, snap_compare) -> None:
    async def open_forecast(pilot: Pilot) -> None:
        pilot.app.theme = "projector"
        await settle(pilot)
        while not _heading(pilot).startswith("Forecast"):
            await pilot.press("space")
        await pilot.pause()

    app = StandupApp(demo_board, target="250k")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_forecast)


@pytest.mark.usefixtures("demo_in_utc")
async def test_a_larger_screen_puts_more_on_a_page_and_stays_on_the_same_section(
    demo_board: Board,
) -> None:
    async with app_opened_with(demo_board, "S", (80, 24)) as pilot:
        await pilot.press("space")
        assert _heading(pilot) == "Needs attention (1/2)"
        await pilot.press("space")
        assert _heading(pilot) == "Needs attention (2/2)"
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        # 9 pages: the demo's customers are account records, so some are due a nurture touch
        assert (_page_number(pilot), _heading(pilot)) == ("2/9", "Needs attention")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert _heading(pilot) == "Needs attention (1/2)"


def _long_moves(board: Board, clock: FixedClock) -> None:
    """Friday: a long-titled deal pushed through four stages to Overcome Objections past the
    gate, one pushed over Qualify, one moved on by the gate. Monday: the stand-up."""
    clock.now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    long_title = "Route optimisation for last-mile delivery vans across three depots"
    ids = [
        board.add_deal(DealFields(title=title, value="10k"))
        for title in (long_title, "Staff scheduling for 3 care homes", "Plain move")
    ]
    tick_all(board, ids[2], "Prospect")
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    for stage in ("Qualify", "Research", "Pitch", "Overcome Objections"):
        board.move(ids[0], stage, override="the buyer wants a quote today")
    board.move(ids[1], "Research", override="met the whole board at the fair")
    board.move(ids[2], "Qualify")
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _entries(lines: list[str]) -> dict[str, str]:
    """Each moved entry on screen (its line and the indented lines under it), by its title."""
    entries: dict[str, str] = {}
    current = None
    for line in lines:
        if line.startswith("    moved  "):
            current = line[len("    moved  ") :].split("  ·  ")[0].rstrip()
            entries[current] = line
        elif current and line.startswith(" " * 11) and line.strip():
            entries[current] += "\n" + line
        else:
            current = None
    return entries


async def test_at_80_by_24_every_moved_line_shows_its_final_stage_and_its_marks(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _long_moves(board, clock)
    lines: list[str] = []
    async with app_opened_with(board, "S", (80, 24), theme="projector") as pilot:
        while _heading(pilot).startswith("Since"):
            lines += [line.rstrip() for line in screen_text(pilot.app.screen).splitlines()]
            if _page_number(pilot).split("/")[0] == _page_number(pilot).split("/")[1]:
                break
            await pilot.press("space")
    entries = _entries(lines)
    assert len(entries) == 3 and all(len(line) <= 80 for line in lines)
    for moved in board.standup().people[0].moved:
        (entry,) = [e for title, e in entries.items() if moved.deal.title.startswith(title[:20])]
        assert f"→ {moved.path[-1]}" in entry.replace("\n", " "), entry  # whole, never cut
    pushed, skipper, plain = (
        next(e for t, e in entries.items() if t.startswith(start))
        for start in ("Route", "Staff", "Plain")
    )
    assert '⚠ override: "the buyer wants a quote today"' in pushed
    assert "Research (skipped Qualify)" in skipper and "⚠ override: " in skipper
    assert plain.endswith("Plain move  ·  Prospect → Qualify")  # nothing to mark
