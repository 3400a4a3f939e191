"""SingleRead: a burst of asks during a read becomes exactly one more read, never an overlap."""

from __future__ import annotations

import threading

from textual.app import App

from dealboard.ui.single_read import SingleRead


class Reader(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.fetches = 0
        self.running = 0
        self.overlapped = False
        self.shown: list[int] = []
        self.reader = SingleRead(self, self.reload, what="Test", group="test")

    def reload(self) -> None:
        self.reader.start(self.fetch, self.shown.append)

    def fetch(self) -> int:
        self.running += 1
        self.overlapped |= self.running > 1
        self.gate.wait(5)
        self.fetches += 1
        self.running -= 1
        return self.fetches


async def test_asks_during_a_read_fold_into_one_more_read() -> None:
    app = Reader()
    async with app.run_test() as pilot:
        app.reload()
        await pilot.pause(0.05)
        for _ in range(5):  # five commits while the first read runs
            app.reload()
        app.gate.set()
        for _ in range(40):
            await pilot.pause(0.05)
            if len(app.shown) == 2:
                break
        await pilot.pause(0.1)
    assert app.shown == [1, 2]
    assert app.fetches == 2 and not app.overlapped


async def test_a_lost_connection_is_reported_and_the_next_read_still_runs() -> None:
    app = Reader()
    app.gate.set()
    failures = iter([RuntimeError("server closed the connection"), None])

    def fetch() -> int:
        failure = next(failures)
        if failure is not None:
            raise failure
        return 7

    app.fetch = fetch  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        app.reload()
        await pilot.pause(0.3)
        assert [n.message for n in app._notifications] == ["server closed the connection"]
        app.reload()
        await pilot.pause(0.3)
    assert app.shown == [7]
