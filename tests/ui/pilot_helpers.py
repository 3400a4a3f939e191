"""Small readers of the board's state for Pilot tests: what the user would see."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from _pytest.monkeypatch import MonkeyPatch
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from dealboard.domain.board import Board
from dealboard.domain.changes import cursor_now
from dealboard.domain.records import DealSummary
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.column import StageColumn
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.live import DatabaseChanged, LiveUpdates, live_updates
from dealboard.ui.themes import THEME_VARIABLE_DEFAULTS


class Host(App[None]):
    """A bare app holding the board, so one screen or dialog is tried on its own."""

    def __init__(self, board: Board, first: Screen) -> None:
        super().__init__()
        self.board = board
        self.first = first
        self.results: list[object] = []
        self.live = LiveUpdates(self, board)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        self.push_screen(self.first, self.results.append)
        self.live.start()

    def on_unmount(self) -> None:
        self.live.stop()

    def on_database_changed(self, message: DatabaseChanged) -> None:
        self.live.tell_loaders(message.full_reload)


def seen(widget: Widget) -> str:
    """Every line the widget draws right now, as the user reads it."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


async def settle(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait until every background query and write has answered and the screen is drawn.

    A read that ends can start another (a change arrived meanwhile), so this waits
    until no worker runs and no screen's loader is busy, twice in a row.
    """
    app = pilot.app
    quiet = 0
    deadline = time.monotonic() + timeout
    while quiet < 2:
        await app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(w.is_running for w in app.workers) or live_updates(app).busy
        quiet = 0 if busy else quiet + 1
        if time.monotonic() > deadline:
            raise AssertionError(f"the app was still busy after {timeout} s")


async def wait_until(
    pilot: Pilot,
    condition: Callable[[], bool],
    timeout: float = 5.0,
    what: str = "",
    *,
    then_settle: bool = True,
) -> None:
    """Let the app run until `condition()` holds (a change made elsewhere, say), then settle.

    Polls every 20 ms; fails after `timeout` seconds, naming what it waited for.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what or condition}")
        await pilot.pause(0.02)
    if then_settle:
        await settle(pilot)


async def press_and_settle(pilot: Pilot, *keys: str) -> None:
    """Press `keys`, then wait until what they started has answered and is drawn."""
    await pilot.press(*keys)
    await settle(pilot)


async def open_with(pilot: Pilot, key: str, *, theme: str | None = None) -> None:
    """Once the app has loaded (on `theme`, if given), press `key` and wait for what it opens."""
    if theme is not None:
        pilot.app.theme = theme
    await settle(pilot)
    await press_and_settle(pilot, key)


@asynccontextmanager
async def app_opened_with(
    board: Board, key: str, size: tuple[int, int], *, theme: str | None = None
) -> AsyncIterator[Pilot]:
    """The board app under Pilot at `size`, with the screen that `key` opens on top."""
    async with DealboardApp(board).run_test(size=size) as pilot:
        await open_with(pilot, key, theme=theme)
        yield pilot


async def after_a_change_elsewhere(pilot: Pilot) -> None:
    """No key: wait until the screens have followed another board's write by themselves.

    The watcher notices a commit within a fraction of a second; this waits until
    every screen's loader has read past it (its cursor has seen the newest change).
    """
    board = live_updates(pilot.app).board
    newest = _newest_change(board)
    await wait_until(
        pilot,
        lambda: live_updates(pilot.app).all_read_past(newest),
        what="the screens to follow a change made elsewhere",
    )


def board_screen(pilot: Pilot) -> BoardScreen:
    return next(s for s in pilot.app.screen_stack if isinstance(s, BoardScreen))


def column_named(pilot: Pilot, name: str) -> StageColumn:
    return next(c for c in board_screen(pilot).query(StageColumn) if c.stage.name == name)


def card_titles(pilot: Pilot, stage: str) -> list[str]:
    """The titles of the cards read in a column ([] before the board has drawn it)."""
    columns = [c for c in board_screen(pilot).query(StageColumn) if c.stage.name == stage]
    return [d.title for d in columns[0].cards.deals] if columns else []


def deal_titled(board: Board, title: str) -> DealSummary:
    return next(d for d in board.list_deals(include_closed=True) if d.title == title)


def shown_text(pilot: Pilot, stage: str) -> str:
    """What the user reads in a column's card list right now (every visible line)."""
    cards = column_named(pilot, stage).cards
    return "\n".join(cards.render_line(y).text for y in range(cards.size.height))


def _newest_change(board: Board) -> int:
    with board.database.read() as session:
        return cursor_now(session).high


def record_calls(monkeypatch: MonkeyPatch, module: object, name: str, arg: int) -> list[Any]:
    """Record argument `arg` of every call to `module.name` (None when it was left out)."""
    calls: list[Any] = []
    real = getattr(module, name)

    def recorded(*args: Any) -> Any:
        calls.append(args[arg] if arg < len(args) else None)
        return real(*args)

    monkeypatch.setattr(module, name, recorded)
    return calls
