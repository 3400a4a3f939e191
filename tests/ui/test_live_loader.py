"""The one loader every screen reads through: one read at a time, newest first, no echo."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pilot_helpers import Host, board_screen, column_named, record_calls, settle, wait_until
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from dealboard.domain.board import Board
from dealboard.domain.changes import NOTHING, ChangeCursor
from dealboard.domain.views import Live, board_read
from dealboard.ui.app import DealboardApp
from dealboard.ui.live_loader import LiveLoader


class Gate:
    """Reads that wait until the test lets them finish, counting how many started."""

    def __init__(self) -> None:
        self.started = 0
        self.release = threading.Event()

    def read(self, answer: str) -> Callable[[], Live[str]]:
        self.started += 1

        def run() -> Live[str]:
            self.release.wait(5)
            return Live(answer, ChangeCursor(0, frozenset()), NOTHING)

        return run


class Counter(Screen[None]):
    """A screen whose reads answer with the request they were asked with."""

    def __init__(self, gate: Gate) -> None:
        super().__init__()
        self.gate = gate
        self.request = "first"
        self.shown: list[str] = []
        self.loader: LiveLoader[str] = LiveLoader(
            self, lambda _previous: gate.read(self.request), self._show, what="Counter"
        )

    def compose(self) -> ComposeResult:
        yield Static("counter")

    def on_mount(self) -> None:
        self.loader.start()

    def _show(self, live: Live[str]) -> None:
        self.shown.append(live.content)


async def test_changes_during_a_read_fold_into_one_more_read(board: Board) -> None:
    gate = Gate()
    screen = Counter(gate)
    async with Host(board, screen).run_test() as pilot:
        await wait_until(pilot, lambda: gate.started == 1, then_settle=False)
        for _ in range(5):  # five commits while the first read runs
            screen.loader.refresh()
        assert gate.started == 1  # never two reads at once
        gate.release.set()
        await settle(pilot)
        assert gate.started == 2  # the five asks became one more read
        assert screen.shown == ["first"]  # the same content is not drawn twice


async def test_a_read_for_an_older_request_is_dropped(board: Board) -> None:
    gate = Gate()
    screen = Counter(gate)
    async with Host(board, screen).run_test() as pilot:
        await wait_until(pilot, lambda: gate.started == 1, then_settle=False)
        screen.request = "second"
        screen.loader.reload()  # the user asked for something else meanwhile
        gate.release.set()
        await settle(pilot)
        assert screen.shown == ["second"]  # "first" arrived late and was never drawn


async def test_my_own_write_is_read_once_not_again_when_its_echo_arrives(
    demo_board: Board, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    windows = record_calls(monkeypatch, board_read, "window_rows", arg=2)  # stage ids
    polls = record_calls(monkeypatch, board_read, "changes_since", arg=1)  # cursors
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        windows.clear()
        polls.clear()
        await pilot.press("J")  # one reorder: my own commit
        # The write's own read, then the watcher waking for the same commit: two looks.
        await wait_until(pilot, lambda: len(polls) >= 2, what="the watcher's echo")
        prospect = column_named(pilot, "Prospect").stage.id
        assert windows == [prospect]  # the column was read once, for the write, not for its echo
        assert board_screen(pilot).focused_deal.title == "Fleet telematics rollout"
