"""Prints how fast the Textual board opens and answers keys on big boards (figures, not a test).

Run: `python tests/benchmarks/bench_ui.py [DEALS ...]` (default: 1000 10000).
For each size it builds a throwaway SQLite board, opens the real app headless
at 200×60, and prints: time until the cards are on screen, the median and
worst time for a navigation key to be handled and redrawn (100 presses), and
the process's peak resident memory so far. Budget: 1k deals open < 1 s, 10k < 2 s, a key < 50 ms.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import URL
from textual import events

sys.path.insert(0, str(Path(__file__).parent))
from bench_board import fill

from dealboard.domain.board import open_board
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen


async def press_and_draw(app: DealboardApp, screen: BoardScreen, key: str) -> float:
    """Seconds from a key arriving to its screen update being drawn.

    Pilot's own `press` adds ~80 ms of settling per key on this machine, so the
    key is posted directly, the message queues are run dry, and the pending
    repaint is drawn at once rather than at the next frame tick (private
    Textual calls, fine for a benchmark).
    """
    began = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    await asyncio.sleep(0)
    while app._message_queue.qsize() or screen._message_queue.qsize():
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    screen._on_timer_update()
    return time.perf_counter() - began


async def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = URL.create("sqlite+pysqlite", database=str(Path(folder) / "bench.sqlite3"))
        board = open_board(url, "bench")
        fill(board, count)
        start = time.perf_counter()
        app = DealboardApp(board)
        async with app.run_test(size=(200, 60)) as pilot:
            screen: BoardScreen | None = None
            while screen is None or screen.loaded is None:
                await pilot.pause(0.005)
                screen = next((s for s in app.screen_stack if isinstance(s, BoardScreen)), None)
            await pilot.pause()
            opened = time.perf_counter() - start
            samples = []
            for index in range(100):
                key = ("j", "k", "l", "h")[index % 4] if index % 10 else "G"
                samples.append(await press_and_draw(app, screen, key))
        board.database.dispose()
        print(
            f"{count:>6} deals: open {opened * 1000:7.0f} ms   key median "
            f"{statistics.median(samples) * 1000:5.1f} ms  worst {max(samples) * 1000:6.1f} ms"
            f"   peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MiB"
        )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    for size in sizes:
        asyncio.run(measure(size))


if __name__ == "__main__":
    main()
