"""Prints how fast the board answers keys and moves on big boards (figures, not a test).

Run: `python tests/benchmarks/bench_ui.py [DEALS ...] [--postgres]` (default: 10000 100000).
For each size it builds a throwaway board (SQLite, or a schema of the local
PostgreSQL with `--postgres`), opens the real app headless at 200×60 and prints:

- key → redraw: the median and worst time for a navigation key to be handled
  and the screen repainted (200 presses of j/k/l/h, and G/g jumps to either end
  of a column, where the cards come in by a read after the placeholder is drawn);
- G → cards: from `G` at the top of a long column to the last cards read and drawn;
- a move: from `H` (back one stage, no gate) to the card drawn in its new column,
  the write and the re-read of the two columns it touched included;
- the process's peak resident memory.

Targets (issue 13): key median ≤ 16 ms and worst ≤ 50 ms at 10k and 100k; a move ≤ 50 ms
at 10k. Whole-process figures (launch to cards, idle CPU) are in `bench_launch.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from textual import events

sys.path.insert(0, str(Path(__file__).parent))
from bench_board import fill

from dealboard.domain.board import open_board
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.column import StageColumn
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.live import live_updates

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


async def drain(app: DealboardApp, screen: BoardScreen) -> None:
    """Run the message queues dry and draw the pending repaint now, not at the next frame."""
    await asyncio.sleep(0)
    while app._message_queue.qsize() or screen._message_queue.qsize():
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    screen._on_timer_update()


async def press_and_draw(app: DealboardApp, screen: BoardScreen, key: str) -> float:
    """Seconds from a key arriving to its screen update being drawn.

    Pilot's own `press` adds ~80 ms of settling per key, so the key is posted
    directly (private Textual calls, fine for a benchmark).
    """
    began = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    await drain(app, screen)
    return time.perf_counter() - began


#: Set whenever the board has drawn a read (waiting on it keeps the UI thread idle, as a
#: person's would be: polling would take the interpreter lock from the worker reading).
SHOWN: list[asyncio.Event] = []


def watch_reads(screen: BoardScreen) -> None:
    """Set `SHOWN` after each read the board draws."""
    show = screen._show
    SHOWN[:] = [asyncio.Event()]

    async def shown(live):  # type: ignore[no-untyped-def]
        await show(live)
        SHOWN[0].set()

    screen._show = shown  # type: ignore[method-assign]
    screen.loader._show = shown


async def until(app: DealboardApp, screen: BoardScreen, done: Callable[[], bool]) -> None:
    """Let workers answer until `done()`, and draw: what the user waits for."""
    while not done():
        SHOWN[0].clear()
        await SHOWN[0].wait()
    await drain(app, screen)


async def quiet(app: DealboardApp, screen: BoardScreen) -> None:
    """Until no screen is reading (the watcher's echo of a write included): not timed."""
    while live_updates(app).busy:
        await asyncio.sleep(0.001)
    await drain(app, screen)


def column(screen: BoardScreen, name: str) -> StageColumn:
    return next(c for c in screen.query(StageColumn) if c.stage.name == name)


async def measure(url: URL, count: int) -> None:
    board = open_board(url, "bench", create=True)
    fill(board, count)
    if url.get_backend_name() == "postgresql":  # as autovacuum would have, after a bulk fill
        analyze = create_engine(url, isolation_level="AUTOCOMMIT")
        with analyze.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        analyze.dispose()
    app = DealboardApp(board, calm_collector=True)  # as the command line opens it
    async with app.run_test(size=(200, 60)):
        screen: BoardScreen | None = None
        while screen is None or screen.view is None:
            await asyncio.sleep(0.005)
            screen = next((s for s in app.screen_stack if isinstance(s, BoardScreen)), None)
        watch_reads(screen)
        await quiet(app, screen)
        await asyncio.sleep(0.5)  # as a person would: the app's after-start tidying is done
        keys = []
        for index in range(200):
            key = ("j", "k", "l", "h")[index % 4] if index % 20 else ("G", "g")[index // 20 % 2]
            keys.append(await press_and_draw(app, screen, key))
            await quiet(app, screen)
        await press_and_draw(app, screen, "2")
        await quiet(app, screen)
        qualify = column(screen, "Qualify").cards
        began = time.perf_counter()
        await press_and_draw(app, screen, "G")
        await until(app, screen, lambda: qualify.selected_deal is not None)
        to_end = time.perf_counter() - began
        moves = []
        prospect = column(screen, "Prospect").cards
        for _ in range(5):
            await press_and_draw(app, screen, "g")
            await until(app, screen, lambda: screen.focused_deal is not None)
            deal = screen.focused_deal
            assert deal is not None
            began = time.perf_counter()
            await press_and_draw(app, screen, "H")
            await until(app, screen, lambda d=deal: _in(prospect, d.id))
            moves.append(time.perf_counter() - began)
            await asyncio.sleep(0.3)  # the watcher's echo of the write comes and goes
            await quiet(app, screen)
            await press_and_draw(app, screen, "2")
            await quiet(app, screen)
    board.database.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count:>7} deals: key median {statistics.median(keys) * 1000:5.1f} ms"
        f"  worst {max(keys) * 1000:6.1f} ms   G→cards {to_end * 1000:6.1f} ms"
        f"   move median {statistics.median(moves) * 1000:6.1f} ms"
        f"  worst {max(moves) * 1000:6.1f} ms   peak RSS {rss:6.0f} MiB"
    )


def _in(cards: object, deal_id: int) -> bool:
    return any(d.id == deal_id for d in cards.deals)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", type=int, nargs="*", default=[10000, 100000])
    parser.add_argument("--postgres", action="store_true", help=f"use {POSTGRES}")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for size in args.sizes:
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
                asyncio.run(measure(url, size))
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
        else:
            with tempfile.TemporaryDirectory() as folder:
                url = URL.create("sqlite+pysqlite", database=str(Path(folder) / "bench.sqlite3"))
                asyncio.run(measure(url, size))


if __name__ == "__main__":
    main()
